"""Benchmark: HUD reports against the time it takes just to load their input, on a synthetic CoC.

    .venv/bin/python bench/reports.py --clients 1500000 --seed 1 [--report dq --report apr ...]
        [--source export|db] [--pg postgres://postgres@127.0.0.1:5432] [--repeat 3]

1. Generate a synthetic CoC export (cached in bench/out/, shared with the other benchmarks).
   With ``--source db`` it is also imported once into a PostgreSQL database of its own (hearth_bench_reports).
2. Whole CoC: load the report input (``load_export`` of the folder, or ``load_database``) — the baseline —
   then run each report on it, over the export's last full year.
3. One large project (``--project``, or the one with the most enrollments active in that year): the same,
   loading only that project's rows (the database reads them in SQL; an export is read whole, then cut).
   By default the CE APR runs on the largest Coordinated Entry project (ProjectType 14) and the other reports
   on the largest residential project (shelter, transitional, permanent housing, rapid re-housing; any other
   type if there is none): a CE project has no stays, exits or income, so an APR of it would leave most of
   the APR's work undone.
Each timing is the best of ``--repeat`` runs. Prints the report time, the load time and their ratio (issue 5
§4: no report more than 5x its input loading; one-project APR < 1 s, whole-CoC APR < 30 s on 2 cores), and
writes bench/out/reports-<source>-<clients>.json. Record figures in docs/PERFORMANCE.md only from a quiet machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


CE_APR = "ce_apr"
COORDINATED_ENTRY = 14  # HMIS CSV FY2026 list 2.02.6 ProjectType 14: Coordinated Entry
# Project types with stays (HMIS CSV FY2026 list 2.02.6: emergency shelter entry/exit and night-by-night,
# transitional housing, PSH, safe haven, PH housing only and with services, rapid re-housing): an APR of one
# of them computes every table (move-in, length of stay, destinations, income at exit).
RESIDENTIAL = (0, 1, 2, 3, 8, 9, 10, 13)


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        value = None  # the previous run's result is freed first: a worker holds one run at a time
        started = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - started)
    return best, value


def report_year(folder: Path) -> tuple[dt.date, dt.date]:
    """The export's last full year: ExportEndDate back 364 days."""
    with (folder / "Export.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    end = dt.date.fromisoformat(row["ExportEndDate"][:10])
    return end - dt.timedelta(days=364), end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1_500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report", action="append", default=[], help="report name (repeat; default: every report)")
    parser.add_argument("--source", choices=("export", "db"), default="export")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL without database")
    parser.add_argument("--database", default="hearth_bench_reports")
    parser.add_argument("--reuse", action="store_true", help="with --source db: measure the database as it is")
    parser.add_argument("--project", help="the one-project run's ProjectID (default: the largest)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HEARTH_DATA_DIR", str(OUT / "data"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    if args.source == "db":
        os.environ["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{args.database}"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    import polars as pl

    from hearth.reports import registry
    from hearth.reports.glossary.active import active_enrollments
    from hearth.reports.params import ReportParams
    from hearth.reports.tables import HmisTables, load_database, load_export
    from hearth.synthetic.generator import generate

    folder = OUT / f"synthetic-{args.clients}-{args.seed}"
    if not (folder / "Export.csv").exists():
        started = time.perf_counter()
        generate(clients=args.clients, seed=args.seed, out=folder)
        print(f"generated {args.clients:,} clients in {time.perf_counter() - started:.1f} s")

    if args.source == "db" and not args.reuse:
        import psycopg
        from django.core.management import call_command

        from hearth.exchange.importer import import_export

        with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            admin.execute(f'CREATE DATABASE "{args.database}"')
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        outcome = import_export(path=folder, actor="bench")
        if not outcome.ok:
            raise SystemExit(f"import failed: {outcome.message}")
        print(f"imported into {args.database} in {time.perf_counter() - started:.1f} s")

    def load(projects: tuple[str, ...] = ()) -> HmisTables:
        if args.source == "db":
            return load_database(projects=projects)
        return load_export(folder, projects=projects)

    start, end = report_year(folder)
    reports = [registry.get(name) for name in args.report] if args.report else registry.all_reports()
    results: dict[str, Any] = {
        "clients": args.clients,
        "seed": args.seed,
        "source": args.source,
        "cpus": os.cpu_count(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "runs": [],
    }
    print(f"report year {start} .. {end}; source: {args.source}; best of {args.repeat}")

    def measure(scope: str, projects: tuple[str, ...], chosen: list[Any] | None = None) -> HmisTables:
        """Load the input (the baseline), then run each report (``chosen``, default all) on it; returns the
        loaded tables."""
        load_seconds, tables = best_of(args.repeat, lambda: load(projects))
        results[f"{scope}_load_seconds"] = round(load_seconds, 3)
        results[f"{scope}_rows"] = sum(tables.rows.values())
        label = "whole CoC" if not projects else f"project {projects[0]}"
        print(f"{label}: load {load_seconds:8.2f} s  ({tables['Enrollment'].height:,} enrollments)")
        params = ReportParams(start, end, projects)
        for item in reports if chosen is None else chosen:
            seconds, result = best_of(args.repeat, partial(item.run, tables, params))
            ratio = seconds / load_seconds if load_seconds else float("inf")
            results["runs"].append(
                {"scope": scope, "report": item.name, "seconds": round(seconds, 3), "x_load": round(ratio, 2),
                 "members": result.members.height}
            )  # fmt: skip
            print(f"  {item.name:8} {seconds:8.2f} s  = {ratio:5.2f} x load   ({result.members.height:,} cell members)")
        return tables

    coc = measure("coc", ())
    ce_reports = [item for item in reports if item.name == CE_APR]
    other_reports = [item for item in reports if item.name != CE_APR]
    if args.project is not None:
        plan = [("project", args.project, reports)]
    else:
        active = active_enrollments(coc, ReportParams(start, end)).join(
            coc["Project"].select("ProjectID", "ProjectType"), on="ProjectID"
        )
        ranked = active.group_by("ProjectID", "ProjectType").agg(pl.len().alias("n")).sort("n", "ProjectID")

        def largest(types: tuple[int, ...]) -> str | None:
            kind = ranked.filter(pl.col("ProjectType").cast(pl.Int64).is_in(types))
            return str(kind["ProjectID"][-1]) if kind.height else None

        residential = largest(RESIDENTIAL) or largest(tuple(t for t in range(16) if t != COORDINATED_ENTRY))
        plan = [("project", residential, other_reports), ("ce_project", largest((COORDINATED_ENTRY,)), ce_reports)]
    del coc
    for scope, project, chosen in plan:
        if project is None or not chosen:
            continue
        results[scope] = project
        measure(scope, (project,), chosen)

    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    path = OUT / f"reports-{args.source}-{args.clients}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"peak memory {results['max_rss_mb']} MB; written {path}")


if __name__ == "__main__":
    main()
