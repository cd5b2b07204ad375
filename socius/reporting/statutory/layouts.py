"""The statutory forms' layouts, read from the packs (`socius/rulebook/packs/<cc>/reports/*.yaml`): sections, rows,
columns (measures) and family-type rows, each with its `source` and whether it is `confirmed`. Data, not code: the
indicators, the pages and the XLSX take their order and wording from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import get_language

from socius.rulebook.engine.data import load_yaml
from socius.rulebook.engine.jurisdiction import get_jurisdiction
from socius.rulebook.engine.translations import read_translations, text_in

LAYOUT_FILES = {
    "mrpips_03": ("PL", "mrpips03.yaml"),
    "lt_cash_assistance": ("LT", "cash_assistance.yaml"),
    "md_yearly_aid": ("MD", "yearly_aid.yaml"),
}


@dataclass(frozen=True)
class Item:
    """A labelled entry of a layout (a section, a row, a measure), with its source."""

    code: str
    label: str  # the statutory wording (the pack's language)
    translations: tuple
    source: str
    confirmed: bool
    data: dict = field(default_factory=dict, compare=False, hash=False)

    def label_in(self, language: str | None = None) -> str:
        return text_in(self.label, self.translations, language or get_language())

    def get(self, key, default=None):
        return self.data.get(key, default)


@dataclass(frozen=True)
class Layout:
    code: str
    jurisdiction: str
    title: Item
    periods: tuple[str, ...]
    measures: tuple[Item, ...]
    sections: tuple[Item, ...]
    family_types: tuple[Item, ...]

    def section(self, code: str) -> Item | None:
        return next((s for s in self.sections if s.code == code), None)

    def measure(self, code: str) -> Item | None:
        return next((m for m in self.measures if m.code == code), None)

    def rows(self, section: Item) -> tuple[Item, ...]:
        return tuple(_item(r, f"{self.code}.{section.code}") for r in section.get("rows") or ())


def _item(raw: dict, where: str) -> Item:
    return Item(
        code=str(raw["code"]),
        label=str(raw["label"]),
        translations=read_translations(raw, where),
        source=str(raw.get("source", "")),
        confirmed=bool(raw.get("confirmed", False)),
        data=dict(raw),
    )


@cache
def layout(code: str) -> Layout:
    """The layout of a statutory report (`mrpips_03`, `lt_cash_assistance`, `md_yearly_aid`)."""
    country, filename = LAYOUT_FILES[code]
    data_dir = get_jurisdiction(country).data_dir
    raw = load_yaml(data_dir / "reports" / filename)
    where = f"{country}/reports/{filename}"
    return Layout(
        code=raw["code"],
        jurisdiction=country,
        title=_item({**raw, "code": raw["code"]}, where),
        periods=tuple(raw.get("periods") or ()),
        measures=tuple(_item(m, where) for m in raw.get("measures") or ()),
        sections=tuple(_item(s, where) for s in raw.get("sections") or ()),
        family_types=tuple(_item(t, where) for t in raw.get("family_types") or ()),
    )
