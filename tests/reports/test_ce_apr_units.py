"""CE APR rules on hand-built records (no ../shared needed): exact numbers worked out by hand."""

from __future__ import annotations

from hearth.reports.apr.shells import report_tables
from hearth.reports.ce_apr.report import compute
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

PARAMS = ReportParams.create(start="2021-10-01", end="2022-09-30")


def coordinated_entry() -> HmisTables:
    """A CE access point (participating from 2021-01-01) and a project that stopped participating in 2021.

    Household H: head A (assessed in person, prioritized) and child K. B was assessed by phone at the project
    that no longer participates (not counted). Events: A referred to RRH (accepted) and to a scheduled housing
    needs assessment; B's referral at the non-participating project is not counted.
    """
    return HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[
            {"ProjectID": "CE", "OrganizationID": "O", "ProjectName": "Access", "ProjectType": 14},
            {"ProjectID": "OLD", "OrganizationID": "O", "ProjectName": "Old", "ProjectType": 14},
        ],
        CEParticipation=[
            {"CEParticipationID": "1", "ProjectID": "CE", "AccessPoint": 1,
             "CEParticipationStatusStartDate": "2021-01-01"},
            {"CEParticipationID": "2", "ProjectID": "OLD", "AccessPoint": 1,
             "CEParticipationStatusStartDate": "2020-01-01", "CEParticipationStatusEndDate": "2021-06-30"},
        ],
        Client=[
            {"PersonalID": "A", "DOB": "1990-01-01", "DOBDataQuality": 1},
            {"PersonalID": "K", "DOB": "2015-01-01", "DOBDataQuality": 1},
            {"PersonalID": "B", "DOB": "1985-01-01", "DOBDataQuality": 1},
        ],
        Enrollment=[
            {"EnrollmentID": "1", "PersonalID": "A", "ProjectID": "CE", "EntryDate": "2022-01-01",
             "HouseholdID": "H", "RelationshipToHoH": 1},
            {"EnrollmentID": "2", "PersonalID": "K", "ProjectID": "CE", "EntryDate": "2022-01-01",
             "HouseholdID": "H", "RelationshipToHoH": 2},
            {"EnrollmentID": "3", "PersonalID": "B", "ProjectID": "OLD", "EntryDate": "2022-02-01",
             "HouseholdID": "HB", "RelationshipToHoH": 1},
        ],
        Assessment=[
            {"AssessmentID": "S1", "EnrollmentID": "1", "PersonalID": "A", "AssessmentDate": "2022-01-02",
             "AssessmentLocation": "CE", "AssessmentType": 3, "AssessmentLevel": 2, "PrioritizationStatus": 1},
            {"AssessmentID": "S2", "EnrollmentID": "3", "PersonalID": "B", "AssessmentDate": "2022-02-02",
             "AssessmentLocation": "OLD", "AssessmentType": 1, "AssessmentLevel": 2, "PrioritizationStatus": 1},
        ],
        Event=[
            {"EventID": "E1", "EnrollmentID": "1", "PersonalID": "A", "EventDate": "2022-01-02", "Event": 4},
            {"EventID": "E2", "EnrollmentID": "1", "PersonalID": "A", "EventDate": "2022-02-01", "Event": 13,
             "ReferralResult": 1},
            {"EventID": "E3", "EnrollmentID": "3", "PersonalID": "B", "EventDate": "2022-02-03", "Event": 13,
             "ReferralResult": 2},
        ],
    )  # fmt: skip


def test_assessed_households_and_their_members() -> None:
    result = compute(coordinated_entry(), PARAMS)
    assert list(result.tables) == list(report_tables("ce_apr"))
    q5a, q7a = result.table("Q5a"), result.table("Q7a")
    assert [q5a["B2"], q5a["C2"], q5a["C3"], q5a["C4"]] == [1, 2, 1, 1]  # assessed A; A and child K
    assert [q7a["D2"], q7a["D3"], q7a["B6"]] == [1, 1, 2]  # one household with children and adults
    q9a, q9b = result.table("Q9a"), result.table("Q9b")
    assert [q9a["B2"], q9a["B4"], q9a["D5"]] == [0, 1, 1]  # in person; B's phone assessment does not count
    assert [q9b["B2"], q9b["B4"]] == [1, 1.0]


def test_events_by_household_and_by_outcome() -> None:
    result = compute(coordinated_entry(), PARAMS)
    q9c, q9d, q10 = result.table("Q9c"), result.table("Q9d"), result.table("Q10")
    assert [q9c["B5"], q9c["B6"]] == [1, 1]  # referral to a scheduled housing needs assessment
    assert [q9d["B10"], q9d["B16"], q9d["B17"], q9d["B18"]] == [1, 1, 1.0, 1]  # RRH; referred; accepted
    # Occurrences: one housing needs assessment, one event 4, one RRH referral (successful); B's not counted.
    assert [q10["B3"], q10["B7"], q10["B16"], q10["C16"], q10["D16"]] == [1, 1, 1, 1, 0]
    assert result.cell_members("Q10", "B16")["PersonalID"].to_list() == ["A"]


def test_share_of_prioritized_households_referred() -> None:
    """Q9d row 17, "Of the total HH prioritized (Q9b row 1) what percentage received a referral" (CE APR shell):
    prioritized households with a referral event over prioritized households. P (prioritized) has no referral;
    R and S (not prioritized) were referred to RRH → 0 of 1 = 0.0 (not 2 referred households over 1 prioritized,
    200 %; kit 2.0 ce Q9d: 0 where one household is prioritized and three others referred)."""
    people = ("P", "R", "S")
    tables = HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[{"ProjectID": "CE", "OrganizationID": "O", "ProjectName": "Access", "ProjectType": 14}],
        CEParticipation=[{"CEParticipationID": "1", "ProjectID": "CE", "AccessPoint": 1,
                          "CEParticipationStatusStartDate": "2021-01-01"}],
        Client=[{"PersonalID": p, "DOB": "1980-01-01", "DOBDataQuality": 1} for p in people],
        Enrollment=[{"EnrollmentID": p, "PersonalID": p, "ProjectID": "CE", "EntryDate": "2022-01-01",
                     "HouseholdID": f"H{p}", "RelationshipToHoH": 1} for p in people],
        Assessment=[{"AssessmentID": f"S{p}", "EnrollmentID": p, "PersonalID": p, "AssessmentDate": "2022-01-02",
                     "AssessmentLocation": "CE", "AssessmentType": 3, "AssessmentLevel": 2,
                     "PrioritizationStatus": 1 if p == "P" else 2} for p in people],
        Event=[{"EventID": f"E{p}", "EnrollmentID": p, "PersonalID": p, "EventDate": "2022-02-01", "Event": 13,
                "ReferralResult": 1} for p in ("R", "S")],
    )  # fmt: skip
    result = compute(tables, PARAMS)
    q9b, q9d = result.table("Q9b"), result.table("Q9d")
    assert [q9b["B2"], q9b["B3"], q9d["B10"], q9d["B16"]] == [1, 2, 2, 2]
    assert [q9d["B17"], q9d["C17"]] == [0.0, 0.0]
