"""A jurisdiction pack: national specifics behind one small interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from socius.rulebook.engine import benefits, calendar, deadlines, lists, parameters, retention
from socius.rulebook.engine.lists import Circumstance, ContactOutcome, ContactTopic, DefaultTeam, UnknownCode
from socius.rulebook.engine.national_id import IdCheck, check_consistency
from socius.rulebook.engine.parameters import ParameterValue


@dataclass(frozen=True)
class Jurisdiction:
    code: str  # ISO 3166-1 alpha-2
    national_id_name: str  # statutory name, shown untranslated (PESEL, IDNP, asmens kodas)
    national_id_length: int
    currency: str  # ISO 4217
    default_language: str
    faker_locale: str
    territory_levels: tuple[str, ...]  # level codes from the top of the tree down
    default_teams: tuple[str, ...]  # problem-group codes
    parse_national_id: Callable[[str], IdCheck]
    # The pack's folder: circumstances.yaml, contact_topics.yaml, contact_outcomes.yaml, parameters/.
    data_dir: Path | None = None
    legal_notes: str = ""
    # The version of the pack's law data, stored with every decision (bump it when a parameter or a
    # formula changes): an old decision says which rules it was computed with.
    rules_version: str = ""
    # Money: the smallest unit paid and how amounts round to it (the pack's currency).
    money_quantum: Decimal = Decimal("0.01")
    money_rounding: str = ROUND_HALF_UP
    # The country's civil time (IANA): the centre's wall clock, in which its staff read and type times and in which
    # its days and months begin (calendar, reports).
    time_zone: str = "UTC"

    def round_money(self, amount: Decimal) -> Decimal:
        return Decimal(amount).quantize(self.money_quantum, rounding=self.money_rounding)

    # Benefits ------------------------------------------------------------------------------------

    def benefits(self) -> tuple[benefits.BenefitDefinition, ...]:
        """The benefits the pack declares (benefits/*.yaml), with their formulas registered."""
        if self.data_dir is None:
            return ()
        return benefits.load_definitions(self.data_dir, self.code)

    def validate_national_id(self, value: str, birth_date: dt.date | None = None, sex: str | None = None) -> IdCheck:
        """Check a national ID and, when given, its consistency with the birth date and sex entered."""
        return check_consistency(self.parse_national_id(value), birth_date, sex)

    # Statutory lists -------------------------------------------------------------------------------

    def circumstances(self, on: dt.date) -> list[Circumstance]:
        """The qualifying circumstances in force on a day, in statute order (PL: art. 7 u.p.s.)."""
        return lists.circumstances_in_force(self._pack_dir(), on)

    def circumstance(self, code: str, on: dt.date) -> Circumstance:
        """The version of one circumstance in force on a day; UnknownCode if there is none."""
        for item in self.circumstances(on):
            if item.code == code:
                return item
        raise UnknownCode(f"{self.code}: no circumstance {code!r} in force on {on}")

    def all_circumstances(self) -> tuple[Circumstance, ...]:
        """Every version ever listed, e.g. to show the wording a case was opened under."""
        return lists.all_circumstances(self._pack_dir())

    def contact_topics(self) -> tuple[ContactTopic, ...]:
        return lists.contact_topics(self._pack_dir())

    def contact_outcomes(self) -> tuple[ContactOutcome, ...]:
        return lists.contact_outcomes(self._pack_dir())

    def default_team_names(self) -> tuple[DefaultTeam, ...]:
        """The names of the `default_teams` (teams.yaml), in the pack's language with translations."""
        return lists.default_teams(self._pack_dir())

    # Dated parameters and deadlines ----------------------------------------------------------------

    def parameter(self, name: str, on: dt.date) -> int | Decimal:
        """The value in force on a day; ParameterError (UnknownParameter / ParameterNotInForce) otherwise."""
        return self.parameter_in_force(name, on).value

    def parameter_in_force(self, name: str, on: dt.date) -> ParameterValue:
        """The value in force with its unit, start date, source and legal basis (for traces)."""
        return parameters.parameter_in_force(self._pack_dir(), name, on)

    def has_parameter(self, name: str, on: dt.date) -> bool:
        return parameters.has_parameter(self._pack_dir(), name, on)

    def knows_parameter(self, name: str) -> bool:
        return parameters.knows_parameter(self._pack_dir(), name)

    def parameter_names(self) -> list[str]:
        return parameters.parameter_names(self._pack_dir())

    def due_on(self, name: str, start: dt.date) -> dt.date:
        """Deadline from `start` using the period parameter in force on `start` and its unit."""
        return deadlines.due_on(start, self.parameter_in_force(name, start), self.code)

    # Retention (decision 0023) ---------------------------------------------------------------------

    def retention_rules(self) -> dict[str, retention.RetentionRule]:
        """How long each record type is kept (retention/*.yaml), by record type; empty without a data folder."""
        return retention.retention_rules(self.data_dir) if self.data_dir is not None else {}

    # Working days --------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return calendar.is_working_day(day, self.code)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        return calendar.add_working_days(start, n, self.code)

    def _pack_dir(self) -> Path:
        if self.data_dir is None:
            raise LookupError(f"jurisdiction {self.code} has no data_dir")
        return self.data_dir


_REGISTRY: dict[str, Jurisdiction] = {}


def register(jurisdiction: Jurisdiction) -> Jurisdiction:
    _REGISTRY[jurisdiction.code] = jurisdiction
    return jurisdiction


def get_jurisdiction(code: str) -> Jurisdiction:
    _load_packs()
    return _REGISTRY[code]


def jurisdiction_codes() -> list[str]:
    _load_packs()
    return sorted(_REGISTRY)


def _load_packs() -> None:
    # Importing the packs registers them; Python caches the imports, so this is cheap after the first call
    # (and stays right when one pack module was imported on its own first).
    from socius.rulebook.packs import lt, md, pl  # noqa: F401


def benefit_definitions() -> tuple[benefits.BenefitDefinition, ...]:
    """Every benefit of every pack, ordered by code."""
    return tuple(definition for code in jurisdiction_codes() for definition in get_jurisdiction(code).benefits())


def benefit_definition(code: str) -> benefits.BenefitDefinition:
    """The definition of a benefit code such as "pl.permanent_allowance"; UnknownBenefit otherwise."""
    country = code.split(".", 1)[0].upper() if isinstance(code, str) else ""
    _load_packs()
    if country in _REGISTRY:
        for definition in _REGISTRY[country].benefits():
            if definition.code == code:
                return definition
    raise benefits.UnknownBenefit(f"no benefit {code!r}")


def parameter(country: str, name: str, on: dt.date) -> int | Decimal:
    """The value of a pack parameter in force on a day, e.g. parameter("PL", "casework/assessment/deadline", day)."""
    return get_jurisdiction(country).parameter(name, on)
