"""Documents about a client: consent forms, identification, verifications (Hearth records).

A file is accepted when its *content* is a PDF, JPEG, PNG or HEIC image (the first bytes are read; the name's
extension must agree) and it is no larger than ``settings.HEARTH_DOCUMENT_MAX_BYTES``. The bytes are stored
under the data folder (``settings.HEARTH_FILES_DIR``, never under static files) with a random name; the
name the user gave stays in the database only. Files are read back only through the guarded, audited
download view. Deleting marks the file deleted (the bytes stay for the audit trail and the retention policy).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.casework.models import ClientFile, FileKind
from hearth.hmis.models import Client, Organization

SNIFF_BYTES = 16


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: frozenset[str]


PDF = FileType("application/pdf", "PDF", frozenset({".pdf"}))
JPEG = FileType("image/jpeg", "JPEG image", frozenset({".jpg", ".jpeg"}))
PNG = FileType("image/png", "PNG image", frozenset({".png"}))
HEIC = FileType("image/heic", "HEIC image", frozenset({".heic", ".heif"}))
ALLOWED = (PDF, JPEG, PNG, HEIC)
# ISO base media brands of HEIF/HEIC photos (what phones save).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})


def sniff(head: bytes) -> FileType | None:
    """The file's type from its first bytes (its "magic number"), or None for anything not allowed."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIC
    return None


def max_bytes() -> int:
    return int(settings.HEARTH_DOCUMENT_MAX_BYTES)


def files_dir() -> Path:
    return Path(settings.HEARTH_FILES_DIR)


def stored_path(stored_name: str) -> Path:
    # Two-letter shards keep directories small; the name is hex from secrets, never from the user.
    return files_dir() / stored_name[:2] / stored_name


def clean_name(name: str) -> str:
    """The file's own name without any folder part, trimmed to fit (shown back to staff only)."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "document"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        return base[:200]
    return f"{stem[: 199 - len(ext)]}.{ext}"


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1_048_576 else f"{n / 1_048_576:.1f} MB"


def check_upload(*, name: str, size: int, head: bytes) -> tuple[FileType | None, str | None]:
    """(type, None) when acceptable, else (None, message naming the problem). Pure: unit-tested."""
    limit = max_bytes()
    if size == 0:
        return None, "The file is empty."
    if size > limit:
        return None, f"The file is {_size(size)}; the largest allowed is {_size(limit)}."
    kind = sniff(head)
    allowed = ", ".join(t.label for t in ALLOWED)
    if kind is None:
        return None, f"This kind of file cannot be uploaded. Allowed: {allowed}."
    extension = os.path.splitext(name)[1].lower()
    if extension not in kind.extensions:
        return None, f"The file's name ends in “{extension or '(nothing)'}” but its content is a {kind.label}."
    return kind, None


@transaction.atomic
def upload_file(
    *, client: Client, organization: Organization, kind: str, name: str, size: int, chunks: Iterable[bytes], by: Actor
) -> ClientFile:
    """Store an uploaded document for ``organization`` (the caller has checked EDIT_CLIENTS over the client
    there). Nothing is stored when a check fails."""
    if kind not in FileKind.values:
        raise ValidationError({"kind": "Choose what kind of document this is."})
    iterator = iter(chunks)
    head = b""
    buffered: list[bytes] = []
    for chunk in iterator:
        buffered.append(chunk)
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    file_type, problem = check_upload(name=name, size=size, head=head[:SNIFF_BYTES])
    if problem or file_type is None:
        raise ValidationError({"upload": problem or "This file cannot be uploaded."})
    stored_name = secrets.token_hex(16)
    path = stored_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    written = 0
    limit = max_bytes()
    try:
        # O_EXCL: a random name never overwrites anything; 0o600: readable by the server account only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in (*buffered, *iterator):
                written += len(chunk)
                if written > limit:  # the declared size is the client's word; the bytes decide
                    raise ValidationError({"upload": f"The file is larger than {_size(limit)}."})
                digest.update(chunk)
                out.write(chunk)
        record = ClientFile.objects.create(
            client=client,
            organization=organization,
            kind=kind,
            original_name=clean_name(name),
            content_type=file_type.content_type,
            size=written,
            sha256=digest.hexdigest(),
            stored_name=stored_name,
            uploaded_by=by.user,
            uploaded_at=timezone.now(),
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    # The file's name may identify the person: the event names the record and its kind only.
    by.record("client_file.uploaded", object_type="ClientFile", object_id=record.pk, client=client.pk, kind=kind)
    return record


@transaction.atomic
def delete_file(*, file: ClientFile, by: Actor) -> None:
    """Mark a document deleted: it leaves every page; the stored bytes remain for the retention policy."""
    locked = ClientFile.objects.select_for_update().get(pk=file.pk)
    if locked.deleted_at is not None:
        return
    locked.deleted_at = timezone.now()
    locked.deleted_by = by.user
    locked.save(update_fields=["deleted_at", "deleted_by"])
    by.record("client_file.deleted", object_type="ClientFile", object_id=locked.pk, client=locked.client_id)


def record_download(*, file: ClientFile, by: Actor) -> None:
    """Every download of a document is a view of the client's record (docs/adr/0005)."""
    by.record("client_file.downloaded", object_type="ClientFile", object_id=file.pk, client=file.client_id)
