# The SSN keys of the search index moved to the blind index's own key (hearth.crypto.blind; docs/adr/0015), and
# whole SSNs gained a key (n:): the index is rebuilt once with them. Derived data only: nothing is lost, and
# reversing leaves the new keys (an older Hearth would rebuild with `hearth refresh`).

from django.db import migrations


def rebuild_index(apps, schema_editor):
    from hearth.search.index import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("hmis", "0003_client_ssn_encrypted"),
    ]

    operations = [migrations.RunPython(rebuild_index, migrations.RunPython.noop, elidable=True)]
