"""The change trail (docs/decisions/0008) records every insert, update and delete of social services' tables on
PostgreSQL, whoever makes it (decision 0016). A record's centre is its own `centre_id`, or its parent's."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CENTRE = "(c.r->>'centre_id')::bigint"


def parent_centre(table: str, column: str) -> str:
    """The centre of the row of `table` that `column` of the trailed row points to."""
    return f"(SELECT p.centre_id FROM {table} p WHERE p.id = (c.r->>'{column}')::bigint)"  # noqa: S608 (constants of this file)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_carer_role"),
        ("services", "0001_initial"),
    ]

    operations = [
        AttachChangeTrail("services_serviceoffer", CENTRE),
        AttachChangeTrail("services_provider", CENTRE),
        AttachChangeTrail("services_providercapacity", parent_centre("services_provider", "provider_id")),
        AttachChangeTrail("services_serviceworker", CENTRE),
        AttachChangeTrail("services_servicedecision", CENTRE),
        AttachChangeTrail("services_copaymentassessment", parent_centre("services_servicedecision", "decision_id")),
        AttachChangeTrail("services_waitinglistentry", CENTRE),
        AttachChangeTrail("services_roster", CENTRE),
        AttachChangeTrail("services_visit", parent_centre("services_roster", "roster_id")),
        AttachChangeTrail("services_delivery", CENTRE),
        AttachChangeTrail("services_monthlystatement", CENTRE),
    ]
