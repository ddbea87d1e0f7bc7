"""The actions write exactly the HUD (or Hearth) record they describe, audit it, and refuse bad input whole."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent, FieldChange
from hearth.casework.files import delete_file, stored_path, upload_file
from hearth.casework.models import CaseNote, ClientFile, LocalService
from hearth.casework.notes import add_note, delete_note
from hearth.casework.outreach import ContactData, record_contact, set_date_of_engagement
from hearth.casework.roster import check_in, undo_check_in
from hearth.casework.services import (
    ServiceData,
    define_service_type,
    delete_service,
    record_local_service,
    record_service,
)
from hearth.hmis.models import CurrentLivingSituation, Services, Source
from tests import factories as make
from tests.services.conftest import add_funder
from tests.web.personas import World

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def outreach_enrollment(world: World) -> Any:
    return world.clients["at_a_outreach"], world.projects["a_outreach"].enrollments.get()


def test_record_path_service_exact_values(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    service = record_service(
        enrollment=enrollment,
        data=ServiceData(date_provided=date(2026, 2, 3), record_type=141, type_provided=6),
        by=actor,
    )
    row = Services.objects.get(pk=service.pk)
    assert (row.source_id, row.enrollment_id, row.client_id) == (Source.local().pk, enrollment.pk, enrollment.client_id)
    assert (row.date_provided, row.record_type, row.type_provided) == (date(2026, 2, 3), 141, 6)
    assert (row.other_type_provided, row.sub_type_provided, row.fa_amount, row.referral_outcome) == (None,) * 4
    assert len(row.hud_id) == 32
    assert row.user_id == f"H{world.users['manager_a'].pk}"
    assert row.date_created == row.date_updated
    event = AuditEvent.objects.get(action="service.recorded")
    assert (event.object_id, event.details) == (str(row.pk), {"enrollment": enrollment.pk, "record_type": 141})


def test_referral_keeps_its_outcome_and_nulls_the_rest(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    data = ServiceData(
        date_provided=date(2026, 2, 3), record_type=161, type_provided=6, referral_outcome=1, fa_amount=Decimal(5)
    )
    row = record_service(enrollment=enrollment, data=data, by=actor)
    row.refresh_from_db()
    assert (row.record_type, row.type_provided, row.referral_outcome, row.fa_amount) == (161, 6, 1, None)


def test_ssvf_financial_assistance(world: World, actor: Actor) -> None:
    rrh = world.projects["b_rrh"]
    add_funder(rrh, 33)
    enrollment = rrh.enrollments.get()
    data = ServiceData(
        date_provided=date(2026, 2, 3),
        record_type=152,
        type_provided=1,
        fa_amount=Decimal("1250.00"),
        fa_start_date=date(2026, 2, 1),
        fa_end_date=date(2026, 2, 28),
    )
    lead = Actor(user=world.users["lead_a"], name="lead_a")
    row = record_service(enrollment=enrollment, data=data, by=lead)
    row.refresh_from_db()
    assert (row.fa_amount, row.fa_start_date, row.fa_end_date) == (
        Decimal("1250.00"),
        date(2026, 2, 1),
        date(2026, 2, 28),
    )


def test_service_refused_whole(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    with pytest.raises(ValidationError) as refused:
        record_service(
            enrollment=enrollment, data=ServiceData(date(2026, 2, 3), record_type=144, type_provided=1), by=actor
        )
    assert refused.value.message_dict == {"record_type": ["This project's funders do not record this kind of service."]}
    with pytest.raises(ValidationError) as early:
        record_service(enrollment=enrollment, data=ServiceData(date(2025, 12, 1), 141, 6), by=actor)
    assert early.value.message_dict == {
        "date_provided": ["The date must be within the enrollment (from project start to exit)."]
    }
    assert Services.objects.count() == 0
    assert not AuditEvent.objects.filter(action="service.recorded").exists()


def test_delete_service_is_soft_and_audited(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    service = record_service(enrollment=enrollment, data=ServiceData(date(2026, 2, 3), 141, 6), by=actor)
    delete_service(service=service, by=actor)
    delete_service(service=service, by=actor)  # twice is once
    service.refresh_from_db()
    assert service.date_deleted is not None
    assert AuditEvent.objects.filter(action="service.deleted").count() == 1


def test_coc_service_types(world: World, actor: Actor) -> None:
    lead = Actor(user=world.users["lead_a"], name="lead_a")
    meals = define_service_type(continuum=world.continuums["a"], name="  Hot   meal ", by=lead)
    assert meals.name == "Hot meal"
    with pytest.raises(ValidationError) as twice:
        define_service_type(continuum=world.continuums["a"], name="hot MEAL", by=lead)
    assert twice.value.message_dict == {"name": ["The CoC already has a service type with this name."]}
    enrollment = world.projects["a_shelter"].enrollments.filter(client=world.clients["at_a"]).get()
    service = record_local_service(
        enrollment=enrollment, service_type=meals, date_provided=date(2026, 2, 3), quantity=2, by=actor
    )
    assert LocalService.objects.filter(pk=service.pk).values_list("client_id", "quantity", "date_provided").get() == (
        world.clients["at_a"].pk,
        2,
        date(2026, 2, 3),
    )
    far = define_service_type(continuum=world.continuums["b"], name="Hot meal", by=lead)
    with pytest.raises(ValidationError) as elsewhere:
        record_local_service(enrollment=enrollment, service_type=far, date_provided=date(2026, 2, 3), by=actor)
    assert elsewhere.value.message_dict == {"record_type": ["This service type is not offered in the project's CoC."]}
    assert Services.objects.count() == 0  # CoC services never become HUD records


# --- Bed nights (4.14) ------------------------------------------------------------------------------------


def test_check_in_writes_one_bed_night_each(world: World, actor: Actor) -> None:
    night = date(2026, 3, 4)
    guests = list(world.enrollments.values())  # type: ignore[attr-defined]
    result = check_in(project=world.projects["a_nbn"], night=night, enrollments=guests, by=actor)
    assert sorted(result.created) == sorted(e.pk for e in guests)
    assert result.already == []
    rows = Services.objects.order_by("enrollment_id")
    assert list(rows.values_list("enrollment_id", "client_id", "date_provided", "record_type", "type_provided")) == [
        (e.pk, e.client_id, night, 200, 200) for e in sorted(guests, key=lambda e: e.pk)
    ]
    event = AuditEvent.objects.get(action="bed_night.checked_in")
    assert event.details == {"night": "2026-03-04", "enrollments": sorted(e.pk for e in guests)}


def test_check_in_twice_is_idempotent(world: World, actor: Actor) -> None:
    night = date(2026, 3, 4)
    guest = world.enrollments["guest_1"]  # type: ignore[attr-defined]
    check_in(project=world.projects["a_nbn"], night=night, enrollments=[guest], by=actor)
    again = check_in(project=world.projects["a_nbn"], night=night, enrollments=[guest, guest], by=actor)
    assert (again.created, again.already) == ([], [guest.pk])
    assert Services.objects.count() == 1
    assert AuditEvent.objects.filter(action="bed_night.checked_in").count() == 1
    # A second open enrollment of the same person in the same shelter still gets one bed night a night.
    double = make.enrollment(world.clients["guest_1"], world.projects["a_nbn"], entry=date(2026, 3, 3))
    third = check_in(project=world.projects["a_nbn"], night=night, enrollments=[double], by=actor)
    assert (third.created, third.already) == ([], [double.pk])
    assert Services.objects.count() == 1


def test_bed_night_outside_the_enrollment_is_refused(world: World, actor: Actor) -> None:
    guest = world.enrollments["guest_1"]  # type: ignore[attr-defined]
    project = world.projects["a_nbn"]
    with pytest.raises(ValidationError) as before:
        check_in(project=project, night=date(2026, 2, 28), enrollments=[guest], by=actor)
    assert before.value.message_dict == {
        "enrollments": ["1 chosen are not enrolled on that night (before project start or after exit)."]
    }
    make.exit_(guest, on=date(2026, 3, 6))
    with pytest.raises(ValidationError):  # the night of exit is not stayed
        check_in(project=project, night=date(2026, 3, 6), enrollments=[guest], by=actor)
    with pytest.raises(ValidationError):
        check_in(project=project, night=date(2026, 3, 9), enrollments=[guest], by=actor)
    assert check_in(project=project, night=date(2026, 3, 5), enrollments=[guest], by=actor).created == [guest.pk]
    assert Services.objects.count() == 1


def test_bed_nights_only_in_night_by_night_shelters_and_not_tomorrow(world: World, actor: Actor) -> None:
    entry_exit = world.projects["a_shelter"]
    enrollment = entry_exit.enrollments.filter(client=world.clients["at_a"]).get()
    with pytest.raises(ValidationError) as wrong:
        check_in(project=entry_exit, night=date(2026, 3, 4), enrollments=[enrollment], by=actor)
    assert wrong.value.message_dict == {
        "project": ["Only Emergency Shelter – Night-by-Night projects record bed nights."]
    }
    guest = world.enrollments["guest_1"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        check_in(
            project=world.projects["a_nbn"],
            night=timezone.localdate() + timedelta(days=1),
            enrollments=[guest],
            by=actor,
        )
    with pytest.raises(ValidationError):  # someone of another project
        check_in(project=world.projects["a_nbn"], night=date(2026, 3, 4), enrollments=[enrollment], by=actor)
    assert Services.objects.count() == 0


def test_undo_check_in(world: World, actor: Actor) -> None:
    guest = world.enrollments["guest_1"]  # type: ignore[attr-defined]
    project, night = world.projects["a_nbn"], date(2026, 3, 4)
    check_in(project=project, night=night, enrollments=[guest], by=actor)
    assert undo_check_in(project=project, night=night, enrollments=[guest], by=actor) == [guest.pk]
    assert undo_check_in(project=project, night=night, enrollments=[guest], by=actor) == []
    assert Services.objects.get().date_deleted is not None
    assert check_in(project=project, night=night, enrollments=[guest], by=actor).created == [guest.pk]
    assert Services.objects.filter(date_deleted__isnull=True).count() == 1


# --- Outreach (4.12, 4.13) ----------------------------------------------------------------------------------


def test_record_contact_nulls_what_does_not_apply(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    data = ContactData(
        information_date=date(2026, 2, 10),
        current_living_situation=116,
        leave_situation_14_days=1,  # not asked for a place not meant for habitation
        subsequent_residence=1,
        cls_subsidy_type=419,
        verified_by="CE lead",  # Coordinated Entry only
        location_details="  Under the 5th St bridge ",
    )
    contact = record_contact(enrollment=enrollment, data=data, by=actor)
    row = CurrentLivingSituation.objects.get(pk=contact.pk)
    assert (row.information_date, row.current_living_situation, row.location_details) == (
        date(2026, 2, 10),
        116,
        "Under the 5th St bridge",
    )
    assert (row.leave_situation_14_days, row.subsequent_residence, row.cls_subsidy_type, row.verified_by) == (None,) * 4
    assert AuditEvent.objects.get(action="contact.recorded").details == {"enrollment": enrollment.pk}


def test_contact_with_follow_ups(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    data = ContactData(date(2026, 2, 10), 207, None, None, 1, 0, 1, 0, 1)
    row = record_contact(enrollment=enrollment, data=data, by=actor)
    row.refresh_from_db()
    assert (
        row.leave_situation_14_days,
        row.subsequent_residence,
        row.resources_to_obtain,
        row.lease_own_60_day,
        row.moved_two_or_more,
    ) == (1, 0, 1, 0, 1)


def test_contact_outside_enrollment_refused(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    with pytest.raises(ValidationError) as refused:
        record_contact(enrollment=enrollment, data=ContactData(date(2025, 1, 1), 116), by=actor)
    assert refused.value.message_dict == {
        "information_date": ["The contact date must be within the enrollment (from project start to exit)."]
    }
    assert CurrentLivingSituation.objects.count() == 0


def test_date_of_engagement(world: World, actor: Actor) -> None:
    _, enrollment = outreach_enrollment(world)
    assert set_date_of_engagement(enrollment=enrollment, engaged=date(2026, 1, 20), by=actor) is True
    assert set_date_of_engagement(enrollment=enrollment, engaged=date(2026, 1, 20), by=actor) is False
    enrollment.refresh_from_db()
    assert enrollment.date_of_engagement == date(2026, 1, 20)
    change = FieldChange.objects.get()
    assert (change.field, change.old, change.new) == ("date_of_engagement", None, "2026-01-20")
    with pytest.raises(ValidationError) as early:
        set_date_of_engagement(enrollment=enrollment, engaged=date(2026, 1, 4), by=actor)
    assert early.value.message_dict == {
        "date_of_engagement": ["The date of engagement must be on or after the project start date."]
    }
    make.exit_(enrollment, on=date(2026, 2, 1))
    with pytest.raises(ValidationError):
        set_date_of_engagement(enrollment=enrollment, engaged=date(2026, 2, 2), by=actor)
    enrollment.refresh_from_db()
    assert enrollment.date_of_engagement == date(2026, 1, 20)
    shelter = world.projects["a_shelter"].enrollments.filter(client=world.clients["at_a"]).get()
    with pytest.raises(ValidationError):  # an entry/exit shelter does not record 4.13
        set_date_of_engagement(enrollment=shelter, engaged=date(2026, 1, 20), by=actor)


# --- Case notes and files -----------------------------------------------------------------------------------


def test_add_and_withdraw_note(world: World, actor: Actor) -> None:
    client = world.clients["at_a"]
    note = add_note(
        client=client, organization=world.orgs["a"], text="  Met at intake.  ", contact_date=date(2026, 2, 2), by=actor
    )
    row = CaseNote.objects.get(pk=note.pk)
    assert (row.client_id, row.organization_id, row.text, row.author_id) == (
        client.pk,
        world.orgs["a"].pk,
        "Met at intake.",
        world.users["manager_a"].pk,
    )
    event = AuditEvent.objects.get(action="case_note.created")
    assert event.details == {"client": client.pk}  # never the text
    with pytest.raises(ValidationError) as empty:
        add_note(client=client, organization=world.orgs["a"], text="  ", contact_date=date(2026, 2, 2), by=actor)
    assert empty.value.message_dict == {"text": ["Write the note."]}
    delete_note(note=note, by=actor)
    row.refresh_from_db()
    assert (row.deleted_by_id, row.deleted_at is not None) == (world.users["manager_a"].pk, True)


def _chunks(data: bytes, size: int = 64) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_upload_stores_under_a_random_name(world: World, actor: Actor, files_dir: Path) -> None:
    record = upload_file(
        client=world.clients["at_a"],
        organization=world.orgs["a"],
        kind="identification",
        name="C:\\scans\\Maria Lopez ID.png",
        size=len(PNG_BYTES),
        chunks=_chunks(PNG_BYTES),
        by=actor,
    )
    row = ClientFile.objects.get(pk=record.pk)
    assert (row.original_name, row.content_type, row.size, row.kind) == (
        "Maria Lopez ID.png",
        "image/png",
        len(PNG_BYTES),
        "identification",
    )
    path = stored_path(row.stored_name)
    assert path.read_bytes() == PNG_BYTES
    assert path.is_relative_to(files_dir)
    assert "Maria" not in str(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert AuditEvent.objects.get(action="client_file.uploaded").details == {
        "client": world.clients["at_a"].pk,
        "kind": "identification",
    }
    delete_file(file=row, by=actor)
    row.refresh_from_db()
    assert row.deleted_at is not None
    assert path.exists()  # the bytes stay for the retention policy


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"just text, not a document", "This kind of file cannot be uploaded."),
        ("consent.pdf", b"MZ\x90\x00" + b"\x00" * 100, "This kind of file cannot be uploaded."),  # spoofed
        ("photo.pdf", PNG_BYTES, "The file's name ends in “.pdf” but its content is a PNG image."),
        ("huge.pdf", b"%PDF-1.7\n" + b"0" * (64 * 1024), "The file is 64 KB; the largest allowed is 64 KB."),
    ],
)
def test_refused_uploads_store_nothing(
    world: World, actor: Actor, files_dir: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        upload_file(
            client=world.clients["at_a"],
            organization=world.orgs["a"],
            kind="consent",
            name=name,
            size=len(data),
            chunks=_chunks(data),
            by=actor,
        )
    assert refused.value.message_dict["upload"][0].startswith(message)
    assert ClientFile.objects.count() == 0
    assert not files_dir.exists() or not any(p.is_file() for p in files_dir.rglob("*"))
    assert not AuditEvent.objects.filter(action="client_file.uploaded").exists()


def test_size_is_checked_on_the_bytes_not_the_declared_size(world: World, actor: Actor, files_dir: Path) -> None:
    data = b"%PDF-1.7\n" + b"0" * (70 * 1024)
    with pytest.raises(ValidationError):
        upload_file(
            client=world.clients["at_a"],
            organization=world.orgs["a"],
            kind="consent",
            name="c.pdf",
            size=100,  # what a client claims
            chunks=_chunks(data, 4096),
            by=actor,
        )
    assert ClientFile.objects.count() == 0
    assert not any(p.is_file() for p in files_dir.rglob("*"))
