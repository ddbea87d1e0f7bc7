"""Benchmark: client search on a large synthetic CoC in PostgreSQL, against a plain indexed equality lookup.

    .venv/bin/python bench/client_search.py --clients 1500000 --seed 1 [--queries 2000] [--keep]

Why: intake staff search before they create a client (duplicate prevention), so the search runs on every intake
and has to stay fast however large the CoC grows. The goal (issue #3) is p95 < 50 ms at 1.5M clients.

1. A throwaway database (dropped at the end unless --keep): migrate, then `hearth import` of a synthetic export
   (generated with `hearth generate`, cached in bench/out/ and shared with import_export.py). The import's
   after-import hook builds the search index; its time is reported. Then VACUUM ANALYZE, so that autovacuum has
   nothing left to do while queries are measured.
2. A seeded workload built from real clients with the mistakes case workers make (exact name, a typo, a
   nickname, first and last swapped, name + DOB, name + DOB with two digits transposed, SSN last 4 + last name,
   Hearth ID, last name only) and, from the generator's ground truth (duplicates.csv), each sampled duplicate's
   details, looking for the person's other record.
3. Sequentially, on Django's one connection, after a warm-up with other queries:
   (a) `candidate_ids(query)`: the index lookup alone;
   (b) `search_clients_for(user, query)`: what the search page runs for an HMIS Lead of every CoC (reach, the
       visibility filter, loading the clients, ranking), with the user's cached reach dropped before each search
       as a new request would;
   (c) baseline: `SELECT id FROM hmis_client WHERE source_id = %s AND hud_id = %s` for random PersonalIDs, the
       cheapest indexed lookup the database can do.
   Per-query wall time p50/p95/p99/max, recall (target among the candidates, the results, the top 3), and the
   same per kind of query. Prints a table and writes bench/out/client_search-<clients>.json. Prints no names.

Honest figures: before measuring, the script waits (--idle-wait) until other processes use under a fifth of a
core, and records per phase how many cores the machine, this process, its PostgreSQL server process and
anything else used (/proc). A search that raises is counted as a miss and reported by exception type and the
line of Hearth's code it came from, not timed. --reuse measures a database kept by --keep without importing
again. After the warm-up the objects alive are frozen (gc.freeze()), as hearth/wsgi.py does after start-up, so
the garbage collector's full collections no longer visit them. What-if options (results written to a file of
their own; not Hearth's behaviour as shipped): --no-gc-freeze leaves them to the collector; --candidates N
ranks N candidates per search instead of hearth.access.client_search.CANDIDATES.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

KINDS = (
    "exact",
    "typo_first",
    "typo_last",
    "nickname",
    "swapped",
    "name_dob",
    "name_dob_transposed",
    "ssn4_last",
    "hearth_id",
    "last_only",
    "duplicate",
)
# Letters a typo puts in (as the generator's duplicates: keying errors, never in the first letter).
TYPO_LETTERS = "aeioulnrst"
# The stage label of the search index's after-import hook (hearth/search/apps.py).
INDEX_STAGE = "Indexing clients for search"
BASELINE_SQL = "SELECT id FROM hmis_client WHERE source_id = %s AND hud_id = %s"


@dataclass(frozen=True)
class Query:
    """One search of the workload: the text typed and the client(s) it is meant to find."""

    kind: str
    text: str
    targets: frozenset[int]
    # Clients left out of the results when judging recall: a duplicate's own record, which did not exist yet
    # when the intake that created it searched.
    exclude: frozenset[int] = frozenset()


@dataclass
class Outcome:
    """What one path did for one query (milliseconds; the ids found, best first)."""

    ms: float
    ids: list[int]
    truncated: bool = False
    parts: dict[str, float] = field(default_factory=dict)
    error: str | None = None  # the exception's type when the search failed (its latency is left out)


# -- workload ----------------------------------------------------------------------------------------------


def typo(rng: random.Random, name: str) -> str:
    """One keying error (letters transposed, dropped, doubled or replaced), never in the first letter, which
    intake staff rarely get wrong."""
    if len(name) < 3:
        return name + rng.choice(TYPO_LETTERS)
    i = rng.randrange(1, len(name) - 1)
    operation = rng.randrange(4)
    if operation == 0 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if operation == 1:
        return name[:i] + name[i + 1 :]
    if operation == 2:
        return name[:i] + name[i] + name[i:]
    letter = rng.choice([c for c in TYPO_LETTERS if c != name[i].lower()])
    return name[:i] + letter + name[i + 1 :]


def transposed_dob(rng: random.Random, dob: date) -> date | None:
    """A valid date with two neighbouring digits of the year, the month or the day transposed (as typed into a
    MM/DD/YYYY field), or None when no such date differs from ``dob``."""
    year, month, day = f"{dob.year:04d}", f"{dob.month:02d}", f"{dob.day:02d}"
    candidates: list[tuple[int, int, int]] = []
    for i in range(3):
        candidates.append((int(year[:i] + year[i + 1] + year[i] + year[i + 2 :]), dob.month, dob.day))
    candidates += [(dob.year, int(month[::-1]), dob.day), (dob.year, dob.month, int(day[::-1]))]
    valid = []
    for y, m, d in candidates:
        try:
            typed = date(y, m, d)
        except ValueError:
            continue
        if typed != dob:
            valid.append(typed)
    return rng.choice(valid) if valid else None


def us_date(value: date) -> str:
    return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"


def load_clients() -> pl.DataFrame:
    """Every client that is not deleted (id, source_id, hud_id, names, dob, ssn), read with COPY."""
    from django.db import connection

    sql = (
        "SELECT id, source_id, hud_id, first_name, last_name, dob, ssn FROM hmis_client "
        "WHERE date_deleted IS NULL ORDER BY id"
    )
    schema = {
        "id": pl.Int64(),
        "source_id": pl.Int64(),
        "hud_id": pl.String(),
        "first_name": pl.String(),
        "last_name": pl.String(),
        "dob": pl.Date(),
        "ssn": pl.String(),
    }
    connection.ensure_connection()
    buffer = io.BytesIO()
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    frame = pl.read_csv(buffer, has_header=False, schema=schema)
    # SSNs are encrypted at rest (docs/adr/0007): this raw read decrypts them, as the search index's rebuild does.
    from hearth.hmis.fields import encrypted_fields
    from hearth.hmis.models import Client

    frame = frame.with_columns(encrypted_fields(Client)["ssn"].decrypt_series(frame["ssn"]).alias("ssn"))
    # As ssn_last4, columnar: the last four digits of a full nine-digit SSN, never 0000.
    digits = pl.col("ssn").str.replace_all(r"\D", "")
    last4 = digits.str.slice(-4)
    known = (digits.str.len_chars() == 9) & (last4 != "0000")
    return frame.with_columns(pl.when(known).then(last4).otherwise(None).alias("ssn4"))


def duplicate_groups(folder: Path, clients: pl.DataFrame) -> list[list[int]]:
    """Hearth ids of the records of each person with more than one Client record (the generator's ground truth,
    duplicates.csv), in PersonalID order; [] without the file."""
    truth = folder / "duplicates.csv"
    if not truth.exists():
        return []
    people = pl.read_csv(truth, schema={"PersonalID": pl.String, "PersonID": pl.Int64})
    joined = people.join(clients.select("id", pl.col("hud_id").alias("PersonalID")), on="PersonalID")
    several = (
        joined.sort(pl.col("PersonalID").cast(pl.Int64, strict=False), "PersonalID")
        .group_by("PersonID", maintain_order=True)
        .agg(pl.col("id"))
        .filter(pl.col("id").list.len() > 1)
    )
    return [list(ids) for ids in several["id"].to_list()]


def build_workload(
    clients: pl.DataFrame, groups: Sequence[Sequence[int]], count: int, seed: int, nicknames: dict[str, str]
) -> list[Query]:
    """``count`` queries, the kinds in equal shares (no duplicate searches without ground truth), shuffled."""
    rng = random.Random(seed)
    named = clients.filter((pl.col("first_name").fill_null("") != "") & (pl.col("last_name").fill_null("") != ""))
    pools: dict[str, pl.DataFrame] = {
        "exact": named,
        "typo_first": named,
        "typo_last": named,
        "nickname": named.filter(pl.col("first_name").is_in(list(nicknames))),
        "swapped": named,
        "name_dob": named.filter(pl.col("dob").is_not_null()),
        "name_dob_transposed": named.filter(pl.col("dob").is_not_null()),
        "ssn4_last": named.filter(pl.col("ssn4").is_not_null()),
        "hearth_id": clients,
        "last_only": named,
    }
    wanted = [i for ids in groups for i in ids]
    by_id = {row["id"]: row for row in clients.filter(pl.col("id").is_in(wanted)).iter_rows(named=True)}
    kinds = [k for k in KINDS if k != "duplicate" or groups]
    queries: list[Query] = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        query = None
        while query is None:
            if kind == "duplicate":
                query = _duplicate_query(rng, groups, by_id)
            else:
                pool = pools[kind]
                query = _query(rng, kind, pool.row(rng.randrange(pool.height), named=True), nicknames)
        queries.append(query)
    rng.shuffle(queries)
    return queries


def _query(rng: random.Random, kind: str, client: dict[str, Any], nicknames: dict[str, str]) -> Query | None:
    first, last, dob, target = client["first_name"], client["last_name"], client["dob"], client["id"]
    text: str | None
    if kind == "exact":
        text = f"{first} {last}"
    elif kind == "typo_first":
        text = f"{typo(rng, first)} {last}"
    elif kind == "typo_last":
        text = f"{first} {typo(rng, last)}"
    elif kind == "nickname":
        text = f"{nicknames[first]} {last}"
    elif kind == "swapped":
        text = f"{last} {first}"
    elif kind == "name_dob":
        text = f"{first} {last} {us_date(dob)}"
    elif kind == "name_dob_transposed":
        typed = transposed_dob(rng, dob)
        text = f"{first} {last} {us_date(typed)}" if typed is not None else None
    elif kind == "ssn4_last":
        text = f"{last} {client['ssn4']}"
    elif kind == "hearth_id":
        text = f"#{target}"
    else:
        text = last
    return Query(kind, text, frozenset({target})) if text else None


def _duplicate_query(
    rng: random.Random, groups: Sequence[Sequence[int]], by_id: dict[int, dict[str, Any]]
) -> Query | None:
    """The duplicate record's names and DOB, as the person gave them at the intake that created it; the target is
    the person's other record(s), which that intake's search should have found."""
    ids = groups[rng.randrange(len(groups))]
    given = by_id[ids[-1]]
    words = [w for w in (given["first_name"], given["last_name"]) if w]
    if given["dob"] is not None:
        words.append(us_date(given["dob"]))
    if not words:
        return None
    return Query("duplicate", " ".join(words), frozenset(ids[:-1]), frozenset(ids[-1:]))


# -- measuring ---------------------------------------------------------------------------------------------


def percentiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    array = np.asarray(values)
    return {
        "p50": round(float(np.percentile(array, 50)), 3),
        "p95": round(float(np.percentile(array, 95)), 3),
        "p99": round(float(np.percentile(array, 99)), 3),
        "max": round(float(array.max()), 3),
        "mean": round(float(array.mean()), 3),
    }


def database_activity() -> dict[str, Any]:
    """Other work on the server and the machine right now (to say honestly what ran beside the measurement)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE backend_type = 'autovacuum worker'), "
            "count(*) FILTER (WHERE backend_type = 'client backend' AND state <> 'idle') "
            "FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    autovacuum, active = (int(row[0]), int(row[1])) if row else (0, 0)
    return {"load_average": [round(x, 2) for x in os.getloadavg()], "autovacuum": autovacuum, "other_active": active}


@dataclass(frozen=True)
class CpuSnapshot:
    at: float
    machine_busy: float  # CPU seconds all cores spent busy since boot
    own: float  # this process
    backend: float | None  # the PostgreSQL server process of our connection (None when not readable)


def cpu_snapshot(pid: int) -> CpuSnapshot:
    """CPU time of the machine, this process and our connection's server process, to tell how much of the
    two cores something else used while a phase ran."""
    tick = os.sysconf("SC_CLK_TCK")
    with Path("/proc/stat").open() as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    busy = sum(fields[:3]) + sum(fields[5:8])
    backend: float | None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(stat[11]) + int(stat[12])) / tick
    except (OSError, IndexError, ValueError):
        backend = None
    times = os.times()
    return CpuSnapshot(time.perf_counter(), busy / tick, times.user + times.system, backend)


def cpu_between(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float | None]:
    """Cores in use on average between two snapshots: by us, by our server process, and by anything else."""
    wall = after.at - before.at
    machine = (after.machine_busy - before.machine_busy) / wall
    own = (after.own - before.own) / wall
    backend = None if before.backend is None or after.backend is None else (after.backend - before.backend) / wall
    other = machine - own - (backend or 0.0)
    return {
        "seconds": round(wall, 1),
        "machine_cores": round(machine, 2),
        "bench_cores": round(own, 2),
        "server_cores": None if backend is None else round(backend, 2),
        "other_cores": round(max(other, 0.0), 2),
    }


def wait_until_quiet(pid: int, limit: float, threshold: float = 0.2) -> dict[str, Any]:
    """Wait (at most ``limit`` seconds) until other processes use less than ``threshold`` of a core over five
    seconds, so that the figures are the search's own; reports how long it waited and whether it got there."""
    started = time.perf_counter()
    while True:
        before = cpu_snapshot(pid)
        time.sleep(5)
        other = cpu_between(before, cpu_snapshot(pid))["other_cores"] or 0.0
        waited = time.perf_counter() - started
        if other < threshold or waited >= limit:
            return {"waited_seconds": round(waited), "quiet": other < threshold, "other_cores": other}


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


class PartTimer:
    """Wraps named functions of a module so that each call's time adds up in ``spent`` (ms), to split the
    guarded search into its steps; ``restore`` puts the originals back."""

    def __init__(self, module: Any, names: Iterable[str]) -> None:
        self.module = module
        self.spent: dict[str, float] = {}
        self.originals: dict[str, Callable[..., Any]] = {}
        for name in names:
            original = getattr(module, name)
            self.originals[name] = original
            setattr(module, name, self._wrap(name, original))

    def _wrap(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + (time.perf_counter() - started) * 1000

        return timed

    def restore(self) -> None:
        for name, original in self.originals.items():
            setattr(self.module, name, original)


def run_candidates(queries: Sequence[Any]) -> list[Outcome]:
    from hearth.search import candidate_ids

    outcomes = []
    for query in queries:
        started = time.perf_counter()
        ids, truncated = candidate_ids(query)
        outcomes.append(Outcome((time.perf_counter() - started) * 1000, ids, truncated))
    return outcomes


def run_guarded(user: Any, queries: Sequence[Any], *, split: bool) -> list[Outcome]:
    """``search_clients_for`` per query, as a new request: the user's reach is computed again each time."""
    import hearth.access.client_search as guarded
    import hearth.access.lookups as lookups
    from hearth.access.scope import forget

    timers = [PartTimer(guarded, ["candidate_ids", "rank"]), PartTimer(lookups, ["reach"])] if split else []
    outcomes = []
    try:
        for query in queries:
            forget(user)
            for timer in timers:
                timer.spent.clear()
            started = time.perf_counter()
            try:
                results = guarded.search_clients_for(user, query)
            except Exception as exc:
                # What a page would answer with an error: counted as a miss, reported by type, not timed.
                failed = Outcome((time.perf_counter() - started) * 1000, [], error=where_failed(exc))
                outcomes.append(failed)
                continue
            ms = (time.perf_counter() - started) * 1000
            parts = {name: ms for timer in timers for name, ms in timer.spent.items()}
            if parts:
                parts["load_visible"] = ms - sum(parts.values())
            outcomes.append(Outcome(ms, [f.client.pk for f in results.found], results.truncated, parts))
    finally:
        for timer in timers:
            timer.restore()
    return outcomes


def where_failed(exc: BaseException) -> str:
    """The exception's type and the innermost line of Hearth's code it came from (never its message, which may
    quote a value)."""
    place = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(ROOT / "hearth"):
            place = f" at {path.relative_to(ROOT)}:{frame.lineno} ({frame.name})"
    return type(exc).__name__ + place


def run_baseline(keys: Sequence[tuple[int, str]]) -> list[float]:
    from django.db import connection

    times = []
    for source_id, hud_id in keys:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [source_id, hud_id])
            row = cursor.fetchone()
        times.append((time.perf_counter() - started) * 1000)
        if row is None:
            raise SystemExit("baseline lookup found nothing: the client sample is stale")
    return times


def recall(queries: Sequence[Query], outcomes: Sequence[Outcome], top: int | None = None) -> float | None:
    hits = []
    for query, outcome in zip(queries, outcomes, strict=True):
        ids = [i for i in outcome.ids if i not in query.exclude]
        hits.append(bool(query.targets & set(ids[:top] if top else ids)))
    return round(sum(hits) / len(hits), 4) if hits else None


def summarize(
    queries: Sequence[Query], candidates: Sequence[Outcome], guarded: Sequence[Outcome], visible: set[int]
) -> dict[str, Any]:
    """Latency and recall of both search paths (recall of the guarded search over queries whose target the user
    may see)."""
    seen = [i for i, q in enumerate(queries) if q.targets & visible]
    shown_q = [queries[i] for i in seen]
    shown_o = [guarded[i] for i in seen]
    parts: dict[str, list[float]] = {}
    answered = [o for o in guarded if o.error is None]
    errors: dict[str, int] = {}
    for outcome in guarded:
        if outcome.error is not None:
            errors[outcome.error] = errors.get(outcome.error, 0) + 1
    for outcome in answered:
        for name, ms in outcome.parts.items():
            parts.setdefault(name, []).append(ms)
    return {
        "queries": len(queries),
        "candidates": {
            "ms": percentiles([o.ms for o in candidates]),
            "recall": recall(queries, candidates),
            "mean_candidates": round(float(np.mean([len(o.ids) for o in candidates])), 1),
            "truncated_share": round(sum(o.truncated for o in candidates) / len(candidates), 4),
        },
        "search": {
            "ms": percentiles([o.ms for o in answered]),
            "errors": errors,
            "parts_ms": {name: percentiles(values) for name, values in parts.items()},
            "queries_with_visible_target": len(seen),
            "recall": recall(shown_q, shown_o),
            "recall_top3": recall(shown_q, shown_o, 3),
            "recall_top1": recall(shown_q, shown_o, 1),
            "mean_results": round(float(np.mean([len(o.ids) for o in answered])), 1) if answered else 0.0,
            "no_results_share": round(sum(not o.ids for o in answered) / len(answered), 4) if answered else 0.0,
        },
    }


# -- setting up --------------------------------------------------------------------------------------------


def load_database(folder: Path, results: dict[str, Any]) -> None:
    """Import the export; time the whole import and its search-index stage (the after-import hook)."""
    from django.db import connection

    from hearth.exchange.importer import import_export
    from hearth.search.index import rebuild

    stages: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not stages or stages[-1][0] != stage:
            stages.append((stage, time.perf_counter()))

    started = time.perf_counter()
    outcome = import_export(path=folder, actor="bench", progress=progress)
    finished = time.perf_counter()
    if not outcome.ok:
        print("\n".join(outcome.log.summary_lines()[:30]))
        raise SystemExit(f"import failed: {outcome.message}")
    results["import_seconds"] = round(finished - started, 1)
    index_seconds = None
    for (stage, at), (_, until) in zip(stages, [*stages[1:], ("end", finished)], strict=True):
        if stage == INDEX_STAGE:
            index_seconds = until - at
    if index_seconds is None:
        # The hook did not run (renamed stage, or nothing to index): build the index here, and say so.
        results["index_built_by"] = "rebuild()"
        index_seconds = rebuild().seconds
    else:
        results["index_built_by"] = "after-import hook"
    results["index_seconds"] = round(index_seconds, 1)
    print(f"import:  {results['import_seconds']:8.1f} s, of which search index {results['index_seconds']:.1f} s")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # After a bulk load autovacuum would otherwise visit every table while queries are being measured.
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("CHECKPOINT")
    results["vacuum_analyze_seconds"] = round(time.perf_counter() - started, 1)
    print(f"vacuum:  {results['vacuum_analyze_seconds']:8.1f} s (VACUUM ANALYZE of the database, then CHECKPOINT)")


def bench_user() -> Any:
    """An account holding the HMIS Lead role at every CoC of the database (the demo's implementation serves
    two CoCs): it reaches every client but those only a victim service provider serves."""
    from django.contrib.auth import get_user_model

    from hearth.access.models import RoleAssignment
    from hearth.access.roles import HMIS_LEAD
    from hearth.hmis.models import Continuum

    user, _ = get_user_model().objects.get_or_create(username="bench.lead", defaults={"email": "bench@example.org"})
    continuums = list(Continuum.objects.all())
    if not continuums:
        raise SystemExit("no CoC in the database: the after-import placement did not run")
    for continuum in continuums:
        RoleAssignment.objects.get_or_create(user=user, role=HMIS_LEAD.slug, continuum=continuum)
    return user


def describe_database(results: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('shared_buffers'), current_setting('work_mem')")
        version, shared_buffers, work_mem = cursor.fetchone() or ("", "", "")
        cursor.execute(
            "SELECT (SELECT count(*) FROM search_client_key), pg_relation_size('search_client_key'), "
            "pg_relation_size('search_client_key_pkey'), pg_relation_size('search_client_key_client'), "
            "pg_total_relation_size('hmis_client'), pg_total_relation_size('hmis_enrollment'), "
            "pg_database_size(current_database())"
        )
        row = cursor.fetchone() or (0,) * 7
    results["postgres"] = {"version": version.split(" on ")[0], "shared_buffers": shared_buffers, "work_mem": work_mem}
    results["sizes_mb"] = {
        "search_client_key_table": round(row[1] / 2**20),
        "search_client_key_pkey": round(row[2] / 2**20),
        "search_client_key_client": round(row[3] / 2**20),
        "hmis_client_total": round(row[4] / 2**20),
        "hmis_enrollment_total": round(row[5] / 2**20),
        "database": round(row[6] / 2**20),
    }
    results["index_keys"] = int(row[0])


def machine() -> dict[str, Any]:
    memory = 0
    with Path("/proc/meminfo").open() as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "", False
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "commit": commit,
        "working_tree_dirty": dirty,
    }


# -- output ------------------------------------------------------------------------------------------------


def print_table(summary: dict[str, Any], baseline: dict[str, float], per_kind: dict[str, dict[str, Any]]) -> None:
    cand, search = summary["candidates"], summary["search"]
    print()
    print(f"{'ms per query':<34}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'mean':>8}")
    rows = [
        ("baseline: equality on (source, hud_id)", baseline),
        ("(a) candidate_ids", cand["ms"]),
        ("(b) search_clients_for", search["ms"]),
        *((f"    {name}", ms) for name, ms in search["parts_ms"].items()),
    ]
    for label, ms in rows:
        print(f"{label:<34}" + "".join(f"{ms[k]:8.2f}" for k in ("p50", "p95", "p99", "max", "mean")))
    print(
        f"\nrecall: candidates {cand['recall']:.1%} (mean {cand['mean_candidates']} candidates, "
        f"{cand['truncated_share']:.1%} truncated); results {search['recall']:.1%}, top 3 {search['recall_top3']:.1%}, "
        f"top 1 {search['recall_top1']:.1%} (over {search['queries_with_visible_target']} queries whose target "
        f"the user may see)"
    )
    if search["errors"]:
        print(f"(b) failed with an exception (counted as misses, not timed): {search['errors']}")
    print(
        f"\n{'kind':<21}{'n':>5}{'(a) p50':>9}{'p95':>8}{'(b) p50':>9}{'p95':>8}{'cands':>7}"
        f"{'in cand':>9}{'in res':>8}{'top 3':>8}{'top 1':>8}{'errors':>8}"
    )
    for kind, s in per_kind.items():
        c, g = s["candidates"], s["search"]
        print(
            f"{kind:<21}{s['queries']:>5}{c['ms']['p50']:9.2f}{c['ms']['p95']:8.2f}{g['ms'].get('p50', 0):9.2f}"
            f"{g['ms'].get('p95', 0):8.2f}{c['mean_candidates']:7.0f}{c['recall']:9.1%}{_pct(g['recall']):>8}"
            f"{_pct(g['recall_top3']):>8}{_pct(g['recall_top1']):>8}{sum(g['errors'].values()):>8}"
        )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


# -- main --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1_500_000)
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic export and of the workload")
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--warmup", type=int, default=300, help="queries run first, unmeasured (another seed)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL without database")
    parser.add_argument("--database", default="hearth_bench_search")
    parser.add_argument(
        "--idle-wait", type=float, default=900, help="seconds to wait at most for other processes to go quiet"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--gc-freeze",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="gc.freeze() after the warm-up, as hearth/wsgi.py does after start-up (default); --no-gc-freeze is "
        "the what-if without it (results file -nogcfreeze)",
    )
    parser.add_argument(
        "--candidates",
        type=int,
        help="what-if: rank only this many candidates instead of hearth.access.client_search.CANDIDATES "
        "(results file -candidates<N>); not Hearth's behaviour",
    )
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by an earlier --keep run")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    server = args.pg.rstrip("/")
    os.environ["DATABASE_URL"] = f"{server}/{args.database}"
    os.environ.setdefault("HEARTH_DATA_DIR", str(OUT / "data"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    # As in production: with DEBUG on, Django would also record every statement it runs.
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))

    import psycopg

    if not args.reuse:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            admin.execute(f'CREATE DATABASE "{args.database}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hearth.search import SearchQuery
    from hearth.synthetic.generator import generate
    from hearth.synthetic.names import NICKNAMES

    results: dict[str, Any] = {
        "clients": args.clients,
        "seed": args.seed,
        "queries": args.queries,
        "warmup": args.warmup,
        "machine": machine(),
    }
    try:
        folder = OUT / f"synthetic-{args.clients}-{args.seed}"
        if not (folder / "Export.csv").exists():
            started = time.perf_counter()
            generate(clients=args.clients, seed=args.seed, out=folder)
            results["generate_seconds"] = round(time.perf_counter() - started, 1)
            print(f"generated {args.clients:,} clients in {results['generate_seconds']} s")
        if not args.reuse:
            call_command("migrate", verbosity=0)
            load_database(folder, results)
        describe_database(results)
        print(f"index:   {results['index_keys']:,} keys, {results['sizes_mb']} MB")

        clients = load_clients()
        groups = duplicate_groups(folder, clients)
        results["clients_in_database"] = clients.height
        results["people_with_duplicates"] = len(groups)
        workload = build_workload(clients, groups, args.queries, args.seed, NICKNAMES)
        warmup = build_workload(clients, groups, args.warmup, args.seed + 1_000_003, NICKNAMES)
        parsed = [SearchQuery.parse(q.text) for q in workload]
        rng = random.Random(args.seed)
        rows = [clients.row(rng.randrange(clients.height), named=True) for _ in range(args.queries)]
        baseline_keys = [(int(r["source_id"]), str(r["hud_id"])) for r in rows]
        warm_keys = [
            (int(r["source_id"]), str(r["hud_id"]))
            for r in clients.sample(args.warmup, seed=args.seed).rows(named=True)
        ]
        # The measuring process keeps no more Python objects than a web worker would (about 100,000 after
        # start-up): each full collection of the garbage collector visits all of them (see --gc-freeze).
        del clients, groups
        gc.collect()

        user = bench_user()
        from hearth.access.lookups import clients_for

        targets = sorted(set().union(*(q.targets for q in workload)))
        visible = set(clients_for(user).filter(pk__in=targets).values_list("pk", flat=True))

        if args.candidates is not None:
            import hearth.access.client_search as guarded_module

            results["what_if_candidates"] = args.candidates
            guarded_module.CANDIDATES = args.candidates
        warm_parsed = [SearchQuery.parse(q.text) for q in warmup]
        run_candidates(warm_parsed)
        run_guarded(user, warm_parsed, split=False)
        run_baseline(warm_keys)
        if args.gc_freeze:
            # What a deployment can do after start-up (gunicorn's post_fork, for example): the objects that exist
            # now are never visited by the garbage collector again.
            gc.freeze()
        results["gc"] = {
            "frozen": args.gc_freeze,
            "tracked_objects": len(gc.get_objects()),
            "frozen_objects": gc.get_freeze_count(),
        }

        pid = backend_pid()
        activity: dict[str, Any] = {"wait": wait_until_quiet(pid, args.idle_wait), "before": database_activity()}
        print(f"measuring {len(workload):,} queries; before: {activity}")
        marks = [cpu_snapshot(pid)]
        candidates = run_candidates(parsed)
        marks.append(cpu_snapshot(pid))
        guarded = run_guarded(user, parsed, split=True)
        marks.append(cpu_snapshot(pid))
        baseline = run_baseline(baseline_keys)
        marks.append(cpu_snapshot(pid))
        for phase, (before, after) in zip(("candidates", "search", "baseline"), itertools.pairwise(marks), strict=True):
            activity[f"{phase}_cpu"] = cpu_between(before, after)
        activity["after"] = database_activity()
        # One connection throughout: the same server process answered every query.
        activity["same_connection"] = backend_pid() == pid
        results["activity"] = activity

        results["baseline_ms"] = percentiles(baseline)
        results.update(summarize(workload, candidates, guarded, visible))
        per_kind: dict[str, dict[str, Any]] = {}
        for kind in KINDS:
            picked = [i for i, q in enumerate(workload) if q.kind == kind]
            if picked:
                per_kind[kind] = summarize(
                    [workload[i] for i in picked],
                    [candidates[i] for i in picked],
                    [guarded[i] for i in picked],
                    visible,
                )
        results["per_kind"] = per_kind
        slowest = sorted(range(len(workload)), key=lambda i: guarded[i].ms, reverse=True)[:10]
        results["slowest_search"] = [
            {
                "kind": workload[i].kind,
                "ms": round(guarded[i].ms, 2),
                "candidates": len(candidates[i].ids),
                "parts_ms": {k: round(v, 2) for k, v in guarded[i].parts.items()},
            }
            for i in slowest
        ]
        goal_p95 = 50.0
        results["goal_p95_ms"] = goal_p95
        results["goal_met"] = results["search"]["ms"]["p95"] < goal_p95
        results["search_to_baseline_p95"] = round(results["search"]["ms"]["p95"] / results["baseline_ms"]["p95"], 1)
        results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

        print_table(results, results["baseline_ms"], per_kind)
        print(f"\nactivity during measurement: {activity}")
        variant = (f"-candidates{args.candidates}" if args.candidates is not None else "") + (
            "" if args.gc_freeze else "-nogcfreeze"
        )
        target = OUT / f"client_search-{args.clients}{variant}.json"
        target.write_text(json.dumps(results, indent=2))
        print(f"goal p95 < {goal_p95:.0f} ms: {'met' if results['goal_met'] else 'NOT met'}; results in {target}")
    finally:
        connection.close()
        if not (args.keep or args.reuse):
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
