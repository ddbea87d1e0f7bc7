"""The printed consent documents: every filled value is on the page, in English and in Spanish."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from hearth.consent.form_texts import TEXTS, long_date
from hearth.consent.forms_pdf import (
    ConsentForm,
    DisclosureLog,
    DisclosureRow,
    Member,
    RevocationForm,
    consent_pdf,
    disclosure_pdf,
    latin1,
    revocation_pdf,
)
from hearth.consent.signature_pad import from_pad
from tests.consent_pages.pdftext import pdf_lines, pdf_text

FORM = ConsentForm(
    reference="C-7",
    continuum="Harbor City CoC",
    client_id=12,
    client_name="María Núñez",
    client_dob=date(1987, 3, 14),
    members=(
        Member("María Núñez", date(1987, 3, 14), "self"),
        Member("Tomás Núñez", date(2015, 6, 1), "head_of_household"),
    ),
    agency="Harbor House",
    coc_wide=False,
    organizations=("Harbor House", "Bridge Services"),
    projects=("Bridge Rapid Rehousing",),
    categories=frozenset({"identity", "services"}),
    starts_on=date(2026, 11, 1),
    ends_on=date(2027, 10, 31),
    method="written",
    privacy_notice_version="2026-1",
    obtained_by="manager_a",
    printed_on=date(2026, 11, 27),
)


def checked(lines: list[str], sentence_start: str) -> bool:
    """Whether the checkbox before the category line starting with ``sentence_start`` holds an X."""
    index = next(i for i, line in enumerate(lines) if line.startswith(sentence_start))
    return lines[index - 1] == "X"


def test_long_dates_in_both_languages() -> None:
    assert long_date(date(1987, 3, 14), "en") == "March 14, 1987"
    assert long_date(date(1987, 3, 14), "es") == "14 de marzo de 1987"
    assert long_date(None, "es") == ""


def test_both_languages_have_the_same_words_to_say() -> None:
    assert set(TEXTS["en"]) == set(TEXTS["es"])


def test_latin1_keeps_spanish_and_reduces_other_letters_to_their_base() -> None:
    assert latin1("¿Señora Núñez? ¡Sí!") == "¿Señora Núñez? ¡Sí!"
    assert latin1("Nguyễn — “Lý”") == 'Nguyen - "Lý"'
    assert latin1("Łukasz") == "?ukasz"


def test_english_consent_is_filled_with_the_clients_details() -> None:
    data = consent_pdf(FORM, "en", compress=False)
    text = pdf_text(data)
    assert "Consent to Share Information" in text
    assert "Harbor City CoC Homeless Management Information System (HMIS)" in text
    assert "Name María Núñez" in text
    assert "Date of birth March 14, 1987" in text
    assert "Hearth ID 12" in text
    assert "Tomás Núñez June 1, 2015 Signed for by the head of household" in text
    assert "María Núñez March 14, 1987 Signs for themselves" in text
    assert "Only these agencies: Harbor House Bridge Services Only these programs: Bridge Rapid Rehousing" in text
    assert "Agency recording this consent: Harbor House" in text
    assert "From November 1, 2026 until October 31, 2027." in text
    assert "You were offered the privacy notice, version 2026-1," in text
    assert "Reference C-7 · Printed November 27, 2026 · Page 1 of 2" in text
    lines = pdf_lines(data)
    assert checked(lines, "Identifying information")
    assert checked(lines, "Services you received")
    assert not checked(lines, "Program history")
    assert not checked(lines, "Health information")
    assert not checked(lines, "Case notes")
    assert not checked(lines, "Documents, such as")
    assert "Signature of client (or parent or legal guardian)" in text


def test_spanish_consent_is_written_in_spanish_with_its_accents() -> None:
    data = consent_pdf(FORM, "es", compress=False)
    text = pdf_text(data)
    assert "Autorización para compartir información" in text
    assert "Sistema de Información sobre Personas sin Hogar (HMIS) de Harbor City CoC" in text
    assert "Nombre María Núñez" in text
    assert "Fecha de nacimiento 14 de marzo de 1987" in text
    assert "Tomás Núñez 1 de junio de 2015 Firma en su nombre el jefe o la jefa del hogar" in text
    assert "Desde el 1 de noviembre de 2026 hasta el 31 de octubre de 2027." in text
    assert "¿Tiene preguntas?" in text
    assert "No está obligado/a a firmar este formulario." in text
    assert "Referencia C-7 · Impreso el 27 de noviembre de 2026 · Página 1 de 2" in text
    assert "Consent to Share" not in text
    # The bytes are Latin-1 (WinAnsi) in the core font: ñ, á and ¿ are single bytes, not replaced.
    assert "Núñez".encode("latin-1") in data
    assert "¿".encode("latin-1") in data
    assert b"/Lang (es)" in data
    lines = pdf_lines(data)
    assert checked(lines, "Datos de identificación")
    assert not checked(lines, "Historial de programas")


def test_coc_wide_open_ended_consent() -> None:
    form = replace(FORM, coc_wide=True, organizations=(), projects=(), ends_on=None)
    text = pdf_text(consent_pdf(form, "en", compress=False))
    assert "All agencies that take part in the Harbor City CoC HMIS." in text
    assert "Only these agencies" not in text
    assert "From November 1, 2026 until you revoke it." in text
    text_es = pdf_text(consent_pdf(form, "es", compress=False))
    assert "Todas las agencias que participan en el HMIS de Harbor City CoC." in text_es
    assert "Desde el 1 de noviembre de 2026 hasta que usted la revoque." in text_es


def test_verbal_consent_names_the_follow_up_date() -> None:
    form = replace(FORM, method="verbal", follow_up_due=date(2026, 11, 15))
    text = pdf_text(consent_pdf(form, "en", compress=False))
    assert (
        "Consent given verbally, in person or by telephone, on November 1, 2026 and recorded by manager_a. "
        "The client is asked to sign this form by November 15, 2026."
    ) in text
    text_es = pdf_text(consent_pdf(form, "es", compress=False))
    assert "a más tardar el 15 de noviembre de 2026." in text_es


def test_drawn_signature_is_drawn_as_lines() -> None:
    signature = from_pad("0,0 600,200;300,100")
    form = replace(FORM, method="electronic_signature", signature=signature, signed_on=date(2026, 11, 1))
    data = consent_pdf(form, "en", compress=False)
    text = pdf_text(data)
    assert "Signed electronically on screen on November 1, 2026, in the presence of manager_a." in text
    assert "Signed by typing" not in text
    # 90 mm wide from the left margin (18 mm): the first stroke runs corner to corner of the 90 × 30 mm box.
    assert b" l S" in data or b" l\nS" in data
    written = consent_pdf(FORM, "en", compress=False)
    assert "Signed electronically" not in pdf_text(written)


def test_typed_signature_is_printed_with_its_note() -> None:
    form = replace(FORM, method="electronic_signature", signature=from_pad("", "María Núñez"))
    text = pdf_text(consent_pdf(form, "es", compress=False))
    assert "Firmado escribiendo su nombre: María Núñez" in text


def test_compressed_pdf_carries_no_personal_data_in_clear() -> None:
    data = consent_pdf(FORM, "en")
    assert data.startswith(b"%PDF-1.")
    assert b"N\xfa\xf1ez" not in data
    assert b"Nunez" not in data
    assert b"1987" not in data


def test_draft_form_says_it_is_not_recorded_yet() -> None:
    text = pdf_text(consent_pdf(replace(FORM, reference=""), "en", compress=False))
    assert "Reference not yet recorded ·" in text


@pytest.mark.parametrize("deidentify", [True, False])
def test_revocation_form(deidentify: bool) -> None:
    form = RevocationForm(
        consent=FORM,
        printed_on=date(2026, 11, 27),
        revoked_on=date(2026, 11, 20),
        reason="Se muda a otra ciudad",
        revoked_by="manager_a",
        revoking_agency="Harbor House",
        deidentify=deidentify,
    )
    text = pdf_text(revocation_pdf(form, "en", compress=False))
    assert "Revocation of Consent to Share Information" in text
    assert "I revoke (cancel) the consent to share my information in the Harbor City CoC HMIS" in text
    assert "Name María Núñez" in text
    assert "Consent given on November 1, 2026" in text
    assert "Revocation takes effect November 20, 2026" in text
    assert "Reason (optional) Se muda a otra ciudad" in text
    assert "Revocation recorded by manager_a on November 20, 2026." in text
    assert ("your name, date of birth and Social Security number are removed" in text) is deidentify
    text_es = pdf_text(revocation_pdf(form, "es", compress=False))
    assert "Revocación de la autorización para compartir información" in text_es
    assert "La revocación tiene efecto 20 de noviembre de 2026" in text_es
    assert ("se retiran del registro compartido" in text_es) is deidentify


def test_revocation_printed_before_it_is_recorded_leaves_the_date_to_the_signature() -> None:
    text = pdf_text(revocation_pdf(RevocationForm(consent=FORM, printed_on=date(2026, 11, 27)), "es", compress=False))
    assert "La revocación tiene efecto En la fecha en que se firme" in text
    assert "Revocación registrada" not in text


def test_disclosure_log_lists_each_disclosure() -> None:
    log = DisclosureLog(
        continuum="Harbor City CoC",
        client_id=12,
        client_name="María Núñez",
        client_dob=date(1987, 3, 14),
        start=date(2026, 1, 1),
        end=date(2026, 11, 27),
        printed_on=date(2026, 11, 27),
        rows=(
            DisclosureRow(datetime(2026, 11, 2, 9, 30, tzinfo=UTC), "worker_b", "Bridge Services", "profile", "C-7"),
            DisclosureRow(datetime(2026, 11, 3, 14, 5, tzinfo=UTC), "lead_a", "Harbor City CoC", "services", ""),
        ),
    )
    text = pdf_text(disclosure_pdf(log, "en", compress=False))
    assert "Record of Disclosures" in text
    assert "Period: January 1, 2026 to November 27, 2026" in text
    assert "When Who Agency What Under" in text
    assert "11/02/2026 09:30 worker_b Bridge Services Profile Consent C-7" in text
    assert "11/03/2026 14:05 lead_a Harbor City CoC Services No consent needed" in text
    text_es = pdf_text(disclosure_pdf(log, "es", compress=False))
    assert "Registro de divulgaciones" in text_es
    assert "02/11/2026 09:30 worker_b Bridge Services Perfil Autorización C-7" in text_es
    assert "03/11/2026 14:05 lead_a Harbor City CoC Servicios No requiere autorización" in text_es
    empty = pdf_text(disclosure_pdf(replace(log, rows=()), "es", compress=False))
    assert "No hubo divulgaciones en este periodo." in empty
