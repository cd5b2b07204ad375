"""`manage.py demo_logins`: the demo accounts and where their password comes from."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from socius.accounts import demo
from socius.accounts.roles import Role

_ORDER = {role: i for i, role in enumerate(Role.values)}


class Command(BaseCommand):
    help = "Print the demo logins (username, role, centre, language) and the source of their password."

    def handle(self, *args, **options):
        users = sorted(
            demo.demo_users(),
            key=lambda u: (list(demo.CENTRE_CODES.values()).index(u.centre.code), _ORDER.get(u.role, 99), u.username),
        )
        if not users:
            self.stdout.write("No demo data is loaded (run `manage.py load_demo`), so there are no demo logins.")
            return
        rows = [("username", "role", "centre", "language")]
        rows += [(u.username, Role(u.role).label, u.centre.name, u.language or "-") for u in users]
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        self.stdout.write("Demo logins:")
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        self.stdout.write(f"Password source: {demo.PASSWORD_ENV} or the default {demo.DEFAULT_PASSWORD}.")
        # The password was set when the demo was loaded: show it only when it is the public default.
        if users[0].check_password(demo.DEFAULT_PASSWORD):
            self.stdout.write(f"Password: {demo.DEFAULT_PASSWORD} (the default)")
        else:
            self.stdout.write(f"Password: the value {demo.PASSWORD_ENV} had when the demo was loaded (not shown).")
        self.stdout.write("Django admin (/admin/) is for superusers only: create one with `manage.py createsuperuser`.")
