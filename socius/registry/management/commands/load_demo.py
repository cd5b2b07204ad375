"""`manage.py load_demo`: load the demo centres, staff and synthetic registry once (never prompts)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from socius.registry.demo.loader import DemoAlreadyLoaded, DemoUsernameTaken, load_demo


class Command(BaseCommand):
    help = (
        "Load demo data once: a centre each in Poland, Moldova and Lithuania with real territory names, "
        "teams, demo accounts (password from SOCIUS_DEMO_PASSWORD, default socius-demo) and synthetic "
        "persons in households. Does nothing when the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons-per-centre", type=int, default=3000, help="synthetic persons per centre (default 3000)"
        )
        parser.add_argument("--seed", type=int, default=2025, help="random seed: the same seed gives the same data")

    def handle(self, *args, persons_per_centre: int, seed: int, **options):
        if persons_per_centre < 0:
            raise CommandError("--persons-per-centre cannot be negative.")
        started = time.monotonic()
        try:
            summaries = load_demo(persons_per_centre=persons_per_centre, seed=seed)
        except DemoAlreadyLoaded:
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        except DemoUsernameTaken as exc:
            raise CommandError(f"Demo not loaded: these usernames already belong to other accounts: {exc}") from None
        for s in summaries:
            self.stdout.write(
                f"  {s.centre.code}: {s.centre.name} — {s.persons} persons, {s.households} households, {s.users} users"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s."))
