"""Social services: the pack's catalogue and the client's co-payment, as dated data with its law.

A pack lists its services in `services/catalogue.yaml`:

    legal_basis: "ustawa z dnia 12 marca 2004 r. o pomocy społecznej"   # default for the items
    services:
      - code: pl.home_help                    # <country>.<name>, the code decisions and deliveries store
        label: "usługi opiekuńcze"            # statutory name in the pack's language, authoritative
        translations: {ro: …, lt: …, ru: …, en: …}
        unit: hour                            # hour | trip | meal | day | session
        group: care                           # care, transport, meals, day_care, shelter, counselling, …
        statutory_code: ""                    # LT: the catalogue's code (order A1-93 / A1-451); "" when none
        legal_basis: "art. 50 ust. 1-6 u.p.s."
        source: "…"                           # where the name and basis were read; [NOT CONFIRMED] marks doubt
        copayment: care_services              # a rule of services/copayment/<name>.yaml, or "free"
        since: 2004-05-01                     # the day the service (and a "free" rule) took effect

A co-payment rule is `services/copayment/<name>.yaml` with versions keyed by the ISO date they took effect,
each with its source (and `confirmed: false` where no primary text was read). Three kinds:

- `income_bands` (PL art. 50 ust. 6 u.p.s. and the council's resolution table): the client's monthly income (a
  person keeping house alone) or income per person in the family, as a percentage of the art. 8 criterion,
  falls in a band; the band gives the share of the cost paid. Bands are `up_to` (inclusive, % of the
  criterion) with a share for `single` and `family`; the last band has no `up_to`.
- `share_of_income` (LT Government resolution No 583): free when the income (per person in the family) is
  below `free_below.multiple` × the parameter `free_below.parameter` (the VRP), otherwise the client pays
  `share_of_cost` % of the cost but at most `income_cap` % of the income.
- `free`: no co-payment (e.g. MD: the social canteen's meals are free by law).

`evaluate_copayment(country, service_code, facts, on)` picks the version in force on `on` and returns a
`CopaymentOutcome` with its trace (benefits' `Step`s: label in the reader's language beside the statutory
wording, value, unit, parameter, start date, legal basis, source, confirmed). `copayment_due(…)` turns an
outcome, or the stored fields of one, into the month's amount for a cost. Pure Python: no ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from socius.rulebook.engine.benefits import Label, Step, plain_value
from socius.rulebook.engine.data import PackDataError, as_date, load_yaml, require_text
from socius.rulebook.engine.lists import NOT_CONFIRMED, Labelled, UnknownCode
from socius.rulebook.engine.parameters import ParameterError
from socius.rulebook.engine.translations import Translations, read_translations

CATALOGUE_FILE = "services/catalogue.yaml"
RULES_FOLDER = "services/copayment"
STEPS_FILE = "services/steps.yaml"

UNITS = ("hour", "trip", "meal", "day", "session")
GROUPS = ("care", "specialist_care", "transport", "meals", "day_care", "shelter", "counselling", "prevention")
FREE = "free"
INCOME_BANDS = "income_bands"
SHARE_OF_INCOME = "share_of_income"
RULE_KINDS = (INCOME_BANDS, SHARE_OF_INCOME, FREE)

ZERO = Decimal("0")
HUNDRED = Decimal("100")


class CopaymentError(LookupError):
    """A co-payment cannot be evaluated as asked."""


class CopaymentNotInForce(CopaymentError):
    """The service's co-payment rule has no version on the day asked (before its first one)."""


# Catalogue --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceDefinition(Labelled):
    """One service of a pack's catalogue: its statutory name, unit, group, legal basis and co-payment rule."""

    code: str
    label: str  # statutory name in the pack's language; label_in() for the reader's language
    unit: str
    group: str
    statutory_code: str
    legal_basis: str
    source: str
    copayment: str  # the rule's name (services/copayment/<name>.yaml) or "free"
    since: dt.date
    translations: Translations = ()

    @property
    def country(self) -> str:
        return self.code.split(".", 1)[0].upper()

    @property
    def is_confirmed(self) -> bool:
        return NOT_CONFIRMED not in self.source


def service_catalogue(country: str) -> tuple[ServiceDefinition, ...]:
    """The services of a country's pack in catalogue order; empty when the pack has no catalogue."""
    return _catalogue(_pack_dir(country), country.upper())


def service_definition(country: str, code: str) -> ServiceDefinition:
    """One service of the pack's catalogue by code ("pl.home_help"); UnknownCode otherwise."""
    for service in service_catalogue(country):
        if service.code == code:
            return service
    raise UnknownCode(f"{country}: no service {code!r} in the catalogue")


def service_codes(country: str) -> tuple[str, ...]:
    return tuple(service.code for service in service_catalogue(country))


@cache
def _catalogue(pack_dir: Path, country: str) -> tuple[ServiceDefinition, ...]:
    path = pack_dir / CATALOGUE_FILE
    if not path.is_file():
        return ()
    document = load_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("services"), list):
        raise PackDataError(f"{path}: expected a mapping with a 'services' list")
    default_basis = (document.get("legal_basis") or "").strip()
    prefix = country.lower() + "."
    services = []
    for index, raw in enumerate(document["services"]):
        where = f"{path}: services[{index}]"
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}: expected a mapping")
        code = require_text(raw, "code", where)
        if not code.startswith(prefix):
            raise PackDataError(f"{where}: code {code!r} must start with {prefix!r}")
        unit = require_text(raw, "unit", where)
        if unit not in UNITS:
            raise PackDataError(f"{where}: 'unit' must be one of {', '.join(UNITS)}")
        group = require_text(raw, "group", where)
        if group not in GROUPS:
            raise PackDataError(f"{where}: 'group' must be one of {', '.join(GROUPS)}")
        copayment = require_text(raw, "copayment", where)
        if copayment != FREE and not (pack_dir / RULES_FOLDER / f"{copayment}.yaml").is_file():
            raise PackDataError(f"{where}: no co-payment rule {copayment!r} in {RULES_FOLDER}/")
        statutory_code = raw.get("statutory_code") or ""
        if not isinstance(statutory_code, str):
            raise PackDataError(f"{where}: 'statutory_code' must be text")
        services.append(
            ServiceDefinition(
                code=code,
                label=require_text(raw, "label", where),
                unit=unit,
                group=group,
                statutory_code=statutory_code.strip(),
                legal_basis=(raw.get("legal_basis") or default_basis).strip(),
                source=require_text(raw, "source", where),
                copayment=copayment,
                since=as_date(raw.get("since"), f"{where}.since"),
                translations=read_translations(raw, where),
            )
        )
    codes = [service.code for service in services]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise PackDataError(f"{path}: duplicate service codes {duplicates}")
    return tuple(services)


# Co-payment rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Income up to `up_to` % of the criterion (inclusive; None: no upper bound) → share of the cost paid."""

    up_to: Decimal | None
    single: Decimal  # a person keeping house alone (PL: osoba samotnie gospodarująca)
    family: Decimal  # a person in a family (income per person)
    confirmed: bool = True


@dataclass(frozen=True)
class RuleVersion:
    valid_from: dt.date
    source: str
    legal_basis: str
    confirmed: bool
    # income_bands
    criterion_single: str = ""  # parameter names
    criterion_family: str = ""
    bands: tuple[Band, ...] = ()
    # share_of_income
    threshold_parameter: str = ""
    threshold_multiple: Decimal = ZERO
    share_of_cost: Decimal = HUNDRED
    income_cap: Decimal | None = None


@dataclass(frozen=True)
class CopaymentRule(Labelled):
    name: str
    kind: str
    label: str
    legal_basis: str
    versions: tuple[RuleVersion, ...]  # ordered by valid_from
    translations: Translations = ()

    def version_on(self, on: dt.date) -> RuleVersion:
        found = None
        for version in self.versions:
            if version.valid_from <= on:
                found = version
        if found is None:
            first = self.versions[0].valid_from.isoformat()
            raise CopaymentNotInForce(f"co-payment rule {self.name!r} has no version before {first} (asked: {on})")
        return found


def copayment_rule(country: str, name: str) -> CopaymentRule:
    return _rule(_pack_dir(country), name)


@cache
def _rule(pack_dir: Path, name: str) -> CopaymentRule:
    path = pack_dir / RULES_FOLDER / f"{name}.yaml"
    if "/" in name or ".." in name or not path.is_file():
        raise UnknownCode(f"no co-payment rule {name!r} in the {pack_dir.name} pack")
    document = load_yaml(path)
    where = str(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{where}: expected a mapping")
    kind = require_text(document, "kind", where)
    if kind not in RULE_KINDS:
        raise PackDataError(f"{where}: 'kind' must be one of {', '.join(RULE_KINDS)}")
    legal_basis = require_text(document, "legal_basis", where)
    raw_versions = document.get("versions")
    if not isinstance(raw_versions, dict) or not raw_versions:
        raise PackDataError(f"{where}: 'versions' must map ISO start dates to versions")
    versions = [_version(kind, key, raw, legal_basis, f"{where}: versions[{key}]") for key, raw in raw_versions.items()]
    versions.sort(key=lambda version: version.valid_from)
    return CopaymentRule(
        name=name,
        kind=kind,
        label=require_text(document, "label", where),
        legal_basis=legal_basis,
        versions=tuple(versions),
        translations=read_translations(document, where),
    )


def _version(kind: str, key: object, raw: object, default_basis: str, where: str) -> RuleVersion:
    valid_from = as_date(key, where)
    if not isinstance(raw, dict):
        raise PackDataError(f"{where}: expected a mapping with 'source'")
    confirmed = raw.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise PackDataError(f"{where}: 'confirmed' must be true or false")
    common = {
        "valid_from": valid_from,
        "source": require_text(raw, "source", where),
        "legal_basis": (raw.get("legal_basis") or default_basis).strip(),
        "confirmed": confirmed,
    }
    if kind == FREE:
        return RuleVersion(**common)
    if kind == INCOME_BANDS:
        criterion = raw.get("criterion")
        if not isinstance(criterion, dict):
            raise PackDataError(f"{where}: 'criterion' must name the 'single' and 'family' parameters")
        bands = _bands(raw.get("bands"), f"{where}.bands")
        return RuleVersion(
            **common,
            criterion_single=require_text(criterion, "single", f"{where}.criterion"),
            criterion_family=require_text(criterion, "family", f"{where}.criterion"),
            bands=bands,
        )
    free_below = raw.get("free_below")
    if not isinstance(free_below, dict):
        raise PackDataError(f"{where}: 'free_below' must give 'parameter' and 'multiple'")
    cap = raw.get("income_cap")
    return RuleVersion(
        **common,
        threshold_parameter=require_text(free_below, "parameter", f"{where}.free_below"),
        threshold_multiple=_percent_or_number(free_below.get("multiple"), f"{where}.free_below.multiple", None),
        share_of_cost=_percent_or_number(raw.get("share_of_cost", "100"), f"{where}.share_of_cost", HUNDRED),
        income_cap=None if cap is None else _percent_or_number(cap, f"{where}.income_cap", HUNDRED),
    )


def _bands(raw: object, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise PackDataError(f"{where}: expected a list of bands")
    bands = []
    for index, item in enumerate(raw):
        item_where = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise PackDataError(f"{item_where}: expected a mapping")
        up_to = item.get("up_to")
        last = index == len(raw) - 1
        if (up_to is None) != last:
            raise PackDataError(f"{item_where}: every band but the last has 'up_to'; the last has none")
        confirmed = item.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise PackDataError(f"{item_where}: 'confirmed' must be true or false")
        bands.append(
            Band(
                up_to=None if up_to is None else _percent_or_number(up_to, f"{item_where}.up_to", None),
                single=_percent_or_number(item.get("single"), f"{item_where}.single", HUNDRED),
                family=_percent_or_number(item.get("family"), f"{item_where}.family", HUNDRED),
                confirmed=confirmed,
            )
        )
    for before, after in pairwise(bands):
        if after.up_to is not None and after.up_to <= before.up_to:
            raise PackDataError(f"{where}: the bands' 'up_to' must rise")
        # More income never pays a smaller share: the monotone property the tests check.
        if after.single < before.single or after.family < before.family:
            raise PackDataError(f"{where}: a higher band must not pay a smaller share")
    return tuple(bands)


def _percent_or_number(value: object, where: str, maximum: Decimal | None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PackDataError(f"{where}: expected a whole number or a quoted decimal, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise PackDataError(f"{where}: {value!r} is not a number") from exc
    if number < 0 or (maximum is not None and number > maximum):
        raise PackDataError(f"{where}: {value!r} is out of range")
    return number


# Step labels ------------------------------------------------------------------------------------------


@cache
def _step_labels(pack_dir: Path) -> dict[str, Label]:
    path = pack_dir / STEPS_FILE
    if not path.is_file():
        return {}
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{path}: expected a mapping of step codes")
    labels = {}
    for code, raw in document.items():
        where = f"{path}: {code}"
        if not isinstance(raw, dict):
            raise PackDataError(f"{where}: expected a mapping with 'label'")
        labels[code] = Label(require_text(raw, "label", where), read_translations(raw, where))
    return labels


def step_labels(country: str) -> dict[str, Label]:
    return _step_labels(_pack_dir(country))


# Evaluation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CopaymentFacts:
    """What the co-payment depends on: the monthly income (the person's when alone, otherwise the income per
    person in the family), the number of persons in the household, and whether the person keeps house alone."""

    income: Decimal
    household_size: int = 1
    lives_alone: bool = True

    @property
    def single(self) -> bool:
        return self.lives_alone or self.household_size <= 1


@dataclass(frozen=True)
class CopaymentOutcome:
    country: str
    service: str
    rule: str  # the rule's name, or "free"
    free: bool
    share_of_cost_percent: Decimal
    income_cap_percent: Decimal | None
    rule_version: dt.date  # the date the applied version took effect
    rules_version: str  # the pack's data version
    currency: str
    trace: tuple[Step, ...]

    @property
    def confirmed(self) -> bool:
        return all(step.confirmed for step in self.trace)

    def due(self, cost: Decimal, income: Decimal) -> Decimal:
        return copayment_due(self, cost, income)

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The API's (and the stored assessment's) shape: numbers as strings, labels in `language`."""
        return {
            "service": self.service,
            "rule": self.rule,
            "free": self.free,
            "share_of_cost_percent": str(self.share_of_cost_percent),
            "income_cap_percent": None if self.income_cap_percent is None else str(self.income_cap_percent),
            "rule_version": self.rule_version.isoformat(),
            "rules_version": self.rules_version,
            "currency": self.currency,
            "confirmed": self.confirmed,
            "trace": [step_as_dict(step, language) for step in self.trace],
        }


def step_as_dict(step: Step, language: str | None) -> dict[str, Any]:
    return {
        "code": step.code,
        "label": step.label_in(language),
        "statutory_label": step.label.label,
        "value": plain_value(step.value),
        "unit": step.unit,
        "parameter": step.parameter or None,
        "valid_from": step.valid_from.isoformat() if step.valid_from else None,
        "legal_basis": step.legal_basis,
        "source": step.source,
        "confirmed": step.confirmed,
    }


def trace_in(country: str, trace: list[Mapping[str, Any]], language: str | None) -> list[dict[str, Any]]:
    """A stored trace (from `as_dict`) with its labels in `language`: read back by step code from the pack."""
    labels = step_labels(country)
    result = []
    for raw in trace or []:
        step = dict(raw)
        label = labels.get(step.get("code", ""))
        if label is not None:
            step["label"] = label.label_in(language)
            step.setdefault("statutory_label", label.label)
        result.append(step)
    return result


class _Trace:
    def __init__(self, country: str):
        self.labels = step_labels(country)
        self.steps: list[Step] = []

    def add(self, code: str, value, unit: str = "", **extra) -> None:
        label = self.labels.get(code)
        if label is None:
            raise PackDataError(f"the pack's {STEPS_FILE} has no step {code!r}")
        self.steps.append(Step(code=code, label=label, value=value, unit=unit, **extra))


def evaluate_copayment(country: str, service_code: str, facts: CopaymentFacts, on: dt.date) -> CopaymentOutcome:
    """The co-payment for a service under the rule version in force on `on`, with its trace."""
    from socius.rulebook.engine.jurisdiction import get_jurisdiction

    service = service_definition(country, service_code)  # UnknownCode for an unknown country or service
    jurisdiction = get_jurisdiction(service.country)
    if isinstance(facts.income, float):
        raise TypeError("income must be a Decimal, not a float")
    income = Decimal(facts.income)
    if income < 0:
        raise ValueError("income must not be negative")
    if facts.household_size < 1:
        raise ValueError("household_size must be at least 1")
    trace = _Trace(jurisdiction.code)
    trace.add(
        "service", service.label, legal_basis=service.legal_basis, source=service.source, confirmed=service.is_confirmed
    )
    common = {
        "country": jurisdiction.code,
        "service": service.code,
        "rule": service.copayment,
        "rules_version": jurisdiction.rules_version,
        "currency": jurisdiction.currency,
    }
    if service.copayment == FREE:
        if on < service.since:
            raise CopaymentNotInForce(f"{service.code} is not in force before {service.since} (asked: {on})")
        trace.add(
            "free_by_law", True, legal_basis=service.legal_basis, source=service.source, confirmed=service.is_confirmed
        )
        return CopaymentOutcome(
            **common,
            free=True,
            share_of_cost_percent=ZERO,
            income_cap_percent=None,
            rule_version=service.since,
            trace=tuple(trace.steps),
        )
    try:
        return _evaluate(jurisdiction, service, facts, income, on, trace, common)
    except ParameterError as exc:
        raise CopaymentNotInForce(f"{service.code}: {exc}") from exc


def _evaluate(jurisdiction, service, facts, income, on, trace, common) -> CopaymentOutcome:
    rule = _rule(jurisdiction.data_dir, service.copayment)
    version = rule.version_on(on)
    law = {"valid_from": version.valid_from, "legal_basis": version.legal_basis, "source": version.source}
    if rule.kind == FREE:
        trace.add("free_by_law", True, confirmed=version.confirmed, **law)
        return CopaymentOutcome(
            **common,
            free=True,
            share_of_cost_percent=ZERO,
            income_cap_percent=None,
            rule_version=version.valid_from,
            trace=tuple(trace.steps),
        )
    trace.add("income", income, jurisdiction.currency)
    trace.add("household_size", facts.household_size)
    trace.add("lives_alone", facts.single)
    if rule.kind == INCOME_BANDS:
        name = version.criterion_single if facts.single else version.criterion_family
        criterion = jurisdiction.parameter_in_force(name, on)
        trace.add(
            "criterion",
            criterion.value,
            criterion.unit,
            parameter=name,
            valid_from=criterion.valid_from,
            legal_basis=criterion.legal_basis,
            source=criterion.source,
            confirmed=criterion.confirmed,
        )
        percent = income * HUNDRED / Decimal(criterion.value)
        trace.add("income_percent_of_criterion", percent.quantize(Decimal("0.01"), ROUND_HALF_UP), "%")
        band = next(b for b in version.bands if b.up_to is None or percent <= b.up_to)
        share = band.single if facts.single else band.family
        trace.add("band", _band_text(version.bands, band), "%", confirmed=version.confirmed and band.confirmed, **law)
        trace.add("share_of_cost", share, "%", confirmed=version.confirmed and band.confirmed, **law)
        return CopaymentOutcome(
            **common,
            free=share == 0,
            share_of_cost_percent=share,
            income_cap_percent=None,
            rule_version=version.valid_from,
            trace=tuple(trace.steps),
        )
    # share_of_income
    base = jurisdiction.parameter_in_force(version.threshold_parameter, on)
    trace.add(
        "threshold_base",
        base.value,
        base.unit,
        parameter=base.name,
        valid_from=base.valid_from,
        legal_basis=base.legal_basis,
        source=base.source,
        confirmed=base.confirmed,
    )
    trace.add("threshold_multiple", version.threshold_multiple, "×", confirmed=version.confirmed, **law)
    threshold = jurisdiction.round_money(Decimal(base.value) * version.threshold_multiple)
    trace.add("threshold", threshold, jurisdiction.currency, confirmed=version.confirmed and base.confirmed, **law)
    free = income < threshold
    trace.add("income_below_threshold", free, confirmed=version.confirmed, **law)
    if free:
        return CopaymentOutcome(
            **common,
            free=True,
            share_of_cost_percent=ZERO,
            income_cap_percent=None,
            rule_version=version.valid_from,
            trace=tuple(trace.steps),
        )
    trace.add("share_of_cost", version.share_of_cost, "%", confirmed=version.confirmed, **law)
    if version.income_cap is not None:
        trace.add("income_cap", version.income_cap, "%", confirmed=version.confirmed, **law)
    return CopaymentOutcome(
        **common,
        free=version.share_of_cost == 0,
        share_of_cost_percent=version.share_of_cost,
        income_cap_percent=version.income_cap,
        rule_version=version.valid_from,
        trace=tuple(trace.steps),
    )


def _band_text(bands: tuple[Band, ...], band: Band) -> str:
    index = bands.index(band)
    lower = bands[index - 1].up_to if index else None
    if lower is None:
        return f"≤ {band.up_to}"
    if band.up_to is None:
        return f"> {lower}"
    return f"> {lower} – ≤ {band.up_to}"


# What is due ------------------------------------------------------------------------------------------


def copayment_due(
    outcome_or_fields: Any,
    cost: Decimal,
    income: Decimal,
    *,
    country: str | None = None,
) -> Decimal:
    """The client's co-payment for a cost: 0 when free, else min(cost × share / 100, income × cap / 100 when a
    cap is set), never negative, never above the cost, rounded by the pack's rule (the outcome's country, or
    `country` for stored fields; 0.01 half up when neither is known).

    `outcome_or_fields` is a CopaymentOutcome, a stored CopaymentAssessment (any object with `free`,
    `share_of_cost_percent`, `income_cap_percent`) or a mapping with those keys."""
    free, share, cap = _fields(outcome_or_fields)
    country = getattr(outcome_or_fields, "country", None) if country is None else country
    round_money = _money_rounding(country)
    cost = Decimal(cost)
    if free or cost <= 0:
        return round_money(ZERO)
    due = cost * Decimal(share) / HUNDRED
    if cap is not None:
        due = min(due, max(Decimal(income), ZERO) * Decimal(cap) / HUNDRED)
    # Rounded once; never above the cost as the statement shows it (a cost of 2.9875 shows as 2.99).
    return min(round_money(max(due, ZERO)), round_money(cost))


def _money_rounding(country: str | None):
    if isinstance(country, str) and country:
        from socius.rulebook.engine.jurisdiction import get_jurisdiction

        try:
            return get_jurisdiction(country.upper()).round_money
        except KeyError:
            pass
    return lambda amount: Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _fields(value: Any) -> tuple[bool, Decimal, Decimal | None]:
    if isinstance(value, Mapping):
        free, share, cap = value.get("free"), value.get("share_of_cost_percent"), value.get("income_cap_percent")
    else:
        free, share = value.free, value.share_of_cost_percent
        cap = value.income_cap_percent
    share = ZERO if share in (None, "") else Decimal(str(share))
    cap = None if cap in (None, "") else Decimal(str(cap))
    return bool(free), share, cap


def _pack_dir(country: str) -> Path:
    from socius.rulebook.engine.jurisdiction import get_jurisdiction

    try:
        jurisdiction = get_jurisdiction(country.upper())
    except KeyError as exc:
        raise UnknownCode(f"no pack {country!r}") from exc
    if jurisdiction.data_dir is None:
        raise UnknownCode(f"the {country} pack has no data")
    return jurisdiction.data_dir
