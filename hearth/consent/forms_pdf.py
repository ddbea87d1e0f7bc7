"""Printable consent documents as PDF (fpdf2): Consent to Share, Revocation of Consent, and the disclosure log.

Each document is built from a plain description (the dataclasses below; ``hearth.consent.documents`` fills
them from the records), so the layout and the words are tested without a database. Forms are printed in
English or Spanish (``form_texts``) and filled with the client's details for signing, or for the file once
signed. They are client data: the views serve them only through the guarded lookups, audited, never cached,
with no personal data in the address or the file name.

The PDF core fonts cover Latin-1, which holds Spanish (ñ, á, ¿, ¡ …). A character outside it (a name written
with Vietnamese or Polish letters, say) is printed as its base letter — "Nguyễn" as "Nguyen" — and the record
keeps the exact spelling.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hearth.consent.form_texts import CATEGORIES, CATEGORY_SHORT, long_date, text
from hearth.consent.signature_pad import HEIGHT as PAD_HEIGHT
from hearth.consent.signature_pad import WIDTH as PAD_WIDTH
from hearth.consent.signature_pad import Signature

_TYPOGRAPHY = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "·", "\u00a0": " "}
)


def latin1(value: str) -> str:
    """``value`` in the core fonts' Latin-1: typographic marks simplified, other letters reduced to their base."""
    out = []
    for ch in value.translate(_TYPOGRAPHY):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256 and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


@dataclass(frozen=True)
class Member:
    name: str
    dob: date | None
    through: str  # "self" | "head_of_household" | "guardian"


@dataclass(frozen=True)
class ConsentForm:
    reference: str  # "C-12" once recorded, "" for a form printed before recording
    continuum: str
    client_id: int
    client_name: str
    client_dob: date | None
    members: tuple[Member, ...]
    agency: str
    coc_wide: bool
    organizations: tuple[str, ...]
    projects: tuple[str, ...]
    categories: frozenset[str]
    starts_on: date
    ends_on: date | None
    method: str  # "written" | "verbal" | "electronic_signature"
    privacy_notice_version: str
    obtained_by: str
    printed_on: date
    follow_up_due: date | None = None
    signature: Signature | None = None
    signed_on: date | None = None


@dataclass(frozen=True)
class RevocationForm:
    consent: ConsentForm
    printed_on: date
    revoked_on: date | None = None  # None: printed for signing before it is recorded
    reason: str = ""
    revoked_by: str = ""
    revoking_agency: str = ""
    deidentify: bool = False


@dataclass(frozen=True)
class DisclosureRow:
    at: datetime  # shown as it is: pass local time
    who: str
    agency: str
    what: str  # a category, or "profile" | "export" | "referral" | "report_drilldown" | "file"
    release_reference: str = ""  # "" when no consent was needed


@dataclass(frozen=True)
class DisclosureLog:
    continuum: str
    client_id: int
    client_name: str
    client_dob: date | None
    start: date
    end: date
    printed_on: date
    rows: tuple[DisclosureRow, ...] = field(default_factory=tuple)


class _Sheet(FPDF):
    """A US Letter page with the CoC's name on top and the reference, date and page number at the foot."""

    def __init__(self, *, language: str, continuum: str, reference: str, printed_on: date, compress: bool) -> None:
        super().__init__(format="Letter", unit="mm")
        self.language = language
        self.continuum = continuum
        self.reference = reference or text(language, "draft")
        self.printed_on = printed_on
        self.set_compression(compress)
        self.set_lang(language)
        self.set_creator("Hearth HMIS")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages("{nb}")

    def t(self, key: str, **values: object) -> str:
        return latin1(text(self.language, key, **values))

    def footer(self) -> None:
        self.set_y(-17)
        self.set_font("helvetica", "B", 8)
        self.cell(0, 4, self.t("confidential"), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
        self.set_font("helvetica", "", 8)
        printed = long_date(self.printed_on, self.language)
        line = self.t("footer", reference=latin1(self.reference), printed=printed, page=self.page_no(), pages="{nb}")
        self.cell(0, 4, line, align="C")

    def title_block(self, title_key: str) -> None:
        self.add_page()
        self.set_font("helvetica", "", 9)
        self.cell(0, 5, self.t("system", coc=latin1(self.continuum)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("helvetica", "B", 17)
        self.cell(0, 10, self.t(title_key), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(0, 94, 162)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        self.ln(3)

    def heading(self, words: str) -> None:
        if self.get_y() > self.h - 45:  # never leave a heading alone at a page's foot
            self.add_page()
        self.ln(2)
        self.set_font("helvetica", "B", 12)
        self.cell(0, 7, words, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, words: str, *, size: float = 10, style: str = "") -> None:
        self.set_font("helvetica", style, size)
        self.multi_cell(0, 5, words, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(1)

    def fact(self, label: str, value: str) -> None:
        self.set_font("helvetica", "B", 10)
        self.cell(48, 6, label)
        self.set_font("helvetica", "", 10)
        self.multi_cell(0, 6, value or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullet(self, words: str) -> None:
        self.set_font("helvetica", "", 10)
        self.ellipse(self.get_x() + 1, self.get_y() + 1.8, 1.4, 1.4, style="F")
        self.cell(5, 5, "")
        self.multi_cell(0, 5, words, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(0.8)

    def checkbox(self, checked: bool, words: str) -> None:
        x, y = self.get_x(), self.get_y()
        self.rect(x, y + 0.6, 3.8, 3.8)
        self.set_font("helvetica", "B", 9)
        self.cell(7, 5, "X" if checked else "", align="L")
        self.set_font("helvetica", "", 10)
        self.multi_cell(0, 5, words, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(0.8)

    def signature_line(self, label: str, *, width: float, value: str = "") -> None:
        x, y = self.get_x(), self.get_y()
        self.set_font("helvetica", "", 10)
        if value:
            self.set_xy(x + 1, y + 3)
            self.cell(width - 2, 5, value)
        self.line(x, y + 9, x + width - 4, y + 9)
        self.set_xy(x, y + 9.5)
        self.set_font("helvetica", "", 8)
        self.cell(width - 4, 4, label)
        self.set_xy(x + width, y)

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        self.set_font("helvetica", "B", 9)
        self.set_fill_color(240, 240, 240)
        for heading, width in zip(headings, widths, strict=True):
            self.cell(width, 6, heading, border=1, fill=True)
        self.ln(6)
        self.set_font("helvetica", "", 9)
        for row in rows:
            if self.get_y() > self.h - 30:
                self.add_page()
            for value, width in zip(row, widths, strict=True):
                self.cell(width, 6, _fit(self, value, width), border=1)
            self.ln(6)


def _fit(pdf: FPDF, value: str, width: float) -> str:
    """``value`` shortened with "..." to fit a table cell of ``width`` mm (tables keep one line per row)."""
    if pdf.get_string_width(value) <= width - 2:
        return value
    while value and pdf.get_string_width(value + "...") > width - 2:
        value = value[:-1]
    return value + "..."


def _output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def _through(pdf: _Sheet, through: str) -> str:
    return pdf.t(f"through_{through}") if through in {"self", "head_of_household", "guardian"} else through


def _about_client(pdf: _Sheet, *, name: str, dob: date | None, client_id: int) -> None:
    pdf.heading(pdf.t("about_you"))
    pdf.fact(pdf.t("name"), latin1(name))
    pdf.fact(pdf.t("dob"), long_date(dob, pdf.language))
    pdf.fact(pdf.t("hearth_id"), str(client_id))


def _scope(pdf: _Sheet, form: ConsentForm) -> None:
    if form.coc_wide:
        pdf.para(pdf.t("coc_wide", coc=latin1(form.continuum)))
    else:
        if form.organizations:
            pdf.para(pdf.t("only_agencies"), style="B")
            for name in form.organizations:
                pdf.bullet(latin1(name))
        if form.projects:
            pdf.para(pdf.t("only_projects"), style="B")
            for name in form.projects:
                pdf.bullet(latin1(name))
    pdf.para(pdf.t("recording_agency", agency=latin1(form.agency)))


def _period(pdf: _Sheet, form: ConsentForm) -> str:
    start = long_date(form.starts_on, pdf.language)
    if form.ends_on is None:
        return pdf.t("period_open", start=start)
    return pdf.t("period_until", start=start, end=long_date(form.ends_on, pdf.language))


def _members_table(pdf: _Sheet, members: Sequence[Member]) -> None:
    rows = [(latin1(m.name), long_date(m.dob, pdf.language), _through(pdf, m.through)) for m in members]
    pdf.grid([pdf.t("name"), pdf.t("dob"), pdf.t("signed_how")], rows, (62, 40, 78))


def _draw_signature(pdf: _Sheet, signature: Signature, *, width: float) -> None:
    """The drawn strokes as lines (scaled from the pad's box), or the typed name in an italic face."""
    x, y = pdf.get_x(), pdf.get_y()
    height = width * PAD_HEIGHT / PAD_WIDTH
    if signature.typed_name:
        pdf.set_font("times", "I", 20)
        pdf.set_xy(x, y + height / 2 - 4)
        pdf.cell(width, 8, latin1(signature.typed_name))
    else:
        scale = width / PAD_WIDTH
        pdf.set_line_width(0.45)
        for stroke in signature.strokes:
            points = [(x + px * scale, y + py * scale) for px, py in stroke]
            if len(points) == 1:
                points.append(points[0])
            pdf.polyline(points)
        pdf.set_line_width(0.2)
    pdf.set_xy(x, y + height)


def _consent_signatures(pdf: _Sheet, form: ConsentForm) -> None:
    pdf.heading(pdf.t("signatures"))
    staff, agency = latin1(form.obtained_by), latin1(form.agency)
    if form.method == "verbal":
        due = long_date(form.follow_up_due, pdf.language) or "________"
        pdf.para(pdf.t("verbal", date=long_date(form.starts_on, pdf.language), staff=staff, due=due))
    if form.method == "electronic_signature" and form.signature is not None and not form.signature.empty:
        if pdf.get_y() > pdf.h - 70:
            pdf.add_page()
        signed_on = long_date(form.signed_on or form.starts_on, pdf.language)
        pdf.para(pdf.t("electronic", date=signed_on, staff=staff))
        _draw_signature(pdf, form.signature, width=90)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.l_margin + 116, y)
        pdf.set_font("helvetica", "", 8)
        pdf.set_xy(pdf.l_margin, y + 0.5)
        pdf.cell(116, 4, pdf.t("sign_client"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if form.signature.typed_name:
            pdf.para(pdf.t("typed", name=latin1(form.signature.typed_name)), size=9)
        pdf.ln(3)
        pdf.signature_line(pdf.t("sign_printed"), width=90, value=latin1(form.client_name))
        pdf.ln(16)
    else:
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(3)
        pdf.signature_line(pdf.t("sign_client"), width=120)
        pdf.signature_line(pdf.t("sign_date"), width=60)
        pdf.ln(16)
        pdf.signature_line(pdf.t("sign_printed"), width=120, value=latin1(form.client_name))
        pdf.ln(16)
    pdf.signature_line(pdf.t("sign_staff"), width=60, value=staff)
    pdf.signature_line(pdf.t("sign_agency"), width=70, value=agency)
    pdf.signature_line(pdf.t("sign_date"), width=50)
    pdf.ln(16)


def consent_pdf(form: ConsentForm, language: str, *, compress: bool = True) -> bytes:
    """The filled "Consent to Share Information" form."""
    pdf = _Sheet(
        language=language,
        continuum=form.continuum,
        reference=form.reference,
        printed_on=form.printed_on,
        compress=compress,
    )
    pdf.set_title(pdf.t("consent_title"))
    pdf.title_block("consent_title")
    pdf.para(pdf.t("consent_intro", coc=latin1(form.continuum)))
    _about_client(pdf, name=form.client_name, dob=form.client_dob, client_id=form.client_id)
    if form.members:
        pdf.heading(pdf.t("members"))
        _members_table(pdf, form.members)
    pdf.heading(pdf.t("who"))
    _scope(pdf, form)
    pdf.heading(pdf.t("what"))
    pdf.para(pdf.t("what_hint"), size=9)
    for category in CATEGORIES:
        pdf.checkbox(category in form.categories, pdf.t(f"cat_{category}"))
    pdf.heading(pdf.t("when"))
    pdf.para(_period(pdf, form))
    pdf.heading(pdf.t("rights"))
    for key in ("right_refuse", "right_revoke", "right_log"):
        pdf.bullet(pdf.t(key))
    pdf.bullet(pdf.t("right_notice", version=latin1(form.privacy_notice_version)))
    pdf.bullet(pdf.t("right_law"))
    pdf.para(pdf.t("questions", coc=latin1(form.continuum)))
    _consent_signatures(pdf, form)
    return _output(pdf)


def revocation_pdf(form: RevocationForm, language: str, *, compress: bool = True) -> bytes:
    """The filled "Revocation of Consent to Share Information" form."""
    consent = form.consent
    pdf = _Sheet(
        language=language,
        continuum=consent.continuum,
        reference=consent.reference,
        printed_on=form.printed_on,
        compress=compress,
    )
    pdf.set_title(pdf.t("revocation_title"))
    pdf.title_block("revocation_title")
    pdf.para(pdf.t("revocation_intro", coc=latin1(consent.continuum)))
    _about_client(pdf, name=consent.client_name, dob=consent.client_dob, client_id=consent.client_id)
    pdf.heading(pdf.t("revoked_consent"))
    pdf.fact(pdf.t("given_on"), long_date(consent.starts_on, language))
    pdf.para(_period(pdf, consent))
    if consent.members:
        pdf.para(pdf.t("covering"), style="B")
        _members_table(pdf, consent.members)
        pdf.ln(2)
    _scope(pdf, consent)
    pdf.heading(pdf.t("effective"))
    pdf.para(long_date(form.revoked_on, language) if form.revoked_on else pdf.t("effective_blank"))
    if form.reason:
        pdf.fact(pdf.t("reason"), latin1(form.reason))
    if form.deidentify:
        pdf.para(pdf.t("deidentify", coc=latin1(consent.continuum)))
    if form.revoked_on is not None:
        recorded = pdf.t(
            "recorded_by",
            staff=latin1(form.revoked_by),
            date=long_date(form.revoked_on, language),
        )
        pdf.para(recorded, size=9)
    pdf.para(pdf.t("questions", coc=latin1(consent.continuum)))
    pdf.heading(pdf.t("signatures"))
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(3)
    pdf.signature_line(pdf.t("sign_client"), width=120)
    pdf.signature_line(pdf.t("sign_date"), width=60)
    pdf.ln(16)
    pdf.signature_line(pdf.t("sign_printed"), width=120, value=latin1(consent.client_name))
    pdf.ln(16)
    pdf.signature_line(pdf.t("sign_staff"), width=60, value=latin1(form.revoked_by))
    pdf.signature_line(pdf.t("sign_agency"), width=70, value=latin1(form.revoking_agency))
    pdf.signature_line(pdf.t("sign_date"), width=50)
    return _output(pdf)


def _what(pdf: _Sheet, what: str) -> str:
    short = CATEGORY_SHORT[pdf.language if pdf.language in CATEGORY_SHORT else "en"]
    if what in short:
        return latin1(short[what])
    if what in {"profile", "export", "referral", "report_drilldown", "file"}:
        return pdf.t(f"what_{what}")
    return latin1(what)


def disclosure_pdf(log: DisclosureLog, language: str, *, compress: bool = True) -> bytes:
    """The client's disclosure log for a period, printed on the client's request."""
    pdf = _Sheet(
        language=language,
        continuum=log.continuum,
        reference=f"H-{log.client_id}",
        printed_on=log.printed_on,
        compress=compress,
    )
    pdf.set_title(pdf.t("log_title"))
    pdf.title_block("log_title")
    pdf.para(pdf.t("log_intro", coc=latin1(log.continuum)))
    _about_client(pdf, name=log.client_name, dob=log.client_dob, client_id=log.client_id)
    pdf.ln(2)
    pdf.para(pdf.t("log_period", start=long_date(log.start, language), end=long_date(log.end, language)), style="B")
    if not log.rows:
        pdf.para(pdf.t("log_none"))
        return _output(pdf)
    rows = [
        (
            row.at.strftime("%m/%d/%Y %H:%M") if language == "en" else row.at.strftime("%d/%m/%Y %H:%M"),
            latin1(row.who),
            latin1(row.agency),
            _what(pdf, row.what),
            pdf.t("log_release", reference=row.release_reference) if row.release_reference else pdf.t("log_direct"),
        )
        for row in log.rows
    ]
    headings = [pdf.t(k) for k in ("log_when", "log_who", "log_agency", "log_what", "log_under")]
    pdf.grid(headings, rows, (30, 30, 42, 34, 43))
    return _output(pdf)
