"""The printed documents' contents, read from the records (the layout is hearth.consent.forms_pdf's).

The caller passes only records it read through the guarded lookups: the client, the household members the
user may see, the release. Nothing here decides who may see what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from hearth.consent.forms_pdf import ConsentForm, DisclosureLog, DisclosureRow, Member, RevocationForm
from hearth.consent.models import ContinuumSharing, Disclosure, Release
from hearth.consent.signature_pad import Signature, from_svg
from hearth.hmis.models import Client, Continuum, Organization, Project


def reference(release: Release) -> str:
    """How forms and pages name a release: no personal data, stable, short."""
    return f"C-{release.pk}"


def full_name(client: Client) -> str:
    parts = (client.first_name, client.middle_name, client.last_name, client.name_suffix)
    return " ".join(p for p in parts if p) or f"Hearth ID {client.pk}"


def continuum_name(continuum: Continuum | None) -> str:
    if continuum is None:
        return ""
    return continuum.name or continuum.code


def privacy_notice_version(continuum_id: int | None) -> str:
    """The notice version the CoC has posted ("" when the HMIS Lead has not set one)."""
    if continuum_id is None:
        return ""
    sharing = ContinuumSharing.objects.filter(continuum_id=continuum_id).first()
    return sharing.privacy_notice_version if sharing is not None else ""


def draft_form(
    *,
    client: Client,
    members: Sequence[tuple[Client, str]],
    organization: Organization,
    coc_wide: bool,
    organizations: Iterable[Organization],
    projects: Iterable[Project],
    categories: Iterable[str],
    starts_on: date,
    ends_on: date | None,
    method: str,
    follow_up_due: date | None,
    obtained_by: str,
) -> ConsentForm:
    """The Consent to Share form filled from what staff entered, printed for signing before it is recorded."""
    continuum = organization.continuum
    return ConsentForm(
        reference="",
        continuum=continuum_name(continuum),
        client_id=client.pk,
        client_name=full_name(client),
        client_dob=client.dob,
        members=tuple(Member(full_name(c), c.dob, through) for c, through in members),
        agency=organization.organization_name or "",
        coc_wide=coc_wide,
        organizations=tuple(sorted(o.organization_name or "" for o in organizations)),
        projects=tuple(sorted(p.project_name or "" for p in projects)),
        categories=frozenset(categories),
        starts_on=starts_on,
        ends_on=ends_on,
        method=method,
        follow_up_due=follow_up_due,
        privacy_notice_version=privacy_notice_version(organization.continuum_id) or "-",
        obtained_by=obtained_by,
        printed_on=timezone.localdate(),
    )


def release_form(release: Release, *, client: Client, members: Sequence[tuple[Client, str]]) -> ConsentForm:
    """The Consent to Share form of a recorded release (``members``: the covered people the user may see)."""
    signature: Signature | None = from_svg(release.signature_svg)
    return ConsentForm(
        reference=reference(release),
        continuum=continuum_name(release.continuum),
        client_id=client.pk,
        client_name=full_name(client),
        client_dob=client.dob,
        members=tuple(Member(full_name(c), c.dob, through) for c, through in members),
        agency=release.organization.organization_name or "",
        coc_wide=release.coc_wide,
        organizations=tuple(sorted(o.organization_name or "" for o in release.organizations.all())),
        projects=tuple(sorted(p.project_name or "" for p in release.projects.all())),
        categories=frozenset(release.categories),
        starts_on=release.starts_on,
        ends_on=release.ends_on,
        method=release.method,
        follow_up_due=release.follow_up_due,
        privacy_notice_version=release.privacy_notice_version or "-",
        obtained_by=release.obtained_by_name,
        printed_on=timezone.localdate(),
        signature=signature,
        signed_on=timezone.localdate(release.created_at) if release.created_at else None,
    )


def revocation_form(
    release: Release, *, client: Client, members: Sequence[tuple[Client, str]], agency: str
) -> RevocationForm:
    """The Revocation form: filled with the revocation once recorded, else printed for signing."""
    consent = release_form(release, client=client, members=members)
    sharing = ContinuumSharing.objects.filter(continuum_id=release.continuum_id).first()
    revoked_on = timezone.localdate(release.revoked_at) if release.revoked_at else None
    return RevocationForm(
        consent=consent,
        printed_on=timezone.localdate(),
        revoked_on=revoked_on,
        reason=release.revocation_reason if revoked_on else "",
        revoked_by=release.revoked_by_name,
        revoking_agency=agency,
        deidentify=bool(sharing and sharing.deidentify_on_revocation),
    )


def disclosure_rows(disclosures: Iterable[Disclosure]) -> list[DisclosureRow]:
    items = list(disclosures)
    names = dict(
        Organization.objects.filter(pk__in={d.organization_id for d in items if d.organization_id}).values_list(
            "pk", "organization_name"
        )
    )
    return [
        DisclosureRow(
            at=timezone.localtime(d.at),
            who=d.user_name,
            agency=names.get(d.organization_id or 0) or "",
            what=d.what,
            release_reference=f"C-{d.release_id}" if d.release_id else "",
        )
        for d in items
    ]


def disclosure_log(
    *, client: Client, continuum: Continuum | None, start: date, end: date, disclosures: Iterable[Disclosure]
) -> DisclosureLog:
    return DisclosureLog(
        continuum=continuum_name(continuum),
        client_id=client.pk,
        client_name=full_name(client),
        client_dob=client.dob,
        start=start,
        end=end,
        printed_on=timezone.localdate(),
        rows=tuple(disclosure_rows(disclosures)),
    )


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The local-time instants a period of whole days spans: [start 00:00, end+1 00:00)."""
    tz = timezone.get_current_timezone()
    first = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    last = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return first, last
