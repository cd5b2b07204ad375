"""Anonymising persons (decision 0023): what is cleared, and what is kept so the reports count the same.

Cleared: names, national IDs, addresses, phones, e-mails, free text written about the person (notes, reasons,
answers, minutes) and the documents' files. Kept: ids, dates, amounts, territory, categories (sex, birth date,
employment, disability, circumstances, benefit, status), so every report and statistic reads the same figures.

`CLEARED` names, per model holding data about a person, how its rows are reached from the anonymised persons and
which fields are cleared; `NOT_CLEARED` names the models that hold nothing to clear, each with the reason. A test
fails when a model refers to a person, household, case or contact without a decision here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from socius.casework.models import Case, Contact
from socius.casework.models_documents import CaseDocument
from socius.registry.models import Membership, Person

# A cleared person keeps this in place of the family name, so lists still show a row (never a real name).
ANONYMISED_NAME = "***"


@dataclass(frozen=True)
class Clear:
    model: str  # app_label.ModelName
    scope: str  # "person", "household", "case" or "contact": which set of anonymised records reaches the rows
    path: str  # the lookup from the model to that record's id
    fields: tuple[str, ...]


CLEARED: tuple[Clear, ...] = (
    Clear("registry.Household", "household", "pk", ("street_address", "external_ref", "notes")),
    Clear("casework.Contact", "contact", "pk", ("notes",)),
    # Consents (decision 0024): purpose, dates and how given stay (what was agreed, and when); the free text goes.
    Clear("registry.Consent", "person", "person_id", ("note", "withdrawal_note")),
    Clear("casework.Case", "case", "pk", ("notes",)),
    Clear("casework.CaseDocument", "case", "case_id", ("title", "original_name", "file")),
    Clear("casework.Referral", "case", "case_id", ("reason", "documents", "outcome")),
    Clear("casework.HomeVisit", "case", "case_id", ("place", "purpose", "outcome", "cancel_reason")),
    Clear("casework.SocialWorkActivity", "case", "case_id", ("notes",)),
    Clear("assessments.Assessment", "case", "case_id", ("answers", "diagnosis", "conclusions")),
    Clear("plans.HelpPlan", "case", "case_id", ("outcome",)),
    Clear("plans.Goal", "case", "plan__case_id", ("description",)),
    Clear("plans.PlanAction", "case", "goal__plan__case_id", ("description", "outcome")),
    Clear(
        "plans.SocialContract",
        "case",
        "case_id",
        ("causes", "strengths", "limitations", "goals", "evaluation", "end_reasons"),
    ),
    Clear("plans.Obligation", "case", "contract__case_id", ("description",)),
    Clear("plans.CaseFlag", "case", "case_id", ("cleared_reason",)),
    Clear("benefits.Application", "case", "case_id", ("purpose", "documents")),
    Clear("benefits.Decision", "case", "case_id", ("iban", "justification", "returned_comment")),
    Clear("payments.Payment", "person", "person_id", ("payee_name", "iban", "return_reason", "cancel_reason")),
    Clear("payments.Transfer", "person", "person_id", ("payee_name", "iban", "cancel_reason")),
    Clear("payments.PaymentDetailsChange", "person", "person_id", ("iban", "holder_name", "reason")),
    Clear("family.FamilyEnrolment", "case", "case_id", ("reason", "refusal_reason", "closure_note", "court_reference")),
    Clear("family.EnrolmentConsent", "person", "person_id", ("note", "withdrawal_note")),
    Clear("family.WorkPlan", "case", "enrolment__case_id", ("note",)),
    Clear(
        "family.WorkPlanItem", "case", "plan__enrolment__case_id", ("goal", "action", "responsible", "expected_effect")
    ),
    Clear("family.AssistantActivity", "case", "enrolment__case_id", ("place", "others_present", "notes")),
    Clear(
        "family.FamilyAssessment",
        "case",
        "enrolment__case_id",
        ("situation", "strengths", "difficulties", "recommendation", "court_reference"),
    ),
    Clear("family.ChildInDifficulty", "case", "case_id", ("closure_note", "notes")),
    Clear("family.Placement", "case", "record__case_id", ("carer", "note")),
    Clear("family.AgendaItem", "case", "case_id", ("summary",)),
    Clear("family.FollowUpTask", "case", "case_id", ("description", "outcome")),
    Clear("family.BlueCard", "household", "household_id", ("initiator_name", "closure_note")),
    Clear("family.BlueCardFormRecord", "person", "person_id", ("answers",)),
    Clear("family.BlueCardPlanItem", "person", "person_id", ("measure",)),
    Clear("services.ServiceDecision", "person", "person_id", ("notes", "end_reason", "suspension_reason")),
    Clear("services.WaitingListEntry", "person", "person_id", ("reason", "withdrawn_reason")),
    Clear("services.Delivery", "person", "decision__person_id", ("note",)),
    Clear("community.EventAttendee", "person", "person_id", ("name",)),
    Clear("community.PotentialRecipient", "person", "person_id", ("name", "description", "need", "place")),
)

# The timelines' event rows keep their shape (kinds, dates, statuses, ids: the timeline reads them by key); only
# the free text they carry is blanked, under these keys, at any depth.
EVENT_TABLES: tuple[str, ...] = (
    "casework.CaseEvent",
    "assessments.AssessmentEvent",
    "plans.PlanEvent",
    "benefits.DecisionEvent",
    "family.FamilyEvent",
)
FREE_TEXT_KEYS = frozenset(
    {"note", "notes", "reason", "comment", "outcome", "text", "summary", "minutes", "description", "place", "name"}
)

NOT_CLEARED: dict[str, str] = {
    "registry.Membership": "dates and the relationship only (a category the household reports count)",
    "casework.CaseShare": "who the case is shared with (staff), no data about the person",
    "casework.Contact_persons": "the link between a contact and its persons: ids only",
    "casework.SocialWorkActivity_participants": "the link between an activity and its persons: ids only",
    "plans.SocialContract_clients": "the link between a contract and its clients: ids only",
    "benefits.ApplicationMember": "ids and flags (categories) only",
    "benefits.IncomeDeclaration": "amounts and kinds of income only (the reports' figures)",
    "benefits.EvaluationResult": "amounts, eligibility and reason codes only",
    "family.AssistantActivity_family_members": "the link between an activity and family members: ids only",
    "family.BlueCardParty": "the person's role in the procedure: ids and a category",
    "services.MonthlyStatement": "amounts and service codes of an issued statement (an accounting record)",
    "family.WorkPlan_agreed_with": "the link between a work plan and the persons who agreed it: ids only",
    "accounts.AuditEvent": "the audit log is the record of accountability (GDPR art. 5(2)), append-only and "
    "chained; it keeps who saw or changed the record, not the cleared values of new events",
}


def _empty(field: models.Field):
    if isinstance(field, models.JSONField):
        return field.get_default()
    return ""


def _scopes(person_ids: set[int], done: set[int], centre_id: int) -> dict[str, list[int]]:
    """The ids of the records whose data go with the anonymised persons: a household once every member is
    anonymised, a case once its person is (or, a household's case, its household), a contact once every person
    it names is."""
    gone = person_ids | done
    members: dict[int, set[int]] = {}
    for household_id, person_id in Membership.objects.filter(
        household__in=Membership.objects.filter(person_id__in=person_ids).values("household_id")
    ).values_list("household_id", "person_id"):
        members.setdefault(household_id, set()).add(person_id)
    households = [h for h, ids in members.items() if ids <= gone]
    cases = list(
        Case.objects.filter(centre_id=centre_id)
        .filter(Q(person_id__in=person_ids) | Q(person__isnull=True, household_id__in=households))
        .values_list("pk", flat=True)
    )
    named: dict[int, set[int]] = {}
    through = Contact.persons.through
    for contact_id, person_id in through.objects.filter(
        contact__in=through.objects.filter(person_id__in=person_ids).values("contact_id")
    ).values_list("contact_id", "person_id"):
        named.setdefault(contact_id, set()).add(person_id)
    contacts = [c for c, ids in named.items() if ids <= gone]
    return {"person": sorted(person_ids), "household": households, "case": cases, "contact": contacts}


def anonymise_persons(person_ids: Iterable[int], *, centre_id: int, already: set[int]) -> dict[str, int]:
    """Clear the persons' identity and everything written about them (inside the caller's transaction);
    `already` the centre's persons anonymised before. Returns the number of rows cleared per model."""
    ids = set(person_ids)
    if not ids:
        return {}
    scopes = _scopes(ids, already, centre_id)
    counts = {}
    files = list(
        CaseDocument.objects.filter(case_id__in=scopes["case"]).exclude(file="").values_list("file", flat=True)
    )
    for clear in CLEARED:
        model = apps.get_model(clear.model)
        values = {name: _empty(model._meta.get_field(name)) for name in clear.fields}
        counts[clear.model] = model.objects.filter(**{f"{clear.path}__in": scopes[clear.scope]}).update(**values)
    for label in EVENT_TABLES:
        counts[label] = _scrub_events(apps.get_model(label), scopes["case"])
    counts["registry.Person"] = Person.objects.filter(pk__in=ids).update(
        first_name="",
        last_name=ANONYMISED_NAME,
        national_id="",
        street_address="",
        phone="",
        email="",
        notes="",
        search_name="",
        search_address="",
        phone_digits="",
    )
    if files:
        # The files go once the transaction has committed: a rolled-back anonymisation keeps them.
        transaction.on_commit(lambda: _delete_files(files))
    return counts


def _scrubbed(value):
    if isinstance(value, dict):
        return {k: ("" if k in FREE_TEXT_KEYS and isinstance(v, str) else _scrubbed(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def _scrub_events(model, case_ids: list[int]) -> int:
    """Blank the free text of the cases' event rows, in batches (a JSON rewrite both databases can do the same)."""
    changed = 0
    rows = model.objects.filter(case_id__in=case_ids).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).only("pk", "data")[:1000])
        if not batch:
            return changed
        last = batch[-1].pk
        dirty = []
        for row in batch:
            clean = _scrubbed(row.data)
            if clean != row.data:
                row.data = clean
                dirty.append(row)
        model.objects.bulk_update(dirty, ["data"])
        changed += len(dirty)


def _delete_files(names: list[str]) -> None:
    storage = CaseDocument._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
