"""Compact outcomes: a trace's shape (a template stored once) and the values that vary per row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from socius.benefits.models_recalculation import TraceTemplate
from socius.rulebook.engine import benefits as engine


@dataclass(frozen=True)
class Compact:
    """An outcome reduced to what varies per row, with the digest of its trace's shape."""

    eligible: bool
    amount: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    reasons: tuple[str, ...]
    template_key: str
    values: tuple[str, ...]


def trace_shape(outcome: engine.Outcome) -> dict:
    """The template of an outcome's trace: everything but the values (the same for every row of a shape)."""
    return {
        "benefit": outcome.benefit,
        "formula_version": outcome.version.isoformat(),
        "rules_version": outcome.rules_version,
        "steps": [
            {
                "code": step.code,
                "unit": step.unit,
                "parameter": step.parameter or None,
                "valid_from": step.valid_from.isoformat() if step.valid_from else None,
                "legal_basis": step.legal_basis,
                "source": step.source,
                "confirmed": step.confirmed,
            }
            for step in outcome.trace
        ],
    }


class Compactor:
    """Turns outcomes into `Compact` rows, computing each distinct shape's digest once (cached by the
    tuple of step codes and parameter dates, which determine the rest for one rules version)."""

    def __init__(self):
        self.shapes: dict[str, dict] = {}
        self._keys: dict[tuple, str] = {}

    def __call__(self, outcome: engine.Outcome) -> Compact:
        fingerprint = (
            outcome.benefit,
            outcome.version,
            outcome.rules_version,
            tuple((s.code, s.parameter, s.valid_from, s.unit, s.legal_basis) for s in outcome.trace),
        )
        key = self._keys.get(fingerprint)
        if key is None:
            shape = trace_shape(outcome)
            key = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()
            self._keys[fingerprint] = key
            self.shapes[key] = shape
        return Compact(
            eligible=outcome.eligible,
            amount=outcome.amount,
            minimum=outcome.minimum,
            maximum=outcome.maximum,
            reasons=tuple(reason.code for reason in outcome.reasons),
            template_key=key,
            values=outcome.trace_values,
        )


def save_templates(shapes: dict[str, dict]) -> dict[str, int]:
    """{key: template id}, inserting the shapes not stored yet (two queries)."""
    if not shapes:
        return {}
    known = dict(TraceTemplate.objects.filter(key__in=list(shapes)).values_list("key", "pk"))
    missing = [
        TraceTemplate(
            key=key,
            benefit=shape["benefit"],
            formula_version=dt.date.fromisoformat(shape["formula_version"]),
            rules_version=shape["rules_version"],
            steps=shape["steps"],
        )
        for key, shape in shapes.items()
        if key not in known
    ]
    if missing:
        TraceTemplate.objects.bulk_create(missing, ignore_conflicts=True)
        known = dict(TraceTemplate.objects.filter(key__in=list(shapes)).values_list("key", "pk"))
    return known


def expanded_trace(template: TraceTemplate, values: Sequence[str]) -> list[dict]:
    """The stored trace again (the shape of services.stored_trace) from a template and a row's values."""
    return [{**step, "value": value} for step, value in zip(template.steps, values, strict=True)]
