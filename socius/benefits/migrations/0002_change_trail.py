"""The change trail (docs/decisions/0008) records every insert, update and delete of applications, their
incomes, decisions and approver authorisations on PostgreSQL, whoever makes it: the proof that an approved
decision was never edited outside the services (docs/decisions/0013)."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

APPLICATION_CENTRE = "(SELECT a.centre_id FROM benefits_application a WHERE a.id = (c.r->>'application_id')::bigint)"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("benefits", "0001_initial"),
    ]

    operations = [
        AttachChangeTrail("benefits_application", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("benefits_incomedeclaration", APPLICATION_CENTRE),
        AttachChangeTrail("benefits_applicationmember", APPLICATION_CENTRE),
        AttachChangeTrail("benefits_decision", "(c.r->>'centre_id')::bigint"),
        AttachChangeTrail("benefits_approverauthorisation", "(c.r->>'centre_id')::bigint"),
    ]
