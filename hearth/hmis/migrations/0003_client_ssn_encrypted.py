# SSNs encrypted at rest (docs/adr/0007-ssn-encryption.md): the column is widened to hold AES-SIV ciphertext,
# then every stored SSN is encrypted. Reversible: reversing decrypts them (the key that wrote them must still
# be configured) before the column narrows again.

import hearth.hmis.fields
from django.db import migrations

from hearth.crypto import decrypt, encrypt, is_encrypted

TABLE = "hmis_client"
CONTEXT = "hmis_client.ssn"  # the associated data EncryptedCharField uses for this column
CHUNK = 20_000


def _rewrite(schema_editor, change, wanted):
    """Rewrite the SSNs ``wanted`` selects with ``change``, a chunk of rows at a time (keyset on id)."""
    connection = schema_editor.connection
    table = connection.ops.quote_name(TABLE)
    after = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, ssn FROM {table} WHERE id > %s AND ssn IS NOT NULL AND ssn <> '' ORDER BY id LIMIT %s",
                [after, CHUNK],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            after = rows[-1][0]
            updates = [(change(ssn, context=CONTEXT), pk) for pk, ssn in rows if wanted(ssn)]
            if updates:
                cursor.executemany(f"UPDATE {table} SET ssn = %s WHERE id = %s", updates)


def encrypt_ssns(apps, schema_editor):
    # Values already encrypted (a migration re-run after a partial one) are left alone.
    _rewrite(schema_editor, encrypt, lambda ssn: not is_encrypted(ssn))


def decrypt_ssns(apps, schema_editor):
    _rewrite(schema_editor, decrypt, is_encrypted)


class Migration(migrations.Migration):

    dependencies = [
        ('hmis', '0002_continuum'),
    ]

    operations = [
        migrations.AlterField(
            model_name='client',
            name='ssn',
            field=hearth.hmis.fields.EncryptedCharField(blank=True, help_text='DE 3.02.1', max_length=68, null=True, verbose_name='SSN'),
        ),
        migrations.RunPython(encrypt_ssns, decrypt_ssns, elidable=False),
    ]
