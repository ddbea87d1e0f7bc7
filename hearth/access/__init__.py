"""Who may do what, where: roles scoped to a CoC, organization or project, and the guarded lookups that are
the only way pages and the API read client data (docs/adr/0005-access-and-audit.md)."""
