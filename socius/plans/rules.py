"""What the jurisdiction's pack says about social contracts: the consequences a centre may decide on."""

from __future__ import annotations

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
