"""``generate()``: a whole CoC's FY2026 HMIS CSV export over several years, deterministic for a seed.

The world is built first (organizations, projects, people and households, their paths through the projects,
their enrollments and client records), then the 24 files are written in the specification's order, the large
enrollment-level files chunk by chunk. Same arguments, same bytes: nothing depends on the clock or on the
machine, and the default end of the period is a fixed date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import hearth
from hearth.spec import current
from hearth.synthetic import coordinated_entry as ce
from hearth.synthetic.clients import client_batch
from hearth.synthetic.current_living import current_living_batches
from hearth.synthetic.disabilities import disability_batches
from hearth.synthetic.duplicates import assign_records, duplicate_count, vary, write_ground_truth
from hearth.synthetic.education import employment_batches, youth_education_batches
from hearth.synthetic.enrollment_records import enrollment_batches
from hearth.synthetic.enrollments import build_enrollments
from hearth.synthetic.exits import exit_batches
from hearth.synthetic.geography import COC_CODES
from hearth.synthetic.health import health_batches
from hearth.synthetic.households import build_people
from hearth.synthetic.identities import ClientRecords, identities
from hearth.synthetic.income import income_batches
from hearth.synthetic.inventory import inventory_batch
from hearth.synthetic.living_situation import destinations, prior_situations
from hearth.synthetic.organizations import build_organizations, organization_batch, organization_count, user_batch
from hearth.synthetic.paths import simulate
from hearth.synthetic.project_records import (
    affiliation_batch,
    ce_participation_batch,
    funder_batch,
    hmis_participation_batch,
    project_batch,
    project_coc_batch,
)
from hearth.synthetic.projects import build_projects, project_counts
from hearth.synthetic.services import services_batches
from hearth.synthetic.streams import Streams
from hearth.synthetic.timeline import NO_DATE, Period, make_period, to_date
from hearth.synthetic.world import Stays, World
from hearth.synthetic.writer import Batch, ExportWriter

DEFAULT_END = dt.date(2026, 9, 30)
DEFAULT_YEARS = 4
DEFAULT_DUPLICATES = 0.03
SOFTWARE = "Hearth synthetic data"

Progress = Callable[[str], None]


@dataclass
class GenerationSummary:
    out: Path
    duplicates_path: Path
    clients: int
    people: int
    duplicates: int
    export_id: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def export_id_for(seed: int, clients: int, years: int, end: dt.date, duplicates: float) -> str:
    digest = hashlib.sha256(f"{seed}:{clients}:{years}:{end.isoformat()}:{duplicates}".encode()).hexdigest()
    return "SYN" + digest[:13].upper()


def duplicates_path_for(out: Path) -> Path:
    return out.with_name(out.stem + ".duplicates.csv") if out.suffix.lower() == ".zip" else out / "duplicates.csv"


def build_world(clients: int, seed: int, period: Period, duplicate_share: float) -> tuple[World, np.ndarray]:
    """The CoC and everyone in it; also returns the person behind each duplicate record."""
    streams = Streams(seed)
    extra = duplicate_count(clients, duplicate_share)
    persons = clients - extra
    households, people = build_people(persons, streams)
    organizations_n = organization_count(int(project_counts(clients).sum()))
    projects = build_projects(clients, streams, period.start, organizations_n)
    per_org = np.bincount(projects.organization, minlength=organizations_n)
    organizations = build_organizations(organizations_n, per_org, streams)
    episodes = simulate(households, projects, period, streams)

    household_start = np.full(households.count, period.end, np.int64)
    np.minimum.at(household_start, episodes.household, episodes.entry)
    first_entry = household_start[people.household]
    dob = first_entry - people.age_days
    rng = streams.rng("stays")
    has_next = np.zeros(episodes.count, bool)
    has_next[episodes.previous[episodes.previous >= 0]] = True
    destination, destination_subsidy = destinations(episodes, households.kind, households.veteran, has_next, rng)
    situation, situation_subsidy, los = prior_situations(episodes, destination, destination_subsidy, rng)
    stays = Stays(destination, destination_subsidy, situation, situation_subsidy, los)
    enrollments = build_enrollments(episodes, households, people, projects, dob, period, streams)

    rng = streams.rng("duplicates")
    duplicate_person = assign_records(rng, enrollments, persons, extra)
    own = identities(people, dob, streams)
    record_start = np.full(clients, period.end, np.int64)
    np.minimum.at(record_start, enrollments.record, enrollments.entry)
    second = vary(rng, own.take(duplicate_person), record_start[persons:])
    # Concatenated, not assigned into, so that a longer varied name widens the string arrays, never truncates.
    records = ClientRecords(
        **{name: np.concatenate([getattr(own, name), getattr(second, name)]) for name in own.__dataclass_fields__}
    )
    personal_id = streams.rng("personal-ids").permutation(clients) + 1
    world = World(
        period=period,
        streams=streams,
        organizations=organizations,
        projects=projects,
        households=households,
        people=people,
        episodes=episodes,
        stays=stays,
        enrollments=enrollments,
        dob=dob,
        first_entry=first_entry,
        clients=clients,
        personal_id=personal_id,
        records=records,
    )
    return world, duplicate_person


def export_batch(world: World, seed: int) -> Batch:
    period = world.period
    implementation = hashlib.sha256(f"hearth-synthetic:{seed}".encode()).hexdigest()[:32]
    return Batch(
        1,
        {
            "SourceType": 1,  # list 1.9: CoC HMIS
            "SourceID": ";".join(COC_CODES),
            "SourceContactFirst": "HMIS",
            "SourceContactLast": "Lead Agency",
            "SourceContactPhone": "2025550100",
            "SourceContactEmail": "hmis@example.org",
            "ExportDate": np.array([period.export_moment]),
            "ExportStartDate": period.start,
            "ExportEndDate": period.end,
            "SoftwareName": SOFTWARE,
            "SoftwareVersion": hearth.__version__,
            "CSVVersion": current().csv_version,
            "ExportPeriodType": 4,  # list 1.1: other
            "ExportDirective": 2,  # list 1.2: full refresh
            "HashStatus": 1,  # list 1.5: unhashed
            "ImplementationID": implementation,
        },
    )


def generate(
    clients: int,
    seed: int,
    out: Path,
    years: int = DEFAULT_YEARS,
    end_date: dt.date = DEFAULT_END,
    duplicates: float = DEFAULT_DUPLICATES,
    progress: Progress | None = None,
) -> GenerationSummary:
    """Write a synthetic export of ``clients`` Client records to ``out`` (a folder, or a ``.zip``)."""
    if clients < 1:
        raise ValueError("at least one client is needed")
    if years < 1:
        raise ValueError("at least one year is needed")
    if not 0 <= duplicates < 1:
        raise ValueError("the duplicate share is a fraction between 0 and 1")
    began = time.perf_counter()
    say = progress or (lambda message: None)
    period = make_period(end_date, years)
    say(f"Building the CoC: {clients:,} clients, {to_date(period.start)} to {to_date(period.end)}")
    world, duplicate_person = build_world(clients, seed, period, duplicates)
    say(
        f"{world.people.count:,} people in {world.households.count:,} households, {world.enrollments.count:,} "
        f"enrollments ({time.perf_counter() - began:.0f}s)"
    )
    export_id = export_id_for(seed, clients, years, end_date, duplicates)
    assessments = ce.build_assessments(world)
    files: dict[str, Callable[[], Iterable[Batch]]] = {
        "Export": lambda: [export_batch(world, seed)],
        "Organization": lambda: [organization_batch(world.organizations, world.streams, period)],
        "User": lambda: [user_batch(world.organizations, world.streams, period)],
        "Project": lambda: [project_batch(world)],
        "Funder": lambda: [funder_batch(world)],
        "ProjectCoC": lambda: [project_coc_batch(world)],
        "Inventory": lambda: [inventory_batch(world)],
        "Affiliation": lambda: [affiliation_batch(world)],
        "HMISParticipation": lambda: [hmis_participation_batch(world)],
        "CEParticipation": lambda: [ce_participation_batch(world)],
        "Client": lambda: [client_batch(world)],
        "Enrollment": lambda: enrollment_batches(world),
        "Exit": lambda: exit_batches(world),
        "IncomeBenefits": lambda: income_batches(world),
        "HealthAndDV": lambda: health_batches(world),
        "EmploymentEducation": lambda: employment_batches(world),
        "Disabilities": lambda: disability_batches(world),
        "Services": lambda: services_batches(world),
        "CurrentLivingSituation": lambda: current_living_batches(world),
        "Assessment": lambda: ce.assessment_batches(world, assessments),
        "AssessmentQuestions": lambda: ce.question_batches(world, assessments),
        "AssessmentResults": lambda: ce.result_batches(world, assessments),
        "Event": lambda: ce.event_batches(world),
        "YouthEducationStatus": lambda: youth_education_batches(world),
    }
    spec = current()
    with ExportWriter(out, spec, export_id, period.export_moment) as writer:
        for record in spec.record_types:
            rows = writer.write(record, files[record]())
            say(f"{record}.csv: {rows:,} rows ({time.perf_counter() - began:.0f}s)")
    truth = duplicates_path_for(out)
    person = np.concatenate([np.arange(world.people.count), duplicate_person])
    write_ground_truth(truth, world.personal_id, person)
    return GenerationSummary(
        out=out,
        duplicates_path=truth,
        clients=clients,
        people=world.people.count,
        duplicates=len(duplicate_person),
        export_id=export_id,
        rows=dict(writer.counts),
        seconds=time.perf_counter() - began,
    )


__all__ = ["DEFAULT_END", "NO_DATE", "GenerationSummary", "generate"]
