"""Case notes: a case worker's record of contacts and progress with a client (a Hearth record; HUD's HMIS CSV
has no case notes).

A note belongs to the organization its author wrote it for, and is read only by people whose case-note
permission reaches that organization and the client (docs/adr/0008-local-case-work-records.md): another
agency serving the same client does not see it, and a CoC-wide role never reaches a victim service
provider's notes (hearth/access/scope.py).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.casework.models import CaseNote
from hearth.hmis.models import Client, Enrollment, Organization

MAX_NOTE_LENGTH = 10_000


@transaction.atomic
def add_note(
    *,
    client: Client,
    organization: Organization,
    text: str,
    contact_date: date,
    enrollment: Enrollment | None = None,
    by: Actor,
) -> CaseNote:
    """Write a case note for ``organization`` (the caller has checked WRITE_CASE_NOTES over the client there)."""
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Write the note."
    elif len(text) > MAX_NOTE_LENGTH:
        errors["text"] = f"A note holds at most {MAX_NOTE_LENGTH:,} characters; split it in two."
    if contact_date > timezone.localdate():
        errors["contact_date"] = "The contact date cannot be in the future."
    if enrollment is not None and (
        enrollment.client_id != client.pk or enrollment.project.organization_id != organization.pk
    ):
        errors["enrollment"] = "Choose one of this client's enrollments with your organization."
    if errors:
        raise ValidationError(errors)
    note = CaseNote.objects.create(
        client=client,
        organization=organization,
        enrollment=enrollment,
        contact_date=contact_date,
        text=text,
        author=by.user,
        created_at=timezone.now(),
    )
    # The text is personal data: the audit event names the note, never repeats it.
    by.record("case_note.created", object_type="CaseNote", object_id=note.pk, client=client.pk)
    return note


@transaction.atomic
def delete_note(*, note: CaseNote, by: Actor) -> None:
    """Withdraw a note (kept, marked deleted, so the audit trail can still answer who wrote what)."""
    locked = CaseNote.objects.select_for_update().get(pk=note.pk)
    if locked.deleted_at is not None:
        return
    locked.deleted_at = timezone.now()
    locked.deleted_by = by.user
    locked.save(update_fields=["deleted_at", "deleted_by"])
    by.record("case_note.deleted", object_type="CaseNote", object_id=locked.pk, client=locked.client_id)
