"""APR shells and universe rules on hand-built records (no ../shared needed)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from hearth.reports.apr import q7_q8, universe
from hearth.reports.apr.shells import report_tables, shell
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables


def test_every_fy2026_table_has_a_shell() -> None:
    assert len(report_tables("apr")) == 67
    assert len(report_tables("caper")) == 40
    assert "Q10a" not in report_tables("apr")
    assert "Q24e" in report_tables("apr")
    q23c = shell("Q23c")
    assert q23c.row("Total") == 40
    assert q23c.rows[-1] == (43, "Percentage of persons exiting to positive housing destinations")
    assert shell("Q15").numbers == tuple(range(2, 33))


def test_age_is_birthday_arithmetic() -> None:
    frame = pl.DataFrame({"dob": [dt.date(2004, 10, 2), dt.date(2004, 10, 1), None]})
    ages = frame.select(universe.age_expr(pl.col("dob"), pl.lit(dt.date(2022, 10, 1))).alias("age"))["age"].to_list()
    assert ages == [17, 18, None]


def _tables() -> HmisTables:
    return HmisTables.from_frames(
        Project=[{"ProjectID": "P", "OrganizationID": "O", "ProjectType": 13}],
        Client=[
            {"PersonalID": "A", "DOB": "1990-01-01", "DOBDataQuality": 1},
            {"PersonalID": "K", "DOB": "2015-01-01", "DOBDataQuality": 1},
            {"PersonalID": "L", "DOB": "2016-01-01", "DOBDataQuality": 1},
        ],
        Enrollment=[
            # Adult head moved in 2022-01-10; child K present at move-in inherits it; child L joined later.
            {
                "EnrollmentID": "1",
                "PersonalID": "A",
                "ProjectID": "P",
                "EntryDate": "2022-01-01",
                "HouseholdID": "H",
                "RelationshipToHoH": 1,
                "MoveInDate": "2022-01-10",
            },
            {
                "EnrollmentID": "2",
                "PersonalID": "K",
                "ProjectID": "P",
                "EntryDate": "2022-01-01",
                "HouseholdID": "H",
                "RelationshipToHoH": 2,
            },
            {
                "EnrollmentID": "3",
                "PersonalID": "L",
                "ProjectID": "P",
                "EntryDate": "2022-03-01",
                "HouseholdID": "H",
                "RelationshipToHoH": 2,
            },
        ],
        Exit=[{"ExitID": "X", "EnrollmentID": "3", "PersonalID": "L", "ExitDate": "2022-06-30", "Destination": 410}],
    )


def test_household_type_and_move_in_inheritance() -> None:
    params = ReportParams.create(start="2021-10-01", end="2022-09-30")
    u = universe.build(_tables(), params).sort("PersonalID")
    assert u["HouseholdType"].to_list() == ["AC", "AC", "AC"]
    assert u["MoveIn"].to_list() == [dt.date(2022, 1, 10), dt.date(2022, 1, 10), dt.date(2022, 3, 1)]
    assert u["Leaver"].to_list() == [False, False, True]
    grid = q7_q8.q7a(u)
    assert [grid.cell("B", 2), grid.cell("B", 3), grid.cell("D", 6), grid.cell("B", 7)] == [1, 2, 3, 3]
    members = grid.members.filter((pl.col("row") == 3) & (pl.col("column") == "B"))
    assert sorted(members["PersonalID"].to_list()) == ["K", "L"]


def test_pit_dates_are_last_wednesdays_inside_the_range() -> None:
    params = ReportParams.create(start="2021-10-01", end="2022-09-30")
    assert q7_q8.pit_dates(params) == [
        (2, dt.date(2022, 1, 26)),
        (3, dt.date(2022, 4, 27)),
        (4, dt.date(2022, 7, 27)),
        (5, dt.date(2021, 10, 27)),
    ]
