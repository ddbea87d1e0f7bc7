"""Text of a PDF written by hearth.consent.forms_pdf, for assertions (no PDF library needed: fpdf2 writes each
line as one ``(…) Tj`` string in the core fonts' Latin-1; compressed content streams are inflated first)."""

from __future__ import annotations

import re
import zlib

_SHOW = re.compile(rb"\(((?:[^\\)]|\\.)*)\) ?Tj")
_ESCAPE = re.compile(rb"\\(.)")
_STREAM = re.compile(rb"/Filter /FlateDecode.*?stream\n(.*?)\nendstream", re.DOTALL)


def _content(data: bytes) -> bytes:
    inflated = []
    for match in _STREAM.finditer(data):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return data + b"\n".join(inflated)


def pdf_lines(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-"), "not a PDF"
    return [_ESCAPE.sub(rb"\1", m.group(1)).decode("latin-1") for m in _SHOW.finditer(_content(data))]


def pdf_text(data: bytes) -> str:
    """All shown text, lines joined by single spaces (sentences wrapped by the layout read whole)."""
    return " ".join(" ".join(pdf_lines(data)).split())
