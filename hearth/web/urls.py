from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from hearth.web.views import account, alerts, audit, clients, home, people, signin
from hearth.web.views import assessments as assessment_views
from hearth.web.views import consent as consent_views
from hearth.web.views import enrollments as enrollment_views
from hearth.web.views import exchange as exchange_views
from hearth.web.views import files as file_views
from hearth.web.views import held_identity as held_identity_views  # noqa: F401  (registers its profile panel)
from hearth.web.views import notes as note_views
from hearth.web.views import outreach as outreach_views
from hearth.web.views import reports as reports_views
from hearth.web.views import rights as rights_views
from hearth.web.views import roster as roster_views
from hearth.web.views import sensitive as sensitive_views
from hearth.web.views import services as service_views
from hearth.web.views import sharing as sharing_views
from hearth.web.views import ssn as ssn_views
from hearth.web.views import structure as structure_views

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    # Signing in and sessions (hearth.signin; docs/adr/0014-sign-in-and-sessions.md).
    path("accounts/login/", signin.sign_in, name="login"),
    path("accounts/logout/", signin.sign_out, name="logout"),
    path("accounts/verify/", signin.verify, name="signin-verify"),
    path("accounts/verify/passkey/options/", signin.verify_passkey_options, name="signin-verify-passkey-options"),
    path("accounts/verify/passkey/", signin.verify_passkey, name="signin-verify-passkey"),
    path("accounts/security/", signin.security, name="security"),
    path("accounts/security/password/", signin.security_password, name="security-password"),
    path("accounts/security/app/", signin.security_app, name="security-app"),
    path("accounts/security/app/remove/", signin.security_app_remove, name="security-app-remove"),
    path("accounts/security/keys/options/", signin.security_passkey_options, name="security-passkey-options"),
    path("accounts/security/keys/", signin.security_passkey_add, name="security-passkey-add"),
    path(
        "accounts/security/keys/<int:passkey_id>/remove/",
        signin.security_passkey_remove,
        name="security-passkey-remove",
    ),
    path("accounts/security/recovery-codes/", signin.security_recovery, name="security-recovery"),
    path(
        "accounts/setup/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/setup.html", success_url=reverse_lazy("web:login")
        ),
        name="account-setup",
    ),
    path("agreement/", account.agreement, name="agreement"),
    path("people/", people.people, name="people"),
    path("people/new/", people.new_person, name="person-new"),
    path("people/<int:account_id>/", people.person, name="person"),
    path("people/<int:account_id>/grants/<int:grant_id>/revoke/", people.revoke, name="person-revoke"),
    path("people/<int:account_id>/activation/", people.activation, name="person-activation"),
    path("people/<int:account_id>/setup-link/", people.setup_link, name="person-setup-link"),
    path("people/<int:account_id>/unlock/", signin.person_unlock, name="person-unlock"),
    path(
        "people/<int:account_id>/second-step/reset/",
        signin.person_reset_second_factor,
        name="person-second-factor-reset",
    ),
    path("structure/cocs/<int:continuum_id>/sign-in/", signin.signin_policy, name="signin-policy"),
    path("clients/", clients.search, name="client-search"),
    path("clients/new/", clients.register, name="client-new"),
    path("clients/<int:client_id>/", clients.profile, name="client"),
    path("clients/<int:client_id>/edit/", clients.edit, name="client-edit"),
    path("clients/<int:client_id>/history/", audit.client_history, name="client-history"),
    path("clients/<int:client_id>/ssn/", ssn_views.reveal, name="client-ssn"),
    path("people/<int:account_id>/activity/", audit.account_activity, name="person-activity"),
    # Unusual-access alerts for the HMIS Lead (hearth.audit.alerts; docs/adr/0015).
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/summary/", alerts.alerts_summary, name="alerts-summary"),
    path("alerts/<int:alert_id>/acknowledge/", alerts.alert_acknowledge, name="alert-acknowledge"),
    path("sensitive-fields/", sensitive_views.sensitive_fields, name="sensitive-fields"),
    # Households and enrollments (HMIS Data Standards 3.10-3.16, 5.09): enroll, members, head, exits, reminders.
    path("clients/<int:client_id>/enroll/", enrollment_views.enroll, name="enroll"),
    path("enrollments/<int:enrollment_id>/", enrollment_views.enrollment, name="enrollment"),
    path("enrollments/<int:enrollment_id>/household/add/", enrollment_views.add, name="household-add"),
    path(
        "enrollments/<int:enrollment_id>/household/relationship/",
        enrollment_views.relationship,
        name="household-relationship",
    ),
    path("enrollments/<int:enrollment_id>/household/remove/", enrollment_views.remove, name="household-remove"),
    path("enrollments/<int:enrollment_id>/household/head/", enrollment_views.head, name="household-head"),
    path("enrollments/<int:enrollment_id>/exit/", enrollment_views.exit_, name="exit"),
    path("enrollments/<int:enrollment_id>/exit/undo/", enrollment_views.undo, name="exit-undo"),
    path("reminders/", enrollment_views.reminders, name="reminders"),
    # Structure: CoCs, organizations, projects and their HUD descriptor data (hearth.web.views.structure).
    path("structure/", structure_views.index, name="structure"),
    path("structure/cocs/new/", structure_views.continuum_new, name="structure-continuum-new"),
    path("structure/cocs/<int:continuum_id>/", structure_views.continuum, name="structure-continuum"),
    path(
        "structure/cocs/<int:continuum_id>/organizations/new/",
        structure_views.organization_new,
        name="structure-organization-new",
    ),
    path("structure/organizations/<int:organization_id>/", structure_views.organization, name="structure-organization"),
    path(
        "structure/organizations/<int:organization_id>/projects/new/",
        structure_views.project_new,
        name="structure-project-new",
    ),
    path("structure/projects/<int:project_id>/", structure_views.project, name="structure-project"),
    path("structure/projects/<int:project_id>/edit/", structure_views.project_edit, name="structure-project-edit"),
    path(
        "structure/projects/<int:project_id>/affiliations/",
        structure_views.affiliation_add,
        name="structure-affiliation-add",
    ),
    path(
        "structure/projects/<int:project_id>/affiliations/<int:affiliation_id>/remove/",
        structure_views.affiliation_remove,
        name="structure-affiliation-remove",
    ),
    path(
        "structure/projects/<int:project_id>/address-confidential/",
        structure_views.address_confidential,
        name="structure-address-confidential",
    ),
    path(
        "structure/projects/<int:project_id>/<slug:kind>/new/",
        structure_views.descriptor_new,
        name="structure-descriptor-new",
    ),
    path(
        "structure/projects/<int:project_id>/<slug:kind>/<int:record_id>/",
        structure_views.descriptor_edit,
        name="structure-descriptor",
    ),
    path(
        "structure/projects/<int:project_id>/<slug:kind>/<int:record_id>/remove/",
        structure_views.descriptor_remove,
        name="structure-descriptor-remove",
    ),
    # Services, bed-night roster, outreach contacts, case notes and documents (hearth/casework; ADR 0008).
    path("enrollments/<int:enrollment_id>/services/", service_views.enrollment_services, name="enrollment-services"),
    path("enrollments/<int:enrollment_id>/services/new/", service_views.new_service, name="service-new"),
    path(
        "enrollments/<int:enrollment_id>/services/<str:kind>/<int:service_id>/withdraw/",
        service_views.remove_service,
        name="service-remove",
    ),
    path("roster/", roster_views.rosters, name="rosters"),
    path("projects/<int:project_id>/roster/", roster_views.roster, name="roster"),
    path("projects/<int:project_id>/roster/check-in/", roster_views.roster_check_in, name="roster-check-in"),
    path(
        "projects/<int:project_id>/roster/<int:enrollment_id>/toggle/", roster_views.roster_toggle, name="roster-toggle"
    ),
    path("enrollments/<int:enrollment_id>/contacts/new/", outreach_views.new_contact, name="contact-new"),
    path("enrollments/<int:enrollment_id>/engagement/", outreach_views.engagement, name="engagement"),
    path("clients/<int:client_id>/notes/new/", note_views.new_note, name="note-new"),
    path("notes/<int:note_id>/withdraw/", note_views.remove_note, name="note-remove"),
    path("clients/<int:client_id>/files/new/", file_views.new_file, name="file-new"),
    path("files/<int:file_id>/", file_views.download, name="file-download"),
    path("files/<int:file_id>/withdraw/", file_views.remove_file, name="file-remove"),
    path("service-types/", service_views.service_types, name="service-types"),
    # Consent to share (hearth.consent; issue 4 §1-2): releases, printed forms, revocation, disclosure log, and
    # the CoC's sharing policy and groups (the HMIS Lead's).
    path("clients/<int:client_id>/consent/new/", consent_views.new_release, name="client-release-new"),
    path("clients/<int:client_id>/disclosures/", consent_views.disclosures, name="client-disclosures"),
    path(
        "clients/<int:client_id>/disclosures/pdf/<str:lang>/",
        consent_views.disclosures_pdf,
        name="client-disclosures-pdf",
    ),
    path("consent/<int:release_id>/form/<str:lang>/", consent_views.release_form, name="release-form"),
    path("consent/<int:release_id>/revoke/", consent_views.revoke, name="release-revoke"),
    path("consent/<int:release_id>/signed-form/", consent_views.signed_form, name="release-signed-form"),
    path("consent/<int:release_id>/revocation/<str:lang>/", consent_views.revocation_form, name="revocation-form"),
    path("sharing/", sharing_views.index, name="sharing"),
    path("sharing/cocs/<int:continuum_id>/", sharing_views.policy, name="sharing-policy"),
    path("sharing/cocs/<int:continuum_id>/groups/new/", sharing_views.group_new, name="sharing-group-new"),
    path("sharing/groups/<int:group_id>/", sharing_views.group, name="sharing-group"),
    # Stage assessments: project start, update, annual, exit, post-exit (hearth.collection; HUD collection rules).
    path("enrollments/<int:enrollment_id>/assessments/<str:stage>/", assessment_views.assessment, name="assessment"),
    path(
        "enrollments/<int:enrollment_id>/assessments/<str:stage>/autosave/",
        assessment_views.autosave,
        name="assessment-autosave",
    ),
    # Reports (hearth/reports: computed by background jobs, frozen per run, people behind every number).
    path("reports/", reports_views.reports, name="reports"),
    path("reports/runs/<int:run_id>/", reports_views.run, name="report-run"),
    path("reports/runs/<int:run_id>/status/", reports_views.run_status, name="report-run-status"),
    path("reports/runs/<int:run_id>/delete/", reports_views.delete, name="report-run-delete"),
    path("reports/runs/<int:run_id>/sage/", reports_views.sage_file, name="report-sage"),
    path("reports/runs/<int:run_id>/tables/<str:table>.csv", reports_views.table_file, name="report-table-file"),
    path("reports/runs/<int:run_id>/tables/<str:table>/<str:address>/", reports_views.cell, name="report-cell"),
    # Data exchange (HMIS CSV import and export as background jobs, hearth/jobs): the HMIS Lead's pages.
    path("exchange/", exchange_views.exchange, name="exchange"),
    path("exchange/import/", exchange_views.upload, name="exchange-import"),
    path("exchange/export/", exchange_views.export, name="exchange-export"),
    path("exchange/jobs/<int:job_id>/", exchange_views.job, name="job"),
    path("exchange/jobs/<int:job_id>/status/", exchange_views.job_status, name="job-status"),
    path("exchange/jobs/<int:job_id>/cancel/", exchange_views.job_cancel, name="job-cancel"),
    path("exchange/jobs/<int:job_id>/files/<str:role>/", exchange_views.job_file, name="job-file"),
    # Client rights and retention (hearth.rights; ADR 0016): record export, correction requests, retention.
    path("clients/<int:client_id>/record/", rights_views.record_export, name="client-record"),
    path("clients/<int:client_id>/corrections/new/", rights_views.correction_new, name="correction-new"),
    path("corrections/", rights_views.corrections, name="corrections"),
    path("corrections/<int:correction_id>/", rights_views.correction, name="correction"),
    path("retention/", rights_views.retention_page, name="retention"),
    path("retention/runs/<int:run_id>/apply/", rights_views.retention_apply, name="retention-apply"),
    path("retention/runs/<int:run_id>/list/", rights_views.retention_list, name="retention-list"),
    path("rights/jobs/<int:job_id>/", rights_views.rights_job, name="rights-job"),
    path("rights/jobs/<int:job_id>/status/", rights_views.rights_job_status, name="rights-job-status"),
    path("rights/jobs/<int:job_id>/cancel/", rights_views.rights_job_cancel, name="rights-job-cancel"),
    path("rights/jobs/<int:job_id>/file/", rights_views.rights_job_file, name="rights-job-file"),
]
