"""Q4a project identifiers, Q5a report validations, Q6a–Q6f data quality (APR/CAPER spec Q4–Q6).

Q5a and Q6a–f are the HMIS Data Quality report's Q1–Q7 (hearth.reports.dq, FY2026 Glossary), built on the same
universe under their APR names. Q4a has one row per reported project (spec Q4a; Sage: its totals must add up
to Q5a); its label column (A) holds the organization name.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.shells import shell_for, title
from hearth.reports.cells import MEMBER_KEYS, ReportBuilder
from hearth.reports.dq.chronic import build_q5
from hearth.reports.dq.elements import build_q3
from hearth.reports.dq.inactive import build_q7
from hearth.reports.dq.income_housing import build_q4
from hearth.reports.dq.pii import build_q2
from hearth.reports.dq.timeliness import build_q6
from hearth.reports.dq.validation import build_q1
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

SOFTWARE_NAME = "Hearth"


def q4a(builder: ReportBuilder, report: str, tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> None:
    projects = tables["Project"]
    if params.projects:
        projects = projects.filter(pl.col("ProjectID").is_in(list(params.projects)))
    # Numeric HUD IDs in numeric order (93 before 388 before 1060), as HUD's Q4a rows are listed.
    # Shown and ordered by HUD ID, also when the tables hold Hearth's database ids (runs in the application).
    hud_project = pl.col("ProjectID").replace(dict(tables.hud_ids.get("Project", {})))
    projects = projects.sort(hud_project.str.len_chars(), hud_project).join(
        tables["Organization"].select("OrganizationID", "OrganizationName", "VictimServiceProvider"),
        on="OrganizationID",
        how="left",
    )
    cocs = tables["ProjectCoC"].sort("ProjectCoCID").unique("ProjectID", keep="first")
    projects = projects.join(cocs.select("ProjectID", "CoCCode", "Geocode"), on="ProjectID", how="left")
    residential = pl.col("ResProjectID").replace(dict(tables.hud_ids.get("Project", {})))
    affiliations = tables["Affiliation"].group_by("ProjectID").agg(residential.sort().str.join(", "))
    projects = projects.join(affiliations, on="ProjectID", how="left")
    shell = shell_for(report, "Q4a")
    labels = [label for _, label in shell.columns[1:]]  # column A (organization name) is the row label
    rows = [str(name or "") for name in projects["OrganizationName"].to_list()]
    target = builder.table("Q4a", title("Q4a"), labels, rows)
    for number, project in enumerate(projects.iter_rows(named=True), start=2):
        values = [
            tables.hud_id("Organization", project["OrganizationID"]),
            project["ProjectName"],
            tables.hud_id("Project", project["ProjectID"]),
            project["ProjectType"],
            # 2.02.C method for tracking ES is no longer collected (FY2024: type 0 entry/exit, 1 night by night).
            0 if project["ProjectType"] == 0 else (3 if project["ProjectType"] == 1 else None),
            project["ResidentialAffiliation"],
            project["ResProjectID"],
            project["CoCCode"],
            project["Geocode"],
            project["VictimServiceProvider"],
            SOFTWARE_NAME,
            params.start.isoformat(),
            params.end.isoformat(),
        ]
        for index, value in enumerate(values):
            column = chr(ord("B") + index)
            target.set(f"{column}{number}", value, "count" if isinstance(value, int) else "text")
    # Columns O (clients) and P (heads of household) of every project's row from one long frame: a CoC-wide
    # run has hundreds of projects, and a frame (or a filter) per cell read the universe hundreds of times.
    numbered = projects.select("ProjectID", pl.int_range(pl.len(), dtype=pl.UInt32).alias("__project"))
    placed = universe.select("ProjectID", "hoh", *MEMBER_KEYS).join(numbered, on="ProjectID", how="inner")
    clients = placed.select((pl.col("__project") * 2).alias("__cell"), *MEMBER_KEYS)
    heads = placed.filter(pl.col("hoh")).select((pl.col("__project") * 2 + 1).alias("__cell"), *MEMBER_KEYS)
    names = [f"{column}{number}" for number in range(2, projects.height + 2) for column in ("O", "P")]
    target.count_many(pl.concat([clients, heads], how="vertical"), names)


def q5a_q6(
    builder: ReportBuilder, tables: HmisTables, stays: pl.DataFrame, universe: pl.DataFrame, params: ReportParams
) -> None:
    build_q1(builder, universe, params, name="Q5a")
    build_q2(builder, universe, name="Q6a")
    build_q3(builder, universe, stays, tables, name="Q6b")
    build_q4(builder, universe, tables, params, name="Q6c")
    build_q5(builder, universe, name="Q6d")
    build_q6(builder, universe, params, name="Q6e")
    build_q7(builder, universe, tables, params, name="Q6f")
