"""UI views: the audit log (search, page, CSV export) and the display of audit events shared with history pages."""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.audit import persons_of_events, record_event, record_list_view
from socius.accounts.models import AuditAction, AuditEvent, Centre, Team, User
from socius.accounts.roles import VIEW_AUDIT
from socius.accounts.selectors import list_audit_events_for
from socius.assessments.models import Assessment
from socius.benefits.models import Application, ApproverAuthorisation, Decision
from socius.benefits.models_recalculation import RecalculationRun
from socius.casework.models import (
    Case,
    CaseDocument,
    Contact,
    HomeVisit,
    Partner,
    Referral,
    SocialWorkActivity,
)
from socius.community.models import (
    CalendarEntry,
    CalendarFeedToken,
    OutreachEvent,
    PotentialRecipient,
    Supervision,
    SupervisionFollowUp,
)
from socius.family.models import (
    AgendaItem,
    AssistantActivity,
    BlueCard,
    BlueCardFormRecord,
    BlueCardMeeting,
    BlueCardMonitoring,
    BlueCardPlanItem,
    ChildInDifficulty,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    Placement,
    WorkPlan,
    WorkPlanItem,
)
from socius.payments.models import (
    BankStatement,
    BenefitFund,
    Fund,
    FundAllocation,
    Payment,
    PaymentApprover,
    PaymentDetailsChange,
    PaymentRun,
    Transfer,
)
from socius.plans.models import CaseFlag, HelpPlan, SocialContract
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.privacy.models_retention import ErasureRequest, RetentionReview
from socius.registry.models import Household, Membership, Person
from socius.registry.models_consents import Consent
from socius.registry.selectors import list_persons_for, search_persons_for
from socius.reporting.models import Report, ReportVersion
from socius.services.models import (
    CopaymentAssessment,
    Delivery,
    MonthlyStatement,
    Provider,
    Roster,
    ServiceDecision,
    ServiceOffer,
    ServiceWorker,
    Visit,
    WaitingListEntry,
)
from socius.web.access import requires
from socius.web.forms_audit import CHANNELS, RECORD_TYPES, AuditFilterForm
from socius.web.views._helpers import EMPTY, change_label, describe_changes, paginate

PAGE_SIZE = 50
NAMED_PERSONS = 3  # persons named in a row of the log; the rest are counted
CSV_CHUNK = 2000

_MODELS: dict[str, type[models.Model]] = {
    "person": Person,
    "household": Household,
    "membership": Membership,
    "user": User,
    "team": Team,
    "centre": Centre,
    "contact": Contact,
    "case": Case,
    "home_visit": HomeVisit,
    "social_work_activity": SocialWorkActivity,
    "partner": Partner,
    "referral": Referral,
    "case_document": CaseDocument,
    "assessment": Assessment,
    "help_plan": HelpPlan,
    "social_contract": SocialContract,
    "case_flag": CaseFlag,
    "benefit_application": Application,
    "benefit_decision": Decision,
    "approver_authorisation": ApproverAuthorisation,
    "benefit_recalculation": RecalculationRun,
    "fund": Fund,
    "fund_allocation": FundAllocation,
    "benefit_fund": BenefitFund,
    "transfer": Transfer,
    "payment_approver": PaymentApprover,
    "payment_run": PaymentRun,
    "payment": Payment,
    "payment_details": PaymentDetailsChange,
    "bank_statement": BankStatement,
    # Family support, child protection and the Blue Card (issue 10). The API's reads name some records
    # by their own types (family_consent, family_work_plan, family_activity): views only, no changes.
    "family_enrolment": FamilyEnrolment,
    "enrolment_consent": EnrolmentConsent,
    "family_consent": EnrolmentConsent,
    "work_plan": WorkPlan,
    "family_work_plan": WorkPlan,
    "work_plan_item": WorkPlanItem,
    "assistant_activity": AssistantActivity,
    "family_activity": AssistantActivity,
    "family_assessment": FamilyAssessment,
    "child_in_difficulty": ChildInDifficulty,
    "placement": Placement,
    "meeting": Meeting,
    "agenda_item": AgendaItem,
    "meeting_decision": MeetingDecision,
    "follow_up_task": FollowUpTask,
    "blue_card": BlueCard,
    "blue_card_form": BlueCardFormRecord,
    "blue_card_meeting": BlueCardMeeting,
    "blue_card_plan": BlueCardPlanItem,
    "blue_card_monitoring": BlueCardMonitoring,
    # Social services and community work (issue 11). The lists of a carer's day and of a canteen's day
    # (`carer_day`, `canteen_day`) are no one record: their keys are labelled in _helpers._EXTRA_LABELS.
    "service_offer": ServiceOffer,
    "service_provider": Provider,
    "service_worker": ServiceWorker,
    "service_decision": ServiceDecision,
    "service_copayment": CopaymentAssessment,
    "service_waiting_entry": WaitingListEntry,
    "service_roster": Roster,
    "service_visit": Visit,
    "service_delivery": Delivery,
    "service_statement": MonthlyStatement,
    "service_statements": MonthlyStatement,
    "outreach_event": OutreachEvent,
    "potential_recipient": PotentialRecipient,
    "supervision": Supervision,
    "supervision_follow_up": SupervisionFollowUp,
    "calendar_entry": CalendarEntry,
    "calendar_feed": CalendarFeedToken,
    # Reporting (issue 12). A statutory report's download names its kind and period: labelled in _EXTRA_LABELS.
    "report": Report,
    "report_version": ReportVersion,
    # Privacy registers (issue 13, decision 0024).
    "consent": Consent,
    "processing_activity": ProcessingActivity,
    "data_breach": DataBreach,
    # Retention (issue 13, decision 0023).
    "retention_review": RetentionReview,
    "erasure_request": ErasureRequest,
    # Subject access (issue 13): an export produced or downloaded names its checksum and rows (_EXTRA_LABELS).
    "subject_access_request": SubjectAccessRequest,
}
# Records whose page an audit row links to (the page itself decides what the reader may see).
_PAGES = {
    "person": "web:person_detail",
    "household": "web:household_detail",
    "contact": "web:contact_detail",
    "case": "web:case_detail",
    "partner": "web:partner_edit",
    "assessment": "web:assessment_detail",
    "help_plan": "web:plan_detail",
    "social_contract": "web:contract_detail",
    "family_enrolment": "web:family_enrolment",
    "child_in_difficulty": "web:child_detail",
    "meeting": "web:meeting_detail",
    # The card's page answers 404 to whoever is not in its group (auditors included): the link gives
    # nothing away beyond the card's number, which the row shows anyway. Only the card itself is linked:
    # the events of its forms, meetings, plan and monitoring carry their own ids, not the card's.
    "blue_card": "web:blue_card",
    "service_decision": "web:service_decision",
    "service_statement": "web:service_statement",
    "outreach_event": "web:outreach_event",
    # A supervision's page shows its topics and notes only to who may read them (its participants).
    "supervision": "web:supervision",
    "calendar_entry": "web:calendar_entry",
}


# The Blue Card's events (the card and its parts) are in the log of the centre, for auditors and the
# director, who must learn no more of a procedure than that it exists, who worked on it and whom it names
# (the event's persons, as for any record). Their free text (a measure of the help plan, a closure note,
# who filled in NK-A, what a member searched for) may name anyone: the log says it was written, not what.
_SECRET_TYPES = frozenset(t for t in _MODELS if t.startswith("blue_card"))
TEXT_NOT_SHOWN = gettext_lazy("(text not shown)")
# A supervision's topics and notes (and what was agreed there) are read only by its participants, its
# facilitator and the director (community.permissions.can_read_supervision_notes), never by an auditor.
# The supervision services write that they changed ("…"), never what they say; should a value ever be
# written there, the log still does not show it.
_SECRET_KEYS = {
    "supervision": frozenset({"topics", "notes"}),
    "supervision_follow_up": frozenset({"text"}),
}


def _is_free_text(model, key: str) -> bool:
    if key == "search":
        return True
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.TextField | models.CharField) and not field.choices


def _secret_keys(event: AuditEvent) -> set[str]:
    if event.object_type in _SECRET_KEYS:
        return set(event.changes or {}) & _SECRET_KEYS[event.object_type]
    if event.object_type not in _SECRET_TYPES:
        return set()
    model = _MODELS[event.object_type]
    return {key for key in (event.changes or {}) if _is_free_text(model, key)}


def _hidden(value, empty=None):
    return value if value in (None, "", empty) else str(TEXT_NOT_SHOWN)


def _hide_secret_text(events: list[AuditEvent]) -> None:
    """Replace the values of a Blue Card event's free-text keys (rows described by `describe_changes`)."""
    for e in events:
        keys = _secret_keys(e)
        if not keys:
            continue
        model = _MODELS[e.object_type]
        labels = {str(change_label(model, key)[0] or key) for key in keys}
        e.change_rows = [
            (label, _hidden(before, EMPTY), _hidden(after, EMPTY)) if label in labels else (label, before, after)
            for label, before, after in e.change_rows
        ]


def _csv_changes(event: AuditEvent) -> str:
    if not event.changes:
        return ""
    keys = _secret_keys(event)
    changes = {
        k: ([_hidden(x) for x in v] if isinstance(v, list) else _hidden(v)) if k in keys else v
        for k, v in event.changes.items()
    }
    return json.dumps(changes, ensure_ascii=False, sort_keys=True)


def annotate_events(actor: User, events: list[AuditEvent]) -> list[AuditEvent]:
    """Attach what a page shows beside each event, with a fixed number of queries for any page size:

    `person` (the registry person, or None: accounts stores a plain id, so names are joined here),
    `named_persons` (the first persons the event names, as persons or bare ids), `more_persons` (how
    many more it names), `record_label`, `record_url`, `channel_label`, and `change_rows`
    [(label, before, after)] in words.
    """
    named = persons_of_events(events)
    person_ids = {e.person_id for e in events if e.person_id}
    person_ids |= {p for ids in named.values() for p in ids[:NAMED_PERSONS]}
    persons = (
        list_persons_for(actor).select_related(None).only("id", "first_name", "last_name").in_bulk(person_ids)
        if person_ids
        else {}
    )
    membership_ids = {e.object_id for e in events if e.object_type == "membership" and e.object_id}
    household_of_membership = (
        dict(
            Membership.objects.filter(pk__in=membership_ids, household__centre_id=actor.centre_id).values_list(
                "pk", "household_id"
            )
        )
        if membership_ids
        else {}
    )
    for e in events:
        e.person = persons.get(e.person_id)
        ids = named[e.pk]
        e.named_persons = [persons.get(p, p) for p in ids[:NAMED_PERSONS]]
        e.more_persons = max(len(ids) - NAMED_PERSONS, 0)
        e.record_label = RECORD_TYPES.get(e.object_type, e.object_type)
        e.record_url = _record_url(e, household_of_membership)
        e.channel_label = CHANNELS.get(e.channel, e.channel)
    describe_changes(events, _MODELS)
    _hide_secret_text(events)
    return events


def _record_url(event: AuditEvent, household_of_membership: dict) -> str | None:
    if not event.object_id:
        return None
    if event.object_type in _PAGES:
        return reverse(_PAGES[event.object_type], args=[event.object_id])
    if event.object_type == "membership":
        household_id = household_of_membership.get(event.object_id)
        if household_id is None:
            # A membership deleted as a same-day correction: its event still names the household.
            pair = (event.changes or {}).get("household") or []
            household_id = next((v for v in pair if isinstance(v, int)), None)
        if household_id is not None:
            return reverse("web:household_detail", args=[household_id])
    return None


# --- the audit page --------------------------------------------------------------------------------


@requires(VIEW_AUDIT)
def audit_log(request):
    actor = request.user
    if request.htmx and "lookup" in request.GET:
        return person_lookup(request)
    form = AuditFilterForm(request.GET or None, actor=actor)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = form.selector_filters()
    elif form.is_bound:
        # Invalid filters show their errors over an empty result, never an unfiltered log.
        return render(request, "web/audit_log.html", _context(request, form, None))
    events = list_audit_events_for(actor, **filters)
    if request.GET.get("export") == "csv":
        return _export_csv(request, form, events, filters)
    page = paginate(request, events, PAGE_SIZE)
    page.object_list = annotate_events(actor, list(page.object_list))
    return render(request, "web/audit_log.html", _context(request, form, page))


def _context(request, form, page) -> dict:
    return {"form": form, "page": page, **person_lookup_context(request, form)}


def person_lookup_context(request, form) -> dict:
    """The person filter of the audit page and of the change trail: the chosen person, or the candidates
    for a name typed and submitted without JavaScript (a read of persons, audited as a list)."""
    person_q = request.GET.get("person_q", "").strip()
    person = getattr(form, "person_obj", None)
    lookup_results = search_persons_for(request.user, person_q, limit=10) if person_q and not person else None
    if lookup_results:
        record_list_view(request.user, object_type="person", person_ids=[p.pk for p in lookup_results], query=person_q)
    clear_person = request.GET.copy()
    for key in ("person", "page", "person_q"):
        clear_person.pop(key, None)
    return {
        "person": person,
        "person_q": person_q,
        # Without JavaScript: a name typed in the person box and submitted lists the candidates.
        "lookup_results": lookup_results,
        "clear_person_query": clear_person.urlencode(),
    }


def person_lookup(request):
    query = request.GET.get("person_q", "").strip()
    persons = search_persons_for(request.user, query, limit=10) if len(query) >= 2 else None
    if persons:
        record_list_view(request.user, object_type="person", person_ids=[p.pk for p in persons], query=query)
    return render(request, "web/audit_person_results.html", {"lookup_results": persons, "person_q": query})


# --- CSV export ------------------------------------------------------------------------------------


def _csv_safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @ or a tab."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _export_csv(request, form, events, filters):
    actor = request.user
    # The export is itself audited, with its filters, before any row leaves the server.
    described = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.items() if v}
    export_event = record_event(
        actor,
        AuditAction.EXPORT,
        object_type="audit_log",
        object_id=None,
        centre_id=actor.centre_id,
        person_id=filters.get("person_id"),
        changes={"filters": [None, described], "rows": [None, events.count()]},
    )
    events = events.exclude(pk=export_event.pk)  # the file is the log as it was when asked for
    writer = csv.writer(_Echo())
    header = [
        _("When"),
        _("User"),
        _("Action"),
        _("Record type"),
        _("Record"),
        _("Person ID"),
        _("Person"),
        _("Channel"),
        _("IP address"),
        _("Changes"),
        _("Other persons (IDs)"),
    ]
    # Evaluated now, in the request's language: the rows are written after the view has returned.
    labels = {code: str(label) for code, label in AuditAction.choices}
    record_types = {code: str(label) for code, label in RECORD_TYPES.items()}

    def rows():
        yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8 (names in any script)
        yield writer.writerow(header)
        chunk: list[AuditEvent] = []
        for event in events.iterator(chunk_size=CSV_CHUNK):
            chunk.append(event)
            if len(chunk) >= CSV_CHUNK:
                yield from _csv_lines(writer, actor, chunk, labels, record_types)
                chunk = []
        if chunk:
            yield from _csv_lines(writer, actor, chunk, labels, record_types)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


def _csv_lines(writer, actor, chunk, labels, record_types):
    person_ids = {e.person_id for e in chunk if e.person_id}
    persons = list_persons_for(actor).select_related(None).only("id", "first_name", "last_name")
    names = {p.pk: p.full_name for p in persons.filter(pk__in=person_ids)} if person_ids else {}
    named = persons_of_events(chunk)
    for e in chunk:
        yield writer.writerow(
            [
                _csv_safe(timezone.localtime(e.at).isoformat(timespec="seconds")),
                _csv_safe(e.actor_username),
                _csv_safe(labels.get(e.action, e.action)),
                _csv_safe(record_types.get(e.object_type, e.object_type)),
                _csv_safe(e.object_id),
                _csv_safe(e.person_id),
                _csv_safe(names.get(e.person_id, "")),
                _csv_safe(e.channel),
                _csv_safe(e.ip),
                _csv_safe(_csv_changes(e)),
                " ".join(str(p) for p in named[e.pk] if p != e.person_id),
            ]
        )
