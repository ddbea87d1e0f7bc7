"""APR shells and rules on hand-built records (no ../shared needed): exact numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import polars as pl

from hearth.reports.apr import q7_q8
from hearth.reports.apr.report import compute
from hearth.reports.apr.shells import report_tables, shell
from hearth.reports.params import ReportParams
from hearth.reports.sage import write_sage
from hearth.reports.tables import HmisTables

PARAMS = ReportParams.create(start="2021-10-01", end="2022-09-30")


def test_every_fy2026_table_has_a_shell() -> None:
    assert len(report_tables("apr")) == 67
    assert len(report_tables("caper")) == 40
    assert "Q10a" not in report_tables("apr")
    assert "Q24e" in report_tables("apr")
    q23c = shell("Q23c")
    assert q23c.row("Total") == 40
    assert q23c.rows[-1] == (43, "Percentage of persons exiting to positive housing destinations")
    assert shell("Q15").numbers == tuple(range(2, 33))


def family() -> HmisTables:
    """An RRH family: adult head A (moved in 2022-01-10), child K present at move-in, child L who joined later
    and left to a rental without subsidy; and a single adult S in the same project who exited unhoused."""
    return HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[{"ProjectID": "P", "OrganizationID": "O", "ProjectName": "RRH", "ProjectType": 13}],
        Client=[
            {"PersonalID": "A", "DOB": "1990-01-01", "DOBDataQuality": 1},
            {"PersonalID": "K", "DOB": "2015-01-01", "DOBDataQuality": 1},
            {"PersonalID": "L", "DOB": "2016-01-01", "DOBDataQuality": 1},
            {"PersonalID": "S", "DOB": None, "DOBDataQuality": 8},
        ],
        Enrollment=[
            {"EnrollmentID": "1", "PersonalID": "A", "ProjectID": "P", "EntryDate": "2022-01-01",
             "HouseholdID": "H", "RelationshipToHoH": 1, "MoveInDate": "2022-01-10"},
            {"EnrollmentID": "2", "PersonalID": "K", "ProjectID": "P", "EntryDate": "2022-01-01",
             "HouseholdID": "H", "RelationshipToHoH": 2},
            {"EnrollmentID": "3", "PersonalID": "L", "ProjectID": "P", "EntryDate": "2022-03-01",
             "HouseholdID": "H", "RelationshipToHoH": 2},
            {"EnrollmentID": "4", "PersonalID": "S", "ProjectID": "P", "EntryDate": "2021-09-01",
             "HouseholdID": "HS", "RelationshipToHoH": 1},
        ],
        Exit=[
            {"ExitID": "X3", "EnrollmentID": "3", "PersonalID": "L", "ExitDate": "2022-06-30", "Destination": 410},
            {"ExitID": "X4", "EnrollmentID": "4", "PersonalID": "S", "ExitDate": "2021-12-31", "Destination": 116},
        ],
    )  # fmt: skip


def test_persons_households_and_move_in() -> None:
    result = compute("apr", family(), PARAMS)
    q7a = result.table("Q7a")
    # Adults: A; children: K, L; DK/PNTA age: S (no DOB, quality 8); moved in: A, K (inherits), L (own start).
    assert [q7a["B2"], q7a["B3"], q7a["B4"], q7a["B5"], q7a["B6"], q7a["B7"]] == [1, 2, 1, 0, 4, 3]
    assert [q7a["D6"], q7a["F6"]] == [3, 1]  # family with children and adults; S unknown household type
    assert result.cell_members("Q7a", "B3")["PersonalID"].to_list() == ["K", "L"]
    q8a = result.table("Q8a")
    assert [q8a["B2"], q8a["D2"], q8a["F2"], q8a["B3"]] == [2, 1, 1, 1]


def test_length_of_participation_and_destinations() -> None:
    result = compute("apr", family(), PARAMS)
    q22a1 = result.table("Q22a1")
    # A, K: 2022-01-01 .. report end + 1 = 273 days (181-365, row 6); L: 121 days (91-180, row 5);
    # S: 2021-09-01 .. 2021-12-31 = 121 days (row 5).
    assert [q22a1["B5"], q22a1["B6"], q22a1["C5"], q22a1["D6"], q22a1["B12"]] == [2, 2, 2, 2, 4]
    q22b = result.table("Q22b")
    assert [q22b["B2"], q22b["C2"]] == [121.0, 273.0]
    q23c = result.table("Q23c")
    # Leavers L (410 rental, positive) and S (116 place not meant for habitation).
    assert [q23c["B3"], q23c["B28"], q23c["B40"], q23c["B41"], q23c["B43"]] == [1, 1, 2, 1, 0.5]


def test_every_sage_table_is_present_in_shell_order() -> None:
    result = compute("caper", family(), PARAMS)
    assert list(result.tables) == list(report_tables("caper"))
    q24e = result.table("Q24e")
    assert q24e.rows == ("Female", "Male", "Client Doesn’t Know/Prefers Not to Answer", "Data not collected", "Total")


def test_pit_dates_are_last_wednesdays_inside_the_range() -> None:
    assert q7_q8.pit_dates(PARAMS) == [
        (2, dt.date(2022, 1, 26)),
        (3, dt.date(2022, 4, 27)),
        (4, dt.date(2022, 7, 27)),
        (5, dt.date(2021, 10, 27)),
    ]


def test_pit_counts_only_people_housed_that_night() -> None:
    result = compute("apr", family(), PARAMS)
    q7b = result.table("Q7b")
    # Jan 26: A, K moved in (Jan 10); L not yet enrolled; S exited. Apr 27: A, K, L. Oct 27 2021: S had no
    # move-in (RRH counts only housed people).
    assert [q7b["B2"], q7b["B3"], q7b["B4"], q7b["B5"]] == [2, 3, 2, 0]
    assert pl.Series(result.cell_members("Q7b", "B3")["PersonalID"]).to_list() == ["A", "K", "L"]


def test_sage_zip_has_every_file_with_decimal_percentages(tmp_path: Path) -> None:
    result = compute("apr", family(), PARAMS)
    path = write_sage(result, tmp_path / "apr.zip")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        q23c = archive.read("Q23c.csv").decode("utf-8").splitlines()
    assert sorted(names) == sorted(f"{t}.csv" for t in report_tables("apr"))
    assert len(q23c) == 43  # header + rows 2..43, HUD's positions
    assert q23c[42].split(",")[1] == "0.5000"  # Percentage: a decimal with four places


def outreach_and_prevention() -> HmisTables:
    """Street outreach leaver P exits to a temporary destination (positive for SO, Appendix A); prevention leaver
    Q exits to a hospital (excluded everywhere but SO: no, SO excludes it too); R (SO) to a jail (neither)."""
    return HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[
            {"ProjectID": "SO", "OrganizationID": "O", "ProjectName": "Outreach", "ProjectType": 4},
            {"ProjectID": "HP", "OrganizationID": "O", "ProjectName": "Prevention", "ProjectType": 12},
        ],
        Client=[{"PersonalID": p, "DOB": "1980-01-01", "DOBDataQuality": 1} for p in ("P", "Q", "R")],
        Enrollment=[
            {"EnrollmentID": "1", "PersonalID": "P", "ProjectID": "SO", "EntryDate": "2022-01-01",
             "HouseholdID": "H1", "RelationshipToHoH": 1, "DateOfEngagement": "2022-01-05"},
            {"EnrollmentID": "2", "PersonalID": "Q", "ProjectID": "HP", "EntryDate": "2022-01-01",
             "HouseholdID": "H2", "RelationshipToHoH": 1},
            {"EnrollmentID": "3", "PersonalID": "R", "ProjectID": "SO", "EntryDate": "2022-02-01",
             "HouseholdID": "H3", "RelationshipToHoH": 1},
        ],
        Exit=[
            {"ExitID": "X1", "EnrollmentID": "1", "PersonalID": "P", "ExitDate": "2022-03-01", "Destination": 313},
            {"ExitID": "X2", "EnrollmentID": "2", "PersonalID": "Q", "ExitDate": "2022-03-01", "Destination": 206},
            {"ExitID": "X3", "EnrollmentID": "3", "PersonalID": "R", "ExitDate": "2022-03-01", "Destination": 207},
        ],
        CurrentLivingSituation=[
            {"CurrentLivingSitID": "C1", "EnrollmentID": "1", "PersonalID": "P", "InformationDate": "2022-01-02",
             "CurrentLivingSituation": 116},
            {"CurrentLivingSitID": "C2", "EnrollmentID": "1", "PersonalID": "P", "InformationDate": "2022-01-03",
             "CurrentLivingSituation": 116},
        ],
    )  # fmt: skip


def test_destinations_positive_and_excluded_by_project_type() -> None:
    result = compute("caper", outreach_and_prevention(), PARAMS)
    q23c = result.table("Q23c")
    # Leavers 3; positive: P (313 friends, temporary, counts for SO); excluded: Q (206 hospital).
    assert [q23c["B40"], q23c["B41"], q23c["B42"], q23c["B43"]] == [3, 1, 1, 0.5]
    assert result.cell_members("Q23c", "B41")["PersonalID"].to_list() == ["P"]


def test_outreach_contacts_and_engagement() -> None:
    result = compute("caper", outreach_and_prevention(), PARAMS)
    q9a, q9b = result.table("Q9a"), result.table("Q9b")
    # P: two contacts on the street plus the engagement date (no contact that day) = 3 (row 3, "2-5 times"),
    # first contact on the street (D). R: no contact, not counted.
    assert [q9a["B3"], q9a["D3"], q9a["B6"]] == [1, 1, 1]
    # Engaged inside the range: P, with the three contacts up to the engagement date; rate 1 of 1.
    assert [q9b["B3"], q9b["B6"], q9b["B7"]] == [1, 1, 1.0]


def income_change() -> HmisTables:
    """Adult leaver with $400 earned at start and $600 earned plus $200 SSI at exit."""
    income_row = {"IncomeFromAnySource": 1, "Earned": 1}
    return HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[{"ProjectID": "P", "OrganizationID": "O", "ProjectName": "TH", "ProjectType": 2}],
        Client=[{"PersonalID": "A", "DOB": "1980-01-01", "DOBDataQuality": 1}],
        Enrollment=[{"EnrollmentID": "1", "PersonalID": "A", "ProjectID": "P", "EntryDate": "2022-01-01",
                     "HouseholdID": "H", "RelationshipToHoH": 1, "DisablingCondition": 1}],
        Exit=[{"ExitID": "X", "EnrollmentID": "1", "PersonalID": "A", "ExitDate": "2022-06-30", "Destination": 410}],
        IncomeBenefits=[
            {"IncomeBenefitsID": "I1", "EnrollmentID": "1", "PersonalID": "A", "InformationDate": "2022-01-01",
             "DataCollectionStage": 1, "TotalMonthlyIncome": 400.0, "EarnedAmount": 400.0, **income_row},
            {"IncomeBenefitsID": "I3", "EnrollmentID": "1", "PersonalID": "A", "InformationDate": "2022-06-30",
             "DataCollectionStage": 3, "TotalMonthlyIncome": 800.0, "EarnedAmount": 600.0, "SSI": 1,
             "SSIAmount": 200.0, **income_row},
        ],
    )  # fmt: skip


def test_income_change_and_disabling_conditions_at_exit() -> None:
    result = compute("apr", income_change(), PARAMS)
    q19a2 = result.table("Q19a2")
    # Earned: retained and increased (E) by 200; other: gained (F) 200; total: increased (E) by 400.
    assert [q19a2["E2"], q19a2["E3"], q19a2["F4"], q19a2["F5"], q19a2["E6"], q19a2["E7"]] == [
        1,
        200.0,
        1,
        200.0,
        1,
        400.0,
    ]
    assert [q19a2["H6"], q19a2["I6"], q19a2["J6"]] == [1, 1, 1.0]
    q19b = result.table("Q19b")
    # Without children: earned and SSI at exit, with a disabling condition (B), 100 % (E).
    assert [q19b["B2"], q19b["B3"], q19b["D14"], q19b["E2"]] == [1, 1, 1, 1.0]
    q16 = result.table("Q16")
    assert [q16["B5"], q16["D6"]] == [1, 1]  # $400 at start: $251–$500 (row 5); $800 at exit: $501–$1,000 (row 6)


def test_benefits_without_any_record_are_data_not_collected() -> None:
    """Q20b: an adult with no 4.03 record at start is "data not collected" (row 5), so the rows add up to the
    total (kit 2.0 apr/th_coc B5 found them in no row)."""
    q20b = compute("apr", family(), PARAMS).table("Q20b")
    # Adult A (K and L are children, S of unknown age) has no IncomeBenefits record.
    assert [q20b["B2"], q20b["B3"], q20b["B4"], q20b["B5"], q20b["B6"]] == [0, 0, 0, 1, 1]


def test_q16_income_of_zero_dollars_with_a_source_is_no_income() -> None:
    """CAPER Q16 (FY2026 spec Q16, instruction 2: rows 2–9 by [total income] from the Glossary's "Determining
    Total and Earned Income"): adult Y says yes with TotalMonthlyIncome $0.00 and SSDI yes at $0.00 — table row 3,
    the source amounts' sum, $0.00 — so "No Income" (B2); adult N says yes, SSI yes with no amount and no total —
    row 7, null — so "Data Not Collected" (B11). Kit 2.0 caper/hp_esg B2 (client 92331) is Y's case."""
    tables = HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[{"ProjectID": "P", "OrganizationID": "O", "ProjectName": "HP", "ProjectType": 12}],
        Client=[{"PersonalID": p, "DOB": "1980-01-01", "DOBDataQuality": 1} for p in ("Y", "N")],
        Enrollment=[{"EnrollmentID": p, "PersonalID": p, "ProjectID": "P", "EntryDate": "2022-01-01",
                     "HouseholdID": f"H{p}", "RelationshipToHoH": 1} for p in ("Y", "N")],
        IncomeBenefits=[
            {"IncomeBenefitsID": "IY", "EnrollmentID": "Y", "PersonalID": "Y", "InformationDate": "2022-01-01",
             "DataCollectionStage": 1, "IncomeFromAnySource": 1, "TotalMonthlyIncome": 0.0, "SSDI": 1,
             "SSDIAmount": 0.0},
            {"IncomeBenefitsID": "IN", "EnrollmentID": "N", "PersonalID": "N", "InformationDate": "2022-01-01",
             "DataCollectionStage": 1, "IncomeFromAnySource": 1, "SSI": 1},
        ],
    )  # fmt: skip
    q16 = compute("caper", tables, PARAMS).table("Q16")
    assert [q16["B2"], q16["B3"], q16["B10"], q16["B11"], q16["B14"]] == [1, 0, 0, 1, 2]


def test_q16_bands_whole_dollars_rounded_half_up() -> None:
    """CAPER Q16 (FY2026 spec Q16 instruction 2a: "$0.49 and below rounds down to the nearest dollar, while $0.50
    and above rounds up ... $500.50 should be rounded up to $501"): five adults with TotalMonthlyIncome at start
    $500.50 → $501 ($501–$1,000, row 6); $0.40 → $0 (No Income, row 2); $0.70 → $1 ($1–$150, row 3); $150.49 →
    $150 (row 3); $2,000.50 → $2,001 ($2,001+, row 9). Each adult in exactly one row."""
    totals = {"A": 500.50, "B": 0.40, "C": 0.70, "D": 150.49, "E": 2000.50}
    tables = HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[{"ProjectID": "P", "OrganizationID": "O", "ProjectName": "HP", "ProjectType": 12}],
        Client=[{"PersonalID": p, "DOB": "1980-01-01", "DOBDataQuality": 1} for p in totals],
        Enrollment=[{"EnrollmentID": p, "PersonalID": p, "ProjectID": "P", "EntryDate": "2022-01-01",
                     "HouseholdID": f"H{p}", "RelationshipToHoH": 1} for p in totals],
        IncomeBenefits=[
            {"IncomeBenefitsID": f"I{p}", "EnrollmentID": p, "PersonalID": p, "InformationDate": "2022-01-01",
             "DataCollectionStage": 1, "IncomeFromAnySource": 1, "TotalMonthlyIncome": total, "SSI": 1,
             "SSIAmount": total}
            for p, total in totals.items()
        ],
    )  # fmt: skip
    q16 = compute("caper", tables, PARAMS).table("Q16")
    assert [q16[f"B{row}"] for row in range(2, 12)] == [1, 2, 0, 0, 1, 0, 0, 1, 0, 0]
    assert q16["B14"] == 5


def one_adult(**records: list[dict[str, object]]) -> HmisTables:
    """Adult A, head of household H, in transitional housing P from 2022-01-01 (enrollment "1"), with
    ``records`` (record name → rows) hung on that enrollment."""
    return HmisTables.from_frames(
        "frames",
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[{"ProjectID": "P", "OrganizationID": "O", "ProjectName": "TH", "ProjectType": 2}],
        Client=[{"PersonalID": "A", "DOB": "1980-01-01", "DOBDataQuality": 1}],
        Enrollment=[{"EnrollmentID": "1", "PersonalID": "A", "ProjectID": "P", "EntryDate": "2022-01-01",
                     "HouseholdID": "H", "RelationshipToHoH": 1}],
        **records,
    )  # fmt: skip


def test_every_table_reads_the_one_record_a_stage_chose() -> None:
    """Two start records (stage 1) on the project start date: the Glossary's rule takes one (hearth.reports.
    glossary.income: the latest, ties broken by the highest IncomeBenefitsID — here "I2"), and every table reads
    that record: income (Q16), its sources (Q17), benefits (Q20a) and insurance (Q21) — never the income of one
    record and the benefits of the other. Listed in file order "I2" first, so "the last in the file" would
    choose "I1"."""
    start = {"EnrollmentID": "1", "PersonalID": "A", "InformationDate": "2022-01-01", "DataCollectionStage": 1}
    tables = one_adult(
        IncomeBenefits=[
            {"IncomeBenefitsID": "I2", **start, "IncomeFromAnySource": 1, "TotalMonthlyIncome": 900.0, "SSI": 1,
             "SSIAmount": 900.0, "BenefitsFromAnySource": 1, "SNAP": 1, "InsuranceFromAnySource": 1, "Medicaid": 1},
            {"IncomeBenefitsID": "I1", **start, "IncomeFromAnySource": 1, "TotalMonthlyIncome": 100.0, "Earned": 1,
             "EarnedAmount": 100.0, "BenefitsFromAnySource": 1, "WIC": 1, "InsuranceFromAnySource": 1,
             "Medicare": 1},
        ],
    )  # fmt: skip
    result = compute("apr", tables, PARAMS)
    q16, q17, q20a, q21 = (result.table(name) for name in ("Q16", "Q17", "Q20a", "Q21"))
    assert [q16["B6"], q16["B3"]] == [1, 0]  # $900 ($501–$1,000), not $100
    assert [q17["B4"], q17["B2"]] == [1, 0]  # SSI (row 4), not earned income (row 2)
    assert [q20a["B2"], q20a["B3"]] == [1, 0]  # SNAP (row 2), not WIC (row 3)
    assert [q21["B2"], q21["B3"]] == [1, 0]  # Medicaid (row 2), not Medicare (row 3)


def test_q14_two_dv_records_on_one_date_take_the_higher_record_id() -> None:
    """Q14a reads the latest 4.11 record; two on the same date and stage are decided by HealthAndDVID (the
    higher), not by the rows' order: "H2" (no) wins over "H1" (yes) although "H1" is listed last."""
    dv = {"EnrollmentID": "1", "PersonalID": "A", "InformationDate": "2022-01-01", "DataCollectionStage": 1}
    tables = one_adult(
        HealthAndDV=[{"HealthAndDVID": "H2", **dv, "DomesticViolenceSurvivor": 0},
                     {"HealthAndDVID": "H1", **dv, "DomesticViolenceSurvivor": 1}],
    )  # fmt: skip
    q14a = compute("apr", tables, PARAMS).table("Q14a")
    assert [q14a["B2"], q14a["B3"]] == [0, 1]


def youth_leavers() -> HmisTables:
    """A transitional housing project for youth: heads Y1 (19, left; not enrolled in school at start, a GED;
    enrolled at exit and attending, pursuing an associate's degree), Y2 (20, left; start record only, two of
    them: the later one counts), Y3 (18, still there), and M (30, left: not youth); plus Y4 (17, left) in an
    emergency shelter, a project type C3 is not asked in (Q27M_PROJECT_TYPES)."""
    return HmisTables.from_frames(
        Organization=[{"OrganizationID": "O", "OrganizationName": "Org", "VictimServiceProvider": 0}],
        Project=[
            {"ProjectID": "TH", "OrganizationID": "O", "ProjectName": "Youth TH", "ProjectType": 2},
            {"ProjectID": "ES", "OrganizationID": "O", "ProjectName": "Youth ES", "ProjectType": 0},
        ],
        Client=[
            {"PersonalID": "Y1", "DOB": "2002-06-01", "DOBDataQuality": 1},
            {"PersonalID": "Y2", "DOB": "2001-06-01", "DOBDataQuality": 1},
            {"PersonalID": "Y3", "DOB": "2003-06-01", "DOBDataQuality": 1},
            {"PersonalID": "M", "DOB": "1991-06-01", "DOBDataQuality": 1},
            {"PersonalID": "Y4", "DOB": "2004-12-01", "DOBDataQuality": 1},
        ],
        Enrollment=[
            {"EnrollmentID": "1", "PersonalID": "Y1", "ProjectID": "TH", "EntryDate": "2021-11-01",
             "HouseholdID": "H1", "RelationshipToHoH": 1},
            {"EnrollmentID": "2", "PersonalID": "Y2", "ProjectID": "TH", "EntryDate": "2021-11-01",
             "HouseholdID": "H2", "RelationshipToHoH": 1},
            {"EnrollmentID": "3", "PersonalID": "Y3", "ProjectID": "TH", "EntryDate": "2021-11-01",
             "HouseholdID": "H3", "RelationshipToHoH": 1},
            {"EnrollmentID": "4", "PersonalID": "M", "ProjectID": "TH", "EntryDate": "2021-11-01",
             "HouseholdID": "H4", "RelationshipToHoH": 1},
            {"EnrollmentID": "5", "PersonalID": "Y4", "ProjectID": "ES", "EntryDate": "2021-11-01",
             "HouseholdID": "H5", "RelationshipToHoH": 1},
        ],
        Exit=[
            {"ExitID": f"X{n}", "EnrollmentID": n, "PersonalID": p, "ExitDate": "2022-05-31", "Destination": 410}
            for n, p in (("1", "Y1"), ("2", "Y2"), ("4", "M"), ("5", "Y4"))
        ],
        YouthEducationStatus=[
            {"YouthEducationStatusID": "E1", "EnrollmentID": "1", "PersonalID": "Y1", "InformationDate": "2021-11-01",
             "CurrentSchoolAttend": 0, "MostRecentEdStatus": 1, "DataCollectionStage": 1},
            {"YouthEducationStatusID": "E2", "EnrollmentID": "1", "PersonalID": "Y1", "InformationDate": "2022-05-31",
             "CurrentSchoolAttend": 2, "CurrentEdStatus": 1, "DataCollectionStage": 3},
            {"YouthEducationStatusID": "E4", "EnrollmentID": "2", "PersonalID": "Y2", "InformationDate": "2021-11-02",
             "CurrentSchoolAttend": 1, "CurrentEdStatus": 9, "DataCollectionStage": 1},
            {"YouthEducationStatusID": "E3", "EnrollmentID": "2", "PersonalID": "Y2", "InformationDate": "2021-11-01",
             "CurrentSchoolAttend": 99, "DataCollectionStage": 1},
            {"YouthEducationStatusID": "E5", "EnrollmentID": "3", "PersonalID": "Y3", "InformationDate": "2021-11-01",
             "CurrentSchoolAttend": 0, "MostRecentEdStatus": 2, "DataCollectionStage": 1},
            {"YouthEducationStatusID": "E6", "EnrollmentID": "5", "PersonalID": "Y4", "InformationDate": "2021-11-01",
             "CurrentSchoolAttend": 0, "MostRecentEdStatus": 2, "DataCollectionStage": 1},
        ],
    )  # fmt: skip


def test_q27m_education_of_youth_heads_who_left_at_start_and_exit() -> None:
    result = compute("apr", youth_leavers(), PARAMS)
    q27m = result.table("Q27m")
    grid = {address: q27m[address] for address in (f"{c}{r}" for c in "BC" for r in range(2, 27))}
    counted = {address: n for address, n in grid.items() if n}
    # Y1 at start: not enrolled (B2), a GED (B9); at exit: attending (C4), an associate's degree (C20).
    # Y2 at start (the later record): enrolled, not attending (B3), prefers not to answer (B24); no exit record:
    # data not collected (C6; C3.A and C3.B count only those whose C3.2 says not enrolled / enrolled).
    # Total (row 26): Y1 and Y2. Not counted: Y3 (stayer), M (30: not youth), Y4 (a shelter's).
    assert counted == {"B2": 1, "B9": 1, "B3": 1, "B24": 1, "B26": 2, "C4": 1, "C20": 1, "C6": 1, "C26": 2}
    assert grid["B7"] is None  # the two headings
    assert grid["C18"] is None
    assert result.cell_members("Q27m", "B26")["PersonalID"].to_list() == ["Y1", "Y2"]
    assert shell("Q27m").row("Total") == 26
