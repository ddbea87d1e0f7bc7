"""Signatures from the pad: parsed strictly, written as Hearth's own SVG, read back the same way."""

from __future__ import annotations

import pytest

from hearth.consent.signature_pad import Signature, SignatureError, from_pad, from_svg
from hearth.consent.signature_svg import clean_signature_svg


def test_strokes_are_parsed_and_clamped_to_the_pad() -> None:
    signature = from_pad("10,20 30.4,40.6;-5,250 700,100")
    assert signature.strokes == (((10, 20), (30, 41)), ((0, 200), (600, 100)))
    assert signature.typed_name == ""


def test_a_drawn_signature_wins_over_a_typed_name() -> None:
    assert from_pad("1,2 3,4", "Maria Lopez").typed_name == ""


def test_typed_name_is_used_without_strokes_and_its_spaces_tidied() -> None:
    assert from_pad("  ", "  Maria   Lopez ") == Signature(typed_name="Maria Lopez")
    assert from_pad("", "").empty


@pytest.mark.parametrize(
    ("drawn", "typed", "message"),
    [
        ("10,20 <script>", "", "The drawn signature could not be read; clear it and sign again."),
        ("10;20", "", "The drawn signature could not be read; clear it and sign again."),
        (";".join(["1,1"] * 201), "", "The drawn signature is too long; clear it and sign again."),
        ("", "x" * 121, "The typed signature is longer than 120 characters."),
        ("", "Maria\x00Lopez", "The typed signature holds characters that cannot be shown."),
    ],
)
def test_anything_the_pad_could_not_have_sent_is_refused(drawn: str, typed: str, message: str) -> None:
    with pytest.raises(SignatureError) as refused:
        from_pad(drawn, typed)
    assert str(refused.value) == message


def test_svg_is_hearths_own_and_reads_back() -> None:
    drawn = from_pad("10,20 30,40;50,60")
    assert drawn.svg() == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 200" width="600" height="200">'
        '<path d="M10 20L30 40" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" '
        'stroke-linejoin="round"/>'
        '<path d="M50 60L50 60" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" '
        'stroke-linejoin="round"/></svg>'
    )
    assert from_svg(drawn.svg()) == Signature(strokes=(((10, 20), (30, 40)), ((50, 60), (50, 60))))


def test_typed_svg_escapes_the_name_and_reads_back() -> None:
    typed = from_pad("", "Ana <b>O'Neil</b> & Co")
    assert "&lt;b&gt;O&#x27;Neil&lt;/b&gt; &amp; Co</text>" in typed.svg()
    assert from_svg(typed.svg()) == typed


@pytest.mark.parametrize(
    "svg",
    [
        None,
        "",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 200" width="600" height="200"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 200" width="600" height="200">'
        '<path d="M1 2L3 4" fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" '
        'stroke-linejoin="round"/><image href="x"/></svg>',
    ],
)
def test_anything_else_is_not_read_as_a_signature(svg: str | None) -> None:
    assert from_svg(svg) is None


def test_drawn_svg_is_what_the_release_keeps() -> None:
    svg = from_pad("10,20 30,40;50,60").svg()
    assert clean_signature_svg(svg) == svg
