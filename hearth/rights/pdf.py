"""The client's record as a PDF (fpdf2), from the same data as the JSON export.

The PDF needs a Unicode font for names like "Nguyễn" or "Zoë": ``HEARTH_PDF_FONT`` names a TrueType file, else
the system's DejaVu Sans is used when installed; without either, the PDF core font (Latin-1) is used and
other characters are written as their closest Latin letters (accents dropped), never lost silently: the JSON
export always holds the exact text.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos

NESTED = 6  # millimetres: a record within an enrollment
_SYSTEM_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)


def font_path() -> Path | None:
    configured = getattr(settings, "HEARTH_PDF_FONT", "")
    if configured:
        return Path(configured)
    return next((p for p in _SYSTEM_FONTS if p.exists()), None)


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(format="Letter")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        path = font_path()
        self.unicode = path is not None and path.exists()
        if self.unicode:
            self.add_font("Body", "", str(path))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_title("Client record")
        self.set_creator("Hearth")

    def text_of(self, value: Any) -> str:
        text = "" if value is None else str(value)
        if self.unicode:
            return text
        # Core fonts are Latin-1: keep what fits, and fold the rest to its base letters.
        folded = unicodedata.normalize("NFKD", text.replace("•", "*").replace("—", "-").replace("’", "'"))
        return "".join(c for c in folded if not unicodedata.combining(c)).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.cell(0, 6, self.text_of(f"Page {self.page_no()} of {{nb}} · Confidential client information"), align="C")

    def heading(self, text: str, level: int = 1) -> None:
        self.set_font(self.family, size={1: 16, 2: 13, 3: 11}[level])
        self.ln(2 if level > 1 else 0)
        self.multi_cell(0, 7, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.family, size=9)

    def line_of(self, text: str, indent: float = 0) -> None:
        self.set_font(self.family, size=9)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, 5, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pairs(self, row: dict[str, Any], indent: float = 0) -> None:
        labels = row.get("labels", {})
        for column, value in row.get("values", {}).items():
            shown = f"{value} ({labels[column]})" if column in labels else value
            self.line_of(f"{column}: {shown}", indent)


def render(record: dict[str, Any]) -> bytes:
    pdf = _Document()
    pdf.alias_nb_pages()
    pdf.add_page()
    client = record["client"]
    pdf.heading("Client record")
    pdf.line_of(f"Hearth ID {client['hearth_id']} · made {record['generated_at']}")
    pdf.line_of("Everything Hearth holds about this client that the staff member who made it may see.")
    pdf.heading("Universal data elements", 2)
    pdf.pairs(client)

    pdf.heading(f"Enrollments ({len(record['enrollments'])})", 2)
    if not record["enrollments"]:
        pdf.line_of("None.")
    for enrollment in record["enrollments"]:
        pdf.heading(f"{enrollment['project']} ({enrollment['organization']})", 3)
        pdf.pairs(enrollment)
        if enrollment["exit"]:
            pdf.line_of("Exit:")
            pdf.pairs(enrollment["exit"], NESTED)
        for assessment in enrollment["assessments"]:
            pdf.line_of(f"{assessment['record']}:")
            pdf.pairs(assessment, NESTED)
        if enrollment["services"]:
            pdf.line_of(f"Services ({len(enrollment['services'])}):")
            for service in enrollment["services"]:
                pdf.pairs(service, NESTED)
                pdf.ln(1)
        if enrollment["bed_nights"]:
            pdf.line_of(f"Bed nights ({len(enrollment['bed_nights'])}): " + ", ".join(enrollment["bed_nights"]))
        if enrollment["local_services"]:
            pdf.line_of(f"The CoC's own services ({len(enrollment['local_services'])}):")
        for local in enrollment["local_services"]:
            pdf.line_of(f"{local['date']}: {local['service']} × {local['quantity']}", NESTED)
        if enrollment["contacts"]:
            pdf.line_of(f"Contacts ({len(enrollment['contacts'])}):")
            for contact in enrollment["contacts"]:
                pdf.pairs(contact, NESTED)
                pdf.ln(1)

    if record["case_notes"] is not None:
        pdf.heading(f"Case notes ({len(record['case_notes'])})", 2)
        for note in record["case_notes"]:
            pdf.line_of(f"{note['date']} · {note['organization']} · {note['author']}")
            pdf.line_of(note["text"])
            pdf.ln(1)
    pdf.heading(f"Documents ({len(record['files'])})", 2)
    for item in record["files"]:
        pdf.line_of(f"{item['uploaded_at']} · {item['kind']} · {item['name']} ({item['organization']})")
    for key, title in (("releases", "Releases of information"), ("disclosures", "Disclosure log")):
        if key in record:
            pdf.heading(f"{title} ({len(record[key])})", 2)
            for row in record[key]:
                pdf.line_of(" · ".join(f"{k}: {v}" for k, v in row.items()))
    pdf.heading(f"Correction requests ({len(record['correction_requests'])})", 2)
    for request in record["correction_requests"]:
        pdf.line_of(f"{request['requested_on']} · {request['organization']} · {request['outcome']}")
        pdf.line_of(f"Asked: {request['request']}")
        if request["reason"]:
            pdf.line_of(f"Reason: {request['reason']}")
    return bytes(pdf.output())
