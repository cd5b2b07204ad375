"""What a subject-access export holds (GDPR art. 15, decision 0022): every model of Socius is either mapped to a
section of the export, with the query that finds its rows about one person, or named as not holding data about a
person with the reason. `socius/privacy/tests/test_export_coverage.py` fails on a model with no decision.

Rows with a person of their own (a payment, a consent, a party to a Blue Card) are the person's rows only; rows
without one are taken through the person's cases, households, applications and cards (the record is about them).
Other persons' rows are left out (art. 15(4)); the director reviews the export before it is delivered.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# Search keys derived from other fields (normalised names, digits of a phone): nothing the person gave or we
# decided, and the same data as the fields they come from.
DERIVED_FIELDS = frozenset({"search_name", "search_address", "phone_digits"})
# Fields about staff rather than the person, left out of the export (art. 15(4): the rights of others): the address
# a worker's computer had when they opened the record, the database account that wrote a change.
STAFF_FIELDS: dict[str, frozenset[str]] = {
    "accounts.AuditEvent": frozenset({"ip"}),
    "accounts.ChangeTrailEntry": frozenset({"db_user"}),
}


@dataclass
class Subject:
    """One person and the records their data sits in, found once with a few queries."""

    person: models.Model
    household_ids: list[int] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)
    application_ids: list[int] = field(default_factory=list)
    decision_ids: list[int] = field(default_factory=list)
    enrolment_ids: list[int] = field(default_factory=list)
    card_ids: list[int] = field(default_factory=list)
    child_record_ids: list[int] = field(default_factory=list)
    service_decision_ids: list[int] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.person.pk


def _ids(label: str, condition: Q) -> list[int]:
    return list(apps.get_model(label)._base_manager.filter(condition).values_list("pk", flat=True).distinct())


def subject_of(person) -> Subject:
    """The person's households (every one they were ever a member of), cases (their own and their households'),
    benefit applications and decisions, family programme enrolments, Blue Cards, child records, service decisions."""
    s = Subject(person=person)
    p = person.pk
    s.household_ids = _ids("registry.Household", Q(memberships__person_id=p))
    s.case_ids = _ids("casework.Case", Q(person_id=p) | Q(household_id__in=s.household_ids))
    s.application_ids = _ids(
        "benefits.Application", Q(applicant_id=p) | Q(case_id__in=s.case_ids) | Q(member_facts__person_id=p)
    )
    s.decision_ids = _ids(
        "benefits.Decision", Q(applicant_id=p) | Q(case_id__in=s.case_ids) | Q(application_id__in=s.application_ids)
    )
    s.enrolment_ids = _ids("family.FamilyEnrolment", Q(case_id__in=s.case_ids) | Q(household_id__in=s.household_ids))
    s.card_ids = _ids("family.BlueCard", Q(parties__person_id=p))
    s.child_record_ids = _ids("family.ChildInDifficulty", Q(child_id=p) | Q(case_id__in=s.case_ids))
    s.service_decision_ids = _ids("services.ServiceDecision", Q(person_id=p) | Q(case_id__in=s.case_ids))
    return s


Finder = Callable[[Subject], Q]


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy translation
    models: dict[str, Finder]


def _case(s: Subject) -> Q:
    return Q(case_id__in=s.case_ids)


def _person(s: Subject) -> Q:
    return Q(person_id=s.pk)


SECTIONS: list[Section] = [
    Section(
        "registry",
        _("Registry record, identifiers and addresses"),
        {
            "registry.Person": lambda s: Q(pk=s.pk),
            "registry.Consent": _person,  # the consents register (decision 0024), when installed
        },
    ),
    Section(
        "household",
        _("Household history"),
        {
            "registry.Household": lambda s: Q(pk__in=s.household_ids),
            "registry.Membership": _person,
        },
    ),
    Section(
        "contacts",
        _("Contacts"),
        {"casework.Contact": lambda s: Q(persons__id=s.pk) | Q(household_id__in=s.household_ids)},
    ),
    Section(
        "cases",
        _("Cases and everything in them"),
        {
            "casework.Case": lambda s: Q(pk__in=s.case_ids),
            "casework.CaseShare": _case,
            "casework.CaseEvent": _case,
            "casework.CaseDocument": _case,
            "casework.Referral": _case,
            "casework.HomeVisit": _case,
            "casework.SocialWorkActivity": lambda s: Q(case_id__in=s.case_ids) | Q(participants__id=s.pk),
            "assessments.Assessment": _case,
            "assessments.AssessmentEvent": _case,
            "plans.HelpPlan": _case,
            "plans.Goal": lambda s: Q(plan__case_id__in=s.case_ids),
            "plans.PlanAction": lambda s: Q(goal__plan__case_id__in=s.case_ids),
            "plans.SocialContract": lambda s: Q(case_id__in=s.case_ids) | Q(clients__id=s.pk),
            "plans.Obligation": lambda s: Q(contract__case_id__in=s.case_ids) | Q(contract__clients__id=s.pk),
            "plans.CaseFlag": _case,
            "plans.PlanEvent": _case,
        },
    ),
    Section(
        "benefits",
        _("Benefit applications and decisions"),
        {
            "benefits.Application": lambda s: Q(pk__in=s.application_ids),
            "benefits.ApplicationMember": _person,
            "benefits.IncomeDeclaration": _person,
            "benefits.Decision": lambda s: Q(pk__in=s.decision_ids),
            "benefits.DecisionEvent": lambda s: Q(decision_id__in=s.decision_ids),
            "benefits.EvaluationResult": lambda s: Q(decision_id__in=s.decision_ids),
            "benefits.RecalculationItem": lambda s: Q(decision_id__in=s.decision_ids),
        },
    ),
    Section(
        "payments",
        _("Payments and transfers"),
        {
            "payments.Transfer": _person,
            "payments.Commitment": lambda s: Q(decision_id__in=s.decision_ids) | Q(transfer__person_id=s.pk),
            "payments.PaymentDetailsChange": _person,
            "payments.Payment": _person,
            "payments.StatementEntry": lambda s: Q(payment__person_id=s.pk),
        },
    ),
    Section(
        "family",
        _("Family support and child protection"),
        {
            "family.FamilyEnrolment": lambda s: Q(pk__in=s.enrolment_ids),
            "family.EnrolmentConsent": _person,
            "family.WorkPlan": lambda s: Q(enrolment_id__in=s.enrolment_ids),
            "family.WorkPlanItem": lambda s: Q(plan__enrolment_id__in=s.enrolment_ids),
            "family.AssistantActivity": lambda s: Q(enrolment_id__in=s.enrolment_ids) | Q(family_members__id=s.pk),
            "family.FamilyAssessment": lambda s: Q(enrolment_id__in=s.enrolment_ids),
            "family.ChildInDifficulty": lambda s: Q(pk__in=s.child_record_ids),
            "family.Placement": lambda s: Q(record_id__in=s.child_record_ids),
            "family.Meeting": lambda s: Q(agenda__case_id__in=s.case_ids) | Q(agenda__child_id__in=s.child_record_ids),
            "family.AgendaItem": lambda s: Q(case_id__in=s.case_ids) | Q(child_id__in=s.child_record_ids),
            "family.MeetingDecision": lambda s: (
                Q(item__case_id__in=s.case_ids) | Q(item__child_id__in=s.child_record_ids)
            ),
            "family.FollowUpTask": _case,
            "family.FamilyEvent": _case,
            "family.BlueCard": lambda s: Q(pk__in=s.card_ids),
            "family.BlueCardParty": _person,
            "family.BlueCardMember": lambda s: Q(card_id__in=s.card_ids),
            "family.BlueCardFormRecord": _person,
            "family.BlueCardMeeting": lambda s: Q(card_id__in=s.card_ids),
            "family.BlueCardPlanItem": _person,
            "family.BlueCardMonitoring": lambda s: Q(card_id__in=s.card_ids),
            "family.BlueCardEvent": lambda s: Q(card_id__in=s.card_ids),
        },
    ),
    Section(
        "services",
        _("Social services and deliveries"),
        {
            "services.ServiceDecision": lambda s: Q(pk__in=s.service_decision_ids),
            "services.CopaymentAssessment": lambda s: Q(decision_id__in=s.service_decision_ids),
            "services.WaitingListEntry": lambda s: Q(person_id=s.pk) | Q(case_id__in=s.case_ids),
            "services.Visit": lambda s: Q(decision_id__in=s.service_decision_ids),
            "services.Delivery": lambda s: Q(decision_id__in=s.service_decision_ids),
            "services.MonthlyStatement": _person,
        },
    ),
    Section(
        "outreach",
        _("Outreach attendance"),
        {
            "community.OutreachEvent": lambda s: Q(attendees__person_id=s.pk),
            "community.EventAttendee": _person,
            "community.PotentialRecipient": _person,
        },
    ),
    Section(
        "audit",
        _("Who viewed or changed the record"),
        {
            "accounts.AuditEvent": lambda s: Q(person_id=s.pk) | Q(further_persons__person_id=s.pk),
            "accounts.AuditEventPerson": _person,
            "accounts.ChangeTrailEntry": lambda s: Q(table_name="registry_person", row_id=s.pk),
            "privacy.SubjectAccessRequest": _person,
            # Retention and erasure (decision 0023): the person's erasure requests, the reviews that listed them
            # and their anonymisation.
            "privacy.ErasureRequest": _person,
            "privacy.RetentionItem": _person,
            "privacy.Anonymisation": _person,
        },
    ),
]

# Models that hold no data about a registry person, with the reason (the coverage test reads this).
NOT_PERSONAL: dict[str, str] = {
    "accounts.AuditChainHead": "the end of a centre's audit hash chain (a number and a hash)",
    "accounts.ApiToken": "staff API tokens",
    "privacy.ProcessingActivity": "the centre's register of processing activities (purposes, not persons)",
    "privacy.DataBreach": "the breach log: incidents with approximate numbers of persons, naming no one",
    "privacy.RetentionReview": "a retention review as a whole (the person's listing in it is exported)",
    "accounts.Territory": "the centre's territorial units (places, not persons)",
    "accounts.Centre": "the centre itself",
    "accounts.Team": "staff teams",
    "accounts.User": "staff accounts; who acted on the person's records is named in the audit section",
    "casework.CaseCounter": "the next case number per centre and year",
    "casework.Partner": "partner institutions (organisations)",
    "benefits.DecisionCounter": "the next decision number per centre and year",
    "benefits.ApproverAuthorisation": "staff authorised to approve decisions",
    "benefits.TraceTemplate": "shared shapes of calculation traces, no values of a person",
    "benefits.RecalculationRun": "a batch recalculation run (its items about the person are exported)",
    "payments.Fund": "the centre's funds",
    "payments.FundAllocation": "money allocated to a fund",
    "payments.BenefitFund": "which fund pays which benefit",
    "payments.PaymentRun": "a batch of payments (the person's payments are exported)",
    "payments.BankStatement": "an imported bank statement (the person's entries are exported)",
    "payments.PaymentApprover": "staff authorised to approve payments",
    "family.MeetingMember": "members of the team or commission (staff and partner representatives)",
    "family.BlueCardCounter": "the next Blue Card number per centre and year",
    "services.ServiceOffer": "the centre's offer of services",
    "services.Provider": "service providers (organisations)",
    "services.ProviderCapacity": "a provider's capacity",
    "services.ServiceWorker": "carers and drivers (staff)",
    "services.Roster": "a day's roster of carers (the person's visits are exported)",
    "community.EventPartner": "partners at an outreach event",
    "community.LeafletCount": "leaflets handed out at an event (a count)",
    "community.EventFollowUp": "staff's follow-up tasks of an event",
    "community.Supervision": "staff supervision sessions",
    "community.SupervisionFollowUp": "follow-ups agreed in staff supervision",
    "community.CalendarEntry": "the centre's calendar (trainings, closures)",
    "community.CalendarFeedToken": "a staff member's calendar feed token",
    "reporting.Report": "reports of counts and sums",
    "reporting.ReportVersion": "versions of a report (counts and sums)",
    "reporting.FigureCache": "cached counts and sums",
}

# Whole apps of Django and libraries that hold no data about a registry person.
NOT_PERSONAL_APPS: dict[str, str] = {
    "admin": "the Django admin's log of staff actions",
    "auth": "staff groups and permissions",
    "contenttypes": "the list of models",
    "sessions": "staff sign-in sessions",
    "authtoken": "staff API tokens",
    "axes": "staff sign-in attempts",
    "otp_totp": "staff second-factor devices",
    "otp_static": "staff recovery codes",
    "knox": "staff API tokens",
    "django_celery_beat": "schedules of jobs",
    "django_celery_results": "results of jobs",
}


def finders() -> dict[str, Finder]:
    return {label: finder for section in SECTIONS for label, finder in section.models.items()}


def installed(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def rows_of(model: type[models.Model], subject: Subject, finder: Finder) -> QuerySet:
    ids = model._base_manager.filter(finder(subject)).values("pk").distinct()
    return model._base_manager.filter(pk__in=ids).order_by("pk")


def exported_fields(model: type[models.Model]) -> list[models.Field]:
    left_out = DERIVED_FIELDS | STAFF_FIELDS.get(model._meta.label, frozenset())
    return [f for f in model._meta.concrete_fields if f.name not in left_out]


def plain(value):
    """A JSON value: dates ISO, decimals as strings (never floats), files as their stored name."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if isinstance(value, bytes):
        return value.hex()
    return value


def row_json(obj: models.Model, fields: list[models.Field], many: dict[str, list[int]]) -> dict:
    out = {}
    for f in fields:
        out[f.name] = plain(getattr(obj, f.attname))
    out.update(many)
    return out


def many_to_many_ids(model: type[models.Model], pks: list[int]) -> dict[int, dict[str, list[int]]]:
    """{pk: {m2m field: [ids]}} with one query per many-to-many field."""
    out: dict[int, dict[str, list[int]]] = {pk: {} for pk in pks}
    for f in model._meta.many_to_many:
        for pk in pks:
            out[pk][f.name] = []
        through = f.remote_field.through
        source = f.m2m_field_name()
        target = f.m2m_reverse_field_name()
        for left, right in through._base_manager.filter(**{f"{source}__in": pks}).values_list(source, target):
            out[left][f.name].append(right)
    return out
