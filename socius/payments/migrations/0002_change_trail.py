"""The change trail (docs/decisions/0008) records every insert, update and delete of funds, their allocations,
benefits' funds, transfers, commitments, changes of payment details, payment runs and authorised approvers
on PostgreSQL, whoever makes it (docs/decisions/0014)."""

from django.db import migrations

from socius.common.migrations_ops import AttachChangeTrail

CENTRE = "(c.r->>'centre_id')::bigint"
FUND_CENTRE = "(SELECT f.centre_id FROM payments_fund f WHERE f.id = (c.r->>'fund_id')::bigint)"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_change_trail"),
        ("payments", "0001_initial"),
    ]

    operations = [
        AttachChangeTrail("payments_fund", CENTRE),
        AttachChangeTrail("payments_fundallocation", FUND_CENTRE),
        AttachChangeTrail("payments_benefitfund", CENTRE),
        AttachChangeTrail("payments_transfer", CENTRE),
        AttachChangeTrail("payments_commitment", FUND_CENTRE),
        AttachChangeTrail("payments_paymentdetailschange", CENTRE),
        AttachChangeTrail("payments_paymentrun", CENTRE),
        AttachChangeTrail("payments_paymentapprover", CENTRE),
    ]
