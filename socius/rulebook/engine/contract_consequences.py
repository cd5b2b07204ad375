"""The consequences a centre may decide on when a social contract is refused or breached, per pack."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, load_yaml, require_text
from socius.rulebook.engine.lists import Labelled
from socius.rulebook.engine.translations import Translations, read_translations

FILE_NAME = "contract_consequences.yaml"


@dataclass(frozen=True)
class ContractConsequence(Labelled):
    code: str
    label: str  # statutory wording in the country's language (not gettext); label_in() for the reader's
    legal_basis: str
    source: str
    translations: Translations = ()


@cache
def contract_consequences(pack_dir: Path) -> tuple[ContractConsequence, ...]:
    """The pack's list in file order; empty when the pack has none (the app then offers its own list)."""
    path = pack_dir / FILE_NAME
    if not path.is_file():
        return ()
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping with 'items'")
    default_basis = (document.get("legal_basis") or "").strip()
    items = []
    for index, raw in enumerate(document.get("items") or []):
        where = f"{path}: items[{index}]"
        items.append(
            ContractConsequence(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                legal_basis=(raw.get("legal_basis") or default_basis).strip(),
                source=require_text(raw, "source", where),
                translations=read_translations(raw, where),
            )
        )
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        raise PackDataError(f"{path}: duplicate codes")
    return tuple(items)
