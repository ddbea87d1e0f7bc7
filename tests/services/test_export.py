"""What case workers record reaches the HMIS CSV export as HUD records — and the CoC's own services, case notes
and documents do not (docs/adr/0008-local-case-work-records.md)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from hearth.audit.actor import Actor
from hearth.casework.notes import add_note
from hearth.casework.outreach import ContactData, record_contact, set_date_of_engagement
from hearth.casework.roster import check_in
from hearth.casework.services import (
    ServiceData,
    define_service_type,
    delete_service,
    record_local_service,
    record_service,
)
from hearth.exchange.exporter import export_hmis
from tests.web.personas import World

pytestmark = pytest.mark.django_db(transaction=True)  # the exporter reads committed data on its own connection


def read_zip(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
        }


def test_recorded_services_contacts_and_engagement_are_exported(world: World, actor: Actor, tmp_path: Path) -> None:
    outreach = world.projects["a_outreach"].enrollments.get()
    path_service = record_service(
        enrollment=outreach, data=ServiceData(date(2026, 2, 3), 161, 7, referral_outcome=1), by=actor
    )
    withdrawn = record_service(enrollment=outreach, data=ServiceData(date(2026, 2, 4), 141, 6), by=actor)
    delete_service(service=withdrawn, by=actor)
    guest = world.enrollments["guest_1"]  # type: ignore[attr-defined]
    check_in(project=world.projects["a_nbn"], night=date(2026, 3, 4), enrollments=[guest], by=actor)
    contact = record_contact(
        enrollment=outreach, data=ContactData(date(2026, 2, 10), 116, location_details="Bridge"), by=actor
    )
    set_date_of_engagement(enrollment=outreach, engaged=date(2026, 2, 10), by=actor)
    meals = define_service_type(continuum=world.continuums["a"], name="Hot meal", by=actor)
    record_local_service(enrollment=outreach, service_type=meals, date_provided=date(2026, 2, 3), by=actor)
    add_note(
        client=outreach.client, organization=world.orgs["a"], text="Private.", contact_date=date(2026, 2, 3), by=actor
    )

    exported = read_zip(export_hmis(out=tmp_path / "out.zip", actor="test").path)

    services = {row["ServicesID"]: row for row in exported["Services"]}
    referral = services[path_service.hud_id]
    assert (referral["EnrollmentID"], referral["DateProvided"], referral["RecordType"], referral["TypeProvided"]) == (
        outreach.hud_id,
        "2026-02-03",
        "161",
        "7",
    )
    assert (referral["ReferralOutcome"], referral["FAAmount"], referral["UserID"]) == (
        "1",
        "",
        f"H{world.users['manager_a'].pk}",
    )
    bed_nights = [row for row in exported["Services"] if row["RecordType"] == "200"]
    assert [(r["EnrollmentID"], r["DateProvided"], r["TypeProvided"]) for r in bed_nights] == [
        (guest.hud_id, "2026-03-04", "200")
    ]
    assert withdrawn.hud_id not in services or services[withdrawn.hud_id]["DateDeleted"] != ""
    assert len(exported["Services"]) in (2, 3)  # the deleted one only with its DateDeleted, if at all
    (cls,) = exported["CurrentLivingSituation"]
    assert (
        cls["CurrentLivingSitID"],
        cls["InformationDate"],
        cls["CurrentLivingSituation"],
        cls["LocationDetails"],
    ) == (contact.hud_id, "2026-02-10", "116", "Bridge")
    enrollment = next(row for row in exported["Enrollment"] if row["EnrollmentID"] == outreach.hud_id)
    assert enrollment["DateOfEngagement"] == "2026-02-10"
    # Nothing of the CoC's own services or of case notes travels: no file, no column, no value.
    everything = "\n".join(str(rows) for rows in exported.values())
    assert "Hot meal" not in everything
    assert "Private." not in everything
