"""Move translations between the catalogues and JSON files that several people can fill at once.

    python scripts/translations.py missing OUT.json     untranslated or fuzzy entries of every catalogue
    python scripts/translations.py apply IN.json ...    write the translations of IN.json into the catalogues

A JSON file is a list of entries:
    {"msgid": "...", "msgctxt": "..." (optional), "msgid_plural": "..." (optional),
     "pl": "...", "ro": "...", "lt": "...", "ru": "..."}
with a list of forms per language for plural entries (pl, ro, lt, ru have three; en two). English is
the source language: `en` may be left out. Run `make catalogues` first so that every msgid exists in
the catalogues; `apply` reports entries it cannot place and never invents new msgids.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("pl", "ro", "lt", "ru", "en")


def _catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / code / "LC_MESSAGES" / "django.po"), wrapwidth=100)


def _key(entry) -> tuple[str, str]:
    if isinstance(entry, dict):
        return entry.get("msgctxt") or "", entry["msgid"]
    return entry.msgctxt or "", entry.msgid


def missing(out: Path) -> int:
    by_key: dict[tuple[str, str], dict] = {}
    for code in LANGUAGES:
        if code == "en":
            continue
        po = _catalogue(code)
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            row = by_key.setdefault(_key(entry), {"msgid": entry.msgid})
            if entry.msgctxt:
                row["msgctxt"] = entry.msgctxt
            if entry.msgid_plural:
                row["msgid_plural"] = entry.msgid_plural
            row[code] = ["", "", ""] if entry.msgid_plural else ""
    out.write_text(json.dumps(list(by_key.values()), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(by_key)} entries to translate written to {out}", file=sys.stderr)
    return 0


def apply(paths: list[Path]) -> int:
    rows: dict[tuple[str, str], dict] = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            rows[_key(row)] = row
    unplaced = set(rows)
    for code in LANGUAGES:
        po = _catalogue(code)
        for entry in po:
            row = rows.get(_key(entry))
            if row is None:
                continue
            unplaced.discard(_key(entry))
            value = row.get(code)
            if code == "en" and not value:
                value = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else entry.msgid
            if not value:
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value if isinstance(value, str) else value[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgctxt = None
            entry.previous_msgid_plural = None
        po.save()
    for ctxt, msgid in sorted(unplaced):
        where = f"{ctxt} | {msgid[:80]}" if ctxt else msgid[:80]
        print(f"not in the catalogues (run make catalogues?): {where}", file=sys.stderr)
    print(f"applied {len(rows) - len(unplaced)} of {len(rows)} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "missing":
        sys.exit(missing(Path(sys.argv[2])))
    if len(sys.argv) >= 3 and sys.argv[1] == "apply":
        sys.exit(apply([Path(p) for p in sys.argv[2:]]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
