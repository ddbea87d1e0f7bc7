"""HUD rules as pure functions (no database): which services a project records, the enrollment window,
bed nights, 4.12 follow-ups, 4.13 date of engagement, and file checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hearth.casework.files import HEIC, JPEG, PDF, PNG, check_upload, clean_name, sniff
from hearth.casework.outreach import ContactData, check_contact, engagement_problem
from hearth.casework.roster import may_stay, nbn_exit_date
from hearth.casework.services import (
    ServiceData,
    check_service,
    record_types_for,
    sub_type_list,
    type_provided_list,
    within_enrollment,
)


def test_record_types_follow_funders_and_project_type() -> None:
    assert record_types_for(project_type=4, funders=[21]) == [141, 161]  # PATH: services and referrals
    assert record_types_for(project_type=13, funders=[33]) == [144, 152]  # SSVF
    assert record_types_for(project_type=3, funders=[15, 2]) == [143, 151, 300]  # HOPWA + CoC PSH (Moving On)
    assert record_types_for(project_type=1, funders=[8]) == [200]  # ESG shelter, night-by-night: bed nights
    assert record_types_for(project_type=0, funders=[8]) == []  # entry/exit shelter: no HUD services
    assert record_types_for(project_type=2, funders=[24]) == [142]  # RHY TLP
    assert record_types_for(project_type=9, funders=[20]) == [210]  # HUD-VASH


def test_type_provided_list_is_chosen_by_record_type() -> None:
    assert [type_provided_list(rt) for rt in (141, 142, 143, 144, 151, 152, 161, 200, 210, 300)] == [
        "P1.2",
        "R14.2",
        "W1.2",
        "V2.2",
        "W2.2",
        "V3.4",
        "P2.2",
        "4.14",
        "V8.2",
        "C2.2",
    ]
    assert [sub_type_list(tp) for tp in (2, 3, 4, 5)] == [None, "V2.A", "V2.B", "V2.C"]


def test_service_checks_name_each_field() -> None:
    day = date(2026, 3, 2)
    assert check_service(ServiceData(day, 141, 6), allowed_record_types=[141, 161]) == {}
    assert check_service(ServiceData(day, 144, 2), allowed_record_types=[141]) == {
        "record_type": "This project's funders do not record this kind of service."
    }
    assert check_service(ServiceData(day, 141, 13), allowed_record_types=[141]) == {
        "type_provided": "Choose a service type from the list."
    }
    assert check_service(ServiceData(day, 144, 6), allowed_record_types=[144]) == {
        "other_type_provided": "Say which other service was provided."
    }
    assert check_service(ServiceData(day, 144, 3), allowed_record_types=[144]) == {
        "sub_type_provided": "Choose which kind of assistance from the list."
    }
    assert check_service(ServiceData(day, 144, 3, sub_type_provided=2), allowed_record_types=[144]) == {}
    assert check_service(ServiceData(day, 152, 1), allowed_record_types=[152]) == {
        "fa_amount": "Enter the amount of financial assistance, more than $0."
    }
    late = ServiceData(
        day, 152, 1, fa_amount=Decimal("450.00"), fa_start_date=date(2026, 3, 5), fa_end_date=date(2026, 3, 1)
    )
    assert check_service(late, allowed_record_types=[152]) == {
        "fa_end_date": "The assistance end date must be on or after its start date."
    }
    assert check_service(ServiceData(day, 300, 5), allowed_record_types=[300]) == {
        "moving_on_other_type": "Say which other Moving On assistance was provided."
    }


@pytest.mark.parametrize(
    ("day", "exit", "inclusive", "expected"),
    [
        (date(2026, 2, 28), None, True, False),  # before project start
        (date(2026, 3, 1), None, True, True),  # on project start
        (date(2026, 3, 10), date(2026, 3, 10), True, True),  # services: on the exit date
        (date(2026, 3, 10), date(2026, 3, 10), False, False),  # bed nights: the night of exit is not stayed
        (date(2026, 3, 9), date(2026, 3, 10), False, True),
        (date(2026, 3, 11), date(2026, 3, 10), True, False),
    ],
)
def test_within_enrollment(day: date, exit: date | None, inclusive: bool, expected: bool) -> None:
    assert within_enrollment(day, entry=date(2026, 3, 1), exit=exit, exit_inclusive=inclusive) is expected


def test_bed_night_window_and_nbn_exit() -> None:
    assert may_stay(date(2026, 3, 1), entry=date(2026, 3, 1), exit=None) is True
    assert may_stay(date(2026, 3, 5), entry=date(2026, 3, 1), exit=date(2026, 3, 5)) is False
    assert nbn_exit_date(date(2026, 3, 4)) == date(2026, 3, 5)


def test_contact_follow_ups_are_asked_only_when_they_apply() -> None:
    street = ContactData(date(2026, 3, 2), 116)  # place not meant for habitation: no 14-day question
    assert check_contact(street, project_type=4) == {}
    jail = ContactData(date(2026, 3, 2), 207)
    assert check_contact(jail, project_type=4) == {
        "leave_situation_14_days": "Answer whether the client must leave within 14 days."
    }
    leaving = ContactData(date(2026, 3, 2), 207, leave_situation_14_days=1, subsequent_residence=0)
    assert sorted(check_contact(leaving, project_type=4)) == [
        "lease_own_60_day",
        "moved_two_or_more",
        "resources_to_obtain",
    ]
    subsidy = ContactData(date(2026, 3, 2), 435, leave_situation_14_days=0)
    assert check_contact(subsidy, project_type=4) == {"cls_subsidy_type": "Choose the rental subsidy type."}
    excluded = ContactData(date(2026, 3, 2), 24)  # "Deceased" is excluded from 4.12.2
    assert check_contact(excluded, project_type=4) == {
        "current_living_situation": "Choose the current living situation from the list."
    }
    assert check_contact(street, project_type=13) == {
        "enrollment": "This project does not record current living situation contacts."
    }


def test_date_of_engagement_rule() -> None:
    entry, exit = date(2026, 3, 1), date(2026, 3, 20)
    assert engagement_problem(date(2026, 3, 1), entry=entry, exit=exit, project_type=4) is None
    assert engagement_problem(date(2026, 3, 20), entry=entry, exit=exit, project_type=6) is None
    assert engagement_problem(date(2026, 2, 28), entry=entry, exit=None, project_type=4) == (
        "The date of engagement must be on or after the project start date."
    )
    assert engagement_problem(date(2026, 3, 21), entry=entry, exit=exit, project_type=1) == (
        "The date of engagement must be on or before the exit date."
    )
    assert engagement_problem(date(2026, 3, 2), entry=entry, exit=None, project_type=13) == (
        "This project does not record a date of engagement."
    )


def test_sniffing_reads_content_not_names() -> None:
    assert sniff(b"%PDF-1.7\n") is PDF
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") is JPEG
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00") is PNG
    assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00") is HEIC
    assert sniff(b"MZ\x90\x00") is None  # a Windows program
    assert sniff(b"<html><script>") is None


def test_upload_checks(settings: object) -> None:
    settings.HEARTH_DOCUMENT_MAX_BYTES = 1_048_576  # type: ignore[attr-defined]
    assert check_upload(name="id.pdf", size=10, head=b"%PDF-1.7") == (PDF, None)
    assert check_upload(name="ID.JPG", size=10, head=b"\xff\xd8\xff\xe0") == (JPEG, None)
    assert check_upload(name="id.pdf", size=10, head=b"MZ\x90\x00") == (
        None,
        "This kind of file cannot be uploaded. Allowed: PDF, JPEG image, PNG image, HEIC image.",
    )
    assert check_upload(name="photo.pdf", size=10, head=b"\x89PNG\r\n\x1a\n") == (
        None,
        "The file's name ends in “.pdf” but its content is a PNG image.",
    )
    assert check_upload(name="big.pdf", size=3 * 1_048_576, head=b"%PDF-") == (
        None,
        "The file is 3.0 MB; the largest allowed is 1.0 MB.",
    )
    assert check_upload(name="empty.pdf", size=0, head=b"") == (None, "The file is empty.")


def test_clean_name_drops_folders() -> None:
    assert clean_name("C:\\Users\\me\\consent form.pdf") == "consent form.pdf"
    assert clean_name("../../etc/passwd.png") == "passwd.png"
    assert clean_name("") == "document"
    assert len(clean_name("a" * 300 + ".pdf")) == 200
