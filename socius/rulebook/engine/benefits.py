"""Benefits: a formula per legal version, evaluated on a snapshot of facts, every figure traced to its law.

A pack declares each benefit in `benefits/<name>.yaml` beside the formula module `benefits/<name>.py`:

    code: pl.permanent_allowance        # the API's code: <country>.<name>
    label: "Zasiłek stały"              # statutory name, authoritative
    translations: {ro: …, lt: …, ru: …, en: …}
    legal_basis: "art. 37 ustawy z dnia 12 marca 2004 r. o pomocy społecznej"
    payment: monthly                    # monthly | one_off: how the payments issue pays it
    parameters: [social_assistance/income_criterion/single_person, …]   # shown in the catalogue
    include: [common/income.yaml]       # optional: step and reason labels several benefits share
    steps:                              # every trace step a formula may write, by code
      criterion: {label: "Kryterium dochodowe osoby samotnie gospodarującej", translations: {…}}
    reasons:                            # every refusal reason, by code
      income_not_below_criterion: {label: "…", translations: {…}}
    inputs:                             # optional: what the request states besides the household
      need: {kind: amount, required: true, label: "Kwota potrzeby", translations: {…}}
      purpose: {kind: choice, options: {food: {label: "żywność", translations: {…}}, …}, label: …}
      area: {kind: number, unit: "m²", label: …}
      special_case: {kind: flag, legal_basis: "art. 41", label: …}
    member_flags:                       # optional: pack-specific yes/no facts of a member
      abroad: {label: "…", translations: {…}}

An input of kind `amount` or `number` goes into `Facts.amounts` under its code, a `flag` into
`Facts.flags`, and the `choice` or `text` named `purpose` into `Facts.purpose` (any other choice is a
flag `<code>:<option>`). The calculator and the application form draw these fields in the reader's
language; a formula may rely on a required input being given.

A formula is a plain function registered with the date its law took effect:

    @formula("pl.permanent_allowance", since="2024-01-01")
    def permanent_allowance_2024(facts: Facts, t: Trace) -> Result: ...

It reads parameters through `t.parameter(step, name)` (which records the value, its start date, source
and legal basis), records its own intermediate results with `t.value(step, x)`, refuses with
`t.refuse(reason)`, and returns the amount (and the range where the law gives one). It never touches
the ORM, the clock or the network: the period is in the facts. `evaluate(code, facts)` picks the
version in force for the period and returns an `Outcome`; an outcome with reasons is not eligible and
its amount is zero. Amounts are rounded by the pack's rule (`Jurisdiction.round_money`).

Labels are data in the pack's language with translations (engine.translations), so a trace reads in
the reader's language while the statutory wording stays the authoritative text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from socius.rulebook.engine import jurisdiction as _jurisdiction  # attributes read at call time (cycle)
from socius.rulebook.engine.data import PackDataError, as_date, load_yaml, require_text
from socius.rulebook.engine.parameters import ParameterValue
from socius.rulebook.engine.translations import Translations, read_translations, text_in

ZERO = Decimal("0")

# Income kinds every pack understands (a pack may add its own, e.g. "farm_land" in hectares).
INCOME_KINDS = (
    "employment",
    "self_employment",
    "pension",
    "disability_pension",
    "unemployment_benefit",
    "alimony",
    "family_benefit",
    "farm_land",
    "other",
)


class BenefitError(LookupError):
    """A benefit cannot be evaluated as asked."""


class UnknownBenefit(BenefitError):
    """No pack declares this benefit code."""


class BenefitNotInForce(BenefitError):
    """The benefit has no formula for the period asked (before its first version)."""


# Facts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeRecord:
    """One typed income of a member, net of what the pack deducts unless `deductions` says otherwise.

    `month` is the first day of the month it was received (None: the period's reference month).
    `one_off` marks a lump sum that some laws spread over months; `covers_months` an income due for a
    longer period (PL art. 8 ust. 12). For `farm_land` the amount is in hectares, not money.
    """

    kind: str
    amount: Decimal
    month: dt.date | None = None
    deductions: Decimal = ZERO
    one_off: bool = False
    covers_months: int = 1


@dataclass(frozen=True)
class Member:
    """A member of the household for the period, as the law counts them."""

    role: str = "member"  # applicant, spouse, partner, child, parent, other, member
    birth_date: dt.date | None = None
    # The member's monthly net income as the law counts it for the period: a shortcut for `incomes`.
    income: Decimal | None = None
    incomes: tuple[IncomeRecord, ...] = ()
    unable_to_work: bool = False
    unemployed: bool = False
    disabled: bool = False
    benefit_months_received: int = 0
    # Pack-specific yes/no facts (e.g. "abroad", "pregnant", "caring_for_child", "studying").
    flags: frozenset[str] = frozenset()

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass(frozen=True)
class Facts:
    """What a formula may know: the month evaluated, the household's members, and the request."""

    period: dt.date  # first day of the month evaluated
    members: tuple[Member, ...]
    application_on: dt.date | None = None
    income_lost: bool = False  # PL art. 8 ust. 3: the application month replaces the month before
    # Named amounts of the request or the dwelling: "need" (a purpose allowance), "heating_cost", …
    amounts: tuple[tuple[str, Decimal], ...] = ()
    flags: frozenset[str] = frozenset()  # e.g. "special_case" (PL art. 41), "single_person"
    purpose: str = ""  # the stated need of a one-off aid (food, medicines, fuel, repairs, …)

    def amount(self, name: str, default: Decimal | None = None) -> Decimal | None:
        for key, value in self.amounts:
            if key == name:
                return value
        return default

    def has(self, flag: str) -> bool:
        return flag in self.flags

    @property
    def applicant(self) -> Member:
        for member in self.members:
            if member.role == "applicant":
                return member
        return self.members[0]


# Outcome and trace ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    label: str
    translations: Translations = ()
    legal_basis: str = ""

    def label_in(self, language: str | None) -> str:
        return text_in(self.label, self.translations, language)


@dataclass(frozen=True)
class Step:
    """One line of a trace: a parameter read or an intermediate result, with its law."""

    code: str
    label: Label
    value: Decimal | int | bool | str
    unit: str = ""
    parameter: str = ""  # the parameter's name when the step reads one
    valid_from: dt.date | None = None  # the parameter value's effective date
    legal_basis: str = ""
    source: str = ""
    confirmed: bool = True

    def label_in(self, language: str | None) -> str:
        return self.label.label_in(language)


@dataclass(frozen=True)
class Reason:
    """A refusal; `params` fill `{name}` placeholders of its label (e.g. which member failed a condition)."""

    code: str
    label: Label
    params: tuple[tuple[str, str], ...] = ()

    def label_in(self, language: str | None) -> str:
        return self._filled(self.label.label_in(language))

    @property
    def statutory_label(self) -> str:
        return self._filled(self.label.label)

    def _filled(self, text: str) -> str:
        for name, value in self.params:
            text = text.replace("{" + name + "}", value)
        return text


@dataclass(frozen=True)
class Result:
    """What a formula returns; eligibility follows from the reasons it recorded."""

    amount: Decimal
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Outcome:
    benefit: str
    version: dt.date  # the date the applied formula version took effect
    rules_version: str  # the pack's data version, stored with a decision
    period: dt.date
    eligible: bool
    amount: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    currency: str
    reasons: tuple[Reason, ...]
    trace: tuple[Step, ...]

    @property
    def parameters_used(self) -> dict[str, dict[str, str]]:
        """{name: {value, valid_from, source}} of every parameter the trace read."""
        used = {}
        for step in self.trace:
            if step.parameter:
                used[step.parameter] = {
                    "value": str(step.value),
                    "valid_from": step.valid_from.isoformat() if step.valid_from else "",
                    "source": step.source,
                }
        return used

    @property
    def trace_template(self) -> tuple[str, ...]:
        """The step codes in order: with the version, all a compact store needs beside `trace_values`."""
        return tuple(step.code for step in self.trace)

    @property
    def trace_values(self) -> tuple[str, ...]:
        return tuple(plain_value(step.value) for step in self.trace)

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The API's shape: amounts as strings, labels in `language` (the statutory wording beside)."""
        return {
            "benefit": self.benefit,
            "period": self.period.strftime("%Y-%m"),
            "version": self.version.isoformat(),
            "rules_version": self.rules_version,
            "eligible": self.eligible,
            "amount": str(self.amount),
            "minimum": None if self.minimum is None else str(self.minimum),
            "maximum": None if self.maximum is None else str(self.maximum),
            "currency": self.currency,
            "reasons": [
                {"code": reason.code, "label": reason.label_in(language), "statutory_label": reason.statutory_label}
                for reason in self.reasons
            ],
            "trace": [
                {
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
                for step in self.trace
            ],
        }


def plain_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Trace:
    """Records a formula's steps and refusals, labelled from the benefit's YAML."""

    def __init__(self, definition: BenefitDefinition, jurisdiction: Any, period: dt.date):
        self.definition = definition
        self.jurisdiction = jurisdiction
        self.period = period
        self.steps: list[Step] = []
        self.reasons: list[Reason] = []

    def parameter(self, step: str, name: str, on: dt.date | None = None) -> Decimal:
        """The parameter in force for the period (or on `on`), recorded as a step; returned as Decimal."""
        value: ParameterValue = self.jurisdiction.parameter_in_force(name, on or self.period)
        self.steps.append(
            Step(
                code=step,
                label=self.definition.step(step),
                value=value.value,
                unit=value.unit,
                parameter=name,
                valid_from=value.valid_from,
                legal_basis=value.legal_basis,
                source=value.source,
                confirmed=value.confirmed,
            )
        )
        return Decimal(value.value)

    def value(self, step: str, value: Decimal | int | bool | str, unit: str = "", legal_basis: str = ""):
        """An intermediate result, recorded with the step's legal basis (from the YAML unless given)."""
        label = self.definition.step(step)
        self.steps.append(
            Step(code=step, label=label, value=value, unit=unit, legal_basis=legal_basis or label.legal_basis)
        )
        return value

    def money(self, step: str, value: Decimal, legal_basis: str = "") -> Decimal:
        """An amount rounded by the pack's rule, recorded in the pack's currency."""
        rounded = self.jurisdiction.round_money(value)
        self.value(step, rounded, unit=self.jurisdiction.currency, legal_basis=legal_basis)
        return rounded

    def refuse(self, reason: str, **params: object) -> None:
        """Record a refusal once; `params` fill the label's `{name}` placeholders (one refusal per distinct fill)."""
        filled = tuple((name, str(value)) for name, value in params.items())
        if all((existing.code, existing.params) != (reason, filled) for existing in self.reasons):
            self.reasons.append(Reason(code=reason, label=self.definition.reason(reason), params=filled))

    @property
    def refused(self) -> bool:
        return bool(self.reasons)


# Definitions and the registry of formula versions ---------------------------------------------------

Formula = Callable[[Facts, Trace], Result]


INPUT_KINDS = ("amount", "number", "flag", "choice", "text")


@dataclass(frozen=True)
class Input:
    """One thing a request states besides the household (declared under `inputs:` in the benefit's YAML)."""

    code: str
    kind: str  # amount (in the pack's currency) | number | flag | choice | text
    label: Label
    required: bool = False
    unit: str = ""
    options: Mapping[str, Label] = field(default_factory=dict)  # a choice's options, by code

    def label_in(self, language: str | None) -> str:
        return self.label.label_in(language)


@dataclass(frozen=True)
class BenefitDefinition:
    code: str
    country: str
    label: str
    legal_basis: str
    payment: str  # "monthly" or "one_off"
    parameters: tuple[str, ...]
    steps: Mapping[str, Label] = field(default_factory=dict)
    reasons: Mapping[str, Label] = field(default_factory=dict)
    translations: Translations = ()
    inputs: Mapping[str, Input] = field(default_factory=dict)
    member_flags: Mapping[str, Label] = field(default_factory=dict)
    # The day the law stopped granting the benefit (its last formula version only refuses), if it did.
    repealed_on: dt.date | None = None

    def label_in(self, language: str | None) -> str:
        return text_in(self.label, self.translations, language)

    def is_repealed_on(self, day: dt.date) -> bool:
        return self.repealed_on is not None and day >= self.repealed_on

    def step(self, code: str) -> Label:
        try:
            return self.steps[code]
        except KeyError:
            raise PackDataError(f"{self.code}: trace step {code!r} has no label in the benefit's YAML") from None

    def reason(self, code: str) -> Label:
        try:
            return self.reasons[code]
        except KeyError:
            raise PackDataError(f"{self.code}: reason {code!r} has no label in the benefit's YAML") from None

    def versions(self) -> tuple[dt.date, ...]:
        return tuple(since for since, _formula in _FORMULAS.get(self.code, ()))


_FORMULAS: dict[str, list[tuple[dt.date, Formula]]] = {}


def formula(code: str, since: str) -> Callable[[Formula], Formula]:
    """Register `fn` as the version of benefit `code` in force from `since` (ISO date) on."""
    start = dt.date.fromisoformat(since)

    def register(fn: Formula) -> Formula:
        versions = _FORMULAS.setdefault(code, [])
        if any(existing == start for existing, _ in versions):
            raise PackDataError(f"{code}: two formula versions from {start}")
        versions.append((start, fn))
        versions.sort(key=lambda item: item[0])
        return fn

    return register


def formula_for(code: str, period: dt.date) -> tuple[dt.date, Formula]:
    versions = _FORMULAS.get(code) or []
    chosen = None
    for since, fn in versions:
        if since <= period:
            chosen = (since, fn)
    if chosen is None:
        first = versions[0][0].isoformat() if versions else "none"
        raise BenefitNotInForce(f"{code}: no formula in force in {period:%Y-%m} (first version: {first})")
    return chosen


@cache
def load_definitions(pack_dir: Path, country: str) -> tuple[BenefitDefinition, ...]:
    """Every benefit a pack declares in its `benefits/*.yaml`, ordered by code."""
    folder = pack_dir / "benefits"
    if not folder.is_dir():
        return ()
    definitions = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "documents.yaml":  # the documents each benefit asks for (engine.benefit_documents)
            continue
        document = load_yaml(path)
        where = str(path)
        if not isinstance(document, dict):
            raise PackDataError(f"{where}: expected a mapping")
        document = _with_included(folder, document, where)
        code = require_text(document, "code", where)
        if not code.startswith(country.lower() + "."):
            raise PackDataError(f"{where}: code {code!r} must start with {country.lower()!r}.")
        payment = document.get("payment", "monthly")
        if payment not in ("monthly", "one_off"):
            raise PackDataError(f"{where}: payment must be monthly or one_off")
        definitions.append(
            BenefitDefinition(
                code=code,
                country=country,
                label=require_text(document, "label", where),
                translations=read_translations(document, where),
                legal_basis=require_text(document, "legal_basis", where),
                payment=payment,
                parameters=tuple(document.get("parameters") or ()),
                steps=_labels(document.get("steps"), f"{where}: steps"),
                reasons=_labels(document.get("reasons"), f"{where}: reasons"),
                inputs=_inputs(document.get("inputs"), f"{where}: inputs"),
                member_flags=_labels(document.get("member_flags"), f"{where}: member_flags"),
                repealed_on=_optional_day(document.get("repealed_on"), f"{where}: repealed_on"),
            )
        )
    return tuple(sorted(definitions, key=lambda definition: definition.code))


def _optional_day(value, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PackDataError(f"{where}: expected an ISO date") from None


def _with_included(folder: Path, document: dict, where: str) -> dict:
    """The benefit's YAML with the step and reason labels it shares with others merged in.

    `include: [common/income.yaml]` names files below `benefits/` holding `steps:` and `reasons:` like a
    benefit's YAML; the benefit's own labels win.
    """
    merged = dict(document)
    for name in document.get("include") or ():
        path = folder / str(name)
        if ".." in Path(str(name)).parts or not path.is_file():
            raise PackDataError(f"{where}: include {name!r} is not a file below benefits/")
        included = load_yaml(path)
        if not isinstance(included, dict):
            raise PackDataError(f"{path}: expected a mapping")
        for key in ("steps", "reasons"):
            shared = included.get(key) or {}
            if not isinstance(shared, dict):
                raise PackDataError(f"{path}: {key} must map codes to labels")
            merged[key] = {**shared, **(merged.get(key) or {})}
    return merged


def _labels(raw: object, where: str) -> dict[str, Label]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PackDataError(f"{where}: expected a mapping of codes to labels")
    labels = {}
    for code, entry in raw.items():
        if not isinstance(entry, dict):
            raise PackDataError(f"{where}.{code}: expected a mapping with 'label'")
        labels[str(code)] = Label(
            label=require_text(entry, "label", f"{where}.{code}"),
            translations=read_translations(entry, f"{where}.{code}"),
            legal_basis=(entry.get("legal_basis") or "").strip(),
        )
    return labels


def _inputs(raw: object, where: str) -> dict[str, Input]:
    labels = _labels(raw, where)  # checks the shape and reads each label
    inputs = {}
    for code, label in labels.items():
        entry = raw[code]  # type: ignore[index]
        kind = entry.get("kind", "amount")
        if kind not in INPUT_KINDS:
            raise PackDataError(f"{where}.{code}: kind must be one of {', '.join(INPUT_KINDS)}")
        options = _labels(entry.get("options"), f"{where}.{code}.options")
        if (kind == "choice") != bool(options):
            raise PackDataError(f"{where}.{code}: a choice needs options, and only a choice has them")
        inputs[code] = Input(
            code=code,
            kind=kind,
            label=label,
            required=bool(entry.get("required", False)),
            unit=str(entry.get("unit") or ""),
            options=options,
        )
    return inputs


# Evaluation ---------------------------------------------------------------------------------------

_DEFINITIONS: dict[str, BenefitDefinition] = {}


def _definition(code: str) -> BenefitDefinition:
    # Definitions never change while the process runs (they are read once from the pack's YAML).
    definition = _DEFINITIONS.get(code)
    if definition is None:
        definition = _DEFINITIONS[code] = _jurisdiction.benefit_definition(code)
    return definition


def _run(code: str, facts: Facts, trace_class: type[Trace]) -> tuple[dt.date, Any, dt.date, Trace, Result]:
    definition = _definition(code)
    # The registry directly once the packs are loaded (_definition loaded them): get_jurisdiction imports
    # the packs again on every call, a cost a batch of a million evaluations notices.
    jurisdiction = _jurisdiction._REGISTRY.get(definition.country) or _jurisdiction.get_jurisdiction(definition.country)
    period = facts.period.replace(day=1)
    since, fn = formula_for(code, period)
    trace = trace_class(definition, jurisdiction, period)
    return since, jurisdiction, period, trace, fn(facts, trace)


def evaluate(code: str, facts: Facts) -> Outcome:
    """Evaluate benefit `code` for the facts' period with the law in force in that period."""
    since, jurisdiction, period, trace, result = _run(code, facts, Trace)
    eligible = not trace.refused
    rounding = jurisdiction.round_money

    def rounded(value: Decimal | None) -> Decimal | None:
        return None if value is None else rounding(max(value, ZERO))

    return Outcome(
        benefit=code,
        version=since,
        rules_version=jurisdiction.rules_version,
        period=period,
        eligible=eligible,
        amount=rounding(max(result.amount, ZERO)) if eligible else rounding(ZERO),
        minimum=rounded(result.minimum) if eligible else None,
        maximum=rounded(result.maximum) if eligible else None,
        currency=jurisdiction.currency,
        reasons=tuple(trace.reasons),
        trace=tuple(trace.steps),
    )


# Batch evaluation: the same formulas, each step kept as a token of its shape and its value --------------


class ValuesTrace(Trace):
    """A trace for batch work: per step only a token of its shape (the step code; for a parameter its name
    and the value's start date; for an intermediate result its unit and explicit legal basis) and its value.

    Everything else a `Step` holds (label, source, confirmed, the parameter's unit and legal basis) follows
    from the benefit, the rules version and these tokens, so it is the same for every outcome of one shape:
    a batch builds it once per shape (with `evaluate`) instead of once per household. Unknown step codes are
    not checked here; `evaluate` raises for them when the shape is first built.
    """

    def __init__(self, definition: BenefitDefinition, jurisdiction: Any, period: dt.date):
        super().__init__(definition, jurisdiction, period)
        self.shape: list = []
        self.values: list = []

    def parameter(self, step: str, name: str, on: dt.date | None = None) -> Decimal:
        value: ParameterValue = self.jurisdiction.parameter_in_force(name, on or self.period)
        self.shape.append((step, name, value.valid_from))
        self.values.append(value.value)
        return Decimal(value.value)

    def value(self, step: str, value: Decimal | int | bool | str, unit: str = "", legal_basis: str = ""):
        self.shape.append((step, unit, legal_basis) if unit or legal_basis else step)
        self.values.append(value)
        return value

    def money(self, step: str, value: Decimal, legal_basis: str = "") -> Decimal:
        # Trace.money inlined (the most frequent step): the same rounding, unit and token as through value().
        rounded = self.jurisdiction.round_money(value)
        self.shape.append((step, self.jurisdiction.currency, legal_basis))
        self.values.append(rounded)
        return rounded


@dataclass(frozen=True)
class ValuesOutcome:
    """An outcome as `evaluate_values` gives it: the figures, the reason codes, the trace's shape tokens
    (`ValuesTrace`) and its values in step order (as `Outcome.trace` holds them, before `plain_value`)."""

    benefit: str
    version: dt.date
    rules_version: str
    eligible: bool
    amount: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    reasons: tuple[str, ...]
    shape: tuple
    values: tuple

    @property
    def trace_values(self) -> tuple[str, ...]:
        return tuple(plain_value(value) for value in self.values)


def evaluate_values(code: str, facts: Facts) -> ValuesOutcome:
    """`evaluate` for batch work: the same formula and figures (eligible, amount, minimum, maximum, reason
    codes, trace values), with the trace reduced to shape tokens and values. Two outcomes with equal
    (benefit, version, rules_version, shape) have traces that differ in their values only."""
    since, jurisdiction, _period, trace, result = _run(code, facts, ValuesTrace)
    eligible = not trace.reasons
    rounding = jurisdiction.round_money
    if eligible:
        amount = rounding(max(result.amount, ZERO))
        minimum = None if result.minimum is None else rounding(max(result.minimum, ZERO))
        maximum = None if result.maximum is None else rounding(max(result.maximum, ZERO))
    else:
        amount, minimum, maximum = rounding(ZERO), None, None
    return ValuesOutcome(
        benefit=code,
        version=since,
        rules_version=jurisdiction.rules_version,
        eligible=eligible,
        amount=amount,
        minimum=minimum,
        maximum=maximum,
        reasons=tuple(reason.code for reason in trace.reasons),
        shape=tuple(trace.shape),
        values=tuple(trace.values),
    )


# Snapshots: facts to and from plain JSON-able dicts (stored with a decision, sent by the API) -------


def facts_to_dict(facts: Facts) -> dict[str, Any]:
    return {
        "period": facts.period.strftime("%Y-%m"),
        "application_on": facts.application_on.isoformat() if facts.application_on else None,
        "income_lost": facts.income_lost,
        "amounts": {name: str(value) for name, value in facts.amounts},
        "flags": sorted(facts.flags),
        "purpose": facts.purpose,
        "household": [_member_to_dict(member) for member in facts.members],
    }


def _member_to_dict(member: Member) -> dict[str, Any]:
    return {
        "role": member.role,
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
        "income": None if member.income is None else str(member.income),
        "incomes": [
            {
                "kind": record.kind,
                "amount": str(record.amount),
                "month": record.month.strftime("%Y-%m") if record.month else None,
                "deductions": str(record.deductions),
                "one_off": record.one_off,
                "covers_months": record.covers_months,
            }
            for record in member.incomes
        ],
        "unable_to_work": member.unable_to_work,
        "unemployed": member.unemployed,
        "disabled": member.disabled,
        "benefit_months_received": member.benefit_months_received,
        "flags": sorted(member.flags),
    }


def facts_from_dict(data: Mapping[str, Any]) -> Facts:
    """The inverse of facts_to_dict; ValueError names the field on malformed input."""
    members = data.get("household") or data.get("members") or []
    if not isinstance(members, list):
        raise ValueError("household: expected a list of members")
    return Facts(
        period=month_start(data.get("period"), "period"),
        members=tuple(_member_from_dict(member, f"household[{index}]") for index, member in enumerate(members)),
        application_on=_optional_date(data.get("application_on"), "application_on"),
        income_lost=bool(data.get("income_lost", False)),
        amounts=tuple(sorted((str(k), _decimal(v, f"amounts.{k}")) for k, v in (data.get("amounts") or {}).items())),
        flags=frozenset(data.get("flags") or ()),
        purpose=str(data.get("purpose") or ""),
    )


def _member_from_dict(data: Mapping[str, Any], where: str) -> Member:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected an object")
    income = data.get("income")
    return Member(
        role=str(data.get("role") or "member"),
        birth_date=_optional_date(data.get("birth_date"), f"{where}.birth_date"),
        income=None if income is None else _decimal(income, f"{where}.income"),
        incomes=tuple(
            _income_from_dict(record, f"{where}.incomes[{i}]") for i, record in enumerate(data.get("incomes") or ())
        ),
        unable_to_work=bool(data.get("unable_to_work", False)),
        unemployed=bool(data.get("unemployed", False)),
        disabled=bool(data.get("disabled", False)),
        benefit_months_received=int(data.get("benefit_months_received") or 0),
        flags=frozenset(data.get("flags") or ()),
    )


def _income_from_dict(data: Mapping[str, Any], where: str) -> IncomeRecord:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected an object")
    month = data.get("month")
    return IncomeRecord(
        kind=str(data.get("kind") or "other"),
        amount=_decimal(data.get("amount"), f"{where}.amount"),
        month=None if month in (None, "") else month_start(month, f"{where}.month"),
        deductions=_decimal(data.get("deductions") or "0", f"{where}.deductions"),
        one_off=bool(data.get("one_off", False)),
        covers_months=int(data.get("covers_months") or 1),
    )


def month_start(value: object, where: str) -> dt.date:
    """ "2025-03" or a date → the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, str):
        try:
            if len(value) == 7:
                return dt.date.fromisoformat(value + "-01")
            return dt.date.fromisoformat(value).replace(day=1)
        except ValueError:
            pass
    raise ValueError(f"{where}: expected a month as YYYY-MM")


def _optional_date(value: object, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return as_date(value, where)
    except PackDataError as exc:
        raise ValueError(str(exc)) from None


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, (bool, float)):
        raise ValueError(f'{where}: expected an amount as a string such as "950.00"')
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{where}: {value!r} is not an amount") from None


# Small helpers formulas share --------------------------------------------------------------------


def months_before(period: dt.date, count: int) -> tuple[dt.date, ...]:
    """The `count` calendar months before `period` (first days), oldest first."""
    months = []
    year, month = period.year, period.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(dt.date(year, month, 1))
    return tuple(reversed(months))


def sum_incomes(records: Iterable[IncomeRecord], months: Iterable[dt.date], excluded: Iterable[str] = ()) -> Decimal:
    """Total net income (amount − deductions) of the records received in `months`, kinds in `excluded` left out.

    A record without a month counts in every month asked (it is "the monthly income"); the average over
    the months is the caller's business.
    """
    wanted = set(months)
    skip = set(excluded)
    total = ZERO
    for record in records:
        if record.kind in skip:
            continue
        if record.month is None or record.month in wanted:
            total += record.amount - record.deductions
    return total
