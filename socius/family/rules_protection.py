"""What the centre's pack says about child protection: the bodies that meet on children's cases, their
statutory names, legal basis and quorum, and the statutory names of the forms of care."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from socius.casework.statutory import reader_language
from socius.family.errors import NotInPack
from socius.family.statuses import FormOfCare, MeetingBody
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine import child_protection as engine
from socius.rulebook.engine.child_protection import ChildProtectionPack, MeetingBodyDefinition


@dataclass(frozen=True)
class BodyInfo:
    """A body of the centre's pack, as a form or a page shows it."""

    code: str
    label: str  # the statutory name in the reader's language
    statutory: str  # the statutory name in the pack's own language
    legal_basis: str
    quorum_rule: str  # engine.QUORUM_RULES code of the rule in force (on the day asked, else the latest)
    quorum_text: str  # the rule in words, translated
    source: str
    language: str  # the pack's own language (for `lang=` on the statutory name)


def _jurisdiction_of(centre) -> str:
    return centre if isinstance(centre, str) else centre.jurisdiction


def _pack(centre) -> tuple[ChildProtectionPack, str]:
    try:
        jurisdiction = get_jurisdiction(_jurisdiction_of(centre))
    except KeyError:
        return ChildProtectionPack(), ""
    if jurisdiction.data_dir is None:
        return ChildProtectionPack(), jurisdiction.default_language
    return engine.child_protection(jurisdiction.data_dir), jurisdiction.default_language


def quorum_text(rule: str) -> str:
    return {
        engine.MORE_THAN_HALF: _("more than half of the voting members present"),
        engine.AT_LEAST_HALF: _("at least half of the voting members present"),
        engine.AT_LEAST_TWO_THIRDS: _("at least two thirds of the voting members present"),
        engine.NO_QUORUM: _("no quorum set by law"),
    }.get(rule, rule)


def _info(body: MeetingBodyDefinition, own: str, language: str | None, on: dt.date | None) -> BodyInfo:
    version = body.quorum_rule_on(on) if on is not None else body.latest_quorum_rule
    rule = version.rule if version is not None else engine.NO_QUORUM
    shown = reader_language(language) or own
    return BodyInfo(
        code=body.code,
        label=body.label_in(shown),
        statutory=body.label,
        legal_basis=body.legal_basis,
        quorum_rule=rule,
        quorum_text=quorum_text(rule),
        source=body.source,
        language=own,
    )


def meeting_bodies(centre, *, language: str | None = None, on: dt.date | None = None) -> list[BodyInfo]:
    """The bodies the centre's pack has, in the pack's order (only codes the application knows)."""
    pack, own = _pack(centre)
    return [_info(body, own, language, on) for body in pack.bodies if body.code in MeetingBody.values]


def body_info(centre, code: str, *, language: str | None = None, on: dt.date | None = None) -> BodyInfo:
    """One body of the centre's pack; NotInPack when the pack has no such body."""
    pack, own = _pack(centre)
    if code not in MeetingBody.values or not pack.has_body(code):
        raise NotInPack(str(code))
    return _info(pack.body(code), own, language, on)


def require_body(centre, code) -> str:
    """`code` when the centre's pack has that body; NotInPack otherwise."""
    pack, _own = _pack(centre)
    if not isinstance(code, str) or code not in MeetingBody.values or not pack.has_body(code):
        raise NotInPack(str(code))
    return code


def quorum_for(centre, body: str, voting_members: int, on: dt.date) -> int | None:
    """How many voting members must be present for the body to decide on `on`; None when the law sets no
    quorum. NotInPack for a body the centre's pack does not have."""
    pack, _own = _pack(centre)
    if body not in MeetingBody.values or not pack.has_body(body):
        raise NotInPack(str(body))
    return pack.body(body).quorum_on(on, voting_members)


def form_of_care_label(centre, code: str, *, language: str | None = None) -> str:
    """The statutory name of a form of care in the reader's language; the application's label when the pack
    names none."""
    pack, own = _pack(centre)
    form = pack.form_of_care(code)
    if form is not None:
        return form.label_in(reader_language(language) or own)
    try:
        return str(FormOfCare(code).label)
    except ValueError:
        return code


def form_of_care_labels(centre, *, language: str | None = None) -> dict[str, str]:
    """{code: label} of every form of care, for a form's choices (pack names where the pack has them)."""
    return {code: form_of_care_label(centre, code, language=language) for code in FormOfCare.values}


def form_of_care_basis(centre, code: str) -> str:
    """The legal basis the pack gives for a form of care ("" when it gives none)."""
    pack, _own = _pack(centre)
    form = pack.form_of_care(code)
    return form.legal_basis if form is not None else ""
