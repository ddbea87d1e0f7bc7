"""Roles, declared once: each is a description, the scopes it may be granted at, and its permissions.

Every check names a permission and is answered for a scope (CoC, organization or project); there is no other
authorization system. Django's ``is_superuser`` runs the deployment (creates CoCs and their HMIS Leads) and
grants no access to client data by itself: client data needs a role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    VIEW_CLIENTS = "view_clients"  # identify clients and read their records
    EDIT_CLIENTS = "edit_clients"  # create clients, correct universal data elements
    ENROLL = "enroll"  # households, enrollments, assessments at every stage, exits
    RECORD_SERVICES = "record_services"  # services, bed nights, current living situations
    VIEW_CASE_NOTES = "view_case_notes"
    WRITE_CASE_NOTES = "write_case_notes"
    VIEW_REPORTS = "view_reports"  # aggregate reports; identities only through the other permissions
    MANAGE_USERS = "manage_users"  # accounts and role grants within the scope
    MANAGE_PROJECTS = "manage_projects"  # organizations' and projects' HUD descriptor data (hearth.structure)
    # The CoC (name), its organizations and their victim service provider flag, the user agreement. Creating
    # CoCs is the deployment's (superuser): see hearth.structure.authority.
    MANAGE_CONTINUUM = "manage_continuum"
    IMPORT_EXPORT = "import_export"  # HMIS CSV import and export
    VIEW_AUDIT = "view_audit"  # who viewed and changed what
    # See a client's whole SSN, one reveal at a time, each audited; everyone else sees the last four digits
    # (docs/adr/0015-audit-integrity-and-data-protection.md).
    REVEAL_SSN = "reveal_ssn"


class Scope(StrEnum):
    CONTINUUM = "continuum"
    ORGANIZATION = "organization"
    PROJECT = "project"


# Permissions that read or write a client's records: they never reach a victim service provider's clients
# through a CoC-wide role (HMIS Data Standards Manual, "Victim Service Providers": their client data stays
# within the provider).
CLIENT_DATA = frozenset(
    {
        Permission.VIEW_CLIENTS,
        Permission.EDIT_CLIENTS,
        Permission.ENROLL,
        Permission.RECORD_SERVICES,
        Permission.VIEW_CASE_NOTES,
        Permission.WRITE_CASE_NOTES,
        Permission.VIEW_AUDIT,  # a record's change history shows its values
        Permission.REVEAL_SSN,
    }
)

_CASE_WORK = frozenset(
    {
        Permission.VIEW_CLIENTS,
        Permission.EDIT_CLIENTS,
        Permission.ENROLL,
        Permission.RECORD_SERVICES,
        Permission.VIEW_CASE_NOTES,
        Permission.WRITE_CASE_NOTES,
    }
)


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    description: str
    scopes: frozenset[Scope]
    permissions: frozenset[Permission]


HMIS_LEAD = Role(
    "hmis_lead",
    "HMIS Lead administrator",
    "Runs the CoC's HMIS: organizations, projects, users, data quality, imports and exports, audit.",
    frozenset({Scope.CONTINUUM}),
    frozenset(Permission),
)
COC_ANALYST = Role(
    "coc_analyst",
    "CoC analyst",
    "Runs and reads the CoC's reports; sees no client's identity.",
    frozenset({Scope.CONTINUUM}),
    frozenset({Permission.VIEW_REPORTS}),
)
AGENCY_ADMIN = Role(
    "agency_admin",
    "Agency administrator",
    "Manages the organization's projects and staff accounts, and does its case work.",
    frozenset({Scope.ORGANIZATION}),
    _CASE_WORK
    | {
        Permission.MANAGE_USERS,
        Permission.MANAGE_PROJECTS,
        Permission.VIEW_REPORTS,
        Permission.VIEW_AUDIT,
        Permission.REVEAL_SSN,
    },
)
CASE_MANAGER = Role(
    "case_manager",
    "Case manager",
    "Works with clients: intake, enrollments and assessments, services, case notes.",
    frozenset({Scope.ORGANIZATION, Scope.PROJECT}),
    # Benefits applications and housing paperwork need the whole SSN: the case manager may reveal it.
    _CASE_WORK | {Permission.REVEAL_SSN},
)
INTAKE_WORKER = Role(
    "intake_worker",
    "Intake worker",
    "Finds or registers clients, enrolls them, records services and bed nights; no case notes.",
    frozenset({Scope.ORGANIZATION, Scope.PROJECT}),
    frozenset({Permission.VIEW_CLIENTS, Permission.EDIT_CLIENTS, Permission.ENROLL, Permission.RECORD_SERVICES}),
)
AUDITOR = Role(
    "auditor",
    "Read-only auditor",
    "Reads client records, case notes and the audit trail in scope; changes nothing.",
    frozenset({Scope.CONTINUUM, Scope.ORGANIZATION}),
    frozenset({Permission.VIEW_CLIENTS, Permission.VIEW_CASE_NOTES, Permission.VIEW_AUDIT, Permission.VIEW_REPORTS}),
)

ROLES: dict[str, Role] = {
    role.slug: role for role in (HMIS_LEAD, COC_ANALYST, AGENCY_ADMIN, CASE_MANAGER, INTAKE_WORKER, AUDITOR)
}
ROLE_CHOICES = [(role.slug, role.name) for role in ROLES.values()]
