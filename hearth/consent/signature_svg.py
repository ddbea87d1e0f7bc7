"""A signature drawn on screen, kept as SVG: only strokes, so it can be shown on a page and printed on the
form without carrying script, links or external references.

Accepted: one ``<svg>`` root holding ``<path d>`` and ``<polyline points>`` strokes (optionally in ``<g>``),
or one ``<text>`` line (a name typed by a keyboard user: hearth.consent.signature_pad), with presentation
attributes only. Anything else is refused, not cleaned, so what is stored is what was drawn.
"""

from __future__ import annotations

import re

MAX_SIGNATURE_CHARS = 200_000

_TAG = re.compile(r"<(/?)([a-zA-Z]+)((?:\s+[a-zA-Z:-]+\s*=\s*\"[^\"<>&]*\")*)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([a-zA-Z:-]+)\s*=\s*\"([^\"<>&]*)\"")
_ALLOWED: dict[str, frozenset[str]] = {
    "svg": frozenset(
        {
            "xmlns",
            "viewBox",
            "width",
            "height",
            "fill",
            "stroke",
            "stroke-width",
            "stroke-linecap",
            "stroke-linejoin",
            "role",
            "aria-label",
        }
    ),
    "g": frozenset({"fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"}),
    "path": frozenset({"d", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"}),
    "polyline": frozenset({"points", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"}),
    "text": frozenset({"x", "y", "font-family", "font-size", "fill"}),
}
# Text of a typed signature: no markup; only the entities html.escape writes.
_TEXT = re.compile(r"^(?:[^<>&]|&(?:amp|lt|gt|quot|#x27);)*$")
_SAFE_VALUE = re.compile(r"^[a-zA-Z0-9 .,#%()/:+-]*$")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def clean_signature_svg(svg: str) -> str:
    """The signature as stored (surrounding white space removed), or ``ValueError`` saying what is wrong."""
    text = svg.strip()
    if not text:
        raise ValueError("Have the client sign in the box.")
    if len(text) > MAX_SIGNATURE_CHARS:
        raise ValueError("The signature is too large; clear it and sign again.")
    position = 0
    depth = 0
    strokes = 0
    roots = 0
    in_text = False
    for tag in _TAG.finditer(text):
        between = text[position : tag.start()]
        if in_text:
            if not _TEXT.match(between):
                raise ValueError("The signature holds something other than strokes.")
        elif between.strip():
            raise ValueError("The signature holds something other than strokes.")
        position = tag.end()
        closing, name, attributes, self_closing = tag.groups()
        if in_text and not (closing and name == "text"):
            raise ValueError("The signature is not well formed.")
        if name not in _ALLOWED:
            raise ValueError("The signature holds something other than strokes.")
        if closing:
            depth -= 1
            if depth < 0 or attributes:
                raise ValueError("The signature is not well formed.")
            in_text = False
            continue
        if depth == 0:
            roots += 1
            if name != "svg" or roots > 1:
                raise ValueError("The signature is not well formed.")
        elif name == "svg":
            raise ValueError("The signature is not well formed.")
        for attribute, value in _ATTRIBUTE.findall(attributes):
            if attribute not in _ALLOWED[name]:
                raise ValueError("The signature holds something other than strokes.")
            if attribute == "xmlns" and value != SVG_NAMESPACE:
                raise ValueError("The signature is not well formed.")
            if attribute != "xmlns" and not _SAFE_VALUE.match(value):
                raise ValueError("The signature holds something other than strokes.")
        if name in ("path", "polyline", "text"):
            strokes += 1
        if not self_closing:
            depth += 1
            in_text = name == "text"
    if text[position:].strip() or depth != 0 or roots != 1:
        raise ValueError("The signature is not well formed.")
    if strokes == 0:
        raise ValueError("Have the client sign in the box.")
    return text
