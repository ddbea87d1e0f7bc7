"""Hand-built fixtures for the Glossary's hard rules; each docstring works the expected numbers out from the spec.

Report range throughout: 2025-10-01 .. 2026-09-30 (FY2026) unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from hearth.reports.dq import universe
from hearth.reports.glossary import active, assessment, chronic, household, income, movein, nights, stays
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

PARAMS = ReportParams(dt.date(2025, 10, 1), dt.date(2026, 9, 30))
D = dt.date


def project(pid: str, ptype: int) -> dict[str, Any]:
    return {"ProjectID": pid, "OrganizationID": "O1", "ProjectType": ptype}


def enrollment(
    eid: str, pid: str, hh: str, rel: int, entry: str, project_id: str = "P1", **more: Any
) -> dict[str, Any]:
    return {
        "EnrollmentID": eid,
        "PersonalID": pid,
        "ProjectID": project_id,
        "HouseholdID": hh,
        "RelationshipToHoH": rel,
        "EntryDate": entry,
        **more,
    }


def client(pid: str, dob: str | None, **more: Any) -> dict[str, Any]:
    return {"PersonalID": pid, "DOB": dob, "DOBDataQuality": 1 if dob else 99, **more}


# -- household type across joins and leaves ----------------------------------------------------------------


def test_household_type_is_decided_before_the_latest_stay() -> None:
    """Glossary "Household Type": every member active in the range who shares the HouseholdID counts, before each
    client is cut to their latest stay.

    Household H1 (a shelter, type 0): mother M (age 30) from 2025-09-01; her son S (age 10 at the report start)
    joined 2025-09-01 and left 2025-11-30 — active in the range (exit ≥ report start), so H1 has an adult and a
    child: "with children and adults" for M, even though on the report end she is alone.
    M then started a second stay, H2 (type 0, alone) on 2026-03-01; H2 is "without children". M's latest stay is
    H2, so M is reported as AO; S's only stay is in H1: AC.
    Household H3: father F (age 40) alone, with a child C who joined on 2026-10-15, after the report end — C is
    not active, so H3 is "without children" (AO).
    Household H4: an adult with a member whose DOB is missing: adults and unknown, no child → unknown (UN).
    """
    tables = HmisTables.from_frames(
        Project=[project("P1", 0)],
        Client=[
            client("M", "1995-06-01"),
            client("S", "2015-06-01"),
            client("F", "1985-01-01"),
            client("C", "2020-01-01"),
            client("A", "1980-01-01"),
            client("U", None),
        ],
        Enrollment=[
            enrollment("E-M1", "M", "H1", 1, "2025-09-01"),
            enrollment("E-S1", "S", "H1", 2, "2025-09-01"),
            enrollment("E-M2", "M", "H2", 1, "2026-03-01"),
            enrollment("E-F", "F", "H3", 1, "2025-08-01"),
            enrollment("E-C", "C", "H3", 2, "2026-10-15"),
            enrollment("E-A", "A", "H4", 1, "2026-01-01"),
            enrollment("E-U", "U", "H4", 3, "2026-01-01"),
        ],
        Exit=[
            {"ExitID": "X-M1", "EnrollmentID": "E-M1", "ExitDate": "2026-02-27"},
            {"ExitID": "X-S1", "EnrollmentID": "E-S1", "ExitDate": "2025-11-30"},
        ],
    )
    active_stays = universe.active_stays(tables, PARAMS)
    types = dict(active_stays.select("EnrollmentID", "household_type").iter_rows())
    assert types == {
        "E-M1": household.AC,
        "E-S1": household.AC,
        "E-M2": household.AO,
        "E-F": household.AO,
        "E-A": household.UN,
        "E-U": household.UN,
    }
    latest = dict(stays.latest_stay(active_stays).select("PersonalID", "household_type").iter_rows())
    assert latest == {"M": household.AO, "S": household.AC, "F": household.AO, "A": household.UN, "U": household.UN}


def test_youth_and_parenting_youth() -> None:
    """Glossary "Youth": a household where no member is 25 or older; youth are its members aged 12–24; a parenting
    youth is the head (or the head's partner) with a child of the head in the household (APR Q5a rows 13–14).

    H1: head 22 and her child 2 → head is youth and parenting youth; the child (2) is neither (under 12).
    H2: head 23 with a partner aged 26 → not a youth household: nobody is youth.
    """
    tables = HmisTables.from_frames(
        Project=[project("P1", 13)],
        Client=[
            client("Y", "2003-05-01"),
            client("K", "2023-05-01"),
            client("Z", "2002-05-01"),
            client("O", "1999-05-01"),
        ],
        Enrollment=[
            enrollment("E1", "Y", "H1", 1, "2025-10-05"),
            enrollment("E2", "K", "H1", 2, "2025-10-05"),
            enrollment("E3", "Z", "H2", 1, "2025-10-05"),
            enrollment("E4", "O", "H2", 3, "2025-10-05"),
        ],
    )
    frame = universe.build(tables, PARAMS).sort("PersonalID")
    assert frame.select("PersonalID", "age", "youth", "parenting_youth").rows() == [
        ("K", 2, False, False),
        ("O", 26, False, False),
        ("Y", 22, True, True),
        ("Z", 23, False, False),
    ]


# -- active clients ----------------------------------------------------------------------------------------


def test_method_2_for_night_by_night_shelters() -> None:
    """Glossary Method 2 (ES night-by-night, type 1): Method 1 active AND (exit inside the range OR a bed night
    inside both the range and the stay, where a bed night on the exit date is not part of the stay).

    N1: open, bed night 2025-10-10 → active. N2: open since 2025-01-01, last bed night 2025-09-30 (before the
    range) → not active. N3: exited 2026-01-05 (inside the range), no bed night → active. N4: started
    2026-09-01, exit 2026-10-10 (after the range), its only bed night dated 2026-10-10 — after the range (and on
    its exit date) → not active. E1 in an entry-exit shelter (type 0) with no services: Method 1 →
    active.
    """
    tables = HmisTables.from_frames(
        Project=[project("NBN", 1), project("EE", 0)],
        Enrollment=[
            enrollment("N1", "C1", "H1", 1, "2025-09-01", "NBN"),
            enrollment("N2", "C2", "H2", 1, "2025-01-01", "NBN"),
            enrollment("N3", "C3", "H3", 1, "2025-12-01", "NBN"),
            enrollment("N4", "C4", "H4", 1, "2026-09-01", "NBN"),
            enrollment("E1", "C5", "H5", 1, "2025-05-01", "EE"),
        ],
        Exit=[
            {"ExitID": "X3", "EnrollmentID": "N3", "ExitDate": "2026-01-05"},
            {"ExitID": "X4", "EnrollmentID": "N4", "ExitDate": "2026-10-10"},
        ],
        Services=[
            {"ServicesID": "S1", "EnrollmentID": "N1", "DateProvided": "2025-10-10", "RecordType": 200},
            {"ServicesID": "S2", "EnrollmentID": "N2", "DateProvided": "2025-09-30", "RecordType": 200},
            {"ServicesID": "S3", "EnrollmentID": "N4", "DateProvided": "2026-10-10", "RecordType": 200},
        ],
    )
    found = sorted(active.active_enrollments(tables, PARAMS)["EnrollmentID"].to_list())
    assert found == ["E1", "N1", "N3"]


def test_night_by_night_bed_nights_are_counted_night_by_night() -> None:
    """Glossary "Bed Nights" for type 1: distinct bed-night dates inside the range and the stay, the exit date
    excluded. Stay 2025-09-20 .. exit 2025-10-05; bed nights on 09-25 (before the range), 10-01, 10-02, 10-02
    (a duplicate record), 10-04 and 10-05 (the exit date) → 10-01, 10-02, 10-04 = 3 nights. An entry-exit
    stay 2026-09-20 open at the end counts days: (2026-09-30 + 1) − 2026-09-20 = 11.
    """
    tables = HmisTables.from_frames(
        Project=[project("NBN", 1)],
        Enrollment=[enrollment("N1", "C1", "H1", 1, "2025-09-20", "NBN")],
        Exit=[{"ExitID": "X1", "EnrollmentID": "N1", "ExitDate": "2025-10-05"}],
        Services=[
            {"ServicesID": f"S{i}", "EnrollmentID": "N1", "DateProvided": day, "RecordType": 200}
            for i, day in enumerate(
                ["2025-09-25", "2025-10-01", "2025-10-02", "2025-10-02", "2025-10-04", "2025-10-05"]
            )
        ],
    )
    spans = active.enrollment_spans(tables)
    assert nights.bed_nights(tables, spans, PARAMS).rows() == [("N1", 3)]
    stay = pl.DataFrame(
        {"EntryDate": [D(2026, 9, 20)], "ExitDate": [None]}, schema={"EntryDate": pl.Date, "ExitDate": pl.Date}
    )
    assert stay.select(nights.days(PARAMS))[0, 0] == 11
    # Whole stay from an earlier start: 2025-09-01 .. exit 2025-10-03 → 32 days; inside the range only: 2.
    early = pl.DataFrame({"EntryDate": [D(2025, 9, 1)], "ExitDate": [D(2025, 10, 3)]})
    assert early.select(nights.days(PARAMS, whole_stay=True))[0, 0] == 32
    assert early.select(nights.days(PARAMS))[0, 0] == 2


# -- housing move-in ---------------------------------------------------------------------------------------


def test_move_in_inheritance() -> None:
    """Glossary "Housing Move-In Date": valid on/after start, on/before exit and report end; members present at
    the head's move-in inherit it; a member who joined later uses their own start; one who left before it has
    none. Head H entered RRH 2025-11-01, moved in 2025-12-15. Partner P entered 2025-11-01 → 2025-12-15.
    Child K joined 2026-02-01 → 2026-02-01 (own start). Member L entered 2025-11-01 and left 2025-12-01, before
    the move-in → none. Household G: head moved in 2026-10-02, after the report end → invalid → nobody has one.
    """
    tables = HmisTables.from_frames(
        Project=[project("RRH", 13)],
        Client=[client(p, "1990-01-01") for p in ("H", "P", "K", "L", "G")],
        Enrollment=[
            enrollment("EH", "H", "HH", 1, "2025-11-01", "RRH", MoveInDate="2025-12-15"),
            enrollment("EP", "P", "HH", 3, "2025-11-01", "RRH"),
            enrollment("EK", "K", "HH", 2, "2026-02-01", "RRH"),
            enrollment("EL", "L", "HH", 4, "2025-11-01", "RRH"),
            enrollment("EG", "G", "HG", 1, "2025-11-01", "RRH", MoveInDate="2026-10-02"),
        ],
        Exit=[{"ExitID": "XL", "EnrollmentID": "EL", "ExitDate": "2025-12-01"}],
    )
    frame = movein.with_move_in(active.active_enrollments(tables, PARAMS), PARAMS)
    assert dict(frame.select("EnrollmentID", "move_in").iter_rows()) == {
        "EH": D(2025, 12, 15),
        "EP": D(2025, 12, 15),
        "EK": D(2026, 2, 1),
        "EL": None,
        "EG": None,
    }


# -- chronic homelessness ----------------------------------------------------------------------------------

CH_BASE: dict[str, Any] = {
    "DisablingCondition": 1,
    "LivingSituation": 116,
    "LengthOfStay": 5,
    "PreviousStreetESSH": None,
    "DateToStreetESSH": None,
    "TimesHomelessPastThreeYears": 4,
    "MonthsHomelessPastThreeYears": 112,
}


@pytest.mark.parametrize(
    ("ptype", "changes", "expected"),
    [
        # Disabled, in a shelter (3.917A), 4+ times, 12 months → CH.
        (0, {}, chronic.YES_CH),
        # Step 1: no disabling condition → not CH; DK → dk_pnta; not collected → missing.
        (0, {"DisablingCondition": 0}, chronic.NO_CH),
        (0, {"DisablingCondition": 8}, chronic.DK_CH),
        (0, {"DisablingCondition": 99}, chronic.MISSING_CH),
        # Step 3: homeless since 2024-11-01, 365+ days before the 2025-11-01 start → CH whatever the times say.
        (0, {"DateToStreetESSH": "2024-11-01", "TimesHomelessPastThreeYears": 1}, chronic.YES_CH),
        # 364 days before: falls through to times (1) → not CH.
        (0, {"DateToStreetESSH": "2024-11-02", "TimesHomelessPastThreeYears": 1}, chronic.NO_CH),
        # Step 4: 4+ times but 11 months → not CH; months DK → dk_pnta; times missing → missing.
        (0, {"MonthsHomelessPastThreeYears": 111}, chronic.NO_CH),
        (0, {"MonthsHomelessPastThreeYears": 9}, chronic.DK_CH),
        (0, {"TimesHomelessPastThreeYears": None}, chronic.MISSING_CH),
        # 3.917B in PSH: institutional, under 90 days (2A yes) with the night before on the street (2B yes) → go on
        # → CH.
        (
            3,
            {"LivingSituation": 215, "LengthOfStay": 3, "LOSUnderThreshold": 1, "PreviousStreetESSH": 1},
            chronic.YES_CH,
        ),
        # Institutional 90+ days (2A no) → not CH; the night before not on the street (2B no) → not CH.
        (3, {"LivingSituation": 215, "LengthOfStay": 4, "LOSUnderThreshold": 0}, chronic.NO_CH),
        (
            3,
            {"LivingSituation": 215, "LengthOfStay": 3, "LOSUnderThreshold": 1, "PreviousStreetESSH": 0},
            chronic.NO_CH,
        ),
        # 2A unanswered: the length of stay DK → dk_pnta; a length given but 2A/2B left empty → missing (HUD Data
        # Lab's kit: the bucket does not decide, 3.917.2A does).
        (3, {"LivingSituation": 215, "LengthOfStay": 8}, chronic.DK_CH),
        (3, {"LivingSituation": 410, "LengthOfStay": 5}, chronic.MISSING_CH),
        (3, {"LivingSituation": 410, "LengthOfStay": 11, "LOSUnderThreshold": 1}, chronic.MISSING_CH),
        # Other (rented, 410): under 7 nights and the night before on the street → CH; 2 nights but not on the
        # street the night before → not CH; a week or more (2A no) → not CH.
        (
            3,
            {"LivingSituation": 410, "LengthOfStay": 11, "LOSUnderThreshold": 1, "PreviousStreetESSH": 1},
            chronic.YES_CH,
        ),
        (
            3,
            {"LivingSituation": 410, "LengthOfStay": 11, "LOSUnderThreshold": 1, "PreviousStreetESSH": 0},
            chronic.NO_CH,
        ),
        (3, {"LivingSituation": 410, "LengthOfStay": 2, "LOSUnderThreshold": 0}, chronic.NO_CH),
        # FY2026 flowchart row 21: "[prior living situation] (3.917.1) If in 0:99 or in 300:499, CONTINUE ... If
        # null then CH = missing" — 99 (not collected) is in 0:99, so 2A no decides: not CH (kit 2.0 caper/hp_esg
        # client 92116, missing for the FY2022 kit); no prior living situation at all → missing.
        (3, {"LivingSituation": 99, "LengthOfStay": 5, "LOSUnderThreshold": 0}, chronic.NO_CH),
        (3, {"LivingSituation": None, "LengthOfStay": 5, "LOSUnderThreshold": 0}, chronic.MISSING_CH),
        # Row 22 before row 23: 2A unanswered is missing even when 2B says no.
        (3, {"LivingSituation": 410, "LengthOfStay": 5, "PreviousStreetESSH": 0}, chronic.MISSING_CH),
        # Homeless prior situation in TH (101 shelter) → straight to the dates.
        (2, {"LivingSituation": 101}, chronic.YES_CH),
    ],
)
def test_chronic_flowchart(ptype: int, changes: dict[str, Any], expected: str) -> None:
    """Glossary "Chronically Homeless at Project Start" flowchart, one path per case (project start 2025-11-01)."""
    tables = HmisTables.from_frames(
        Project=[project("P1", ptype)],
        Client=[client("A", "1980-01-01")],
        Enrollment=[enrollment("E1", "A", "H1", 1, "2025-11-01", **{**CH_BASE, **changes})],
    )
    frame = universe.active_stays(tables, PARAMS)
    assert frame["ch_status"].to_list() == [expected]
    assert frame["chronic"].to_list() == [expected == chronic.YES_CH]


def test_chronic_disability_from_4_05_to_4_10_and_household_inheritance() -> None:
    """Step 1 also accepts a disability recorded at project start (4.09 mental health, expected to be of long
    duration) when 3.08 says DK. The household inherits: head A is CH (via that record), so her child K (never
    assessed) and partner B (3.08 = no: not CH on his own) — both present at the household's start — are CH.
    Child J joined a month later: not present at the start → not CH. An adult with the same answers whose 4.09
    record is dated after project start is not disabled at start → dk_pnta.
    """
    disabled: dict[str, Any] = {**CH_BASE, "DisablingCondition": 8}
    tables = HmisTables.from_frames(
        Project=[project("P1", 0)],
        Client=[client(p, "1980-01-01") for p in "ABZ"] + [client("K", "2018-01-01"), client("J", "2019-01-01")],
        Enrollment=[
            enrollment("EA", "A", "H1", 1, "2025-11-01", **disabled),
            enrollment("EB", "B", "H1", 3, "2025-11-01", **{**CH_BASE, "DisablingCondition": 0}),
            enrollment("EK", "K", "H1", 2, "2025-11-01"),
            enrollment("EJ", "J", "H1", 2, "2025-12-01"),
            enrollment("EZ", "Z", "H2", 1, "2025-11-01", **disabled),
        ],
        Disabilities=[
            {"DisabilitiesID": "D1", "EnrollmentID": "EA", "InformationDate": "2025-11-01", "DisabilityType": 9,
             "DisabilityResponse": 1, "IndefiniteAndImpairs": 1, "DataCollectionStage": 1},
            {"DisabilitiesID": "D2", "EnrollmentID": "EZ", "InformationDate": "2025-11-03", "DisabilityType": 9,
             "DisabilityResponse": 1, "IndefiniteAndImpairs": 1, "DataCollectionStage": 1},
        ],
    )  # fmt: skip
    frame = universe.active_stays(tables, PARAMS).sort("EnrollmentID")
    assert frame.select("EnrollmentID", "ch_status", "chronic").rows() == [
        ("EA", chronic.YES_CH, True),
        ("EB", chronic.NO_CH, True),
        ("EJ", None, False),
        ("EK", None, True),
        ("EZ", chronic.DK_CH, False),
    ]


# -- annual assessment -------------------------------------------------------------------------------------


def test_annual_assessment_window() -> None:
    """Glossary "Annual Assessment": due for stayers when the head has reached an anniversary by the report end
    (anniversary arithmetic); window = anniversary ± 30 days, capped at the report end.

    Head entered 2024-10-15: the latest anniversary on or before 2026-09-30 is 2025-10-15 (2026-10-15 is after
    the end); window 2025-09-15 .. 2025-11-14. Head entered 2025-09-20: first anniversary
    2026-09-20, window 2026-08-21 .. 2026-09-30 (capped; +30 would be 2026-10-20). Head entered 2025-10-01:
    anniversary 2026-10-01 is after the end → not due (under one year). A member who joined 2026-09-25, after
    the 2026-09-20 anniversary → not yet required. A head who exited → not due (leaver).
    """
    frame = pl.DataFrame(
        {
            "EntryDate": [D(2024, 10, 15), D(2025, 9, 20), D(2025, 10, 1), D(2026, 9, 25), D(2024, 10, 15)],
            "ExitDate": [None, None, None, None, D(2026, 3, 1)],
            "hoh_entry": [D(2024, 10, 15), D(2025, 9, 20), D(2025, 10, 1), D(2025, 9, 20), D(2024, 10, 15)],
        },
        schema={"EntryDate": pl.Date, "ExitDate": pl.Date, "hoh_entry": pl.Date},
    )
    out = assessment.with_window(frame, PARAMS)
    assert out.select("anniversary", "window_start", "window_end", "annual_due").rows() == [
        (D(2025, 10, 15), D(2025, 9, 15), D(2025, 11, 14), True),
        (D(2026, 9, 20), D(2026, 8, 21), D(2026, 9, 30), True),
        (None, None, None, False),
        (D(2026, 9, 20), D(2026, 8, 21), D(2026, 9, 30), False),
        (D(2025, 10, 15), D(2025, 9, 15), D(2025, 11, 14), False),
    ]


def test_anniversary_of_february_29_in_a_year_without_one() -> None:
    """A head who entered on 2024-02-29: with the report ending 2026-09-30 the latest anniversary falls in 2026,
    which has no February 29 — it is 2026-02-28 (calendar arithmetic); in 2028 it would be the 29th again."""
    assert pl.select(assessment.add_years(pl.lit(D(2024, 2, 29)), pl.lit(2, pl.Int32))).item() == D(2026, 2, 28)
    assert pl.select(assessment.add_years(pl.lit(D(2024, 2, 29)), pl.lit(4, pl.Int32))).item() == D(2028, 2, 29)
    assert pl.select(assessment.add_years(pl.lit(D(2023, 3, 1)), pl.lit(1, pl.Int32))).item() == D(2024, 3, 1)
    frame = pl.DataFrame(
        {"EntryDate": [D(2024, 2, 29)], "ExitDate": [None], "hoh_entry": [D(2024, 2, 29)]},
        schema={"EntryDate": pl.Date, "ExitDate": pl.Date, "hoh_entry": pl.Date},
    )
    out = assessment.with_window(frame, PARAMS)
    assert out.select("anniversary", "window_start", "window_end", "annual_due").rows() == [
        (D(2026, 2, 28), D(2026, 1, 29), D(2026, 3, 30), True)
    ]


def test_annual_income_uses_the_latest_record_in_the_window() -> None:
    """Income at annual assessment: the latest stage-5 record inside the window. Window 2026-08-21..2026-09-30;
    records on 2026-08-01 (outside), 2026-08-25 (no income) and 2026-09-10 (income yes, SSI yes) → the
    2026-09-10 one, consistent → no DQ error. A second client's only record (2026-08-25) says yes with no
    source → error; a third has none in the window → error (missing)."""
    records = [
        ("I1", "E1", "2026-08-01", 0, 0),
        ("I2", "E1", "2026-08-25", 0, 0),
        ("I3", "E1", "2026-09-10", 1, 1),
        ("I4", "E2", "2026-08-25", 1, 0),
        ("I5", "E3", "2026-07-01", 0, 0),
    ]
    tables = HmisTables.from_frames(
        IncomeBenefits=[
            {"IncomeBenefitsID": i, "EnrollmentID": e, "InformationDate": day, "IncomeFromAnySource": any_,
             "SSI": ssi, "DataCollectionStage": 5}
            for i, e, day, any_, ssi in records
        ]
    )  # fmt: skip
    window = pl.DataFrame(
        {"EnrollmentID": ["E1", "E2", "E3"], "window_start": [D(2026, 8, 21)] * 3, "window_end": [D(2026, 9, 30)] * 3}
    )
    out = income.at_stage(tables, window, "annual").sort("EnrollmentID")
    assert out["income_annual_date"].to_list() == [D(2026, 9, 10), D(2026, 8, 25), None]
    assert out.select(income.dq_error("income_annual"))["income_annual_found"].to_list() == [False, True, True]


def test_methods_3_and_5_count_nights_in_residence() -> None:
    """Method 5: at least one night inside the range — a stay that exits on the report start day (2025-10-01)
    spent no night in it (X1: not active; Method 1 would count it). Method 3 adds, for permanent housing, a
    valid move-in on or before the report end: R1 moved in 2026-01-15 → active; R2 has no move-in → not
    active in residence (active by Method 5); R3 moved in 2026-10-01, after the end → not. A night-by-night
    stay needs a bed night in the range (N1 has one on 2026-03-03 → active).
    """
    tables = HmisTables.from_frames(
        Project=[project("ES", 0), project("RRH", 13), project("NBN", 1)],
        Enrollment=[
            enrollment("X1", "C1", "H1", 1, "2025-09-01", "ES"),
            enrollment("E1", "C2", "H2", 1, "2025-09-01", "ES"),
            enrollment("R1", "C3", "H3", 1, "2025-12-01", "RRH", MoveInDate="2026-01-15"),
            enrollment("R2", "C4", "H4", 1, "2025-12-01", "RRH"),
            enrollment("R3", "C5", "H5", 1, "2025-12-01", "RRH", MoveInDate="2026-10-01"),
            enrollment("N1", "C6", "H6", 1, "2026-03-01", "NBN"),
        ],
        Exit=[{"ExitID": "XX1", "EnrollmentID": "X1", "ExitDate": "2025-10-01"}],
        Services=[{"ServicesID": "S1", "EnrollmentID": "N1", "DateProvided": "2026-03-03", "RecordType": 200}],
    )
    spans = active.enrollment_spans(tables).sort("EnrollmentID")
    ids = spans["EnrollmentID"].to_list()
    assert ids == ["E1", "N1", "R1", "R2", "R3", "X1"]
    assert dict(zip(ids, active.method5(tables, spans, PARAMS).to_list(), strict=True)) == {
        "E1": True, "N1": True, "R1": True, "R2": True, "R3": True, "X1": False,
    }  # fmt: skip
    assert dict(zip(ids, active.method3(tables, spans, PARAMS).to_list(), strict=True)) == {
        "E1": True, "N1": True, "R1": True, "R2": False, "R3": False, "X1": False,
    }  # fmt: skip
    assert spans.filter(active.method1(PARAMS))["EnrollmentID"].to_list() == ids


def test_method_2_keeps_each_flag_with_its_own_enrollment() -> None:
    """500 night-by-night stays, every third with a bed night in the range: exactly those are active (the
    per-row flags must stay aligned with their enrollments whatever order a join returns)."""
    count = 500
    tables = HmisTables.from_frames(
        Project=[project("NBN", 1)],
        Enrollment=[enrollment(f"N{i:03}", f"C{i}", f"H{i}", 1, "2025-09-01", "NBN") for i in range(count)],
        Services=[
            {"ServicesID": f"S{i}", "EnrollmentID": f"N{i:03}", "DateProvided": "2025-12-01", "RecordType": 200}
            for i in range(0, count, 3)
        ],
    )
    found = sorted(active.active_enrollments(tables, PARAMS)["EnrollmentID"].to_list())
    assert found == [f"N{i:03}" for i in range(0, count, 3)]
    spans = active.enrollment_spans(tables)
    flags = dict(zip(spans["EnrollmentID"].to_list(), active.method5(tables, spans, PARAMS).to_list(), strict=True))
    assert {e for e, on in flags.items() if on} == {f"N{i:03}" for i in range(0, count, 3)}


def test_total_income_categories_and_earned_income() -> None:
    """Glossary "Total Income" decision table, one record per row (stage 1, dated on the start):
    I1 TotalMonthlyIncome 900 → amount 900. I2 IncomeFromAnySource no → no income. I3 yes, total empty, SSI 300 +
    Earned 200 → amount 500 (sum of sources), earned 200. I4 yes with no amounts → income, amount missing.
    I5 client doesn't know (8) → dk_pnta. I6 not collected (99) → missing. E7 has no record → missing.
    Earned income (4.02.3): Earned yes with no amount counts as $0 (I8)."""
    rows: list[tuple[str, str, dict[str, Any]]] = [
        ("I1", "E1", {"IncomeFromAnySource": 1, "TotalMonthlyIncome": 900.0, "SSI": 1, "SSIAmount": 900.0}),
        ("I2", "E2", {"IncomeFromAnySource": 0, "TotalMonthlyIncome": 0.0}),
        ("I3", "E3", {"IncomeFromAnySource": 1, "SSI": 1, "SSIAmount": 300.0, "Earned": 1, "EarnedAmount": 200.0}),
        ("I4", "E4", {"IncomeFromAnySource": 1, "SSI": 1}),
        ("I5", "E5", {"IncomeFromAnySource": 8}),
        ("I6", "E6", {"IncomeFromAnySource": 99}),
        ("I8", "E8", {"IncomeFromAnySource": 1, "Earned": 1}),
    ]
    tables = HmisTables.from_frames(
        IncomeBenefits=[
            {"IncomeBenefitsID": i, "EnrollmentID": e, "InformationDate": "2025-11-01", "DataCollectionStage": 1, **v}
            for i, e, v in rows
        ]
    )
    frame = pl.DataFrame(
        {"EnrollmentID": [f"E{n}" for n in range(1, 9)], "EntryDate": [D(2025, 11, 1)] * 8},
    )
    out = income.at_stage(tables, frame, "start").sort("EnrollmentID")
    categories = out.select(income.total_category("income_start").alias("c"))["c"].to_list()
    assert categories == [
        income.AMOUNT, income.NO_INCOME, income.AMOUNT, income.AMOUNT_MISSING,
        income.DK, income.NOT_COLLECTED, income.NOT_COLLECTED, income.AMOUNT_MISSING,
    ]  # fmt: skip
    amounts = out.select(income.total_amount("income_start").alias("a"))["a"].to_list()
    assert amounts[:3] == [900.0, 0.0, 500.0]
    assert out["income_start_earned"].to_list() == [None, None, 200.0, None, None, None, None, 0.0]
    errors = out.select(income.dq_error("income_start").alias("e"))["e"].to_list()
    assert errors == [False, False, False, False, True, True, True, False]


def test_destination_groups() -> None:
    """Data Standards 3.12 groups (FY2024+ codes): 116 homeless, 215 institutional, 302 temporary, 435 permanent,
    24 deceased and 30 no exit interview "other"; 8, 30, 99 and none are data-quality problems, 24 is not."""
    from hearth.reports.glossary import destinations

    codes = pl.DataFrame({"d": [116, 215, 302, 435, 24, 30, 8, 99, None]}, schema={"d": pl.Int64})
    out = codes.select(destinations.group(pl.col("d")).alias("g"), destinations.missing(pl.col("d")).alias("m"))
    assert out["g"].to_list() == [
        "homeless", "institutional", "temporary", "permanent", "other", "other", "other", "other", "other",
    ]  # fmt: skip
    assert out["m"].to_list() == [False, False, False, False, False, True, True, True, True]


def test_source_amounts_decide_before_a_no_income_answer() -> None:
    """HUD Data Lab's kit (apr/th_coc Q16): IncomeFromAnySource = no, TotalMonthlyIncome 0, but one source marked
    yes with $849 → counted as an amount of 849, not as no income (and it is a DQ inconsistency)."""
    tables = HmisTables.from_frames(
        IncomeBenefits=[
            {"IncomeBenefitsID": "I1", "EnrollmentID": "E1", "InformationDate": "2025-11-01", "DataCollectionStage": 1,
             "IncomeFromAnySource": 0, "TotalMonthlyIncome": 0.0, "SSDI": 1, "SSDIAmount": 849.0}
        ]
    )  # fmt: skip
    frame = pl.DataFrame({"EnrollmentID": ["E1"], "EntryDate": [D(2025, 11, 1)]})
    out = income.at_stage(tables, frame, "start")
    assert out.select(income.total_category("income_start").alias("c"))["c"].to_list() == [income.AMOUNT]
    assert out.select(income.total_amount("income_start").alias("a"))["a"].to_list() == [849.0]
    assert out.select(income.dq_error("income_start").alias("e"))["e"].to_list() == [True]


def test_total_income_of_zero_dollars_is_no_income() -> None:
    """Glossary "Determining Total and Earned Income" (FY2026), rows processed in order, first match wins:
    Z1 yes, TotalMonthlyIncome $0.00, SSDI yes with $0.00 → row 3 (a source specified with its amount entered:
    the sum, $0.00) → no income; the record of kit 2.0 caper/hp_esg client 92331 at start, "no income" for HUD
    Data Lab too. Z2 yes, $0.00, no source → row 5 ($0.00 entered, "yes") → no income. Z3 IncomeFromAnySource
    empty, $0.00 → row 5 → no income. Z4 yes, no total, SSI yes with no amount → row 7 (missing). Z5 no, $0.00,
    an SSI amount of $300 with SSI not marked yes → row 4 (no source specified, so row 3 does not apply) →
    $0.00, no income. Z6 not collected (99) with $0.00 → row 7 (row 5 asks yes or null)."""
    rows: list[tuple[str, dict[str, Any]]] = [
        ("Z1", {"IncomeFromAnySource": 1, "TotalMonthlyIncome": 0.0, "SSDI": 1, "SSDIAmount": 0.0}),
        ("Z2", {"IncomeFromAnySource": 1, "TotalMonthlyIncome": 0.0}),
        ("Z3", {"IncomeFromAnySource": None, "TotalMonthlyIncome": 0.0}),
        ("Z4", {"IncomeFromAnySource": 1, "SSI": 1}),
        ("Z5", {"IncomeFromAnySource": 0, "TotalMonthlyIncome": 0.0, "SSI": 0, "SSIAmount": 300.0}),
        ("Z6", {"IncomeFromAnySource": 99, "TotalMonthlyIncome": 0.0}),
    ]
    tables = HmisTables.from_frames(
        IncomeBenefits=[
            {"IncomeBenefitsID": f"I{e}", "EnrollmentID": e, "InformationDate": "2025-11-01", "DataCollectionStage": 1,
             **v}
            for e, v in rows
        ]
    )  # fmt: skip
    frame = pl.DataFrame({"EnrollmentID": [e for e, _ in rows], "EntryDate": [D(2025, 11, 1)] * len(rows)})
    out = income.at_stage(tables, frame, "start").sort("EnrollmentID")
    categories = out.select(income.total_category("income_start").alias("c"))["c"].to_list()
    assert categories == [
        income.NO_INCOME, income.NO_INCOME, income.NO_INCOME, income.AMOUNT_MISSING, income.NO_INCOME,
        income.NOT_COLLECTED,
    ]  # fmt: skip
    assert out.select(income.total_amount("income_start").alias("a"))["a"].to_list() == [0.0] * 6
