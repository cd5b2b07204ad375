"""The change trail (docs/decisions/0008) records every insert, update and delete of reports and their versions on
PostgreSQL, whoever makes it (decision 0017): a frozen figure changed in the database behind the application's back
is seen there. The figure cache is not trailed (it is recomputed, never trusted)."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CENTRE = "(c.r->>'centre_id')::bigint"
REPORT_CENTRE = "(SELECT p.centre_id FROM reporting_report p WHERE p.id = (c.r->>'report_id')::bigint)"


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_reports"),
    ]

    operations = [
        AttachChangeTrail("reporting_report", CENTRE),
        AttachChangeTrail("reporting_reportversion", REPORT_CENTRE),
    ]
