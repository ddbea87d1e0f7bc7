# Audit rows are append-only (docs/adr/0015-audit-integrity-and-data-protection.md): on PostgreSQL a trigger
# refuses UPDATE and DELETE on audit_event and audit_field_change for every role, the table's owner included.
# Deployments also REVOKE UPDATE, DELETE and TRUNCATE from the application's role (docs/deployment notes in the
# ADR). SQLite is the embedded database of one machine: whoever holds its file holds everything, and the hash
# chain (hearth audit verify) is what shows a change there.

from django.db import migrations

TABLES = ("audit_event", "audit_field_change")

FUNCTION = """
CREATE OR REPLACE FUNCTION hearth_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTION)  # no parameters: the % of RAISE stays as it is
        for table in TABLES:
            cursor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION hearth_audit_append_only()"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS hearth_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_and_alerts")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
