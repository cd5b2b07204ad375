"""Poland: ustawa o pomocy społecznej (u.p.s.), PESEL."""

from pathlib import Path

from socius.rulebook.engine.jurisdiction import Jurisdiction, register
from socius.rulebook.packs.pl.benefits import (  # noqa: F401  (registers the formulas)
    periodic_allowance,
    permanent_allowance,
    purpose_allowance,
)
from socius.rulebook.packs.pl.national_id import parse_pesel

PL = register(
    Jurisdiction(
        code="PL",
        national_id_name="PESEL",
        national_id_length=11,
        currency="PLN",
        time_zone="Europe/Warsaw",
        default_language="pl",
        faker_locale="pl_PL",
        territory_levels=("district", "municipality", "village"),
        # Team defaults by problem group, as Polish city centres organise social work.
        default_teams=("foster_families", "family", "unemployment", "disability", "addictions"),
        data_dir=Path(__file__).parent,
        parse_national_id=parse_pesel,
        # Bump when a parameter or formula changes: stored with every decision.
        rules_version="pl-2026.12.1",
    )
)
