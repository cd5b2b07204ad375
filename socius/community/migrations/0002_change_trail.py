"""The change trail (docs/decisions/0008) records every insert, update and delete of community work's tables on
PostgreSQL, whoever makes it (decision 0016). A record's centre is its own `centre_id`, or its parent's.

Not attached: the calendar feed tokens (the trail would keep the secret that opens a user's feed).
"""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CENTRE = "(c.r->>'centre_id')::bigint"


def parent_centre(table: str, column: str) -> str:
    """The centre of the row of `table` that `column` of the trailed row points to."""
    return f"(SELECT p.centre_id FROM {table} p WHERE p.id = (c.r->>'{column}')::bigint)"  # noqa: S608 (constants of this file)


EVENT_CENTRE = parent_centre("community_outreachevent", "event_id")
EVENT_M2M_CENTRE = parent_centre("community_outreachevent", "outreachevent_id")
SUPERVISION_CENTRE = parent_centre("community_supervision", "supervision_id")
ENTRY_CENTRE = parent_centre("community_calendarentry", "calendarentry_id")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_carer_role"),
        ("community", "0001_initial"),
    ]

    operations = [
        AttachChangeTrail("community_outreachevent", CENTRE),
        AttachChangeTrail("community_outreachevent_staff", EVENT_M2M_CENTRE),
        AttachChangeTrail("community_eventpartner", EVENT_CENTRE),
        AttachChangeTrail("community_eventattendee", EVENT_CENTRE),
        AttachChangeTrail("community_leafletcount", EVENT_CENTRE),
        AttachChangeTrail("community_eventfollowup", EVENT_CENTRE),
        AttachChangeTrail("community_potentialrecipient", CENTRE),
        AttachChangeTrail("community_supervision", CENTRE),
        AttachChangeTrail("community_supervision_participants", SUPERVISION_CENTRE),
        AttachChangeTrail("community_supervisionfollowup", SUPERVISION_CENTRE),
        AttachChangeTrail("community_calendarentry", CENTRE),
        AttachChangeTrail("community_calendarentry_staff", ENTRY_CENTRE),
    ]
