"""Indicators of casework for the monthly activity report (issue 12): citizens heard, home visits and the
beneficiaries visited, cases opened and closed by circumstance, social contracts signed and breached, referrals
sent and answered.

The rules (each indicator's `definition` says its own in words):
- an event counts where it happened: the locality kept on the event (`Contact.territory`, `HomeVisit.territory`),
  and for cases, contracts and referrals the locality where the case was opened (`Case.territory`), never where
  the family lives today; a record with no locality counts only in the whole-centre report (NO_LOCALITY);
- days are the centre's days: a contact's moment is placed in the month by the centre's civil time zone
  (Europe/Warsaw, Europe/Chisinau, Europe/Vilnius: `community.selectors_calendar.centre_time_zone`); visits,
  cases, contracts and referrals carry dates, compared as they are;
- a record counts in its centre's report only (every query starts from the scope's centre);
- a case with two circumstances counts under each, once in the total.

Reads only: the drill-down lists go through the owning apps' read rules (`visible`), and the persons they name
are the ones those apps' own lists audit.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from django.db.models import (
    Case as DbCase,
)
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.casework import statutory
from socius.casework.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    Contact,
    ContactChannel,
    HomeVisit,
    Referral,
    ReferralDirection,
    VisitStatus,
)
from socius.casework.permissions import can_view_cases
from socius.casework.selectors import (
    content_readable_q,
    list_contacts_for,
    persons_shown_by_cases,
    readable_case_ids,
)
from socius.casework.selectors_referrals import referrals_readable_by
from socius.casework.statuses import CaseStatus
from socius.community.selectors_calendar import centre_time_zone
from socius.plans.models import SocialContract
from socius.plans.selectors_read import contracts_readable_by
from socius.plans.statuses import ContractStatus
from socius.registry.models import Membership, Relationship
from socius.reporting.indicators import (
    NO_LOCALITY,
    Column,
    Figure,
    Indicator,
    Part,
    Scope,
    Unit,
    count_by_group,
    register,
)
from socius.reporting.statuses import ReportKind

KINDS = frozenset({ReportKind.MONTHLY_ACTIVITY})

# --- shared pieces --------------------------------------------------------------------------------------------


def local_bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    """The moments the scope's first day starts and the day after its last starts, in the centre's civil time
    (a contact at 23:59 on 31 October in Chișinău is October's, one at 00:00 on 1 November is November's)."""
    zone = centre_time_zone(scope.centre)
    return (
        dt.datetime.combine(scope.start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(scope.end, dt.time.min, tzinfo=zone),
    )


def _visible_or_none(selector, actor: User, qs: QuerySet) -> QuerySet:
    """`selector(actor, qs)`, or nothing for a reader without the right to read casework at all."""
    if not can_view_cases(actor):
        return qs.none()
    return selector(actor, qs)


def _link(name: str, pk, anchor: str = "") -> str | None:
    if pk is None:
        return None
    try:
        return reverse(f"web:{name}", args=[pk]) + anchor
    except NoReverseMatch:  # the web layer is not loaded (a task, a command)
        return None


def _day(value: dt.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _locality(territory) -> str:
    return territory.name if territory is not None else gettext("Locality not recorded")


def _client_annotations(case_path: str) -> dict:
    """The name of a case's client in the same query as the records (no query per row): the person of a
    single-person case, or the household's current head (else its longest-standing current member), as
    `registry.selectors.attach_household_heads` names a household."""
    prefix = f"{case_path}__" if case_path else ""
    head = (
        Membership.objects.filter(household_id=OuterRef(f"{prefix}household_id"), valid_until__isnull=True)
        .annotate(
            _not_head=DbCase(
                When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("_not_head", "valid_from", "id")
        .annotate(_name=Concat("person__first_name", Value(" "), "person__last_name", output_field=CharField()))
        .values("_name")[:1]
    )
    return {
        "_client_person": Concat(
            f"{prefix}person__first_name", Value(" "), f"{prefix}person__last_name", output_field=CharField()
        ),
        "_client_head": Subquery(head, output_field=CharField()),
    }


def _client_name(record) -> str:
    if getattr(record, "_client_person", None) and record._client_person.strip():
        return record._client_person.strip()
    head = getattr(record, "_client_head", None)
    if head:
        return gettext("%(name)s (household)") % {"name": head.strip()}
    case = record if isinstance(record, Case) else getattr(record, "case", None)
    household_id = getattr(case, "household_id", None)
    return f"{gettext('Household')} {household_id}" if household_id else "—"


def _persons_of_cases(cases: Iterable[Case]) -> list[int]:
    """The persons a list of a case's records names: the case's client, or every person ever a member of
    the household (as the case's own reads are audited, `casework.selectors.audit_case_reads`)."""
    shown = persons_shown_by_cases(cases)
    return sorted({p for persons in shown.values() for p in persons if p})


def _count_parts(
    qs: QuerySet, path: str, scope: Scope, field: str, parts: list[tuple[str, str]], *, keep_empty: bool
) -> tuple[Part, ...]:
    """Parts of a COUNT figure by the value of `field` (each record has one): one grouped query."""
    of = scope.group_lookup()
    qs = qs.filter(scope.in_scope(path)).order_by()
    found: dict[str, dict[int, int]] = {}
    for territory_id, value, n in qs.values_list(path, field).annotate(n=Count("pk")).values_list(path, field, "n"):
        group = of(territory_id)
        if group is not None:
            cells = found.setdefault(value, {})
            cells[group] = cells.get(group, 0) + n
    known = dict(parts)
    ordered = [code for code, _label in parts] + sorted(code for code in found if code not in known)
    return tuple(
        Part(code, str(known.get(code, code)), sum(found.get(code, {}).values()), found.get(code, {}))
        for code in ordered
        if keep_empty or code in found
    )


# --- citizens heard (contacts) --------------------------------------------------------------------------------


def _contacts(scope: Scope) -> QuerySet[Contact]:
    first, after = local_bounds(scope)
    return Contact.objects.filter(centre_id=scope.centre.pk, occurred_at__gte=first, occurred_at__lt=after)


def _channels() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in ContactChannel.choices]


def contacts_compute(scope: Scope) -> Figure:
    qs = _contacts(scope)
    figure = count_by_group(qs, "territory_id", scope)
    parts = _count_parts(qs, "territory_id", scope, "channel", _channels(), keep_empty=True)
    return Figure(figure.total, figure.by_group, parts)


def contacts_records(scope: Scope, group: int | None, part: str | None) -> QuerySet[Contact]:
    qs = _contacts(scope).filter(scope.in_group("territory_id", group))
    if part is not None:
        qs = qs.filter(channel=part)
    return (
        qs.select_related("centre", "household", "handled_by", "territory")
        .prefetch_related("persons")
        .order_by("occurred_at", "pk")
    )


def contacts_visible(actor: User, qs: QuerySet[Contact]) -> QuerySet[Contact]:
    # Every member of staff who reads casework sees the centre's register of contacts (its summary columns).
    return _visible_or_none(lambda a, q: q.filter(pk__in=list_contacts_for(a).values("pk")), actor, qs)


def _contact_moment(contact: Contact) -> str:
    local = contact.occurred_at.astimezone(centre_time_zone(contact.centre))
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def _contact_persons(contact: Contact) -> str:
    names = [p.full_name for p in contact.persons.all()]
    return ", ".join(names) if names else gettext("Anonymous contact")


def contacts_persons_of(rows: list) -> list[int]:
    return sorted({p.pk for contact in rows for p in contact.persons.all()})


CONTACTS = Indicator(
    code="contacts",
    section="casework",
    label=_("Citizens heard"),
    unit=Unit.COUNT,
    definition=_(
        "Contacts with citizens recorded in the month (at the office, by phone, at home, during outreach, by "
        "e-mail or letter), anonymous contacts included; a contact counts once however many persons took part. "
        "The month runs from midnight of its first day to midnight after its last day, in the centre's local "
        "time. A contact counts in the locality recorded on it (where it happened), also when the family has "
        "moved since; a contact with no locality counts only in the whole-centre report."
    ),
    compute=contacts_compute,
    records=contacts_records,
    visible=contacts_visible,
    columns=(
        Column(_("Date and time"), _contact_moment, lambda c: _link("contact_detail", c.pk)),
        Column(_("Channel"), lambda c: c.get_channel_display()),
        Column(_("Persons"), _contact_persons),
        Column(_("Locality"), lambda c: _locality(c.territory)),
        Column(_("Handled by"), lambda c: c.handled_by.get_full_name() or c.handled_by.username),
    ),
    persons_of=contacts_persons_of,
    audit_object_type="contact",
    kinds=KINDS,
    order=10,
    stamp_fields=("pk", "updated_at", "territory_id"),
)


# --- home visits and the beneficiaries visited ----------------------------------------------------------------


def _visits_done(scope: Scope) -> QuerySet[HomeVisit]:
    """Visits done in the period (a cancelled or still planned visit is not a visit made)."""
    return HomeVisit.objects.filter(
        case__centre_id=scope.centre.pk, status=VisitStatus.DONE, done_on__gte=scope.start, done_on__lt=scope.end
    )


def _with_visit_columns(qs: QuerySet[HomeVisit]) -> QuerySet[HomeVisit]:
    return (
        qs.select_related("case", "territory")
        .annotate(**_client_annotations("case"))
        .prefetch_related("visitors")
        .order_by("done_on", "pk")
    )


def visits_compute(scope: Scope) -> Figure:
    return count_by_group(_visits_done(scope), "territory_id", scope)


def visits_records(scope: Scope, group: int | None, part: str | None) -> QuerySet[HomeVisit]:
    if part is not None:
        return HomeVisit.objects.none()
    return _with_visit_columns(_visits_done(scope).filter(scope.in_group("territory_id", group)))


def visits_visible(actor: User, qs: QuerySet[HomeVisit]) -> QuerySet[HomeVisit]:
    # A visit is case content: the visits of cases whose content the reader may read (casework's rule).
    return _visible_or_none(lambda a, q: q.filter(case_id__in=readable_case_ids(a)), actor, qs)


def visits_persons_of(rows: list) -> list[int]:
    return _persons_of_cases(v.case for v in rows)


def _visitors(visit: HomeVisit) -> str:
    return ", ".join(u.get_full_name() or u.username for u in visit.visitors.all()) or "—"


VISIT_COLUMNS = (
    Column(_("Done on"), lambda v: _day(v.done_on), lambda v: _link("case_detail", v.case_id, "#visits")),
    Column(_("Case"), lambda v: v.case.reference, lambda v: _link("case_detail", v.case_id)),
    Column(_("Client"), _client_name),
    Column(_("Locality"), lambda v: _locality(v.territory)),
    Column(capfirst(_("visitors")), _visitors),
)

HOME_VISITS = Indicator(
    code="home_visits",
    section="casework",
    label=_("Home visits made"),
    unit=Unit.COUNT,
    definition=_(
        "Home visits recorded as done with a day in the month; planned and cancelled visits do not count. A visit "
        "counts once however many staff went. It counts in the locality recorded on the visit (where the family "
        "lived when it was made), also when the family has moved since; a visit with no locality counts only in "
        "the whole-centre report."
    ),
    compute=visits_compute,
    records=visits_records,
    visible=visits_visible,
    columns=VISIT_COLUMNS,
    persons_of=visits_persons_of,
    audit_object_type="home_visit",
    kinds=KINDS,
    order=20,
    stamp_fields=("pk", "updated_at", "territory_id"),
)


def _beneficiary_key() -> DbCase:
    """One number per beneficiary: the household of a household's case (2·id), or the person of a single
    person's case (2·id + 1), so that households and persons never collide."""
    return DbCase(
        When(case__household_id__isnull=False, then=F("case__household_id") * 2),
        default=F("case__person_id") * 2 + 1,
        output_field=IntegerField(),
    )


def beneficiaries_compute(scope: Scope) -> Figure:
    qs = _visits_done(scope).annotate(_beneficiary=_beneficiary_key())
    return count_by_group(qs, "territory_id", scope, distinct="_beneficiary")


def beneficiaries_records(scope: Scope, group: int | None, part: str | None) -> QuerySet[HomeVisit]:
    """One visit per beneficiary (the first one made in the group, or in the scope), so the list has as many
    rows as the figure counts."""
    if part is not None:
        return HomeVisit.objects.none()
    visits = _visits_done(scope).filter(scope.in_group("territory_id", group)).annotate(_beneficiary=_beneficiary_key())
    first = visits.order_by().values("_beneficiary").annotate(_first=Min("pk")).values("_first")
    return _with_visit_columns(HomeVisit.objects.filter(pk__in=first))


BENEFICIARIES_VISITED = Indicator(
    code="beneficiaries_visited",
    section="casework",
    label=_("Beneficiaries visited at home"),
    unit=Unit.HOUSEHOLDS,
    definition=_(
        "Distinct beneficiaries with at least one home visit done in the month. A beneficiary is the household of "
        "a household's case, or the person of a single person's case; a household visited several times, or "
        "under two cases, counts once. A beneficiary visited in two localities in the month (the family moved) "
        "counts once in each of them and once in the total. The list shows each beneficiary's first visit of the "
        "month."
    ),
    compute=beneficiaries_compute,
    records=beneficiaries_records,
    visible=visits_visible,
    columns=(
        Column(_("Client"), _client_name, lambda v: _link("case_detail", v.case_id)),
        Column(_("Case"), lambda v: v.case.reference, lambda v: _link("case_detail", v.case_id)),
        Column(
            _("First visit in the month"),
            lambda v: _day(v.done_on),
            lambda v: _link("case_detail", v.case_id, "#visits"),
        ),
        Column(_("Locality"), lambda v: _locality(v.territory)),
    ),
    persons_of=visits_persons_of,
    audit_object_type="home_visit",
    kinds=KINDS,
    order=30,
    stamp_fields=("pk", "updated_at", "territory_id"),
)


# --- cases opened and closed, by circumstance -----------------------------------------------------------------


def _circumstance_list(scope: Scope) -> list[tuple[str, str]]:
    """The pack's qualifying circumstances in force on the period's last day, labelled in the reader's language,
    then those in force on its first day that had lapsed by the end."""
    last_day = scope.end - dt.timedelta(days=1)
    listed: dict[str, str] = {}
    for day in (last_day, scope.start):
        for item in statutory.circumstances(scope.centre.jurisdiction, day):
            listed.setdefault(item.code, item.label)
    return list(listed.items())


def _cases_figure(qs: QuerySet[Case], scope: Scope) -> Figure:
    """Cases per group and in total, and per circumstance (a case under each of its circumstances, once in
    the total): the month's cases read once (hundreds, a few thousand for a district)."""
    of = scope.group_lookup()
    qs = qs.filter(scope.in_scope("territory_id"))
    by_group: dict[int, int] = {}
    by_code: dict[str, dict[int, int]] = {}
    for territory_id, codes in qs.values_list("territory_id", "circumstances"):
        group = of(territory_id)
        if group is None:
            continue
        by_group[group] = by_group.get(group, 0) + 1
        for code in dict.fromkeys(codes or ()):
            counts = by_code.setdefault(code, {})
            counts[group] = counts.get(group, 0) + 1
    known = _circumstance_list(scope)
    labels = dict(known)
    ordered = [code for code, _label in known if code in by_code] + sorted(c for c in by_code if c not in labels)
    parts = tuple(Part(code, labels.get(code, code), sum(by_code[code].values()), by_code[code]) for code in ordered)
    return Figure(sum(by_group.values()), by_group, parts)


def _cases_records(qs: QuerySet[Case], scope: Scope, group: int | None, part: str | None) -> QuerySet[Case]:
    qs = qs.filter(scope.in_group("territory_id", group))
    if part is not None:
        # JSON containment differs between databases: the month's cases are read once and filtered here.
        ids = [pk for pk, codes in qs.values_list("pk", "circumstances") if part in (codes or ())]
        qs = qs.filter(pk__in=ids)
    return (
        Case.objects.filter(pk__in=qs.values("pk"))
        .select_related("centre", "territory", "assigned_worker")
        .annotate(**_client_annotations(""))
        .order_by("opened_on", "pk")
    )


def cases_visible(actor: User, qs: QuerySet[Case]) -> QuerySet[Case]:
    # Listed by circumstance, a case shows its content: only the cases whose content the reader may read.
    return _visible_or_none(lambda a, q: q.filter(content_readable_q(a)), actor, qs)


def cases_persons_of(rows: list) -> list[int]:
    return _persons_of_cases(rows)


@functools.lru_cache(maxsize=64)
def _circumstance_labels(jurisdiction: str, day: dt.date, language: str | None) -> dict[str, str]:
    return {item.code: item.label for item in statutory.circumstances(jurisdiction, day, language)}


def _case_circumstances(case: Case) -> str:
    labels = _circumstance_labels(case.centre.jurisdiction, case.opened_on, get_language())
    return ", ".join(labels.get(code, code) for code in case.circumstances or ()) or "—"


def _cases_opened(scope: Scope) -> QuerySet[Case]:
    return Case.objects.filter(centre_id=scope.centre.pk, opened_on__gte=scope.start, opened_on__lt=scope.end)


def _reopened_after_closing_in(scope: Scope) -> list[int]:
    """Cases closed in the period and reopened since: the case row no longer says so, its timeline does (the
    reopening keeps `previous_closed_on`). A reopening comes after the closure it undoes, so only the
    centre's reopenings recorded from the period's start on are read (few)."""
    first, _after = local_bounds(scope)
    found = []
    events = CaseEvent.objects.filter(
        case__centre_id=scope.centre.pk,
        kind=CaseEventKind.STATUS_CHANGED,
        at__gte=first - dt.timedelta(days=1),
        data__from=CaseStatus.CLOSED,
    ).values_list("case_id", "data")
    for case_id, data in events:
        try:
            closed_on = dt.date.fromisoformat((data or {}).get("previous_closed_on") or "")
        except (TypeError, ValueError):
            continue
        if scope.start <= closed_on < scope.end:
            found.append(case_id)
    return found


def _cases_closed(scope: Scope) -> QuerySet[Case]:
    in_period = Q(closed_on__gte=scope.start, closed_on__lt=scope.end)
    reopened = _reopened_after_closing_in(scope)
    return Case.objects.filter(Q(centre_id=scope.centre.pk) & (in_period | Q(pk__in=reopened)))


CASE_COLUMNS_START = (Column(_("Case"), lambda c: c.reference, lambda c: _link("case_detail", c.pk)),)
CASE_COLUMNS_END = (
    Column(_("Client"), _client_name),
    Column(_("Qualifying circumstances"), _case_circumstances),
    Column(_("Locality"), lambda c: _locality(c.territory)),
)

CASES_OPENED = Indicator(
    code="cases_opened",
    section="cases",
    label=_("Cases opened"),
    unit=Unit.COUNT,
    definition=_(
        "Cases opened with an opening day in the month, whatever their status now. Each case counts once in the "
        "total, and under each of its qualifying circumstances in the breakdown, so the breakdown can add up to "
        "more than the total. A case counts in the locality where it was opened; a case with no locality counts "
        "only in the whole-centre report."
    ),
    compute=lambda scope: _cases_figure(_cases_opened(scope), scope),
    records=lambda scope, group, part: _cases_records(_cases_opened(scope), scope, group, part),
    visible=cases_visible,
    columns=(*CASE_COLUMNS_START, Column(_("Opened on"), lambda c: _day(c.opened_on)), *CASE_COLUMNS_END),
    persons_of=cases_persons_of,
    audit_object_type="case",
    kinds=KINDS,
    order=10,
    stamp_fields=("pk", "updated_at", "territory_id"),
)


def _closed_on_shown(case: Case) -> str:
    if case.closed_on is not None:
        return _day(case.closed_on)
    return gettext("Closed in the period, reopened since")


CASES_CLOSED = Indicator(
    code="cases_closed",
    section="cases",
    label=_("Cases closed"),
    unit=Unit.COUNT,
    definition=_(
        "Cases closed with a closing day in the month, including cases reopened since (the case's timeline keeps "
        "the closure); a case closed twice in the month counts once. Each case counts once in the total, and "
        "under each of its qualifying circumstances in the breakdown. A case counts in the locality where it was "
        "opened; a case with no locality counts only in the whole-centre report."
    ),
    compute=lambda scope: _cases_figure(_cases_closed(scope), scope),
    records=lambda scope, group, part: _cases_records(_cases_closed(scope), scope, group, part),
    visible=cases_visible,
    columns=(*CASE_COLUMNS_START, Column(_("Closed on"), _closed_on_shown), *CASE_COLUMNS_END),
    persons_of=cases_persons_of,
    audit_object_type="case",
    kinds=KINDS,
    order=20,
    stamp_fields=("pk", "updated_at", "territory_id"),
)


# --- social contracts -----------------------------------------------------------------------------------------


def _contracts_records(qs: QuerySet[SocialContract], scope: Scope, group: int | None) -> QuerySet[SocialContract]:
    return (
        qs.filter(scope.in_group("case__territory_id", group))
        .select_related("case", "case__territory")
        .annotate(**_client_annotations("case"))
        .prefetch_related("clients")
        .order_by("pk")
    )


def _contracts_signed(scope: Scope) -> QuerySet[SocialContract]:
    return SocialContract.objects.filter(
        case__centre_id=scope.centre.pk, signed_on__gte=scope.start, signed_on__lt=scope.end
    )


def _contracts_breached(scope: Scope) -> QuerySet[SocialContract]:
    return SocialContract.objects.filter(
        case__centre_id=scope.centre.pk,
        status=ContractStatus.BREACHED,
        ended_on__gte=scope.start,
        ended_on__lt=scope.end,
    )


def contracts_visible(actor: User, qs: QuerySet[SocialContract]) -> QuerySet[SocialContract]:
    # A contract is case content (plans' rule: the contracts of cases whose content the reader may read).
    return _visible_or_none(lambda a, q: q.filter(pk__in=contracts_readable_by(a).values("pk")), actor, qs)


def contracts_persons_of(rows: list) -> list[int]:
    clients = {p.pk for contract in rows for p in contract.clients.all()}
    return sorted(clients | set(_persons_of_cases(c.case for c in rows)))


def _contract_clients(contract: SocialContract) -> str:
    return ", ".join(p.full_name for p in contract.clients.all()) or _client_name(contract)


def _contract_columns(day_label, day_of) -> tuple[Column, ...]:
    return (
        Column(day_label, lambda c: _day(day_of(c)), lambda c: _link("contract_detail", c.pk)),
        Column(_("Case"), lambda c: c.case.reference, lambda c: _link("case_detail", c.case_id)),
        Column(_("Client"), _contract_clients),
        Column(_("Locality"), lambda c: _locality(c.case.territory)),
    )


CONTRACTS_SIGNED = Indicator(
    code="contracts_signed",
    section="cases",
    label=_("Social contracts signed"),
    unit=Unit.COUNT,
    definition=_(
        "Social contracts with a signing day in the month, whatever has become of them since (a contract "
        "refused before signing does not count). A contract counts in the locality where its case was opened; "
        "with no locality it counts only in the whole-centre report."
    ),
    compute=lambda scope: count_by_group(_contracts_signed(scope), "case__territory_id", scope),
    records=lambda scope, group, part: (
        _contracts_records(_contracts_signed(scope), scope, group) if part is None else SocialContract.objects.none()
    ),
    visible=contracts_visible,
    columns=_contract_columns(_("Signed on"), lambda c: c.signed_on),
    persons_of=contracts_persons_of,
    audit_object_type="social_contract",
    kinds=KINDS,
    order=30,
    stamp_fields=("pk", "status", "signed_on", "ended_on", "case__territory_id"),
)

CONTRACTS_BREACHED = Indicator(
    code="contracts_breached",
    section="cases",
    label=_("Social contracts breached"),
    unit=Unit.COUNT,
    definition=_(
        "Social contracts ended as breached by the client with the end day in the month (terminated or fulfilled "
        "contracts do not count). A contract counts in the locality where its case was opened; with no locality "
        "it counts only in the whole-centre report."
    ),
    compute=lambda scope: count_by_group(_contracts_breached(scope), "case__territory_id", scope),
    records=lambda scope, group, part: (
        _contracts_records(_contracts_breached(scope), scope, group) if part is None else SocialContract.objects.none()
    ),
    visible=contracts_visible,
    columns=_contract_columns(_("Ended on"), lambda c: c.ended_on),
    persons_of=contracts_persons_of,
    audit_object_type="social_contract",
    kinds=KINDS,
    order=40,
    stamp_fields=("pk", "status", "signed_on", "ended_on", "case__territory_id"),
)


# --- referrals ------------------------------------------------------------------------------------------------


def _referrals(scope: Scope) -> QuerySet[Referral]:
    return Referral.objects.filter(centre_id=scope.centre.pk, direction=ReferralDirection.OUTGOING)


def _referrals_sent(scope: Scope) -> QuerySet[Referral]:
    return _referrals(scope).filter(sent_on__gte=scope.start, sent_on__lt=scope.end)


def _referrals_answered(scope: Scope) -> QuerySet[Referral]:
    return _referrals(scope).filter(answered_on__gte=scope.start, answered_on__lt=scope.end)


def _referrals_records(qs: QuerySet[Referral], scope: Scope, group: int | None) -> QuerySet[Referral]:
    return (
        qs.filter(scope.in_group("case__territory_id", group))
        .select_related("case", "case__territory", "partner")
        .annotate(**_client_annotations("case"))
        .order_by("sent_on", "pk")
    )


def referrals_visible(actor: User, qs: QuerySet[Referral]) -> QuerySet[Referral]:
    # A referral is case content (casework's rule for the list of referrals).
    return _visible_or_none(lambda a, q: q.filter(pk__in=referrals_readable_by(a).values("pk")), actor, qs)


def referrals_persons_of(rows: list) -> list[int]:
    return _persons_of_cases(r.case for r in rows)


REFERRAL_COLUMNS = (
    Column(_("Sent on"), lambda r: _day(r.sent_on), lambda r: _link("case_detail", r.case_id, "#referrals")),
    Column(_("Answered on"), lambda r: _day(r.answered_on)),
    Column(_("Partner institution"), lambda r: r.partner.name),
    Column(_("Case"), lambda r: r.case.reference, lambda r: _link("case_detail", r.case_id)),
    Column(_("Client"), _client_name),
    Column(_("Locality"), lambda r: _locality(r.case.territory)),
)

REFERRALS_SENT = Indicator(
    code="referrals_sent",
    section="cases",
    label=_("Referrals sent"),
    unit=Unit.COUNT,
    definition=_(
        "Referrals sent by the centre to partner institutions with a sending day in the month (referrals received "
        "from partners do not count). A referral counts in the locality where its case was opened; with no "
        "locality it counts only in the whole-centre report."
    ),
    compute=lambda scope: count_by_group(_referrals_sent(scope), "case__territory_id", scope),
    records=lambda scope, group, part: (
        _referrals_records(_referrals_sent(scope), scope, group) if part is None else Referral.objects.none()
    ),
    visible=referrals_visible,
    columns=REFERRAL_COLUMNS,
    persons_of=referrals_persons_of,
    audit_object_type="referral",
    kinds=KINDS,
    order=50,
    stamp_fields=("pk", "updated_at", "case__territory_id"),
)

REFERRALS_ANSWERED = Indicator(
    code="referrals_answered",
    section="cases",
    label=_("Referrals answered"),
    unit=Unit.COUNT,
    definition=_(
        "Referrals sent by the centre that the partner answered with an answer day in the month, whenever they "
        "were sent (a referral closed without an answer does not count). A referral counts in the locality where "
        "its case was opened; with no locality it counts only in the whole-centre report."
    ),
    compute=lambda scope: count_by_group(_referrals_answered(scope), "case__territory_id", scope),
    records=lambda scope, group, part: (
        _referrals_records(_referrals_answered(scope), scope, group) if part is None else Referral.objects.none()
    ),
    visible=referrals_visible,
    columns=REFERRAL_COLUMNS,
    persons_of=referrals_persons_of,
    audit_object_type="referral",
    kinds=KINDS,
    order=60,
    stamp_fields=("pk", "updated_at", "case__territory_id"),
)

INDICATORS = (
    CONTACTS,
    HOME_VISITS,
    BENEFICIARIES_VISITED,
    CASES_OPENED,
    CASES_CLOSED,
    CONTRACTS_SIGNED,
    CONTRACTS_BREACHED,
    REFERRALS_SENT,
    REFERRALS_ANSWERED,
)

register(*INDICATORS)

__all__ = ["INDICATORS", "NO_LOCALITY", "local_bounds"]
