"""Fail when the code has a translatable string that the catalogues do not translate.

`compile_catalogues --check-complete` checks the entries a catalogue has; a string added to a template or a
module after the last `make catalogues` is not an entry at all, and its page then shows English to every
reader. This runs Django's makemessages (GNU xgettext) over the code into a copy of the Polish catalogue and
reports the strings that arrive untranslated. Run from the project root: `python scripts/catalogue_covers_code.py`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = [".venv/*", "var/*", "bench/*", "node_modules/*"]


def main() -> int:
    if shutil.which("xgettext") is None:
        print("xgettext (GNU gettext) is not installed: the coverage of the catalogues was NOT checked.")
        return 1 if os.environ.get("SOCIUS_REQUIRE_GETTEXT") == "1" else 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    import polib
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    with tempfile.TemporaryDirectory(prefix="socius-messages-") as tmp:
        # makemessages writes into every `locale` folder it finds in the folder it runs in: it runs in a
        # folder of its own that links to the code, with a copy of the Polish catalogue, never the real one.
        work = Path(tmp)
        for name in ("socius", "config"):
            (work / name).symlink_to(ROOT / name, target_is_directory=True)
        target = work / "messages" / "pl" / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locale" / "pl" / "LC_MESSAGES" / "django.po", target / "django.po")
        settings.LOCALE_PATHS = [work / "messages"]
        here = os.getcwd()
        os.chdir(work)
        try:
            call_command(
                "makemessages",
                locale=["pl"],
                no_location=True,
                no_obsolete=True,
                symlinks=True,
                ignore_patterns=IGNORE,
                verbosity=0,
            )
        finally:
            os.chdir(here)
        catalogue = polib.pofile(str(target / "django.po"))
        missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    if missing:
        print(f"{len(missing)} translatable strings of the code are not translated (run `make catalogues`, then")
        print("translate them, see scripts/translations.py):")
        for msgid in missing[:40]:
            print(f"  {msgid[:100]!r}")
        return 1
    print("every translatable string of the code is in the catalogues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
