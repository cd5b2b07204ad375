"""Precompute the monthly activity report's figures into the figure cache (what the Celery task does)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from socius.common.errors import ValidationFailed


class Command(BaseCommand):
    help = "Precompute the monthly activity report of a month (default: last month) and its 12 months of history."

    def add_arguments(self, parser):
        parser.add_argument("--month", default=None, help="YYYY-MM (default: last month)")
        parser.add_argument("--centre", default=None, help="a centre's code (default: every centre)")
        parser.add_argument("--history", type=int, default=12, help="months before it (default 12)")
        parser.add_argument("--no-territories", action="store_true", help="only the whole centre's report")
        parser.add_argument("--clear", action="store_true", help="drop the cached figures first")

    def handle(self, *args, **options):
        from socius.accounts.models import Centre
        from socius.reporting.cache import invalidate
        from socius.reporting.tasks import precompute

        centre_id = None
        if options["centre"]:
            centre = Centre.objects.filter(code=options["centre"]).first()
            if centre is None:
                raise CommandError(f"No centre {options['centre']!r}.")
            centre_id = centre.pk
        if options["clear"]:
            self.stdout.write(f"dropped {invalidate(centre_id)} cached rows")
        try:
            result = precompute(
                options["month"], centre_id, history=options["history"], territories=not options["no_territories"]
            )
        except ValidationFailed as exc:
            raise CommandError(" ".join(str(m) for msgs in exc.errors.values() for m in msgs)) from exc
        for code, figures in result.items():
            self.stdout.write(
                f"{code}: {figures['scopes']} scopes x {figures['months']} months; served {figures['served']}, "
                f"checked {figures['checked']}, computed {figures['computed']}"
            )
