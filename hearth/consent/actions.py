"""The writes of consent to share: releases recorded and revoked, the CoC's policy, sharing groups.

Each action validates everything first (a ``ValidationError`` naming the field, nothing written), writes in one
transaction, and records an audit event that names records, never people. The caller has checked the
acting user's permission over the client or CoC (the pages do, through hearth.access.lookups).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.access.scope import VSP_YES, forget
from hearth.audit.actor import Actor
from hearth.casework.models import ClientFile
from hearth.consent import identity
from hearth.consent.models import (
    Category,
    ContinuumSharing,
    Method,
    Policy,
    Release,
    ReleaseMember,
    SharingGroup,
    Through,
    category_mask,
)
from hearth.consent.signature_svg import clean_signature_svg
from hearth.hmis.models import Client, Continuum, Organization, Project

MAX_REASON_LENGTH = 2_000


def _forget(by: Actor) -> None:
    # The acting user's answers of this request predate the change (a revocation takes effect at once).
    if by.user is not None:
        forget(by.user)


@transaction.atomic
def record_release(
    *,
    client: Client,
    organization: Organization,
    categories: Iterable[str],
    starts_on: date,
    method: str,
    coc_wide: bool = False,
    organizations: Sequence[Organization] = (),
    projects: Sequence[Project] = (),
    ends_on: date | None = None,
    follow_up_due: date | None = None,
    signature_svg: str | None = None,
    document: ClientFile | None = None,
    privacy_notice_version: str | None = None,
    members: Sequence[tuple[Client, str]] = (),
    by: Actor,
) -> Release:
    """Record a client's release of information taken by ``organization``. ``members`` are the household
    members it also covers, each with how (``Through``); the client is always covered, as themself.
    ``privacy_notice_version`` defaults to the notice the CoC has posted."""
    chosen = sorted(set(categories))
    errors: dict[str, str] = {}
    unknown = [c for c in chosen if c not in Category.values]
    if unknown or not chosen:
        errors["categories"] = "Choose the data the client agrees to share."
    elif Category.IDENTITY not in chosen:
        # Any shared record shows whose it is: sharing without identity would share nothing usable.
        errors["categories"] = "Sharing any data shares who the client is: include identity."
    if not coc_wide and not organizations and not projects:
        errors["organizations"] = "Choose CoC-wide, or the agencies or projects the client agrees to share with."
    if method not in Method.values:
        errors["method"] = "Choose how the client gave consent."
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The end date cannot be before the start date."
    if method == Method.VERBAL:
        if follow_up_due is None:
            errors["follow_up_due"] = "Verbal consent needs the date by which the signed form will follow."
        elif follow_up_due < starts_on:
            errors["follow_up_due"] = "The follow-up date cannot be before the start date."
    if method == Method.ELECTRONIC_SIGNATURE:
        try:
            signature_svg = clean_signature_svg(signature_svg or "")
        except ValueError as problem:
            errors["signature_svg"] = str(problem)
    else:
        signature_svg = None
    if organization.continuum_id is None:
        errors["organization"] = "The agency taking the release belongs to no CoC."
    if organization.victim_service_provider == VSP_YES:
        # HMIS Data Standards Manual, "Victim Service Providers": their clients' data stays within them.
        errors["organization"] = "A victim service provider's clients are not shared."
    if any(o.victim_service_provider == VSP_YES for o in organizations) or any(
        p.organization.victim_service_provider == VSP_YES for p in projects
    ):
        errors["organizations"] = "Victim service providers do not take part in sharing; remove them."
    if document is not None and (document.client_id != client.pk or document.deleted_at is not None):
        errors["document"] = "Choose a document of this client."
    covered: dict[int, str] = {client.pk: Through.SELF}
    for member, through in members:
        if through not in Through.values:
            errors["members"] = "Say how each household member is covered."
        elif member.pk != client.pk:
            covered[member.pk] = through
    if errors:
        raise ValidationError(errors)
    assert organization.continuum_id is not None
    if privacy_notice_version is None:
        policy = ContinuumSharing.objects.filter(continuum_id=organization.continuum_id).first()
        privacy_notice_version = policy.privacy_notice_version if policy is not None else ""
    release = Release.objects.create(
        client=client,
        organization=organization,
        continuum_id=organization.continuum_id,
        coc_wide=coc_wide,
        categories=chosen,
        category_mask=category_mask(chosen),
        starts_on=starts_on,
        ends_on=ends_on,
        method=method,
        follow_up_due=follow_up_due if method == Method.VERBAL else None,
        signature_svg=signature_svg,
        document=document,
        privacy_notice_version=privacy_notice_version,
        obtained_by=by.user,
        obtained_by_name=by.name,
    )
    if organizations:
        release.organizations.set(organizations)
    if projects:
        release.projects.set(projects)
    ReleaseMember.objects.bulk_create(
        ReleaseMember(release=release, client_id=pk, through=through) for pk, through in covered.items()
    )
    by.record(
        "release.recorded",
        object_type="Release",
        object_id=release.pk,
        client=client.pk,
        members=sorted(covered),
        categories=chosen,
        coc_wide=coc_wide,
        organizations=sorted(o.pk for o in organizations),
        projects=sorted(p.pk for p in projects),
    )
    # A new consent brings back an identity detached by an earlier revocation.
    identity.restore(client_ids=list(covered), by=by)
    _forget(by)
    return release


@transaction.atomic
def revoke_release(*, release: Release, reason: str, document: ClientFile | None = None, by: Actor) -> Release:
    """Revoke a release at once. Where the CoC de-identifies on revocation, the identities of the people it
    covered are detached from the shared record (hearth.consent.identity), unless another active release
    still covers them."""
    locked = Release.objects.select_for_update().get(pk=release.pk)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if locked.revoked_at is not None:
        errors["release"] = "This release was already revoked."
    if len(reason) > MAX_REASON_LENGTH:
        errors["reason"] = f"Keep the reason under {MAX_REASON_LENGTH:,} characters."
    if document is not None and (document.client_id != locked.client_id or document.deleted_at is not None):
        errors["document"] = "Choose a document of this client."
    if errors:
        raise ValidationError(errors)
    locked.revoked_at = timezone.now()
    locked.revoked_by = by.user
    locked.revoked_by_name = by.name
    locked.revocation_reason = reason
    locked.revocation_document = document
    locked.save(
        update_fields=[
            "revoked_at",
            "revoked_by",
            "revoked_by_name",
            "revocation_reason",
            "revocation_document",
            "updated_at",
        ]
    )
    by.record("release.revoked", object_type="Release", object_id=locked.pk, client=locked.client_id)
    policy = ContinuumSharing.objects.filter(continuum_id=locked.continuum_id).first()
    if policy is not None and policy.deidentify_on_revocation:
        identity.detach(release=locked, by=by)
    _forget(by)
    release.revoked_at = locked.revoked_at
    return locked


@transaction.atomic
def set_sharing_policy(
    *,
    continuum: Continuum,
    policy: str,
    deidentify_on_revocation: bool,
    privacy_notice_version: str,
    by: Actor,
) -> ContinuumSharing:
    """Set the CoC's sharing policy (the HMIS Lead's choice, applied from the next request on)."""
    version = privacy_notice_version.strip()
    errors: dict[str, str] = {}
    if policy not in Policy.values:
        errors["policy"] = "Choose open, consent-based or closed."
    if len(version) > 40:
        errors["privacy_notice_version"] = "A privacy notice version holds at most 40 characters."
    if errors:
        raise ValidationError(errors)
    sharing, _ = ContinuumSharing.objects.select_for_update().get_or_create(continuum=continuum)
    before = (sharing.policy, sharing.deidentify_on_revocation, sharing.privacy_notice_version)
    sharing.policy = policy
    sharing.deidentify_on_revocation = deidentify_on_revocation
    sharing.privacy_notice_version = version
    sharing.save()
    by.record(
        "sharing_policy.set",
        object_type="Continuum",
        object_id=continuum.pk,
        policy=policy,
        deidentify_on_revocation=deidentify_on_revocation,
        privacy_notice_version=version,
        before={"policy": before[0], "deidentify_on_revocation": before[1], "privacy_notice_version": before[2]},
    )
    _forget(by)
    return sharing


@transaction.atomic
def save_sharing_group(
    *,
    continuum: Continuum,
    name: str,
    organizations: Sequence[Organization],
    group: SharingGroup | None = None,
    by: Actor,
) -> SharingGroup:
    """Create a sharing group of ``continuum``'s agencies, or change ``group``'s name and members."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Name the group."
    elif len(name) > 100:
        errors["name"] = "A group name holds at most 100 characters."
    elif (
        SharingGroup.objects.filter(continuum=continuum, name=name)
        .exclude(pk=group.pk if group is not None else 0)
        .exists()
    ):
        errors["name"] = "Another group of this CoC has that name."
    if group is not None and group.continuum_id != continuum.pk:
        errors["name"] = "That group belongs to another CoC."
    if any(o.continuum_id != continuum.pk for o in organizations):
        errors["organizations"] = "Choose agencies of this CoC."
    elif any(o.victim_service_provider == VSP_YES for o in organizations):
        errors["organizations"] = "Victim service providers do not take part in sharing; remove them."
    if errors:
        raise ValidationError(errors)
    created = group is None
    if group is None:
        group = SharingGroup.objects.create(continuum=continuum, name=name)
    else:
        group.name = name
        group.save(update_fields=["name", "updated_at"])
    group.organizations.set(organizations)
    by.record(
        "sharing_group.created" if created else "sharing_group.changed",
        object_type="SharingGroup",
        object_id=group.pk,
        continuum=continuum.pk,
        organizations=sorted(o.pk for o in organizations),
    )
    _forget(by)
    return group
