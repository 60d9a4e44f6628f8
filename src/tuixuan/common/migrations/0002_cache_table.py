"""The database cache's table (settings.CACHES without Redis), made with the schema.

``createcachetable`` is idempotent and does nothing for other cache backends, so a deployment
that migrates never runs without the table its public pages are cached in.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
