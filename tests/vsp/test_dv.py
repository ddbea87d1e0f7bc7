"""Domestic violence answers (4.11) are read only inside the agency that recorded them: the rule, over the
persona matrix, and whatever the sharing settings (an open CoC, a release that shares health and DV)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hearth.access import dv
from hearth.access.lookups import enrollments_for
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.consent.actions import record_release, set_sharing_policy
from tests.vsp.world import VspWorld

pytestmark = pytest.mark.django_db

PERSONAS = (
    "lead_a",
    "analyst_a",
    "admin_a",
    "manager_a",
    "outreach_worker",
    "intake_a",
    "auditor_a",
    "admin_v",
    "admin_b",
    "lead_b",
    "nobody",
    "superuser",
)
# Who reads the DV answers of each enrollment, written out by hand: the agency's staff whose grants reach the
# project, and the CoC's HMIS administration (never a VSP's).
READS: dict[str, set[str]] = {
    "at_a": {"lead_a", "admin_a", "manager_a", "intake_a", "auditor_a"},
    "both_a": {"lead_a", "admin_a", "manager_a", "intake_a", "auditor_a"},
    "at_b": {"lead_a", "auditor_a", "admin_b"},
    "at_v": {"admin_v"},
    "both_v": {"admin_v"},
}


@pytest.mark.parametrize("enrollment", sorted(READS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_rule_matrix(vw: VspWorld, persona: str, enrollment: str) -> None:
    project_id = vw.enrollments[enrollment].project_id
    expected = persona in READS[enrollment]
    user = vw.user(persona)
    assert dv.may_read_dv(user, project_id) is expected
    assert dv.readable_enrollments(user, [vw.enrollments[enrollment].pk]) == (
        {vw.enrollments[enrollment].pk} if expected else set()
    )
    values = {"InformationDate": "2026-01-05", "DomesticViolenceSurvivor": 1, "CurrentlyFleeing": 1, "WhenOccurred": 1}
    masked = dv.mask_values(user, project_id, "HealthAndDV", values)
    assert masked == (values if expected else {"InformationDate": "2026-01-05"})


def share_everything(vw: VspWorld) -> None:
    """An open CoC, and A's client Maria sharing every category CoC-wide."""
    w = vw.w
    lead = Actor(user=vw.user("lead_a"), name="lead_a")
    set_sharing_policy(
        continuum=w.continuums["a"], policy="open", deidentify_on_revocation=False, privacy_notice_version="1", by=lead
    )
    record_release(
        client=w.clients["at_a"],
        organization=w.orgs["a"],
        categories=["identity", "enrollment_history", "services", "health_dv", "case_notes", "files"],
        starts_on=date(2026, 1, 1),
        method="written",
        coc_wide=True,
        by=Actor(user=vw.user("admin_a"), name="admin_a"),
    )


def test_sharing_never_opens_dv_answers(vw: VspWorld) -> None:
    """B's administrator sees A's enrollment of a client who shared everything, health and DV included, in an
    open CoC; the DV answers stay A's."""
    share_everything(vw)
    admin_b = vw.user("admin_b")
    enrollment = vw.enrollments["at_a"]
    assert enrollments_for(admin_b).filter(pk=enrollment.pk).exists()  # shared: B sees the enrollment
    assert dv.may_read_dv(admin_b, enrollment.project_id) is False
    assert dv.readable_enrollments(admin_b, [enrollment.pk]) == set()


def test_change_history_masks_dv_answers(vw: VspWorld) -> None:
    changes = [
        ("HealthAndDV.InformationDate", "2026-01-01", "2026-01-05"),
        ("HealthAndDV.DomesticViolenceSurvivor", "0", "1"),
        ("HealthAndDV.CurrentlyFleeing", None, "1"),
        ("HealthAndDV.GeneralHealthStatus", None, "2"),
    ]
    project_id = vw.enrollments["at_a"].project_id
    assert dv.mask_changes(vw.user("admin_a"), project_id, changes) == changes
    assert dv.mask_changes(vw.user("admin_b"), project_id, changes) == [
        ("HealthAndDV.InformationDate", "2026-01-01", "2026-01-05"),
        ("HealthAndDV.DomesticViolenceSurvivor", dv.HIDDEN, dv.HIDDEN),
        ("HealthAndDV.CurrentlyFleeing", dv.HIDDEN, dv.HIDDEN),
        ("HealthAndDV.GeneralHealthStatus", None, "2"),
    ]


def test_form_answers_drop_dv_keys(vw: VspWorld) -> None:
    answers = {"k1": "1", "k2": "1", "k3": "2"}
    columns = {
        "k1": "HealthAndDV.DomesticViolenceSurvivor",
        "k2": "HealthAndDV.PregnancyStatus",
        "k3": "Exit.Destination",
    }
    project_id = vw.enrollments["at_a"].project_id
    assert dv.mask_answers(vw.user("manager_a"), project_id, answers, columns) == answers
    assert dv.mask_answers(vw.user("admin_v"), project_id, answers, columns) == {"k2": "1", "k3": "2"}


def test_frame_masking_is_per_row() -> None:
    frame = pl.DataFrame(
        {
            "EnrollmentID": ["E1", "E2"],
            "DomesticViolenceSurvivor": [1, 1],
            "WhenOccurred": [1, 2],
            "CurrentlyFleeing": [1, 0],
            "GeneralHealthStatus": [3, 4],
        }
    )
    masked = dv.mask_frame(frame, pl.col("EnrollmentID") == "E1")
    assert masked.to_dicts() == [
        {
            "EnrollmentID": "E1",
            "DomesticViolenceSurvivor": 1,
            "WhenOccurred": 1,
            "CurrentlyFleeing": 1,
            "GeneralHealthStatus": 3,
        },
        {
            "EnrollmentID": "E2",
            "DomesticViolenceSurvivor": None,
            "WhenOccurred": None,
            "CurrentlyFleeing": None,
            "GeneralHealthStatus": 4,
        },
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_drilldown_members(vw: VspWorld, persona: str) -> None:
    """A Q14a cell counting every survivor: each reader's drill-down keeps the enrollments it may read."""
    hud = {name: e.hud_id for name, e in vw.enrollments.items()}
    members = [hud[n] for n in ("at_a", "at_b", "at_v", "both_v")]
    expected = {hud[n] for n in ("at_a", "at_b", "at_v", "both_v") if persona in READS[n]}
    assert dv.readable_enrollment_hud_ids(vw.user(persona), members) == expected
    assert {"Q14a", "Q14b"} == dv.REPORT_TABLES


@pytest.mark.parametrize("persona", PERSONAS)
def test_whoever_edits_an_assessment_reads_its_dv_answers(vw: VspWorld, persona: str) -> None:
    """The assessment pages (hearth.web.views.assessments) open an enrollment with ENROLL and show its recorded
    answers to edit them; sharing never grants ENROLL, so every project they open is one whose DV answers the
    rule lets the user read — and editing can never blank answers the user could not see."""
    share_everything(vw)
    user = vw.user(persona)
    editable = set(enrollments_for(user, Permission.ENROLL).values_list("project_id", flat=True))
    assert editable <= dv.readable_projects(user)
