"""FY2026 table shells of the CoC APR, ESG CAPER and CE APR, as data (``fy2026.csv``, ``tables.csv``).

Sage reads an upload by cell position (REPORTS.md 3.1), so a shell is what fixes every table's lettered
columns (B, C, …) and numbered rows (2, 3, …): row 1 is the header, column A the row labels. The ``source``
column of ``fy2026.csv`` says where each table's layout comes from (the FY2023 shell unchanged since, or
rebuilt from the FY2024/FY2026 specification changes); docs/reports/apr-golden.md lists them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent
APR_CAPER = "apr_caper"
CE_APR = "ce_apr"


@dataclass(frozen=True)
class Shell:
    """One table's layout: ``columns`` [(letter, label)], ``rows`` [(number, label)]."""

    table: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[int, str], ...]
    source: str

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(letter for letter, _ in self.columns)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(number for number, _ in self.rows)

    def row(self, label: str) -> int:
        """The row number of ``label`` (first match); a KeyError names the table and label."""
        for number, text in self.rows:
            if text == label:
                return number
        raise KeyError(f"{self.table} has no row labelled {label!r}")


@cache
def _load() -> dict[tuple[str, str], Shell]:
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    rows: dict[tuple[str, str], list[tuple[int, str]]] = {}
    sources: dict[tuple[str, str], str] = {}
    with open(_HERE / "fy2026.csv", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            key = (rec["report_set"], rec["table"])
            sources[key] = rec["source"]
            columns.setdefault(key, [])
            rows.setdefault(key, [])
            if rec["axis"] == "column":
                columns[key].append((rec["key"], rec["label"]))
            else:
                rows[key].append((int(rec["key"]), rec["label"]))
    return {key: Shell(key[1], tuple(columns[key]), tuple(rows[key]), sources[key]) for key in sources}


@cache
def report_tables(report: str) -> tuple[str, ...]:
    """The tables of ``report`` ("apr", "caper", "ce_apr") in Sage order: every one is a file of the upload."""
    with open(_HERE / "tables.csv", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            if rec["report"] == report:
                return tuple(rec["tables"].split())
    raise KeyError(f"No table list for report {report!r}")


TITLES = {
    "Q4a": "Project Identifiers in HMIS",
    "Q5a": "Report Validations Table",
    "Q6a": "Data Quality: Personally Identifiable Information",
    "Q6b": "Data Quality: Universal Data Elements",
    "Q6c": "Data Quality: Income and Housing Data Quality",
    "Q6d": "Data Quality: Chronic Homelessness",
    "Q6e": "Data Quality: Timeliness",
    "Q6f": "Data Quality: Inactive Records: Street Outreach and Emergency Shelter",
    "Q7a": "Number of Persons Served",
    "Q7b": "Point-in-Time Count of Persons on the Last Wednesday",
    "Q8a": "Households Served",
    "Q8b": "Point-in-Time Count of Households on the Last Wednesday",
    "Q9a": "Number of Persons Contacted",
    "Q9b": "Number of Persons Engaged",
    "Q9c": "Access Events",
    "Q9d": "Referral Events",
    "Q10": "Total Coordinated Entry Events by Outcome",
    "Q11": "Age",
    "Q12": "Race and Ethnicity",
    "Q13a1": "Physical and Mental Health Conditions at Start",
    "Q13b1": "Physical and Mental Health Conditions at Exit",
    "Q13c1": "Physical and Mental Health Conditions for Stayers",
    "Q13a2": "Number of Conditions at Start",
    "Q13b2": "Number of Conditions at Exit",
    "Q13c2": "Number of Conditions for Stayers",
    "Q14a": "Domestic Violence History",
    "Q14b": "Survivors of Domestic Violence – Currently Fleeing",
    "Q15": "Living Situation",
    "Q16": "Cash Income – Ranges",
    "Q17": "Cash Income – Sources",
    "Q18": "Client Cash Income Category – Earned/Other Income Category – by Start and Annual Assessment/Exit Status",
    "Q19a1": "Client Cash Income Change – Income Source – by Start and Latest Status",
    "Q19a2": "Client Cash Income Change – Income Source – by Start and Exit",
    "Q19b": "Disabling Conditions and Income for Adults at Exit",
    "Q20a": "Type of Non-Cash Benefit Sources",
    "Q20b": "Number of Non-Cash Benefit Sources",
    "Q21": "Health Insurance",
    "Q22a1": "Length of Participation – CoC Projects",
    "Q22a2": "Length of Participation – ESG Projects",
    "Q22b": "Average and Median Length of Participation in Days",
    "Q22c": "Length of Time between Project Start Date and Housing Move-in Date",
    "Q22d": "Length of Participation by Household Type",
    "Q22e": "Length of Time Prior to Housing – based on 3.917 Date Homelessness Started",
    "Q22f": "Length of Time between Project Start Date and Housing Move-in Date by Race and Ethnicity",
    "Q22g": "Length of Time Prior to Housing by Race and Ethnicity",
    "Q23c": "Exit Destination",
    "Q23d": "Exit Destination – Subsidy Type of Persons Exiting to Rental by Client With An Ongoing Subsidy",
    "Q23e": "Exit Destination Type by Race and Ethnicity",
    "Q24a": "Homelessness Prevention Housing Assessment at Exit",
    "Q24b": "Moving On Assistance Provided to Households in PSH",
    "Q24e": "Sex",
    "Q25a": "Number of Veterans",
    "Q25b": "Number of Veteran Households",
    "Q25d": "Age of Veterans",
    "Q25i": "Exit Destination – Veterans",
    "Q25j": "Exit Destination – Subsidy Type of Veterans Exiting to Rental by Client With An Ongoing Subsidy",
    "Q26a": "Chronic Homeless Status – Number of Households w/at least one or more CH person",
    "Q26b": "Number of Chronically Homeless Persons by Household",
    "Q26d": "Age of Chronically Homeless Persons",
    "Q26e": "Physical and Mental Health Conditions – Chronically Homeless Persons",
    "Q27a": "Age of Youth",
    "Q27b": "Parenting Youth",
    "Q27d": "Living Situation – Youth",
    "Q27e": "Length of Participation – Youth",
    "Q27f1": "Exit Destination – Youth",
    "Q27f2": "Exit Destination – Subsidy Type of Youth Exiting to Rental by Client With An Ongoing Subsidy",
    "Q27g": "Cash Income – Sources – Youth",
    "Q27h": "Client Cash Income Category – Earned/Other Income Category – by Start and Annual Assessment/Exit "
    "Status – Youth",
    "Q27i": "Disabling Conditions and Income for Youth at Exit",
    "Q27j": "Average and Median Length of Participation in Days – Youth",
    "Q27k": "Length of Time between Project Start Date and Housing Move-in Date – Youth",
    "Q27l": "Length of Time Prior to Housing – based on 3.917 Date Homelessness Started – Youth",
    "Q27m": "Education Status – Youth",
}


def title(table: str) -> str:
    return TITLES.get(table, table)


def shell(table: str, report_set: str = APR_CAPER) -> Shell:
    try:
        return _load()[(report_set, table)]
    except KeyError:
        raise KeyError(f"No FY2026 shell for {table} ({report_set})") from None


def shell_for(report: str, table: str) -> Shell:
    return shell(table, CE_APR if report == "ce_apr" else APR_CAPER)
