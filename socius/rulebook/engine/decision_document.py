"""The fixed texts of an administrative decision on a benefit, from the pack's `documents/decision.yaml`.

    title:        {label: "DECYZJA", translations: {ro: …, lt: …, ru: …, en: …}}
    procedure:    {label: "Na podstawie art. 104 k.p.a. …", translations: {…}, legal_basis: "art. 104 k.p.a."}
    appeal:       {label: "Od decyzji przysługuje odwołanie …", translations: {…}, legal_basis: "art. 127 k.p.a.",
                   confirmed: true}
    signature:    {label: "Kierownik ośrodka", translations: {…}}

Each text is in the pack's language (the statutory wording, authoritative) with translations; `{centre}`
in a text is replaced by the issuing centre's name and `{appeal_body}` by the centre's appeal body when
it has one (else the words in `appeal_body`). `confirmed: false` marks a text not checked against its law.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, load_yaml, require_text
from socius.rulebook.engine.translations import Translations, read_translations, text_in

FILE = Path("documents") / "decision.yaml"
PARTS = ("title", "procedure", "appeal", "appeal_body", "signature")


@dataclass(frozen=True)
class DocumentText:
    label: str
    translations: Translations = ()
    legal_basis: str = ""
    confirmed: bool = True

    def text_in(self, language: str | None, **values: str) -> str:
        text = text_in(self.label, self.translations, language)
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text


@cache
def decision_texts(pack_dir: Path) -> dict[str, DocumentText]:
    """{part: text} of the pack's decision document; empty when the pack has none."""
    path = pack_dir / FILE
    if not path.is_file():
        return {}
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping of {', '.join(PARTS)}")
    texts = {}
    for part in PARTS:
        raw = document.get(part)
        if raw is None:
            continue
        where = f"{path}: {part}"
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}: expected a mapping with 'label'")
        texts[part] = DocumentText(
            label=require_text(raw, "label", where),
            translations=read_translations(raw, where),
            legal_basis=(raw.get("legal_basis") or "").strip(),
            confirmed=raw.get("confirmed", True) is not False,
        )
    return texts
