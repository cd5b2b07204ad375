"""The change trail (docs/decisions/0008) records every insert, update and delete of persons, households and
memberships on PostgreSQL, whoever makes it: the services, queryset.update(), raw SQL, migrations, the shell."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

HOUSEHOLD_CENTRE = "(SELECT h.centre_id FROM registry_household h WHERE h.id = (c.r->>'household_id')::bigint)"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("registry", "0002_search_indexes"),
    ]

    operations = [
        AttachChangeTrail("registry_person", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("registry_household", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("registry_membership", HOUSEHOLD_CENTRE),
    ]
