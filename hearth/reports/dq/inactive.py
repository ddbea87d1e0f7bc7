"""Q7 Inactive records (Glossary DQ report Q7; APR/CAPER Q6f): open stays with no recent activity.

Records: stays still open at the report end (stayers) that started 90 days or more before it. Contact row:
adults and heads of household in street outreach or night-by-night shelters — inactive with no current
living situation (4.12, a contact) dated in the 90 days up to the report end (a bed night is not a contact:
the kit's ES-NbN run counts its sheltered clients without contacts as inactive). Bed-night row: every
client in a night-by-night shelter — inactive with no bed night (4.14) in those 90 days.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from hearth.reports.cells import ReportBuilder, ratio
from hearth.reports.glossary.codes import ES_NBN, SO
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

COLUMNS = ("Number of Records", "Number of Inactive Records", "% of Inactive Records")
ROWS = (
    "Contact (Adults and Heads of Household in Street Outreach or ES – NbN)",
    "Bed Night (All Clients in ES – NbN)",
)
WINDOW_DAYS = 90


def build_q7(
    builder: ReportBuilder, universe: pl.DataFrame, tables: HmisTables, params: ReportParams, name: str = "Q7"
) -> None:
    table = builder.table(name, "Data Quality: Inactive Records: Street Outreach and Emergency Shelter", COLUMNS, ROWS)
    since = params.end - dt.timedelta(days=WINDOW_DAYS)
    open_long = universe.filter(pl.col("dq") & pl.col("stayer") & (pl.col("EntryDate") <= since))

    contacts = tables["CurrentLivingSituation"].filter(pl.col("InformationDate").is_between(since, params.end))
    nights = tables.bed_nights.filter(pl.col("DateProvided").is_between(since, params.end))
    contacted = pl.concat([contacts.select("EnrollmentID"), nights.select("EnrollmentID")], how="vertical").unique()

    contact_records = open_long.filter(pl.col("ProjectType").is_in([SO, ES_NBN]) & (pl.col("adult") | pl.col("hoh")))
    table.count("B2", contact_records)
    table.count("C2", contact_records.join(contacted, on="EnrollmentID", how="anti"))
    table.derive("D2", lambda v: ratio(v["C2"], v["B2"]))

    night_records = open_long.filter(pl.col("ProjectType") == ES_NBN)
    table.count("B3", night_records)
    table.count("C3", night_records.join(nights.select("EnrollmentID").unique(), on="EnrollmentID", how="anti"))
    table.derive("D3", lambda v: ratio(v["C3"], v["B3"]))
