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
from socius.rulebook.engine.services import (
    CopaymentError,
    CopaymentFacts,
    CopaymentNotInForce,
    CopaymentOutcome,
    ServiceDefinition,
    copayment_due,
    evaluate_copayment,
    service_catalogue,
    service_definition,
)

__all__ = [
    "Circumstance",
    "ContactOutcome",
    "ContactTopic",
    "CopaymentError",
    "CopaymentFacts",
    "CopaymentNotInForce",
    "CopaymentOutcome",
    "IdCheck",
    "IdProblem",
    "Jurisdiction",
    "ParameterError",
    "ParameterNotInForce",
    "ParameterValue",
    "ServiceDefinition",
    "UnknownCode",
    "UnknownParameter",
    "add_working_days",
    "copayment_due",
    "evaluate_copayment",
    "get_jurisdiction",
    "is_working_day",
    "jurisdiction_codes",
    "parameter",
    "service_catalogue",
    "service_definition",
]
