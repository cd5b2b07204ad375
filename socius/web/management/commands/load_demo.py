"""`manage.py load_demo`: load the demo centres, staff, synthetic registry and casework once (never prompts).

It lives in `web`, the composition layer: the registry writes the centres and persons, plans the casework
on top (contacts, cases, visits, interviews, help plans, contracts, referrals), benefits the applications and
decisions, payments the funds (before the decisions, whose approval commits money), in one transaction.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from socius.benefits.demo import load_benefits_demo
from socius.common.context import RequestOrigin, reset_origin, set_origin
from socius.community.demo import load_community_demo
from socius.community.demo_calendar import load_calendar_demo
from socius.family.demo import load_family_demo
from socius.payments.demo import load_funds_demo
from socius.plans.demo import load_casework_demo
from socius.registry.demo.loader import DemoAlreadyLoaded, DemoUsernameTaken, load_demo
from socius.services.demo import load_services_demo


class Command(BaseCommand):
    help = (
        "Load demo data once: a centre each in Poland, Moldova and Lithuania with real territory names, "
        "teams, demo accounts (password from SOCIUS_DEMO_PASSWORD, default socius-demo) and synthetic "
        "persons in households, and casework on them (contacts, cases, visits, interviews, help plans, social "
        "contracts, referrals, benefit applications and decisions), and funds with their allocations. "
        "Does nothing when the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons-per-centre", type=int, default=3000, help="synthetic persons per centre (default 3000)"
        )
        parser.add_argument("--seed", type=int, default=2025, help="random seed: the same seed gives the same data")
        parser.add_argument("--no-casework", action="store_true", help="the registry only, without demo casework")

    def handle(self, *args, persons_per_centre: int, seed: int, no_casework: bool = False, **options):
        if persons_per_centre < 0:
            raise CommandError("--persons-per-centre cannot be negative.")
        started = time.monotonic()
        token = set_origin(RequestOrigin(channel="command"))
        try:
            with transaction.atomic():  # the whole demo or none of it
                summaries = load_demo(persons_per_centre=persons_per_centre, seed=seed)
                for s in summaries:  # funds first: approving the demo's decisions commits money on them
                    load_funds_demo(s.centre, seed=seed)
                cases = {} if no_casework else {s.centre.pk: load_casework_demo(s.centre, seed=seed) for s in summaries}
                decisions = (
                    {} if no_casework else {s.centre.pk: load_benefits_demo(s.centre, seed=seed) for s in summaries}
                )
                family = {} if no_casework else {s.centre.pk: load_family_demo(s.centre, seed=seed) for s in summaries}
                services = (
                    {} if no_casework else {s.centre.pk: load_services_demo(s.centre, seed=seed) for s in summaries}
                )
                community = (
                    {} if no_casework else {s.centre.pk: load_community_demo(s.centre, seed=seed) for s in summaries}
                )
                calendars = {s.centre.pk: load_calendar_demo(s.centre, seed=seed) for s in summaries}
        except DemoAlreadyLoaded:
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        except DemoUsernameTaken as exc:
            raise CommandError(f"Demo not loaded: these usernames already belong to other accounts: {exc}") from None
        finally:
            reset_origin(token)
        for s in summaries:
            self.stdout.write(
                f"  {s.centre.code}: {s.centre.name} — {s.persons} persons, {s.households} households, {s.users} users"
                + (f", {cases[s.centre.pk]} cases" if s.centre.pk in cases else "")
                + (f", {decisions[s.centre.pk]} benefit decisions" if s.centre.pk in decisions else "")
                + (f"; {family[s.centre.pk]}" if s.centre.pk in family else "")
                + (f"; {services[s.centre.pk]}" if s.centre.pk in services else "")
                + (f"; {community[s.centre.pk]}" if s.centre.pk in community else "")
                + f"; {calendars[s.centre.pk]}"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s."))
