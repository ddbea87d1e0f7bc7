"""Retention: de-identify clients unused for seven years, after a dry run, keeping what HUD reports count.

HMIS Data and Technical Standards (69 FR 45888), 4.2.2 "Data quality": a CHO "must develop and implement a
plan to dispose of or, in the alternative, to remove identifiers from, PPI that is not in current use seven
years after the PPI was created or last changed" (HUD Exchange FAQ 3304 repeats it). Hearth removes the
identifiers and keeps the record: PersonalID, enrollments, exits, services, assessments and every demographic
other than identity stay, so HUD's reports of past years still count the person.

Not in current use (``inactive_clients``): no open enrollment and, since the cutoff (today minus
``HEARTH_RETENTION_YEARS``, 7), no entry, exit, service or bed night, assessment record, contact, event, CoC
service, case note, document, change to the client (DateCreated/DateUpdated of any of these rows) and no
audited view or change of the client. A dry run lists them by id (``RetentionCandidate``); applying takes that
list, checks each client again at that moment (anything that happened since keeps them) and de-identifies:

- names (3.01) removed, NameDataQuality 99 "Data not collected" (list 3.01.5: no name is held any more);
- SSN (3.02) removed, SSNDataQuality 99 (list 3.02.2);
- date of birth (3.03): only the year is kept, as 1 January, DOBDataQuality 2 "Approximate or partial DOB
  reported" (list 3.03.2), so age-based report rows still count the person; a person 90 or older loses the
  year too (DOB removed, 99), as HIPAA's safe harbour (45 CFR 164.514(b)(2)(i)(C)) does for ages over 89;
- AdditionalRaceEthnicity (3.04.2, free text that may identify) removed; race and ethnicity, sex and veteran
  status kept;
- an identity detached on revocation (hearth.consent's DetachedIdentity) is de-identified the same way, and
  the client's search keys are rebuilt from what remains.

The audit trail's field changes still hold the values entered and corrected: they are append-only and
hash-chained (ADR 0015), so retention cannot rewrite them; see ADR 0016 for the open question.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.access.lookups import clients_for
from hearth.access.models import ClientOrigin
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.models import CaseNote, ClientFile, LocalService
from hearth.consent.models import DetachedIdentity, Disclosure, ReleaseMember
from hearth.hmis.models import (
    Assessment,
    Client,
    CurrentLivingSituation,
    Disabilities,
    EmploymentEducation,
    Enrollment,
    Event,
    Exit,
    HealthAndDV,
    IncomeBenefits,
    Services,
    YouthEducationStatus,
)
from hearth.rights.models import Deidentified, RetentionCandidate, RetentionRun, RunMode

Progress = Callable[[str, int, int], None]
BATCH = 500
NAME_FIELDS = ("first_name", "middle_name", "last_name", "name_suffix")
IDENTITY_FIELDS = (*NAME_FIELDS, "ssn", "dob", "additional_race_ethnicity")
DATA_NOT_COLLECTED = 99  # lists 3.01.5, 3.02.2, 3.03.2
APPROXIMATE_DOB = 2  # list 3.03.2 "Approximate or partial DOB reported"
OLDEST_KEPT_AGE = 89

# Client-level records and the date (besides DateCreated/DateUpdated) that says when they happened.
_HUD_ACTIVITY: tuple[tuple[type[Any], str], ...] = (
    (Enrollment, "entry_date"),
    (Exit, "exit_date"),
    (Services, "date_provided"),
    (IncomeBenefits, "information_date"),
    (HealthAndDV, "information_date"),
    (Disabilities, "information_date"),
    (EmploymentEducation, "information_date"),
    (YouthEducationStatus, "information_date"),
    (CurrentLivingSituation, "information_date"),
    (Assessment, "assessment_date"),
    (Event, "event_date"),
)


class RetentionError(ValueError):
    """A readable refusal (an apply without a dry run, a dry run of another scope…)."""


def retention_years() -> int:
    return int(getattr(settings, "HEARTH_RETENTION_YEARS", 7))


def cutoff_for(today: dt.date, years: int) -> dt.date:
    """The first day that counts as recent: ``years`` before ``today`` (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _recent(cutoff: dt.date) -> list[Exists]:
    start = _start(cutoff)
    recent: list[Exists] = []
    for model, day in _HUD_ACTIVITY:
        # Records of an enrollment are reached through it (Enrollment.client and each record's enrollment are
        # indexed; their own PersonalID column is not): an apply batch of a few hundred clients then reads by
        # index instead of scanning each table.
        lookup = "client_id" if model is Enrollment else "enrollment__client_id"
        rows = model.objects.filter(**{lookup: OuterRef("pk")})
        when = Q(**{f"{day}__gte": cutoff}) | Q(date_updated__gte=start) | Q(date_created__gte=start)
        recent.append(Exists(rows.filter(when)))
    recent.append(
        Exists(
            LocalService.objects.filter(client_id=OuterRef("pk")).filter(
                Q(date_provided__gte=cutoff) | Q(date_updated__gte=start)
            )
        )
    )
    recent.append(
        Exists(
            CaseNote.objects.filter(client_id=OuterRef("pk")).filter(
                Q(contact_date__gte=cutoff) | Q(created_at__gte=start)
            )
        )
    )
    recent.append(Exists(ClientFile.objects.filter(client_id=OuterRef("pk"), uploaded_at__gte=start)))
    # A release of information signed, changed or revoked, or a read under one (hearth.consent).
    recent.append(Exists(ReleaseMember.objects.filter(client_id=OuterRef("pk"), release__updated_at__gte=start)))
    recent.append(Exists(Disclosure.objects.filter(client_id=OuterRef("pk"), at__gte=start)))
    # Any audited view or change of the client (the audit keys events by type and id: an indexed lookup).
    recent.append(
        Exists(
            AuditEvent.objects.filter(
                object_type="Client", object_id=Cast(OuterRef("pk"), CharField(max_length=64)), at__gte=start
            )
        )
    )
    return recent


def inactive_clients(cutoff: dt.date, *, user: Any = None) -> QuerySet[Client]:
    """Live clients not yet de-identified with no activity since ``cutoff`` and no open enrollment.

    With ``user`` (an HMIS Lead from the pages): only clients the user reaches (never a victim service
    provider's: their data stays with the provider) and none with an enrollment or registration outside the
    user's reach, so one CoC's Lead never de-identifies a client another CoC still serves. Without: the whole
    deployment (the command line, run by whoever runs the servers)."""
    start = _start(cutoff)
    found = Client.objects.filter(date_deleted__isnull=True, date_created__lt=start, date_updated__lt=start).exclude(
        pk__in=Deidentified.objects.values("client_id")
    )
    for recent in _recent(cutoff):
        found = found.filter(~recent)
    # An open enrollment is current use, whatever its dates.
    open_enrollment = Enrollment.objects.filter(client_id=OuterRef("pk"), date_deleted__isnull=True).filter(
        ~Exists(Exit.objects.filter(enrollment_id=OuterRef("pk"), date_deleted__isnull=True))
    )
    found = found.filter(~Exists(open_enrollment))
    if user is not None:
        scope = reach(user, Permission.VIEW_CLIENTS)
        found = found.filter(pk__in=clients_for(user).values("pk"))
        found = found.filter(
            ~Exists(Enrollment.objects.filter(client_id=OuterRef("pk")).exclude(project_id__in=scope.projects)),
            ~Exists(
                ClientOrigin.objects.filter(client_id=OuterRef("pk")).exclude(
                    organization_id__in=scope.origin_organizations
                )
            ),
        )
    return found


def may_run_retention(user: Any) -> bool:
    """The HMIS Lead's work: MANAGE_CONTINUUM over a CoC."""
    return bool(user is not None and user.is_authenticated and reach(user, Permission.MANAGE_CONTINUUM).continuums)


@dataclass(frozen=True)
class Counts:
    clients: int
    enrollments: int
    services: int

    def as_dict(self) -> dict[str, int]:
        return {"clients": self.clients, "enrollments": self.enrollments, "services": self.services}


def _counts(client_ids: QuerySet[Any]) -> Counts:
    return Counts(
        clients=client_ids.count(),
        enrollments=Enrollment.objects.filter(client_id__in=client_ids, date_deleted__isnull=True).count(),
        services=Services.objects.filter(client_id__in=client_ids, date_deleted__isnull=True).count(),
    )


def _quiet(stage: str, done: int, total: int) -> None:
    return None


@transaction.atomic
def dry_run(
    *, by: Actor, user: Any = None, today: dt.date | None = None, job_id: int | None = None, progress: Progress = _quiet
) -> RetentionRun:
    """List the clients the retention job would de-identify today (by id), with the counts kept for HUD."""
    years = retention_years()
    cutoff = cutoff_for(today or timezone.localdate(), years)
    continuums = sorted(reach(user, Permission.MANAGE_CONTINUUM).continuums) if user is not None else []
    if user is not None and not continuums:
        raise RetentionError("Only an HMIS Lead may run the retention job.")
    if job_id is not None:
        # A retried job starts its dry run over.
        RetentionRun.objects.filter(job_id=job_id, mode=RunMode.DRY_RUN).delete()
    run = RetentionRun.objects.create(
        mode=RunMode.DRY_RUN,
        years=years,
        cutoff=cutoff,
        continuums=continuums,
        job_id=job_id,
        requested_by_id=by.user_id,
        requested_by_name=by.name[:150],
        started_at=timezone.now(),
    )
    progress("Finding clients with no activity since " + cutoff.isoformat(), 0, 0)
    found = inactive_clients(cutoff, user=user).order_by("pk")
    # Through the enrollment, whose client and exits are indexed (an exit's own PersonalID column is not).
    last_exit = (
        Exit.objects.filter(enrollment__client_id=OuterRef("pk"))
        .values("enrollment__client_id")
        .annotate(last=Max("exit_date"))
    )
    rows = found.annotate(last_exit=last_exit.values("last")).values_list("pk", "hud_id", "date_updated", "last_exit")
    total = 0
    batch: list[RetentionCandidate] = []
    for pk, hud_id, updated, last_exit_on in rows.iterator(chunk_size=2000):
        changed_on = timezone.localtime(updated).date()
        last = max(changed_on, last_exit_on) if last_exit_on else changed_on
        batch.append(RetentionCandidate(run=run, client_id=pk, personal_id=hud_id, last_activity=last))
        if len(batch) >= 2000:
            RetentionCandidate.objects.bulk_create(batch)
            total += len(batch)
            batch = []
            progress("Listing clients", total, 0)
    RetentionCandidate.objects.bulk_create(batch)
    counts = _counts(RetentionCandidate.objects.filter(run=run).values("client_id"))
    run.counts = counts.as_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    by.record(
        "retention.dry_run", object_type="RetentionRun", object_id=run.pk, cutoff=cutoff.isoformat(), **run.counts
    )
    return run


def deidentify(client: Client | DetachedIdentity, *, today: dt.date) -> dict[str, tuple[Any, Any]]:
    """Remove the identifying data of a client (or of an identity detached from one) in place, as the module's
    docstring says; returns what changed."""
    fields = (*IDENTITY_FIELDS, "name_data_quality", "ssn_data_quality", "dob_data_quality")
    before = {name: getattr(client, name) for name in fields if hasattr(client, name)}
    had_name = any(getattr(client, name) for name in NAME_FIELDS)
    for name in NAME_FIELDS:
        setattr(client, name, None)
    if had_name:
        client.name_data_quality = DATA_NOT_COLLECTED
    if client.ssn:
        client.ssn = None
        client.ssn_data_quality = DATA_NOT_COLLECTED
    if client.dob is not None:
        if _age(client.dob, today) > OLDEST_KEPT_AGE:
            client.dob = None
            client.dob_data_quality = DATA_NOT_COLLECTED
        else:
            client.dob = dt.date(client.dob.year, 1, 1)
            client.dob_data_quality = APPROXIMATE_DOB
    if isinstance(client, Client):
        client.additional_race_ethnicity = None
    return {name: (old, getattr(client, name)) for name, old in before.items() if getattr(client, name) != old}


def _age(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def apply(
    *,
    dry_run_id: int,
    by: Actor,
    user: Any = None,
    today: dt.date | None = None,
    job_id: int | None = None,
    progress: Progress = _quiet,
) -> RetentionRun:
    """De-identify the clients a dry run listed that are still inactive now. Each batch is one transaction
    (a stopped job leaves whole batches done; running it again continues: done clients are never listed)."""
    base = RetentionRun.objects.filter(pk=dry_run_id, mode=RunMode.DRY_RUN, finished_at__isnull=False).first()
    if base is not None and user is not None:
        # From the pages, a Lead applies only a dry run of their own CoCs (the command line applies any).
        mine = reach(user, Permission.MANAGE_CONTINUUM).continuums
        if not base.continuums or not set(base.continuums) <= mine:
            base = None
    if base is None:
        raise RetentionError(f"No finished dry run {dry_run_id}: run a dry run first and review its list.")
    today = today or timezone.localdate()
    cutoff = cutoff_for(today, retention_years())
    with transaction.atomic():
        run = RetentionRun.objects.filter(job_id=job_id, mode=RunMode.APPLY).first() if job_id is not None else None
        if run is None:
            run = RetentionRun.objects.create(
                mode=RunMode.APPLY,
                years=base.years,
                cutoff=cutoff,
                continuums=base.continuums,
                based_on=base,
                job_id=job_id,
                requested_by_id=by.user_id,
                requested_by_name=by.name[:150],
                started_at=timezone.now(),
            )
    listed = list(
        RetentionCandidate.objects.filter(run=base)
        .exclude(client_id__in=Deidentified.objects.values("client_id"))
        .order_by("client_id")
        .values_list("client_id", flat=True)
    )
    done = Deidentified.objects.filter(run=run).count()
    skipped = 0
    progress("De-identifying", 0, len(listed))
    for position, batch in enumerate(_batches(listed)):
        done_here = _apply_batch(batch, run=run, cutoff=cutoff, today=today, user=user, by=by)
        done += done_here
        skipped += len(batch) - done_here
        progress("De-identifying", min(len(listed), (position + 1) * BATCH), len(listed))
    with transaction.atomic():
        run.counts = {**_counts(Deidentified.objects.filter(run=run).values("client_id")).as_dict(), "skipped": skipped}
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        by.record("retention.applied", object_type="RetentionRun", object_id=run.pk, dry_run=base.pk, **run.counts)
    return run


@transaction.atomic
def _apply_batch(ids: list[int], *, run: RetentionRun, cutoff: dt.date, today: dt.date, user: Any, by: Actor) -> int:
    from hearth.search.index import index_clients

    # Checked again now, under lock: a client seen, served or changed since the dry run is kept as is.
    eligible = inactive_clients(cutoff, user=user).filter(pk__in=ids).values("pk")
    clients = list(Client.objects.select_for_update().filter(pk__in=eligible).order_by("pk"))
    if not clients:
        return 0
    now = timezone.now()
    user_id = hmis_user_id(by.user)
    fields = [*IDENTITY_FIELDS, "name_data_quality", "ssn_data_quality", "dob_data_quality", "date_updated", "user_id"]
    for client in clients:
        changed = deidentify(client, today=today)
        client.date_updated = now
        client.user_id = user_id
        by.record("client.deidentified", object_type="Client", object_id=client.pk, run=run.pk, fields=sorted(changed))
    Client.objects.bulk_update(clients, fields)
    Deidentified.objects.bulk_create(Deidentified(client_id=c.pk, run=run, at=now) for c in clients)
    _detached_identities([c.pk for c in clients], today=today)
    index_clients([c.pk for c in clients])
    return len(clients)


def _detached_identities(client_ids: list[int], *, today: dt.date) -> None:
    """An identity detached when a release was revoked (hearth.consent: kept for the agencies the client
    trusted) is the same person's identity: it goes the same way."""
    held = list(DetachedIdentity.objects.select_for_update().filter(client_id__in=client_ids))
    for identity in held:
        deidentify(identity, today=today)
    DetachedIdentity.objects.bulk_update(
        held, [*NAME_FIELDS, "ssn", "dob", "name_data_quality", "ssn_data_quality", "dob_data_quality"]
    )


CSV_COLUMNS = ("hearth_id", "personal_id", "last_activity")


def candidates_csv(run: RetentionRun) -> Iterator[str]:
    """The dry run's list, by id only (no names, no dates of birth): streamed as CSV lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    yield out.getvalue()
    rows = (
        RetentionCandidate.objects.filter(run=run)
        .order_by("client_id")
        .values_list("client_id", "personal_id", "last_activity")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for count, (pk, hud_id, last) in enumerate(rows.iterator(chunk_size=5000), start=1):
        writer.writerow((pk, hud_id, last.isoformat() if last else ""))
        if count % 5000 == 0:
            yield out.getvalue()
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
    yield out.getvalue()
