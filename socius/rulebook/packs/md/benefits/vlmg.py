"""Moldova: the family's venit lunar minim garantat from the levels in force and the member weights (Law 133 art. 7)."""

from __future__ import annotations

from decimal import Decimal

from socius.rulebook.engine.benefits import ZERO, Trace
from socius.rulebook.packs.md.benefits.income import Family

ADULT_LEVEL = "social_assistance/vlmg/adult"
CHILD_LEVEL = "social_assistance/vlmg/child"
WEIGHTS = "social_assistance/weights/"
HUNDRED = Decimal("100")


def family_vlmg(family: Family, t: Trace, split_levels: bool) -> Decimal:
    """Sum over the counted members of their weight × their level, plus the disability and sole-adult supplements.

    Decision (docs/unconfirmed-law/md.md): the weights of art. 7 al. (2) still apply after the 2022 split into
    adult and child levels, each weight to the member's own level; a per-member sum without weights was not
    found in any text, and the 2021 press still describes a VLMG built from the members and their disabilities.

    `split_levels`: the formula version's law has an adult and a child level (HG 655/2022, from 1 April 2022)
    rather than one level for every member.
    """
    if split_levels:
        adult_level = t.parameter("vlmg_adult", ADULT_LEVEL)
        child_level = t.parameter("vlmg_child", CHILD_LEVEL) if family.children else ZERO
    else:
        adult_level = child_level = t.parameter("vlmg_level", ADULT_LEVEL)

    adults = len(family.adults)
    shares = t.parameter("weight_applicant", WEIGHTS + "applicant") * adult_level
    if adults > 1:
        shares += t.parameter("weight_other_adult", WEIGHTS + "other_adult") * adult_level * (adults - 1)
    if family.children:
        shares += t.parameter("weight_child", WEIGHTS + "child") * child_level * len(family.children)
    disabled_children = sum(1 for member in family.children if member.disabled)
    if disabled_children:
        weight = t.parameter("supplement_disabled_child", WEIGHTS + "disabled_child_supplement")
        shares += weight * child_level * disabled_children
    disabled_adults = sum(1 for member in family.adults if member.disabled)
    if disabled_adults:
        weight = t.parameter("supplement_disabled_adult", WEIGHTS + "disabled_adult_supplement")
        shares += weight * adult_level * disabled_adults
    if adults == 1 and disabled_adults == 1:
        # "plus 10 percent if this is the only adult member": read as the adult with a disability being the
        # family's only adult (ipn.md 2008); the wording of the law itself was not retrieved.
        shares += t.parameter("supplement_sole_adult", WEIGHTS + "sole_adult_supplement") * adult_level
    return t.money("family_vlmg", shares / HUNDRED)
