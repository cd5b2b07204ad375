"""Normalise the catalogue headers after makemessages (language, plural forms, no fuzzy header) and
fill the English catalogue: English is the source language, so its translations equal the msgids."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "locale"
PLURALS = {
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100>0 && n%100<20)) ? 1 : 2);",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
}

for code, plural in PLURALS.items():
    path = ROOT / code / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=100)
    po.metadata.update(
        {
            "Project-Id-Version": "Socius",
            "Language": code,
            "Language-Team": code,
            "Last-Translator": "Socius team",
            "Plural-Forms": plural,
            "PO-Revision-Date": "2026-11-22 09:00+0000",
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    po.metadata_is_fuzzy = False
    nplurals = int(plural.split(";")[0].split("=")[1])
    for entry in po:
        if entry.msgid_plural:
            # Keep exactly nplurals forms (makemessages writes the template's count).
            forms = {i: entry.msgstr_plural.get(i, "") for i in range(nplurals)}
            entry.msgstr_plural = forms
        if code == "en":
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))
    print(
        f"{code}: {po.percent_translated()}% translated, {len(po.untranslated_entries())} untranslated, "
        f"{len(po.fuzzy_entries())} fuzzy",
        file=sys.stderr,
    )
