"""The change trail (docs/decisions/0008) also records every insert, update and delete of a case's records:
home visits, social work and the persons it involved, referrals, and the metadata of case documents."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CASE_CENTRE = "(SELECT k.centre_id FROM casework_case k WHERE k.id = (c.r->>'case_id')::bigint)"
ACTIVITY_CENTRE = (
    "(SELECT k.centre_id FROM casework_socialworkactivity a JOIN casework_case k ON k.id = a.case_id "
    "WHERE a.id = (c.r->>'socialworkactivity_id')::bigint)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("casework", "0007_home_visit_times"),
    ]

    operations = [
        AttachChangeTrail("casework_homevisit", CASE_CENTRE),
        AttachChangeTrail("casework_socialworkactivity", CASE_CENTRE),
        AttachChangeTrail("casework_socialworkactivity_participants", ACTIVITY_CENTRE),
        AttachChangeTrail("casework_referral", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("casework_casedocument", CASE_CENTRE),
    ]
