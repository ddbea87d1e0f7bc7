"""A release or a revocation recorded together with its signed document, as one write.

The pages upload the signed form (hearth.casework.files, kind "consent") and record the release or the
revocation (hearth.consent.actions) in one transaction: a refused release leaves no orphan document, and a
refused upload records no release. The stored bytes of a document whose release was refused are removed too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hearth.audit.actor import Actor
from hearth.casework.files import stored_path, upload_file
from hearth.casework.models import ClientFile, FileKind
from hearth.consent.actions import record_release, revoke_release
from hearth.consent.models import Release
from hearth.hmis.models import Client, Organization


@dataclass(frozen=True)
class Upload:
    name: str
    size: int
    chunks: Iterable[bytes]


def _store(*, client: Client, organization: Organization, upload: Upload | None, by: Actor) -> ClientFile | None:
    if upload is None:
        return None
    try:
        return upload_file(
            client=client,
            organization=organization,
            kind=FileKind.CONSENT,
            name=upload.name,
            size=upload.size,
            chunks=upload.chunks,
            by=by,
        )
    except ValidationError as error:
        # The upload's own field is "upload"; on these pages the file is the signed document.
        raise ValidationError({"document": error.message_dict.get("upload", error.messages)}) from None


def record_with_document(
    *, client: Client, organization: Organization, upload: Upload | None, by: Actor, **release: Any
) -> Release:
    """``record_release`` with the signed form uploaded first (``release``: record_release's arguments)."""
    document: ClientFile | None = None
    try:
        with transaction.atomic():
            document = _store(client=client, organization=organization, upload=upload, by=by)
            return record_release(client=client, organization=organization, document=document, by=by, **release)
    except BaseException:
        if document is not None:
            stored_path(document.stored_name).unlink(missing_ok=True)
        raise


def revoke_with_document(
    *, release: Release, client: Client, organization: Organization, reason: str, upload: Upload | None, by: Actor
) -> Release:
    """``revoke_release`` with the client's signed revocation uploaded for ``organization`` first."""
    document: ClientFile | None = None
    try:
        with transaction.atomic():
            document = _store(client=client, organization=organization, upload=upload, by=by)
            return revoke_release(release=release, reason=reason, document=document, by=by)
    except BaseException:
        if document is not None:
            stored_path(document.stored_name).unlink(missing_ok=True)
        raise


@transaction.atomic
def _attach(*, release: Release, document: ClientFile, by: Actor) -> Release:
    locked = Release.objects.select_for_update().get(pk=release.pk)
    if locked.document_id is not None:
        raise ValidationError({"document": "This consent already has its signed form."})
    if locked.revoked_at is not None:
        raise ValidationError({"document": "This consent was revoked; file the signed form with the documents."})
    locked.document = document
    locked.save(update_fields=["document", "updated_at"])
    by.record(
        "release.document_attached",
        object_type="Release",
        object_id=locked.pk,
        client=locked.client_id,
        document=document.pk,
    )
    return locked


def attach_signed_form(
    *, release: Release, client: Client, organization: Organization, upload: Upload, by: Actor
) -> Release:
    """The signed form of a release recorded without it (a verbal consent's follow-up, or a paper form scanned
    later), uploaded for ``organization`` and linked to the release in one transaction."""
    document: ClientFile | None = None
    try:
        with transaction.atomic():
            document = _store(client=client, organization=organization, upload=upload, by=by)
            assert document is not None
            return _attach(release=release, document=document, by=by)
    except BaseException:
        if document is not None:
            stored_path(document.stored_name).unlink(missing_ok=True)
        raise
