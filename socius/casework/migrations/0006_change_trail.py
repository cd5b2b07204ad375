"""The change trail (docs/decisions/0008) records every insert, update and delete of cases and contacts (and
the persons a contact names) on PostgreSQL, whoever makes it."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CONTACT_CENTRE = "(SELECT k.centre_id FROM casework_contact k WHERE k.id = (c.r->>'contact_id')::bigint)"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("casework", "0005_home_visit_done_index"),
    ]

    operations = [
        AttachChangeTrail("casework_case", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("casework_contact", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("casework_contact_persons", CONTACT_CENTRE),
    ]
