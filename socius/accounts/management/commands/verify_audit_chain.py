"""`manage.py verify_audit_chain [--centre CODE]`: walk the audit log's hash chains and name the first broken link."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from socius.accounts.audit_chain import NO_CENTRE, verify_chain
from socius.accounts.models import AuditChainHead, AuditEvent, Centre


class Command(BaseCommand):
    help = (
        "Verify the tamper-evident audit log: every centre's chain of event hashes (decision 0020). Names the first "
        "broken link of each chain (event id, what differs) and exits with an error when one is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", metavar="CODE", help="only this centre's chain (by its code)")

    def handle(self, *args, centre=None, **options):
        if centre:
            found = Centre.objects.filter(code=centre).values_list("pk", "code").first()
            if found is None:
                raise CommandError(f"No centre with the code {centre!r}.")
            chains = [found]
        else:
            codes = dict(Centre.objects.values_list("pk", "code"))
            keys = set(AuditChainHead.objects.values_list("chain", flat=True))
            keys |= {
                c or NO_CENTRE for c in AuditEvent.objects.order_by().values_list("centre_id", flat=True).distinct()
            }
            chains = [(key or None, codes.get(key, "(no centre)" if not key else f"#{key}")) for key in sorted(keys)]
        broken = 0
        for centre_id, code in chains:
            report = verify_chain(centre_id)
            if report.broken:
                broken += 1
                self.stdout.write(f"{code}: BROKEN at {report.broken} ({report.events} events read)")
            else:
                self.stdout.write(f"{code}: intact, {report.events} events, head {report.head_seq} {report.head_hash}")
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken.")
