"""The change trail (docs/decisions/0008) also records every insert, update and delete of interviews
(their answers, diagnosis and conclusions included), whoever makes it."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CASE_CENTRE = "(SELECT k.centre_id FROM casework_case k WHERE k.id = (c.r->>'case_id')::bigint)"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("casework", "0006_change_trail"),
        ("assessments", "0001_initial"),
    ]

    operations = [
        AttachChangeTrail("assessments_assessment", CASE_CENTRE),
    ]
