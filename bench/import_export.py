"""Benchmark: validated HMIS CSV import into PostgreSQL against raw COPY, and export, on synthetic data.

    .venv/bin/python bench/import_export.py --clients 1000000 --seed 1 [--pg postgres://postgres@127.0.0.1:5432]

1. Generate a synthetic CoC export (cached in bench/out/).
2. Baseline: COPY every CSV file as it is into unconstrained text tables (no types, keys or indexes) —
   the fastest way PostgreSQL can take the bytes in; measured before and again after the import, and the
   ratio taken against the mean of the two (the machine's write speed drifts while a large import runs).
3. `import_export`: Hearth's validated import of the same export into its empty tables.
4. `export_hmis`: Hearth's export of everything back to an FY2026 zip.
Prints rows/s for each and the import/COPY ratio, and writes bench/out/import_export-<clients>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def hmis_files(folder: Path) -> list[Path]:
    """The export's HMIS CSV files (not the generator's duplicates.csv ground truth)."""
    return sorted(p for p in folder.glob("*.csv") if p.name != "duplicates.csv")


def rows_in(folder: Path) -> dict[str, int]:
    counts = {}
    for path in hmis_files(folder):
        with path.open("rb") as handle:
            counts[path.stem] = sum(1 for _ in handle) - 1
    return counts


def time_the_writer() -> dict[str, float]:
    """Wrap the pipelined import's steps with timers (after django.setup): seconds the writing thread spends per
    record type writing batches and building indexes, the new source's search keys, and how long the checking
    (validating) thread waited for the writer to take a batch. Totals, not a timeline."""
    from hearth.exchange import loading, writer
    from hearth.search import index

    totals: dict[str, float] = {}

    def wrap(owner: type, method: str, label: Callable[[tuple[object, ...]], str]) -> None:
        original = getattr(owner, method)

        def timed(self: object, *args: object, **kwargs: object) -> object:
            began = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                name = label(args)
                totals[name] = totals.get(name, 0.0) + time.perf_counter() - began

        setattr(owner, method, timed)

    wrap(writer.Applier, "apply", lambda a: f"COPY {a[0].record}")  # type: ignore[attr-defined]
    wrap(writer.Applier, "file_done", lambda a: f"indexes {a[0]}")
    wrap(index.ImportIndexing, "file_written", lambda a: f"search keys written after {a[0]}")
    wrap(loading.PipelinedLoad, "_put", lambda a: "checking waited for the writer")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL without database")
    parser.add_argument("--database", default="hearth_bench")
    parser.add_argument("--import-only", action="store_true", help="stop after the import (no export, no re-import)")
    parser.add_argument(
        "--writer-timing",
        action="store_true",
        help="also time the import's writing thread per record type, and how long checking waited for it",
    )
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    url = f"{args.pg.rstrip('/')}/{args.database}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("HEARTH_DATA_DIR", str(OUT / "data"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    sys.path.insert(0, str(ROOT))

    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        admin.execute(f'CREATE DATABASE "{args.database}"')

    import django

    django.setup()
    from django.core.management import call_command

    from hearth.exchange.exporter import export_hmis
    from hearth.exchange.importer import import_export
    from hearth.synthetic.generator import generate

    results: dict[str, object] = {"clients": args.clients, "seed": args.seed, "cpus": os.cpu_count()}
    folder = OUT / f"synthetic-{args.clients}-{args.seed}"
    if not (folder / "Export.csv").exists():
        started = time.perf_counter()
        generate(clients=args.clients, seed=args.seed, out=folder)
        results["generate_seconds"] = round(time.perf_counter() - started, 1)
        print(f"generated {args.clients:,} clients in {results['generate_seconds']} s")
    counts = rows_in(folder)
    total = sum(counts.values())
    size = sum(p.stat().st_size for p in hmis_files(folder))
    results.update(rows=counts, total_rows=total, csv_bytes=size)
    print(f"{total:,} rows, {size / 1e9:.2f} GB of CSV")

    call_command("migrate", verbosity=0)

    def checkpoint() -> None:
        # Each phase starts with nothing of the previous one left to flush to disk.
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")

    checkpoint()

    def raw_copy() -> float:
        """Baseline: the bytes straight into unconstrained text tables (dropped afterwards)."""
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE SCHEMA raw_copy")
            started = time.perf_counter()
            for path in hmis_files(folder):
                with path.open(encoding="utf-8", newline="") as handle:
                    header = next(csv.reader(handle))
                columns = ", ".join(f'"{c}" text' for c in header)
                conn.execute(f'CREATE TABLE raw_copy."{path.stem}" ({columns})')
                statement = f'COPY raw_copy."{path.stem}" FROM STDIN (FORMAT csv, HEADER true)'
                with conn.cursor().copy(statement) as copy, path.open("rb") as data:
                    while block := data.read(1 << 20):
                        copy.write(block)
            seconds = time.perf_counter() - started
            conn.execute("DROP SCHEMA raw_copy CASCADE")
        checkpoint()
        return seconds

    # The baseline is measured before and after the import and the ratio taken against their mean: this
    # machine's write speed drifts by a fifth within an hour, and a 1M import takes minutes.
    copy_before = raw_copy()
    print(f"raw COPY:  {copy_before:8.1f} s  {total / copy_before:12,.0f} rows/s  (before the import)")

    stages: dict[str, float] = {}

    def stage(name: str, done: int, total: int) -> None:
        stages.setdefault(name, time.perf_counter())

    timings = time_the_writer() if args.writer_timing else None
    started = time.perf_counter()
    outcome = import_export(path=folder, actor="bench", progress=stage)
    import_seconds = time.perf_counter() - started
    if timings is not None:
        shares = {k: round(v, 2) for k, v in sorted(timings.items(), key=lambda kv: -kv[1])}
        results["writer_seconds"] = shares
        busy = sum(v for k, v in timings.items() if not k.startswith("checking "))
        print(f"  writer busy {busy:.1f} s of {import_seconds:.1f} s; largest shares:")
        for name, seconds in list(shares.items())[:12]:
            print(f"    {seconds:8.2f} s  {name}")
    # When each stage began (the validating thread's "Checking" stages; writing goes on beside them).
    began = {name: round(at - started, 1) for name, at in stages.items()}
    results["import_stages"] = began
    print("  stages: " + ", ".join(f"{name} {at}s" for name, at in began.items() if at >= 1))
    if not outcome.ok:
        print("\n".join(outcome.log.summary_lines()[:30]))
        raise SystemExit(f"import failed: {outcome.message}")
    results["import_seconds"] = round(import_seconds, 1)
    results["import_warnings"] = outcome.log.warnings
    checkpoint()
    # Into its own schema of the same database, as before the import (the imported tables stay).
    copy_after = raw_copy()
    print(f"raw COPY:  {copy_after:8.1f} s  {total / copy_after:12,.0f} rows/s  (after the import)")
    copy_seconds = (copy_before + copy_after) / 2
    results["copy_seconds_before"] = round(copy_before, 1)
    results["copy_seconds_after"] = round(copy_after, 1)
    results["copy_seconds"] = round(copy_seconds, 1)
    print(
        f"import:    {import_seconds:8.1f} s  {total / import_seconds:12,.0f} rows/s  "
        f"= {copy_seconds / import_seconds:.2f} x raw COPY (mean of before and after)"
    )

    if args.import_only:
        (OUT / f"import-{args.clients}.json").write_text(json.dumps(results, indent=2))
        return
    checkpoint()
    started = time.perf_counter()
    exported = export_hmis(out=OUT / f"export-{args.clients}.zip", actor="bench")
    export_seconds = time.perf_counter() - started
    exported_rows = sum(exported.counts.values())
    results["export_seconds"] = round(export_seconds, 1)
    print(f"export:    {export_seconds:8.1f} s  {exported_rows / export_seconds:12,.0f} rows/s")

    started = time.perf_counter()
    again = import_export(path=folder, actor="bench")
    results["reimport_seconds"] = round(time.perf_counter() - started, 1)
    changed = sum(c.inserted + c.updated for c in again.counts.values())
    print(f"re-import: {results['reimport_seconds']:8.1f} s  ({changed} records changed)")

    results["import_rows_per_second"] = round(total / import_seconds)
    results["copy_rows_per_second"] = round(total / copy_seconds)
    results["export_rows_per_second"] = round(exported_rows / export_seconds)
    results["import_to_copy_ratio"] = round(copy_seconds / import_seconds, 3)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    target = OUT / f"import_export-{args.clients}.json"
    target.write_text(json.dumps(results, indent=2))
    print(f"peak memory {results['peak_rss_mb']} MB; results in {target}")


if __name__ == "__main__":
    main()
