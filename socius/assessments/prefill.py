"""What a new interview starts with: the previous completed interview's answers and the registry's facts.

The instrument says which field plays which role (`roles` in its YAML, see rulebook.engine.instruments).
Registry facts (who, where, how many, who lives there) come second and win over the previous interview,
since the registry is kept current; every other answer is copied from the case's latest completed or
signed interview where the field still exists, except dates, which belong to that interview. Each value
is checked against its field as if typed: one that does not fit is left out, never stored half-valid.
The worker reviews everything before completing: nothing here completes or signs anything.
"""

from __future__ import annotations

from django.utils import formats

from socius.assessments.answers import clean_value
from socius.assessments.models import Assessment
from socius.assessments.selectors import completed_interviews_of
from socius.casework.models import Case
from socius.registry.models import Household, Membership, Person, Relationship
from socius.rulebook.engine import instruments as inst
from socius.rulebook.engine.instruments import Instrument


def _address(holder: Person | Household) -> str:
    place = holder.territory.name if holder.territory_id else ""
    return ", ".join(part for part in (holder.street_address.strip(), place) if part)


def _members_text(memberships: list[Membership]) -> str:
    """One line a member: name, relationship to the head, birth date."""
    lines = []
    for m in memberships:
        parts = [m.person.full_name, str(m.get_relationship_display())]
        if m.person.birth_date:
            parts.append(formats.date_format(m.person.birth_date, "SHORT_DATE_FORMAT"))
        lines.append(", ".join(parts))
    return "\n".join(lines)


def registry_facts(case: Case) -> dict[str, object]:
    """The registry's facts about the case's holder, by role: applicant_name, address, household_size and
    household_members (the current members of the household, or of the person's current household).
    Incomes are not in the registry yet, so `monthly_income` comes only from a previous interview."""
    household = case.household
    person = case.person
    if household is None and person is not None:
        current = Membership.objects.filter(person_id=person.pk, valid_until__isnull=True).select_related(
            "household__territory"
        )
        membership = current.first()
        household = membership.household if membership else None
    memberships = []
    if household is not None:
        memberships = list(
            Membership.objects.filter(household_id=household.pk, valid_until__isnull=True)
            .select_related("person")
            .order_by("valid_from", "id")
        )
        # The head first, then in the order they joined.
        memberships.sort(key=lambda m: m.relationship != Relationship.HEAD)
    facts: dict[str, object] = {}
    applicant = person or (memberships[0].person if memberships else None)
    if applicant is not None:
        facts["applicant_name"] = applicant.full_name
    address = _address(household) if household is not None else ""
    if not address and applicant is not None:
        address = _address(applicant)
    if address:
        facts["address"] = address
    if memberships:
        facts["household_size"] = len(memberships)
        facts["household_members"] = _members_text(memberships)
    elif person is not None:
        facts["household_size"] = 1
        facts["household_members"] = person.full_name
    return facts


def _fits(instrument: Instrument, section_code: str, field_code: str, value):
    section = instrument.section(section_code)
    field = section.field(field_code) if section else None
    if field is None:
        return None
    try:
        return clean_value(field, value)
    except ValueError:
        return None


def previous_interview(case: Case, *, before: Assessment | None = None) -> Assessment | None:
    """The case's latest completed or signed interview (what the new one continues)."""
    done = completed_interviews_of(case.pk)
    if before is not None:
        done = done.exclude(pk=before.pk)
    return done.first()


def prefill_answers(case: Case, instrument: Instrument, previous: Assessment | None) -> tuple[dict, list[str]]:
    """(answers in the services' storage form, "<section>.<field>" keys filled) for a new interview."""
    answers: dict[str, dict] = {}

    def put(section_code: str, field_code: str, value) -> None:
        cleaned = _fits(instrument, section_code, field_code, value)
        if cleaned is None or cleaned == "" or cleaned == []:
            return
        answers.setdefault(section_code, {})[field_code] = cleaned

    if previous is not None:
        for section_code, values in (previous.answers or {}).items():
            section = instrument.section(section_code)
            if section is None or not isinstance(values, dict):
                continue
            for field_code, value in values.items():
                field = section.field(field_code)
                if field is not None and field.type != inst.DATE:
                    put(section_code, field_code, value)
    for role, value in registry_facts(case).items():
        target = instrument.role(role)
        if target is not None:
            put(*target, value)
    filled = sorted(f"{s}.{f}" for s, values in answers.items() for f in values)
    return answers, filled


def role_texts(instrument: Instrument, answers: dict) -> dict[str, str]:
    """The diagnosis and conclusions as answered in the fields that play those roles ({} without roles)."""
    texts = {}
    for role in ("diagnosis", "conclusions"):
        target = instrument.role(role)
        if target is not None:
            value = ((answers or {}).get(target[0]) or {}).get(target[1])
            texts[role] = value.strip() if isinstance(value, str) else ""
    return texts
