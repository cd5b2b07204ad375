"""National ID checks at the edge: the pack's problem codes become translated messages."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from socius.rulebook import IdCheck, get_jurisdiction
from socius.rulebook.engine import national_id as codes


def check_national_id(jurisdiction_code: str, value: str, birth_date=None, sex=None) -> IdCheck:
    return get_jurisdiction(jurisdiction_code).validate_national_id(value, birth_date, sex)


def problem_messages(jurisdiction_code: str, check: IdCheck) -> list[str]:
    name = get_jurisdiction(jurisdiction_code).national_id_name
    messages = []
    for problem in check.problems:
        p = problem.params
        if problem.code == codes.NOT_DIGITS:
            messages.append(_("%(id)s may contain digits only.") % {"id": name})
        elif problem.code == codes.LENGTH:
            messages.append(
                _("%(id)s must have %(expected)s digits; this one has %(actual)s.")
                % {"id": name, "expected": p["expected"], "actual": p["actual"]}
            )
        elif problem.code == codes.LEADING_DIGIT:
            messages.append(_("%(id)s must begin with %(allowed)s.") % {"id": name, "allowed": p["allowed"]})
        elif problem.code == codes.CHECKSUM:
            messages.append(_("%(id)s check digit is wrong: the number was probably mistyped.") % {"id": name})
        elif problem.code == codes.BAD_DATE:
            messages.append(_("%(id)s does not encode a valid birth date.") % {"id": name})
        elif problem.code == codes.BIRTH_DATE_MISMATCH:
            encoded = formats.date_format(dt.date.fromisoformat(p["encoded"]), "SHORT_DATE_FORMAT")
            messages.append(
                _("%(id)s encodes the birth date %(date)s, which differs from the birth date entered.")
                % {"id": name, "date": encoded}
            )
        elif problem.code == codes.SEX_MISMATCH:
            sex = _("female") if p["encoded"] == "F" else _("male")
            messages.append(
                _("%(id)s encodes the sex %(sex)s, which differs from the sex entered.") % {"id": name, "sex": sex}
            )
        else:  # pragma: no cover - a pack added a code the edge does not know yet
            messages.append(_("%(id)s is not valid.") % {"id": name})
    # A message may begin with the ID name ("asmens kodas: ..."): sentences start with a capital.
    return [capfirst(m) for m in messages]
