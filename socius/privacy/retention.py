"""What has expired: each person's records, the pack's retention rule for each, and the day the last of them
expires (decision 0023). Set-based: a few grouped queries per batch of persons, never one query per person.

A person expires when every record about them has expired: the registry record itself (from its last change),
every contact naming them, every case of theirs or of a household they belonged to (from its closure), every
benefit decision they were party to (from the end of its period) and every payment to them (from its payment).
An open record (a case not closed, a decision in force without an end, a payment not yet paid) keeps the person:
a person with an open case is never anonymised.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from socius.accounts.models import Centre
from socius.benefits.models import Decision
from socius.benefits.statuses import DecisionStatus
from socius.casework.models import Case, Contact
from socius.casework.statuses import CaseStatus
from socius.payments.models import Payment
from socius.payments.statuses import PaymentStatus
from socius.privacy.models_retention import Anonymisation
from socius.registry.models import Membership, Person
from socius.rulebook.engine.jurisdiction import get_jurisdiction
from socius.rulebook.engine.retention import RetentionRule

BATCH = 2000

# Record types of the packs' retention/ folders, in the order a reviewer reads them.
RECORD_TYPES = ("registry_entry", "contact", "case_file", "benefit_decision", "payment")
OPEN_PAYMENTS = (PaymentStatus.PENDING, PaymentStatus.EXPORTED)


@dataclass
class RecordExpiry:
    record_type: str
    record_id: int
    anchor_on: dt.date | None  # None: the record is still open
    expires_on: dt.date | None  # None: open, or no period in force (kept)
    rule: RetentionRule | None

    def as_basis(self) -> dict:
        period = self.rule.period_for(self.anchor_on, self._on) if self.rule and self.anchor_on else None
        return {
            "record_type": self.record_type,
            "record_id": self.record_id,
            "anchor_on": self.anchor_on.isoformat() if self.anchor_on else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "years": period.years if period else None,
            "legal_basis": period.legal_basis if period else (self.rule.legal_basis if self.rule else ""),
            "source": period.source if period else "",
            "confirmed": period.confirmed if period else False,
            "statutory_keep": bool(self.rule and self.rule.statutory_keep),
        }

    _on: dt.date = dt.date.min


@dataclass
class PersonExpiry:
    person_id: int
    records: list[RecordExpiry] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return any(r.anchor_on is None for r in self.records)

    @property
    def expires_on(self) -> dt.date | None:
        """The day the last record expires; None while any record is open or has no period."""
        days = [r.expires_on for r in self.records]
        if not days or any(day is None for day in days):
            return None
        return max(days)

    def expired_by(self, on: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on <= on

    def kept_by_law(self, on: dt.date) -> list[RecordExpiry]:
        """The records a statute keeps on the day: statutory-keep rules whose period has not ended (or not begun)."""
        return [
            r for r in self.records if r.rule and r.rule.statutory_keep and (r.expires_on is None or r.expires_on > on)
        ]

    def open_cases(self) -> list[RecordExpiry]:
        return [r for r in self.records if r.record_type == "case_file" and r.anchor_on is None]


def rules_for(centre: Centre) -> dict[str, RetentionRule]:
    return get_jurisdiction(centre.jurisdiction).retention_rules()


def anonymised_ids(centre_id: int) -> set[int]:
    return set(Anonymisation.objects.filter(centre_id=centre_id).values_list("person_id", flat=True))


def expiries(centre: Centre, on: dt.date, person_ids: Iterable[int] | None = None) -> Iterator[PersonExpiry]:
    """Each (not yet anonymised) person's records with their expiry, in batches; all the centre's when no ids."""
    rules = rules_for(centre)
    done = Anonymisation.objects.filter(centre_id=centre.pk).values("person_id")
    persons = Person.objects.filter(centre=centre).exclude(pk__in=done).order_by("pk")
    if person_ids is not None:
        persons = persons.filter(pk__in=list(person_ids))
    last = 0
    while True:
        batch = list(persons.filter(pk__gt=last).values_list("pk", "updated_at")[:BATCH])
        if not batch:
            return
        last = batch[-1][0]
        yield from _batch(centre, on, rules, batch)


def _batch(centre, on, rules, batch) -> Iterator[PersonExpiry]:
    ids = [pk for pk, _ in batch]
    found: dict[int, list[tuple[str, int, dt.date | None]]] = defaultdict(list)
    for pk, updated_at in batch:
        found[pk].append(("registry_entry", pk, updated_at.date()))
    through = Contact.persons.through
    for person_id, contact_id, occurred_at in through.objects.filter(person_id__in=ids).values_list(
        "person_id", "contact_id", "contact__occurred_at"
    ):
        found[person_id].append(("contact", contact_id, occurred_at.date()))
    # Cases: a person's own, and their households' (whoever was a member at any time).
    households = defaultdict(set)
    for person_id, household_id in Membership.objects.filter(person_id__in=ids).values_list(
        "person_id", "household_id"
    ):
        households[household_id].add(person_id)
    cases = Case.objects.filter(centre=centre).filter(person_id__in=ids) | Case.objects.filter(
        centre=centre, household_id__in=list(households)
    )
    for case_id, person_id, household_id, status, closed_on in cases.values_list(
        "pk", "person_id", "household_id", "status", "closed_on"
    ).distinct():
        anchor = closed_on if status == CaseStatus.CLOSED else None
        concerned = set(households.get(household_id, ()))
        if person_id in ids:
            concerned.add(person_id)
        for pk in concerned:
            found[pk].append(("case_file", case_id, anchor))
    for pk, applicant_id, status, one_off, period_from, period_to, decided_on, proposed_at in Decision.objects.filter(
        applicant_id__in=ids
    ).values_list("pk", "applicant_id", "status", "one_off", "period_from", "period_to", "decided_on", "proposed_at"):
        if status == DecisionStatus.APPROVED:
            anchor = period_to or (period_from if one_off else None)
        elif status == DecisionStatus.PROPOSED:  # awaiting approval: open
            anchor = None
        else:  # returned: a record of its own day
            anchor = decided_on or proposed_at.date()
        found[applicant_id].append(("benefit_decision", pk, anchor))
    for pk, person_id, status, paid_on, returned_on, month in Payment.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "status", "paid_on", "returned_on", "month"
    ):
        anchor = None if status in OPEN_PAYMENTS else (paid_on or returned_on or month)
        found[person_id].append(("payment", pk, anchor))
    for pk in ids:
        expiry = PersonExpiry(pk)
        for record_type, record_id, anchor in found[pk]:
            rule = rules.get(record_type)
            expires = rule.expires_on(anchor, on) if rule and anchor else None
            record = RecordExpiry(record_type, record_id, anchor, expires, rule)
            record._on = on
            expiry.records.append(record)
        yield expiry
