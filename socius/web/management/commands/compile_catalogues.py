"""Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext (a fresh machine may lack it).

--check-complete fails when a catalogue has untranslated or fuzzy entries, or is missing.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogues (pure Python); optionally check they are complete."

    def add_arguments(self, parser):
        parser.add_argument("--check-complete", action="store_true", help="Fail on untranslated or fuzzy entries.")

    def handle(self, *args, check_complete=False, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = []
        for code, _name in settings.LANGUAGES:
            po_path = locale_dir / code / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                problems.append(f"{code}: {po_path} is missing")
                continue
            catalogue = polib.pofile(str(po_path))
            untranslated = catalogue.untranslated_entries()
            fuzzy = catalogue.fuzzy_entries()
            if untranslated or fuzzy:
                sample = "; ".join(e.msgid[:60] for e in (untranslated + fuzzy)[:5])
                problems.append(f"{code}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy (e.g. {sample})")
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"{code}: {len(catalogue.translated_entries())} messages compiled")
        if problems and check_complete:
            raise CommandError("Incomplete catalogues:\n" + "\n".join(problems))
        for problem in problems:
            self.stderr.write(problem)
