"""Consent to share (issue 4 §1): each CoC's sharing policy, agencies grouped for sharing, the releases of
information clients sign, the identities detached on revocation, and the log of disclosures.

HUD's HMIS Privacy and Security Standards (69 FR 45888, 4.1 "Privacy Standards: Allowable uses and
disclosures") let a CoC choose between inferred consent with a posted notice and explicit consent; the
policy is the CoC's, enforced by hearth.consent.rules in the one read path (hearth/access/lookups.py).
Nothing here is hard-deleted: a release ends by revocation or by its end date, and stays on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hearth.hmis.fields import EncryptedCharField


class Policy(models.TextChoices):
    OPEN = "open", "Open: inferred consent with a posted privacy notice (all clients served in the CoC)"
    CONSENT = "consent", "Consent-based: a client's signed release decides what other agencies see"
    CLOSED = "closed", "Closed: each agency sees only the clients it served"


class Category(models.TextChoices):
    """The kinds of data a release shares. The bit of each is stored beside the list (``category_mask``) so
    the read path asks "does an active release cover files?" with one integer test on both databases."""

    IDENTITY = "identity", "Identity (name, date of birth, Social Security number, demographics)"
    ENROLLMENT_HISTORY = "enrollment_history", "Enrollment history (projects, entry and exit dates, destinations)"
    SERVICES = "services", "Services received"
    HEALTH_DV = "health_dv", "Health, disabilities and domestic violence"
    CASE_NOTES = "case_notes", "Case notes"
    FILES = "files", "Documents"


CATEGORY_BITS: dict[str, int] = {category.value: 1 << n for n, category in enumerate(Category)}


def category_mask(categories: list[str] | tuple[str, ...] | set[str] | frozenset[str]) -> int:
    mask = 0
    for category in categories:
        mask |= CATEGORY_BITS[category]
    return mask


class Method(models.TextChoices):
    WRITTEN = "written", "Written, signed on paper"
    VERBAL = "verbal", "Verbal (a written signature is to follow)"
    ELECTRONIC_SIGNATURE = "electronic_signature", "Electronic signature, drawn on screen"


class Through(models.TextChoices):
    """How a household member is covered by a release: themself, or a minor (or a person who cannot sign)
    through the head of household or a guardian who signed for them."""

    SELF = "self", "Signed for themself"
    HEAD_OF_HOUSEHOLD = "head_of_household", "Through the head of household"
    GUARDIAN = "guardian", "Through a guardian"


class ContinuumSharing(models.Model):
    """The CoC's sharing policy. A CoC without a row shares by consent (the default)."""

    continuum = models.OneToOneField("hmis.Continuum", models.CASCADE, related_name="sharing")
    policy = models.CharField(max_length=10, choices=Policy.choices, default=Policy.CONSENT)
    # On revocation, detach name, date of birth and SSN from what other agencies see (hearth.consent.identity).
    deidentify_on_revocation = models.BooleanField(default=False)
    # The privacy notice currently posted and shown to clients (recorded on each release).
    privacy_notice_version = models.CharField(max_length=40, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consent_continuum_sharing"
        verbose_name = "CoC sharing policy"

    def __str__(self) -> str:
        return f"sharing policy {self.policy} for CoC {self.continuum_id}"


class SharingGroup(models.Model):
    """Agencies of one CoC that work as one for intake: each sees the clients any member served directly
    (under an open or consent-based policy; a closed CoC keeps every agency to its own clients)."""

    continuum = models.ForeignKey("hmis.Continuum", models.PROTECT, related_name="sharing_groups")
    name = models.CharField(max_length=100)
    organizations = models.ManyToManyField("hmis.Organization", related_name="sharing_groups", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consent_sharing_group"
        constraints = [models.UniqueConstraint(fields=["continuum", "name"], name="consent_sharing_group_name_uniq")]

    def __str__(self) -> str:
        return self.name


class Release(models.Model):
    """A client's consent to share (release of information): who it covers, with whom, which data, for how
    long. Active from ``starts_on`` through ``ends_on`` (open-ended when empty) unless revoked; an expired
    release acts as revoked (issue 4 §2)."""

    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    # The agency that took the release, and its CoC (whose policy decides whether releases apply at all, and
    # which agencies "CoC-wide" names).
    organization = models.ForeignKey("hmis.Organization", models.PROTECT, related_name="+")
    continuum = models.ForeignKey("hmis.Continuum", models.PROTECT, related_name="+")
    coc_wide = models.BooleanField(default=False)
    organizations = models.ManyToManyField("hmis.Organization", related_name="+", blank=True)
    projects = models.ManyToManyField("hmis.Project", related_name="+", blank=True)
    categories = models.JSONField(default=list)
    category_mask = models.PositiveSmallIntegerField(default=0)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=24, choices=Method.choices)
    follow_up_due = models.DateField(null=True, blank=True)
    signature_svg = models.TextField(null=True, blank=True)
    document = models.ForeignKey("casework.ClientFile", models.PROTECT, null=True, blank=True, related_name="+")
    privacy_notice_version = models.CharField(max_length=40, blank=True, default="")
    obtained_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    obtained_by_name = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    revoked_by_name = models.CharField(max_length=150, blank=True, default="")
    revocation_reason = models.TextField(blank=True, default="")
    revocation_document = models.ForeignKey(
        "casework.ClientFile", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consent_release"
        indexes = [models.Index(fields=["client", "starts_on"], name="consent_release_client")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="consent_release_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="verbal") | models.Q(follow_up_due__isnull=False),
                name="consent_release_verbal_follow_up",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_by_name="")
                | models.Q(revoked_at__isnull=False) & ~models.Q(revoked_by_name=""),
                name="consent_release_revoked_pair",
            ),
            models.CheckConstraint(condition=models.Q(category_mask__gt=0), name="consent_release_some_category"),
        ]

    def __str__(self) -> str:
        return f"Release {self.pk}"


class ReleaseMember(models.Model):
    """A person a release covers: the client who signed, and household members signed for."""

    release = models.ForeignKey(Release, models.PROTECT, related_name="members")
    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    through = models.CharField(max_length=20, choices=Through.choices, default=Through.SELF)

    class Meta:
        db_table = "consent_release_member"
        # The read path asks "is there an active release for this client?" from the client's side.
        indexes = [models.Index(fields=["client", "release"], name="consent_release_member_client")]
        constraints = [models.UniqueConstraint(fields=["release", "client"], name="consent_release_member_uniq")]

    def __str__(self) -> str:
        return f"client {self.client_id} under release {self.release_id}"


class Disclosure(models.Model):
    """One read of a client's data by a user who reaches the client only through sharing (not direct
    service): the client's disclosure log (issue 4 §2). Plain ids, no foreign keys to people or users, so
    the log survives every other change; ``release`` is empty for an open policy or a sharing group."""

    client_id = models.BigIntegerField()
    user_id = models.BigIntegerField(null=True)
    user_name = models.CharField(max_length=150)
    organization_id = models.BigIntegerField(null=True)
    release = models.ForeignKey(Release, models.PROTECT, null=True, blank=True, related_name="disclosures")
    # A data category, or "profile", "export", "referral", "report_drilldown", "file".
    what = models.CharField(max_length=24)
    object_type = models.CharField(max_length=40, blank=True, default="")
    object_id = models.CharField(max_length=40, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        db_table = "consent_disclosure"
        indexes = [models.Index(fields=["client_id", "at"], name="consent_disclosure_client")]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"


class DetachedIdentity(models.Model):
    """A client's name, date of birth and SSN, detached from the shared client row when a release was
    revoked in a CoC that de-identifies on revocation (docs/adr/0012-consent-and-sharing.md). Held for the
    agencies that keep the client's trust (the one that took the release, the one that registered the
    client); every other agency sees the de-identified shared row, whose enrollments and services still
    count in reports. Restored to the shared row when the client signs a new release."""

    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    release = models.ForeignKey(Release, models.PROTECT, related_name="+")
    holders = models.ManyToManyField("hmis.Organization", related_name="+")
    first_name = models.CharField(max_length=64, null=True, blank=True)
    middle_name = models.CharField(max_length=64, null=True, blank=True)
    last_name = models.CharField(max_length=64, null=True, blank=True)
    name_suffix = models.CharField(max_length=50, null=True, blank=True)
    name_data_quality = models.SmallIntegerField()
    ssn = EncryptedCharField(max_length=68, null=True, blank=True)
    ssn_data_quality = models.SmallIntegerField()
    dob = models.DateField(null=True, blank=True)
    dob_data_quality = models.SmallIntegerField()
    detached_at = models.DateTimeField()
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "consent_detached_identity"
        constraints = [
            # At most one identity detached at a time per client.
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(restored_at__isnull=True), name="consent_detached_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"identity of client {self.client_id} detached at {self.detached_at:%Y-%m-%d}"
