"""The change trail (docs/decisions/0008) records every insert, update and delete of the family assistant
programme's, child protection's and the Blue Card's tables on PostgreSQL, whoever makes it (decision 0015).

A record's centre is its own `centre_id`, or its parent's. The Blue Card's tables are recorded with no
centre: the application reads the trail only by centre (auditors and the director, `accounts.trail`), and
an auditor must not learn of a Blue Card, not even that one exists; the trail of a card stays in the
database, for whoever administers it. The append-only event tables (`family_familyevent`,
`family_bluecardevent`) and the Blue Card numbering counter are not attached, as the other apps' are not.
"""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CENTRE = "(c.r->>'centre_id')::bigint"


def parent_centre(table: str, column: str) -> str:
    """The centre of the row of `table` that `column` of the trailed row points to."""
    return f"(SELECT p.centre_id FROM {table} p WHERE p.id = (c.r->>'{column}')::bigint)"  # noqa: S608 (constants of this file)


ENROLMENT_CENTRE = parent_centre("family_familyenrolment", "enrolment_id")
PLAN_CENTRE = (
    "(SELECT e.centre_id FROM family_workplan w JOIN family_familyenrolment e ON e.id = w.enrolment_id "
    "WHERE w.id = (c.r->>'{column}')::bigint)"
)
ACTIVITY_CENTRE = parent_centre("family_assistantactivity", "assistantactivity_id")
CHILD_CENTRE = parent_centre("family_childindifficulty", "record_id")
MEETING_CENTRE = parent_centre("family_meeting", "meeting_id")
ITEM_CENTRE = (
    "(SELECT m.centre_id FROM family_agendaitem a JOIN family_meeting m ON m.id = a.meeting_id "
    "WHERE a.id = (c.r->>'item_id')::bigint)"
)
DECISION_CENTRE = (
    "(SELECT m.centre_id FROM family_meetingdecision d JOIN family_agendaitem a ON a.id = d.item_id "
    "JOIN family_meeting m ON m.id = a.meeting_id WHERE d.id = (c.r->>'meetingdecision_id')::bigint)"
)
NO_CENTRE = "NULL"  # the Blue Card: see above


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_change_trail_centre_index"),
        ("family", "0001_initial"),
    ]

    operations = [
        # the family assistant programme
        AttachChangeTrail("family_familyenrolment", CENTRE),
        AttachChangeTrail("family_enrolmentconsent", ENROLMENT_CENTRE),
        AttachChangeTrail("family_workplan", ENROLMENT_CENTRE),
        AttachChangeTrail("family_workplan_agreed_with", PLAN_CENTRE.format(column="workplan_id")),
        AttachChangeTrail("family_workplanitem", PLAN_CENTRE.format(column="plan_id")),
        AttachChangeTrail("family_assistantactivity", CENTRE),
        AttachChangeTrail("family_assistantactivity_family_members", ACTIVITY_CENTRE),
        AttachChangeTrail("family_assistantactivity_partners", ACTIVITY_CENTRE),
        AttachChangeTrail("family_familyassessment", ENROLMENT_CENTRE),
        # child protection
        AttachChangeTrail("family_childindifficulty", CENTRE),
        AttachChangeTrail("family_placement", CHILD_CENTRE),
        AttachChangeTrail("family_meeting", CENTRE),
        AttachChangeTrail("family_meetingmember", MEETING_CENTRE),
        AttachChangeTrail("family_agendaitem", MEETING_CENTRE),
        AttachChangeTrail("family_meetingdecision", ITEM_CENTRE),
        AttachChangeTrail("family_meetingdecision_responsible", DECISION_CENTRE),
        AttachChangeTrail("family_followuptask", CENTRE),
        # the Blue Card (no centre: never shown through the application)
        AttachChangeTrail("family_bluecard", NO_CENTRE),
        AttachChangeTrail("family_bluecardparty", NO_CENTRE),
        AttachChangeTrail("family_bluecardmember", NO_CENTRE),
        AttachChangeTrail("family_bluecardformrecord", NO_CENTRE),
        AttachChangeTrail("family_bluecardmeeting", NO_CENTRE),
        AttachChangeTrail("family_bluecardmeeting_present", NO_CENTRE),
        AttachChangeTrail("family_bluecardplanitem", NO_CENTRE),
        AttachChangeTrail("family_bluecardmonitoring", NO_CENTRE),
    ]
