"""The change trail (docs/decisions/0008) also records every insert, update and delete of help plans, their
goals and actions, social contracts, their clients and obligations, and the case flags a breach raises."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CASE_CENTRE = "(SELECT k.centre_id FROM casework_case k WHERE k.id = (c.r->>'case_id')::bigint)"
PLAN_CENTRE = (
    "(SELECT k.centre_id FROM plans_helpplan p JOIN casework_case k ON k.id = p.case_id "
    "WHERE p.id = (c.r->>'plan_id')::bigint)"
)
GOAL_CENTRE = (
    "(SELECT k.centre_id FROM plans_goal g JOIN plans_helpplan p ON p.id = g.plan_id "
    "JOIN casework_case k ON k.id = p.case_id WHERE g.id = (c.r->>'goal_id')::bigint)"
)


CONTRACT_CENTRE = (
    "(SELECT k.centre_id FROM plans_socialcontract s JOIN casework_case k ON k.id = s.case_id "
    "WHERE s.id = (c.r->>'contract_id')::bigint)"
)
# The clients' table (a many-to-many) names its contract socialcontract_id.
CLIENT_CONTRACT_CENTRE = CONTRACT_CENTRE.replace("'contract_id'", "'socialcontract_id'")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("casework", "0006_change_trail"),
        ("plans", "0002_help_plan_based_on_interview"),
    ]

    operations = [
        AttachChangeTrail("plans_helpplan", CASE_CENTRE),
        AttachChangeTrail("plans_goal", PLAN_CENTRE),
        AttachChangeTrail("plans_planaction", GOAL_CENTRE),
        AttachChangeTrail("plans_socialcontract", CASE_CENTRE),
        AttachChangeTrail("plans_socialcontract_clients", CLIENT_CONTRACT_CENTRE),
        AttachChangeTrail("plans_obligation", CONTRACT_CENTRE),
        AttachChangeTrail("plans_caseflag", CASE_CENTRE),
    ]
