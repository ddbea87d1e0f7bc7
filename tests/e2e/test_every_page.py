"""Every page of Hearth, scanned by axe-core (WCAG 2.1 A and AA): issue #3 asks for zero violations everywhere.

The workflow tests scan the pages their flows visit; this module makes sure nothing is left out. Every named
route of hearth.web.urls is either COVERED (opened in headless Chromium by a persona allowed to see it, in a
world seeded so the page shows real content, and scanned at desktop width and, for the pages used in the
field, at phone width) or EXCLUDED with the reason it is not a page (POST-only actions, downloads, htmx
fragments). ``test_every_route_is_scanned_or_excluded`` needs no browser and fails as soon as a route is added
without being placed in one list or the other, so a new page cannot escape the scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from hearth.access.models import ClientOrigin, UserAgreement
from hearth.audit.actor import Actor
from hearth.casework.files import upload_file
from hearth.casework.notes import add_note
from hearth.casework.outreach import ContactData, record_contact
from hearth.casework.roster import check_in
from hearth.casework.services import ServiceData, define_service_type, record_local_service, record_service
from hearth.collection.actions import save_draft
from hearth.consent.actions import record_release, save_sharing_group
from hearth.consent.models import Disclosure
from hearth.consent.signature_pad import from_pad
from hearth.exchange.exporter import ExportOptions
from hearth.hmis.models import Enrollment
from hearth.jobs.exchange import request_export
from hearth.jobs.models import Job
from hearth.jobs.queue import claim
from hearth.jobs.runner import run_job
from hearth.reports.runs import request_run
from hearth.rights.corrections import record_correction_request
from hearth.rights.exports import request_record_export
from hearth.rights.job_kinds import request_retention
from hearth.rights.models import RetentionRun
from hearth.structure import descriptors
from tests import factories as make
from tests.e2e.conftest import axe_violations
from tests.structure.helpers import CE_PARTICIPATION, FUNDER, HMIS_PARTICIPATION, INVENTORY, PROJECT_COC
from tests.web.personas import PASSWORD, World, build_world

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 256

# Route name -> (who opens it, also scanned at phone width). None: signed out. The persona is one the page is
# meant for: case work by a case manager, accounts by an agency admin, structure and data exchange by the HMIS
# Lead (creating a CoC by the deployment's superuser), the agreement by an account that has not accepted it.
COVERED: dict[str, tuple[str | None, bool]] = {
    "correction-new": ("manager_a", True),
    "correction": ("manager_a", True),
    "corrections": ("manager_a", True),
    "retention": ("lead_a", False),
    "rights-job": ("lead_a", False),
    "home": ("manager_a", True),
    "login": (None, True),
    "account-setup": (None, True),
    "agreement": ("lead_b", True),
    "people": ("admin_a", False),
    "person-new": ("admin_a", False),
    "person": ("admin_a", False),
    "person-activity": ("admin_a", False),
    "client-search": ("manager_a", True),
    "client-new": ("manager_a", True),
    "client": ("manager_a", True),
    "client-edit": ("manager_a", True),
    "client-history": ("admin_a", False),
    "alerts": ("lead_a", False),
    "sensitive-fields": ("lead_a", False),
    "enroll": ("manager_a", True),
    "enrollment": ("manager_a", True),
    "household-add": ("manager_a", True),
    "household-remove": ("manager_a", True),
    "household-head": ("manager_a", True),
    "exit": ("manager_a", True),
    "exit-undo": ("manager_a", True),
    "reminders": ("manager_a", True),
    "structure": ("lead_a", False),
    "structure-continuum-new": ("superuser", False),
    "structure-continuum": ("lead_a", False),
    "structure-organization-new": ("lead_a", False),
    "structure-organization": ("lead_a", False),
    "structure-project-new": ("lead_a", False),
    "structure-project": ("lead_a", False),
    "structure-project-edit": ("lead_a", False),
    "structure-descriptor-new": ("lead_a", False),
    "structure-descriptor": ("lead_a", False),
    "enrollment-services": ("manager_a", True),
    "service-new": ("manager_a", True),
    "rosters": ("manager_a", True),
    "roster": ("manager_a", True),
    "contact-new": ("manager_a", True),
    "engagement": ("manager_a", True),
    "note-new": ("manager_a", True),
    "file-new": ("manager_a", True),
    "service-types": ("lead_a", False),
    "assessment": ("manager_a", True),
    "reports": ("admin_a", True),
    "report-run": ("admin_a", True),
    "report-cell": ("admin_a", False),
    "exchange": ("lead_a", False),
    "exchange-import": ("lead_a", False),
    "exchange-export": ("lead_a", False),
    "job": ("lead_a", False),
    "security": ("manager_a", True),
    "security-app": ("manager_a", True),
    "security-password": ("manager_a", False),
    "signin-policy": ("lead_a", False),
    "client-release-new": ("manager_a", True),
    "client-disclosures": ("manager_a", True),
    "release-revoke": ("manager_a", True),
    "release-signed-form": ("manager_a", True),
    "sharing": ("lead_a", False),
    "sharing-policy": ("lead_a", False),
    "sharing-group-new": ("lead_a", False),
    "sharing-group": ("lead_a", False),
}

# Forms also scanned as re-rendered after an empty submission (each error named and linked to its field):
# the state a worker meets whenever something is missing. Scanned last: an invalid submission writes nothing
# (the assessment keeps a draft).
INVALID: tuple[str, ...] = (
    "correction-new",
    "client-new",
    "person-new",
    "exit",
    "service-new",
    "contact-new",
    "note-new",
    "file-new",
    "assessment",
    "structure-project-new",
    "exchange-import",
    "client-release-new",
    "release-revoke",
    "release-signed-form",
)

POST_ONLY, DOWNLOAD, FRAGMENT = "post-only", "download", "fragment"
# A page reachable only in the middle of a flow (it redirects when opened directly): scanned by that flow's test.
FLOW = "flow"

# Route name -> (kind, why it is not scanned as a page). POST-only routes answer GET with 405 (checked below
# without a browser); the pages they redirect to or re-render are covered. Downloads and fragments are
# requested in the browser test to prove they are what this list says.
EXCLUDED: dict[str, tuple[str, str]] = {
    "client-record": (POST_ONLY, "makes the client's record (PDF or JSON) as an attachment, or queues it"),
    "retention-apply": (POST_ONLY, "queues the de-identification of a dry run; redirects to its job page"),
    "rights-job-cancel": (POST_ONLY, "cancels a client-record or retention job; redirects to its page"),
    "retention-list": (DOWNLOAD, "a retention dry run's list of clients by id (CSV), sent as an attachment"),
    "rights-job-file": (DOWNLOAD, "a client's record made by a job (PDF or JSON), sent as an attachment"),
    "rights-job-status": (FRAGMENT, "htmx: the status part of a client-record or retention job page"),
    "logout": (POST_ONLY, "signs out (Django's LogoutView takes POST only); the button is on every page"),
    "person-revoke": (POST_ONLY, "revokes a grant; redirects to the person page"),
    "person-activation": (POST_ONLY, "deactivates/reactivates an account; redirects to the person page"),
    "person-setup-link": (POST_ONLY, "issues a setup link, shown on the person page's template"),
    "household-relationship": (POST_ONLY, "saves a member's relationship; redirects to the enrollment page"),
    "structure-affiliation-add": (POST_ONLY, "adds a residential affiliation; redirects to the project page"),
    "structure-affiliation-remove": (POST_ONLY, "removes an affiliation; redirects to the project page"),
    "structure-descriptor-remove": (POST_ONLY, "removes a descriptor record; redirects to the project page"),
    "structure-address-confidential": (POST_ONLY, "sets a project's address confidential; redirects to the project"),
    "service-remove": (POST_ONLY, "withdraws a service; redirects to the enrollment's services page"),
    "roster-check-in": (POST_ONLY, "checks guests in; redirects to the roster"),
    "roster-toggle": (POST_ONLY, "htmx: checks one guest in or out; answers with a roster row"),
    "note-remove": (POST_ONLY, "withdraws a case note; redirects to the profile"),
    "file-remove": (POST_ONLY, "withdraws a document; redirects to the profile"),
    "assessment-autosave": (POST_ONLY, "htmx: saves the assessment draft; answers with a status line"),
    "job-cancel": (POST_ONLY, "cancels a job; redirects to the job page"),
    "signin-verify-passkey-options": (POST_ONLY, "WebAuthn: the options for a security key at sign-in (JSON)"),
    "signin-verify-passkey": (POST_ONLY, "WebAuthn: checks the security key's answer at sign-in (JSON)"),
    "security-app-remove": (POST_ONLY, "removes the authenticator app; redirects to the security page"),
    "security-passkey-options": (POST_ONLY, "WebAuthn: the options for adding a security key (JSON)"),
    "security-passkey-add": (POST_ONLY, "WebAuthn: checks and keeps a new security key (JSON)"),
    "security-passkey-remove": (POST_ONLY, "removes a security key; redirects to the security page"),
    "security-recovery": (POST_ONLY, "makes new recovery codes; redirects to the security page showing them"),
    "person-unlock": (POST_ONLY, "unlocks an account after failed sign-ins; redirects to the person page"),
    "person-second-factor-reset": (POST_ONLY, "removes a person's second step; redirects to the person page"),
    "signin-verify": (FLOW, "the second sign-in step exists only right after a password: scanned in test_signin_flow"),
    "file-download": (DOWNLOAD, "a client's document, sent as an attachment"),
    "job-file": (DOWNLOAD, "a job's problem report (CSV) or export (ZIP), sent as an attachment"),
    "release-form": (DOWNLOAD, "a release's filled Consent to Share form (PDF), sent as an attachment"),
    "revocation-form": (DOWNLOAD, "a release's Revocation of Consent form (PDF), sent as an attachment"),
    "client-disclosures-pdf": (DOWNLOAD, "the client's disclosure log printed (PDF), sent as an attachment"),
    "job-status": (FRAGMENT, "htmx: the status part of the job page, polled while the job runs"),
    "report-run-delete": (POST_ONLY, "deletes a finished report run once confirmed; redirects to the reports page"),
    "report-run-status": (FRAGMENT, "htmx: the status part of a report run's page, polled while it computes"),
    "report-sage": (DOWNLOAD, "a report run's Sage upload zip, sent as an attachment"),
    "report-table-file": (DOWNLOAD, "one table of a report run as CSV, sent as an attachment"),
    "alert-acknowledge": (POST_ONLY, "acknowledges an unusual-access alert; redirects to the alerts page"),
    "client-ssn": (POST_ONLY, "htmx: reveals (audited) or hides the whole SSN on the profile; answers with the value"),
    "alerts-summary": (FRAGMENT, "htmx: the count of open unusual-access alerts on the HMIS Lead's home page"),
}


def web_routes() -> dict[str, URLPattern]:
    from hearth.web.urls import urlpatterns

    routes: dict[str, URLPattern] = {}
    for pattern in urlpatterns:
        # An include() would hide its pages from this check: list them here first.
        assert not isinstance(pattern, URLResolver), f"include() in hearth.web.urls: {pattern.pattern}"
        assert pattern.name, f"unnamed route {pattern.pattern}: name it and cover or exclude it"
        routes[pattern.name] = pattern
    return routes


def test_every_route_is_scanned_or_excluded() -> None:
    routes = set(web_routes())
    assert sorted(routes - COVERED.keys() - EXCLUDED.keys()) == [], (
        "routes neither covered nor excluded: add them to COVERED (with seeded URLs in seed()) or, if they "
        "are not pages, to EXCLUDED with the reason"
    )
    assert sorted((COVERED.keys() | EXCLUDED.keys()) - routes) == [], "listed routes that no longer exist"
    assert sorted(COVERED.keys() & EXCLUDED.keys()) == [], "routes both covered and excluded"
    assert {kind for kind, _ in EXCLUDED.values()} <= {POST_ONLY, DOWNLOAD, FRAGMENT, FLOW}


def _dummy_url(name: str, pattern: URLPattern) -> str:
    kwargs = {
        key: 1 if type(conv).__name__ == "IntConverter" else "x" for key, conv in pattern.pattern.converters.items()
    }
    return reverse(f"web:{name}", kwargs=kwargs)


def test_post_only_exclusions_refuse_get() -> None:
    """A route excluded as POST-only answers GET from a signed-in account with 405: it has no page to scan."""
    routes = web_routes()
    signed_in = SimpleNamespace(is_authenticated=True, is_active=True, pk=1)
    answered = {}
    for name, (kind, _) in EXCLUDED.items():
        if kind != POST_ONLY:
            continue
        url = _dummy_url(name, routes[name])
        request = RequestFactory().get(url)
        request.user = signed_in  # type: ignore[assignment]
        match = resolve(url)
        answered[name] = match.func(request, *match.args, **match.kwargs).status_code
    assert answered == {name: 405 for name, (kind, _) in EXCLUDED.items() if kind == POST_ONLY}


# --- The seeded world ---------------------------------------------------------------------------------------


@dataclass
class Seeded:
    world: World
    pages: dict[str, list[str]] = field(default_factory=dict)  # route name -> URLs to scan
    others: dict[str, list[str]] = field(default_factory=dict)  # excluded downloads and fragments -> URLs
    redirects: dict[str, str] = field(default_factory=dict)  # URL -> the path it lands on by design


def _url(name: str, *args: Any) -> str:
    return reverse(f"web:{name}", args=args)


def seed(files_dir: Path) -> Seeded:
    """The persona world plus what each page needs to show its real content: a household with a member who
    left, services, a bed-night roster with a guest checked in, an outreach contact, a note, a document, a
    project with every kind of descriptor record, an assessment draft, a finished export, an agreement."""
    w = build_world()
    a = w.orgs["a"]
    manager = Actor(user=w.users["manager_a"], name="manager_a")
    lead = Actor(user=w.users["lead_a"], name="lead_a")
    today = timezone.localdate()

    # A household at the shelter: Maria (head), her son, and her sister who has exited.
    maria = w.clients["at_a"]
    head = Enrollment.objects.get(client=maria)
    son = make.client("Leo", "Lopez", dob=date(2015, 6, 1))
    sister = make.client("Inés", "Lopez", dob=date(1990, 2, 2))
    for person in (son, sister):
        ClientOrigin.objects.create(client=person, organization=a)
    son_enrollment = make.enrollment(son, w.projects["a_shelter"], household=head.household_id, relationship=2)
    sister_enrollment = make.enrollment(sister, w.projects["a_shelter"], household=head.household_id, relationship=5)
    make.exit_(sister_enrollment, on=date(2026, 2, 1))
    # A stay a year old today: its annual assessment is due (the reminders page lists it).
    omar = make.client("Omar", "Haddad", dob=date(1978, 9, 9))
    make.enrollment(omar, w.projects["a_shelter"], entry=today - timedelta(days=365))
    save_draft(user=w.users["manager_a"], enrollment=head, stage="update", answers={"information_date": "2026-02-01"})

    # Street outreach with a PATH grant: a service, a contact; the CoC's own service type at the shelter.
    james = w.clients["at_a_outreach"]
    outreach = Enrollment.objects.get(client=james)
    descriptors.create_funder(
        project=w.projects["a_outreach"],
        data=descriptors.FunderData(
            funder=21, other_funder=None, grant_id="PATH-2026", start_date=date(2025, 10, 1), end_date=None
        ),
        by=lead,
    )
    record_service(
        enrollment=outreach, data=ServiceData(date(2026, 2, 3), record_type=141, type_provided=6), by=manager
    )
    record_contact(
        enrollment=outreach,
        data=ContactData(information_date=date(2026, 2, 3), current_living_situation=116, location_details="Pier 4"),
        by=manager,
    )
    bus_pass = define_service_type(continuum=w.continuums["a"], name="Bus pass", by=lead)
    record_local_service(enrollment=head, service_type=bus_pass, date_provided=date(2026, 2, 4), by=manager)

    # Two night-by-night shelters (so the roster list is a list), one guest checked in tonight.
    beds = make.project("Harbor Nightly Beds", a, project_type=1)
    make.project("Harbor Overflow Beds", a, project_type=1)
    guests = [
        make.enrollment(make.client(first, last, dob=date(1980, 5, 1)), beds, entry=date(2026, 3, 1))
        for first, last in (("Rosa", "Diaz"), ("Ben", "Okafor"), ("Ida", "Sørensen"))
    ]
    check_in(project=beds, night=today, enrollments=guests[:1], by=manager)

    add_note(
        client=maria, organization=a, text="Wants help replacing her ID.", contact_date=date(2026, 2, 3), by=manager
    )
    files_dir.mkdir(parents=True, exist_ok=True)
    document = upload_file(
        client=maria, organization=a, kind="consent", name="consent.png", size=len(PNG), chunks=[PNG], by=manager
    )

    # Consent to share: Maria's CoC-wide release, one disclosure of her record, a sharing group of the CoC.
    release = record_release(
        client=maria,
        organization=a,
        categories=["identity", "enrollment_history", "services"],
        starts_on=today - timedelta(days=30),
        method="electronic_signature",
        coc_wide=True,
        signature_svg=from_pad("20,150 80,40 140,150;60,100 120,100").svg(),
        members=[(son, "head_of_household")],
        by=manager,
    )
    verbal = record_release(
        client=maria,
        organization=a,
        categories=["identity"],
        starts_on=today,
        method="verbal",
        follow_up_due=today + timedelta(days=30),
        organizations=[w.orgs["b"]],
        by=manager,
    )
    Disclosure.objects.create(
        client_id=maria.pk,
        user_id=w.users["admin_a"].pk,
        user_name="worker_b",
        organization_id=w.orgs["b"].pk,
        release=release,
        what="profile",
        at=timezone.now() - timedelta(days=2),
    )
    group = save_sharing_group(
        continuum=w.continuums["a"], name="Downtown intake", organizations=[a, w.orgs["b"]], by=lead
    )

    # The shelter's HUD descriptor records, one of each kind (HMIS Data Standards FY2026 2.02-2.09).
    shelter = w.projects["a_shelter"]
    records = {
        "cocs": descriptors.create_project_coc(project=shelter, data=PROJECT_COC, by=lead),
        "funders": descriptors.create_funder(project=shelter, data=FUNDER, by=lead),
        "inventory": descriptors.create_inventory(project=shelter, data=INVENTORY, by=lead),
        "hmis-participation": descriptors.create_hmis_participation(project=shelter, data=HMIS_PARTICIPATION, by=lead),
        "ce-participation": descriptors.create_ce_participation(project=shelter, data=CE_PARTICIPATION, by=lead),
    }

    # A finished export, run here rather than by a worker thread.
    request_export(options=ExportOptions(), by=lead)
    claimed = claim("every-page")
    assert claimed is not None
    run_job(claimed, "every-page", threaded=False)
    job = Job.objects.get(pk=claimed.pk)

    # Client rights: a pending correction request, a finished record export and a retention dry run.
    correction = record_correction_request(
        client=maria, organization=a, requested_on=today, elements=["dob"], request="DOB is 03/15.", by=manager
    )
    record_job = request_record_export(client=maria, fmt="json", by=lead)
    retention_job = request_retention(mode="dry_run", by=lead)
    for _ in range(2):
        ran = claim("every-page")
        assert ran is not None
        run_job(ran, "every-page", threaded=False)
    dry_run = RetentionRun.objects.get(job_id=retention_job.pk)

    # A finished HMIS Data Quality report on the agency's shelter, computed here rather than by a worker.
    report_run = request_run(
        report="dq",
        start=date(2025, 10, 1),
        end=date(2026, 9, 30),
        projects=[shelter],
        by=Actor(user=w.users["admin_a"], name="admin_a"),
        user=w.users["admin_a"],
    )
    ran_report = claim("every-page")
    assert ran_report is not None
    run_job(ran_report, "every-page", threaded=False)

    # lead_b has not accepted Far County's agreement yet; a new account has a setup link.
    UserAgreement.objects.create(continuum=w.continuums["b"], version="2026.1", text="Keep client data safe.")
    newcomer = get_user_model().objects.create_user("newcomer", "newcomer@example.org")
    newcomer.set_unusable_password()
    newcomer.save()
    uid = urlsafe_base64_encode(force_bytes(newcomer.pk))
    token = default_token_generator.make_token(newcomer)

    # An unusual-access alert for the HMIS Lead: a report export that carried many clients out.
    lead.record("report.exported", exported_clients=500)

    manager_account = w.users["manager_a"]
    pages = {
        "correction-new": [_url("correction-new", maria.pk)],
        "correction": [_url("correction", correction.pk)],
        "corrections": [_url("corrections")],
        "retention": [_url("retention")],
        "rights-job": [_url("rights-job", record_job.pk), _url("rights-job", retention_job.pk)],
        "home": [_url("home")],
        "login": [_url("login")],
        "account-setup": [reverse("web:account-setup", args=[uid, token])],
        "agreement": [_url("agreement")],
        "people": [_url("people")],
        "person-new": [_url("person-new")],
        "person": [_url("person", manager_account.pk)],
        "person-activity": [_url("person-activity", manager_account.pk)],
        "client-search": [_url("client-search")],
        "client-new": [_url("client-new")],
        "client": [_url("client", maria.pk), _url("client", james.pk)],
        "client-edit": [_url("client-edit", maria.pk)],
        "client-history": [_url("client-history", maria.pk)],
        "alerts": [_url("alerts")],
        "sensitive-fields": [_url("sensitive-fields")],
        "enroll": [_url("enroll", w.clients["registered_a"].pk)],
        "enrollment": [_url("enrollment", head.pk), _url("enrollment", outreach.pk)],
        "household-add": [_url("household-add", head.pk)],
        "household-remove": [_url("household-remove", son_enrollment.pk)],
        "household-head": [_url("household-head", head.pk)],
        "exit": [_url("exit", head.pk)],
        "exit-undo": [_url("exit-undo", sister_enrollment.pk)],
        "reminders": [_url("reminders")],
        "structure": [_url("structure")],
        "structure-continuum-new": [_url("structure-continuum-new")],
        "structure-continuum": [_url("structure-continuum", w.continuums["a"].pk)],
        "structure-organization-new": [_url("structure-organization-new", w.continuums["a"].pk)],
        "structure-organization": [_url("structure-organization", a.pk)],
        "structure-project-new": [_url("structure-project-new", a.pk)],
        "structure-project": [_url("structure-project", shelter.pk), _url("structure-project", beds.pk)],
        "structure-project-edit": [_url("structure-project-edit", shelter.pk)],
        "structure-descriptor-new": [_url("structure-descriptor-new", shelter.pk, kind) for kind in records],
        "structure-descriptor": [
            _url("structure-descriptor", shelter.pk, kind, record.pk) for kind, record in records.items()
        ],
        "enrollment-services": [_url("enrollment-services", outreach.pk), _url("enrollment-services", head.pk)],
        "service-new": [_url("service-new", outreach.pk)],
        "rosters": [_url("rosters")],
        "roster": [_url("roster", beds.pk)],
        "contact-new": [_url("contact-new", outreach.pk)],
        "engagement": [_url("engagement", outreach.pk)],
        "note-new": [_url("note-new", maria.pk)],
        "file-new": [_url("file-new", maria.pk)],
        "service-types": [_url("service-types")],
        "assessment": [
            *(_url("assessment", head.pk, stage) for stage in ("start", "update", "annual")),
            *(_url("assessment", sister_enrollment.pk, stage) for stage in ("exit", "post-exit")),
        ],
        "reports": [_url("reports")],
        "report-run": [_url("report-run", report_run.pk)],
        "report-cell": [_url("report-cell", report_run.pk, "Q1", "C2")],
        "exchange": [_url("exchange")],
        "exchange-import": [_url("exchange-import")],
        "exchange-export": [_url("exchange-export")],
        "job": [_url("job", job.pk)],
        "security": [_url("security")],
        "security-app": [_url("security-app")],
        "security-password": [_url("security-password")],
        "signin-policy": [_url("signin-policy", w.continuums["a"].pk)],
        "client-release-new": [_url("client-release-new", maria.pk)],
        "client-disclosures": [_url("client-disclosures", maria.pk)],
        "release-revoke": [_url("release-revoke", release.pk)],
        "release-signed-form": [_url("release-signed-form", verbal.pk)],
        "sharing": [_url("sharing")],
        "sharing-policy": [_url("sharing-policy", w.continuums["a"].pk)],
        "sharing-group-new": [_url("sharing-group-new", w.continuums["a"].pk)],
        "sharing-group": [_url("sharing-group", group.pk)],
    }
    others = {
        "retention-list": [_url("retention-list", dry_run.pk)],
        "rights-job-file": [_url("rights-job-file", record_job.pk)],
        "rights-job-status": [_url("rights-job-status", record_job.pk)],
        "file-download": [_url("file-download", document.pk)],
        "job-file": [_url("job-file", job.pk, "export")],
        "job-status": [_url("job-status", job.pk)],
        "report-run-status": [_url("report-run-status", report_run.pk)],
        "report-sage": [_url("report-sage", report_run.pk)],
        "report-table-file": [_url("report-table-file", report_run.pk, "Q1")],
        "release-form": [_url("release-form", release.pk, "en"), _url("release-form", release.pk, "es")],
        "revocation-form": [_url("revocation-form", release.pk, "es")],
        "client-disclosures-pdf": [_url("client-disclosures-pdf", maria.pk, "en")],
        "alerts-summary": [_url("alerts-summary")],
    }
    setup = pages["account-setup"][0]
    return Seeded(w, pages, others, redirects={setup: setup.replace(token, "set-password")})


# --- The scan -----------------------------------------------------------------------------------------------


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> Seeded:
    settings.HEARTH_FILES_DIR = tmp_path / "files"
    return seed(settings.HEARTH_FILES_DIR)


@pytest.fixture
def contexts(browser: Any, live_server: Any) -> Iterator[Callable[[str | None], Any]]:
    """One browser context per persona, signed in once and reused for all its pages."""
    opened: dict[str | None, Any] = {}

    def open_for(persona: str | None) -> Any:
        if persona not in opened:
            context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
            page = context.new_page()
            page.set_default_timeout(10_000)
            if persona is not None:
                page.goto(reverse("web:login"))
                page.get_by_label("Username").fill(persona)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(lambda url: not url.endswith(reverse("web:login")))
            opened[persona] = (context, page)
        return opened[persona][1]

    yield open_for
    for context, _ in opened.values():
        context.close()


def settle(page: Any) -> None:
    """Wait until the parts htmx loads on arrival are in: no element has a request in flight or a swap still
    settling. (htmx marks the element when it sends the request, while the page's scripts run, so a page that
    has loaded already shows its pending parts. Cheaper than "networkidle", which always waits 500 ms.)"""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_accessibility_violations(seeded: Seeded, contexts: Any) -> None:
    assert seeded.pages.keys() == COVERED.keys(), "seed() and COVERED disagree"
    problems: list[str] = []
    scanned = 0
    for name, (persona, phone) in COVERED.items():
        page = contexts(persona)
        for url in seeded.pages[name]:
            page.set_viewport_size(DESKTOP)
            response = page.goto(url)
            settle(page)  # htmx parts loaded on arrival are part of the page
            where = f"{name} {url} as {persona or 'signed out'}"
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {None if response is None else response.status}")
                continue
            # A page that redirects elsewhere would not be the page meant; only the setup link moves on by
            # design (Django keeps the token in the session and drops it from the address).
            if urlsplit(page.url).path != seeded.redirects.get(url, url):
                problems.append(f"{where}: redirected to {page.url}")
                continue
            for width in (DESKTOP, PHONE) if phone else (DESKTOP,):
                page.set_viewport_size(width)
                found = axe_violations(page)
                scanned += 1
                if found:
                    problems.append(f"{where} at {width['width']}px: {found}")
    for name in INVALID:
        persona, phone = COVERED[name]
        page = contexts(persona)
        url = seeded.pages[name][0]
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        where = f"{name} {url} as {persona}, submitted empty"
        page.evaluate("() => document.querySelectorAll('main form').forEach(f => { f.noValidate = true; })")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator('main form[method="post"] button[type="submit"]').first.click()
        page.wait_for_load_state("networkidle")
        # 400 for most forms; the HMIS CSV upload re-renders its errors with 200.
        shown = page.locator(".usa-error-message, .usa-form-group--error, .usa-alert--error").count()
        if posted.value.status not in (200, 400) or urlsplit(page.url).path != url or not shown:
            problems.append(f"{where}: HTTP {posted.value.status} at {page.url}, not the form with its errors")
            continue
        for width in (DESKTOP, PHONE) if phone else (DESKTOP,):
            page.set_viewport_size(width)
            found = axe_violations(page)
            scanned += 1
            if found:
                problems.append(f"{where} at {width['width']}px: {found}")
    assert problems == [], f"{len(problems)} problems over {scanned} scans:\n" + "\n".join(problems)

    # The exclusions are what they say: downloads are attachments, fragments are not whole pages.
    for name, urls in seeded.others.items():
        kind, _ = EXCLUDED[name]
        persona = "manager_a" if name == "file-download" else "lead_a"
        for url in urls:
            answer = contexts(persona).context.request.get(url)
            assert answer.status == 200, (name, url)
            if kind == DOWNLOAD:
                assert answer.headers["content-disposition"].startswith("attachment"), name
            else:
                assert "<html" not in answer.text().lower(), name
