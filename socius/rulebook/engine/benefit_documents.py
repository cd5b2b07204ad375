"""The documents an application for a benefit asks for, per benefit, from the pack's `benefits/documents.yaml`.

    benefits:
      pl.permanent_allowance:
        - code: income_statement
          label: "Oświadczenie o dochodach"           # the pack's language, authoritative
          translations: {ro: …, lt: …, ru: …, en: …}
          legal_basis: "§ 2 ust. 1 pkt 1 rozporządzenia …"   # optional
          required: true                              # optional, default true

The file sits beside the benefits' own YAML but is not a benefit: `load_definitions` skips it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, load_yaml, require_text
from socius.rulebook.engine.lists import Labelled
from socius.rulebook.engine.translations import Translations, read_translations

FILE_NAME = "documents.yaml"


@dataclass(frozen=True)
class BenefitDocument(Labelled):
    code: str
    label: str
    translations: Translations = ()
    legal_basis: str = ""
    required: bool = True


@cache
def benefit_documents(pack_dir: Path) -> dict[str, tuple[BenefitDocument, ...]]:
    """{benefit code: its documents in file order}; empty when the pack has no list."""
    path = pack_dir / "benefits" / FILE_NAME
    if not path.is_file():
        return {}
    document = load_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("benefits") or {}, dict):
        raise PackDataError(f"{path}: expected a mapping with 'benefits'")
    out = {}
    for code, items in (document.get("benefits") or {}).items():
        if not isinstance(items, list):
            raise PackDataError(f"{path}: benefits.{code}: expected a list of documents")
        documents = []
        for index, raw in enumerate(items):
            where = f"{path}: benefits.{code}[{index}]"
            if not isinstance(raw, dict):
                raise PackDataError(f"{where}: expected a mapping")
            documents.append(
                BenefitDocument(
                    code=require_text(raw, "code", where),
                    label=require_text(raw, "label", where),
                    translations=read_translations(raw, where),
                    legal_basis=(raw.get("legal_basis") or "").strip(),
                    required=bool(raw.get("required", True)),
                )
            )
        codes = [d.code for d in documents]
        if len(set(codes)) != len(codes):
            raise PackDataError(f"{path}: benefits.{code}: duplicate document codes")
        out[str(code)] = tuple(documents)
    return out
