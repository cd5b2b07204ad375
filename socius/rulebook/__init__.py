"""Law as data: country packs (PL, MD, LT) behind small typed interfaces. Pure Python, no Django."""

from socius.rulebook.engine.calendar import add_working_days, is_working_day
from socius.rulebook.engine.jurisdiction import Jurisdiction, get_jurisdiction, jurisdiction_codes, parameter
from socius.rulebook.engine.lists import Circumstance, ContactOutcome, ContactTopic, UnknownCode
from socius.rulebook.engine.national_id import IdCheck, IdProblem
from socius.rulebook.engine.parameters import (
    ParameterError,
    ParameterNotInForce,
    ParameterValue,
    UnknownParameter,
)

__all__ = [
    "Circumstance",
    "ContactOutcome",
    "ContactTopic",
    "IdCheck",
    "IdProblem",
    "Jurisdiction",
    "ParameterError",
    "ParameterNotInForce",
    "ParameterValue",
    "UnknownCode",
    "UnknownParameter",
    "add_working_days",
    "get_jurisdiction",
    "is_working_day",
    "jurisdiction_codes",
    "parameter",
]
