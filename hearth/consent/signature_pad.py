"""Electronic signatures drawn on screen (or typed), as the signature pad posts them, written as Hearth's own SVG.

The signature pad (hearth/web/static/web/signature.js) posts the strokes as plain numbers,
``"x,y x,y …;x,y …"`` in a 600 × 200 box; a keyboard user types their name instead. The server never stores
SVG it received: it parses the numbers (or the name), rejects anything else, and writes the SVG below (which
``hearth.consent.signature_svg.clean_signature_svg`` accepts as the stored form). Reading a stored signature
back for the printed form parses it the same strict way, so a PDF draws only lines or one line of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

WIDTH = 600
HEIGHT = 200
MAX_STROKES = 200
MAX_POINTS = 6000
MAX_NAME = 120

Point = tuple[int, int]
Stroke = tuple[Point, ...]


class SignatureError(ValueError):
    """The posted signature is not one the pad could have drawn (the message names the problem)."""


@dataclass(frozen=True)
class Signature:
    strokes: tuple[Stroke, ...] = ()
    typed_name: str = ""

    @property
    def empty(self) -> bool:
        return not self.strokes and not self.typed_name

    def svg(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        )
        if self.typed_name:
            body = (
                f'<text x="20" y="130" font-family="cursive" font-size="48" fill="#000">'
                f"{escape(self.typed_name)}</text>"
            )
        else:
            body = "".join(
                f'<path d="{_path(stroke)}" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" '
                f'stroke-linejoin="round"/>'
                for stroke in self.strokes
            )
        return f"{head}{body}</svg>"


def _path(stroke: Stroke) -> str:
    first, *rest = stroke
    moves = [f"M{first[0]} {first[1]}"] + [f"L{x} {y}" for x, y in rest]
    if not rest:  # a dot: a zero-length line still shows with round caps
        moves.append(f"L{first[0]} {first[1]}")
    return "".join(moves)


_NUMBER_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def from_pad(drawn: str, typed_name: str = "") -> Signature:
    """The signature the pad posted: strokes ``"x,y x,y;x,y"`` or a typed name (used when no strokes)."""
    name = " ".join(typed_name.split())
    if len(name) > MAX_NAME:
        raise SignatureError(f"The typed signature is longer than {MAX_NAME} characters.")
    if any(ord(ch) < 32 for ch in name):
        raise SignatureError("The typed signature holds characters that cannot be shown.")
    strokes: list[Stroke] = []
    total = 0
    for part in drawn.strip().split(";"):
        tokens = part.split()
        if not tokens:
            continue
        points: list[Point] = []
        for token in tokens:
            match = _NUMBER_PAIR.fullmatch(token)
            if match is None:
                raise SignatureError("The drawn signature could not be read; clear it and sign again.")
            x, y = (round(float(v)) for v in match.groups())
            # Clamped, not refused: a stroke that runs off the pad's edge is still the client's signature.
            points.append((min(max(x, 0), WIDTH), min(max(y, 0), HEIGHT)))
        total += len(points)
        strokes.append(tuple(points))
    if len(strokes) > MAX_STROKES or total > MAX_POINTS:
        raise SignatureError("The drawn signature is too long; clear it and sign again.")
    if strokes:
        return Signature(strokes=tuple(strokes))
    return Signature(typed_name=name)


_SVG = re.compile(
    r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="0 0 600 200" width="600" height="200">(.*)</svg>'
)
_TEXT = re.compile(r'<text x="20" y="130" font-family="cursive" font-size="48" fill="#000">([^<]*)</text>')
_PATH = re.compile(
    r'<path d="([ML0-9 ]+)" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" '
    r'stroke-linejoin="round"/>'
)
_MOVE = re.compile(r"[ML](\d+) (\d+)")


def from_svg(svg: str | None) -> Signature | None:
    """A stored signature read back; None when there is none or it is not one Hearth's pad wrote."""
    if not svg:
        return None
    whole = _SVG.fullmatch(svg.strip())
    if whole is None:
        return None
    body = whole.group(1)
    typed = _TEXT.fullmatch(body)
    if typed is not None:
        return Signature(typed_name=unescape(typed.group(1)))
    strokes: list[Stroke] = []
    position = 0
    for match in _PATH.finditer(body):
        if match.start() != position:
            return None
        strokes.append(tuple((int(x), int(y)) for x, y in _MOVE.findall(match.group(1))))
        position = match.end()
    if position != len(body) or not strokes:
        return None
    return Signature(strokes=tuple(strokes))
