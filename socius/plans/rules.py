"""What the jurisdiction's pack says about social contracts: the consequences a centre may decide on."""

from __future__ import annotations

from django.utils.html import format_html

from socius.casework.statutory import reader_language
from socius.plans.models import Consequence
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.contract_consequences import contract_consequences


def consequences_for(jurisdiction: str) -> dict[str, str]:
    """{code: legal basis} of the consequences open to a centre of the jurisdiction.

    A pack with `contract_consequences.yaml` (PL: art. 11 ust. 2 u.p.s.) narrows the app's list to its
    codes and gives their legal basis; a pack without it offers every Consequence with no basis cited.
    """
    try:
        data_dir = get_jurisdiction(jurisdiction).data_dir
    except KeyError:
        data_dir = None
    items = contract_consequences(data_dir) if data_dir is not None else ()
    if not items:
        return dict.fromkeys(Consequence.values, "")
    return {item.code: item.legal_basis for item in items if item.code in Consequence.values}


def consequence_wording(jurisdiction: str) -> dict[str, tuple[str, str]]:
    """{code: (statutory label, legal basis)} from the jurisdiction's pack; empty when it has no list."""
    try:
        data_dir = get_jurisdiction(jurisdiction).data_dir
    except KeyError:
        return {}
    items = contract_consequences(data_dir) if data_dir is not None else ()
    return {item.code: (item.label, item.legal_basis) for item in items}


def consequence_labels(jurisdiction: str, language: str | None = None) -> dict[str, str]:
    """{code: label} of the consequences open to a centre, for a form: the pack's wording in the reader's
    language (default: the active one) followed by the statutory wording and its legal basis in a
    `<span class="statutory" lang="…">`; in the jurisdiction's own language, the statutory wording and basis.
    Without a pack list, the application's own (translated) labels."""
    try:
        pack = get_jurisdiction(jurisdiction)
    except KeyError:
        pack = None
    items = contract_consequences(pack.data_dir) if pack is not None and pack.data_dir is not None else ()
    if not items:
        return {code: str(label) for code, label in Consequence.choices}
    own = pack.default_language
    shown = reader_language(language) or own
    labels = {}
    for item in items:
        if item.code not in Consequence.values:
            continue
        if shown == own:
            labels[item.code] = format_html('{} <span class="legal-basis">({})</span>', item.label, item.legal_basis)
        else:
            labels[item.code] = format_html(
                '{} <span class="statutory" lang="{}">({}, {})</span>',
                item.label_in(shown),
                own,
                item.label,
                item.legal_basis,
            )
    return labels
