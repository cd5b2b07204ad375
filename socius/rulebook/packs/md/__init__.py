"""Moldova: Legea nr. 133/2008 cu privire la ajutorul social; IDNP."""

from pathlib import Path

from socius.rulebook.engine.jurisdiction import Jurisdiction, register

# Importing the formula modules registers the benefits' versions (benefits/*.yaml declare them).
from socius.rulebook.packs.md.benefits import cold_season_aid, local_support_fund_aid, social_aid  # noqa: F401
from socius.rulebook.packs.md.national_id import parse_idnp

MD = register(
    Jurisdiction(
        code="MD",
        national_id_name="IDNP",
        national_id_length=13,
        currency="MDL",
        time_zone="Europe/Chisinau",
        default_language="ro",
        faker_locale="ro_RO",
        territory_levels=("district", "community", "village"),
        default_teams=("family", "child_protection", "elderly", "disability"),
        data_dir=Path(__file__).parent,
        parse_national_id=parse_idnp,
        # Bump when a parameter or a formula changes: stored with every decision.
        rules_version="md-2026.12.1",
    )
)
