"""Lithuania: Piniginės socialinės paramos nepasiturintiems gyventojams įstatymas; asmens kodas."""

from pathlib import Path

from socius.rulebook.engine.jurisdiction import Jurisdiction, register
from socius.rulebook.packs.lt.national_id import parse_asmens_kodas

LT = register(
    Jurisdiction(
        code="LT",
        national_id_name="asmens kodas",
        national_id_length=11,
        currency="EUR",
        time_zone="Europe/Vilnius",
        default_language="lt",
        faker_locale="lt_LT",
        territory_levels=("district", "eldership", "village"),
        default_teams=("family", "elderly", "disability", "community"),
        data_dir=Path(__file__).parent,
        parse_national_id=parse_asmens_kodas,
        # The version of the pack's law data, stored with every decision: bump it when a parameter or formula changes.
        rules_version="lt-2026.12.1",
    )
)

# Importing the formula modules registers the benefits' formulas (benefits/*.yaml declare them).
from socius.rulebook.packs.lt.benefits import compensations, social_benefit  # noqa: E402, F401
