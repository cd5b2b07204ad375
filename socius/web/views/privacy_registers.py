"""UI views of consents (a section of the person's page), the register of processing activities and the breach
log, and the privacy page the data protection officer starts from (decision 0024)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_event, record_view
from socius.accounts.models import AuditAction
from socius.accounts.roles import (
    APPROVE_RETENTION,
    EDIT_REGISTRY,
    KEEP_PRIVACY_REGISTERS,
    VIEW_PRIVACY_REGISTERS,
    VIEW_REGISTRY,
)
from socius.common.errors import Conflict, ValidationFailed
from socius.privacy import services_registers as services
from socius.privacy.consents import record_consent, withdraw_person_consent
from socius.privacy.selectors_registers import (
    authority_for,
    get_breach_for,
    get_processing_activity_for,
    list_breaches_for,
    list_processing_activities_for,
)
from socius.registry.selectors import get_person_for
from socius.registry.selectors_consents import consents_of_person, get_consent_for
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_response
from socius.web.forms_privacy_registers import BreachForm, ConsentForm, ConsentWithdrawForm, ProcessingActivityForm
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views._sections import Section, SectionedPage

# --- consents: a section of the person's page -----------------------------------------------------------------


def build_consents(request, person, forms_: dict) -> dict:
    actor = request.user
    consents = consents_of_person(actor, person.pk)
    # Showing a person's consents shows their data: audited under the person.
    record_view(actor, object_type="consent", object_id=None, centre_id=actor.centre_id, person_id=person.pk)
    may_edit = actor.can(EDIT_REGISTRY)
    today = timezone.localdate()
    for consent in consents:
        consent.withdraw_form = (
            forms_.get(f"withdraw-{consent.pk}")
            or ConsentWithdrawForm(initial={"withdrawn_on": today}, auto_id=f"withdraw{consent.pk}_%s")
            if may_edit and consent.withdrawn_on is None
            else None
        )
    return {
        "person": person,
        "consents": consents,
        "consent_form": (forms_.get("consent") or ConsentForm(initial={"given_on": today}, auto_id="consent_%s"))
        if may_edit
        else None,
    }


class PersonConsentsPage(SectionedPage):
    """The person's consents: a section of the person's page (loaded when revealed), and a page of its own
    without JavaScript."""

    url_name = "web:person_consents"
    lazy = False
    sections = {
        "consents": Section("consents", gettext_lazy("Consents"), "web/privacy/consents_section.html", build_consents)
    }

    def subject(self, request, pk):
        return get_person_for(request.user, pk)

    def render_page(self, request, pk, *, open_=(), forms_=None, refusals=None, status: int = 200):
        person = self.subject(request, pk)
        refusals = refusals or {}
        html = self.section_html(request, person, "consents", forms_=forms_, refusal=refusals.get("consents"))
        return render(
            request, "web/privacy/person_consents.html", {"person": person, "section_html": html}, status=status
        )


CONSENTS_PAGE = PersonConsentsPage()


def person_consents_lazy(person) -> dict:
    """What the person's page needs to load the section when it comes into view."""
    return {
        "name": "consents",
        "title": CONSENTS_PAGE.sections["consents"].title,
        "url": reverse("web:person_consents_section", args=[person.pk]),
        "open_url": reverse("web:person_consents", args=[person.pk]),
    }


@requires(VIEW_REGISTRY)
@domain_404
def person_consents(request, pk):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return CONSENTS_PAGE.render_page(request, pk)


@requires(VIEW_REGISTRY)
@domain_404
def person_consents_section(request, pk):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return CONSENTS_PAGE.section_view(request, pk, "consents")


@requires(EDIT_REGISTRY)
@domain_404
@require_POST
def person_consent_new(request, pk):
    person = get_person_for(request.user, pk)
    form = ConsentForm(request.POST, auto_id="consent_%s")
    return CONSENTS_PAGE.run_action(
        request,
        person.pk,
        "consents",
        form=form,
        key="consent",
        write=lambda d: record_consent(
            request.user, person, purpose=d["purpose"], given_on=d["given_on"], method=d["method"], note=d["note"]
        ),
        done=_("The consent is recorded."),
        failed=_("The consent was not recorded."),
    )


@requires(EDIT_REGISTRY)
@domain_404
@require_POST
def person_consent_withdraw(request, pk):
    """POST of a consent's withdrawal (`pk`: the consent), answered with its person's consents section."""
    consent = get_consent_for(request.user, pk)
    form = ConsentWithdrawForm(request.POST, auto_id=f"withdraw{consent.pk}_%s")
    return CONSENTS_PAGE.run_action(
        request,
        consent.person_id,
        "consents",
        form=form,
        key=f"withdraw-{consent.pk}",
        write=lambda d: withdraw_person_consent(request.user, consent, withdrawn_on=d["withdrawn_on"], note=d["note"]),
        done=_("The withdrawal is recorded."),
        failed=_("The withdrawal was not recorded."),
    )


# --- the DPO's page ------------------------------------------------------------------------------------------


@requires(VIEW_PRIVACY_REGISTERS)
def privacy_home(request):
    actor = request.user
    breaches = list(list_breaches_for(actor)[:10])
    now = timezone.now()
    return render(
        request,
        "web/privacy/home.html",
        {
            "activities_count": list_processing_activities_for(actor).filter(is_active=True).count(),
            "breaches": breaches,
            "overdue": [
                b
                for b in breaches
                if b.notified_at is None and not b.not_notified_reason and b.notification_due_at < now
            ],
            "authority": authority_for(actor, timezone.localdate()),
            "may_keep": actor.can(KEEP_PRIVACY_REGISTERS),
            "subject_access_url": _optional_url("web:subject_access_list"),
            "retention_url": _optional_url("web:retention_reviews") if actor.can(APPROVE_RETENTION) else "",
        },
    )


def _optional_url(name: str) -> str:
    """The page of another privacy stream, when it is installed (subject access, retention)."""
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# --- the register of processing activities --------------------------------------------------------------------

ACTIVITY_COLUMNS = (
    ExportColumn(gettext_lazy("Processing activity"), lambda a: a.name),
    ExportColumn(gettext_lazy("Purposes of the processing"), lambda a: a.purpose),
    ExportColumn(gettext_lazy("Legal basis"), lambda a: a.legal_basis),
    ExportColumn(gettext_lazy("Categories of data subjects"), lambda a: a.data_subjects),
    ExportColumn(gettext_lazy("Categories of personal data"), lambda a: a.data_categories),
    ExportColumn(gettext_lazy("Categories of recipients"), lambda a: a.recipients),
    ExportColumn(gettext_lazy("Transfers to third countries"), lambda a: a.transfers),
    ExportColumn(gettext_lazy("Time limits for erasure"), lambda a: a.retention),
    ExportColumn(gettext_lazy("Technical and organisational security measures"), lambda a: a.security_measures),
    ExportColumn(gettext_lazy("Carried out"), lambda a: _("yes") if a.is_active else _("no")),
)


@requires(VIEW_PRIVACY_REGISTERS)
def processing_register(request):
    actor = request.user
    activities = list_processing_activities_for(actor)
    if request.GET.get("export"):
        return export_response(
            request,
            activities,
            columns=ACTIVITY_COLUMNS,
            object_type="processing_activity",
            persons_of=lambda a: (),
            name="processing-register",
        )
    return render(
        request,
        "web/privacy/register.html",
        {
            "activities": list(activities),
            "may_keep": actor.can(KEEP_PRIVACY_REGISTERS),
            "export_links": [(fmt, f"?export={fmt}") for fmt in ("csv", "xlsx")],
        },
    )


@requires(VIEW_PRIVACY_REGISTERS)
def processing_register_pdf(request):
    actor = request.user
    activities = list(list_processing_activities_for(actor).filter(is_active=True))
    record_event(
        actor,
        AuditAction.EXPORT,
        object_type="processing_activity",
        object_id=None,
        centre_id=actor.centre_id,
        changes={"format": [None, "pdf"], "rows": [None, len(activities)]},
    )
    language = document_language(request, actor.centre.jurisdiction)
    context = {"centre": actor.centre, "activities": activities, "printed_on": timezone.localdate()}
    content = render_pdf(
        "web/privacy/register_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, "processing-register")


@requires(KEEP_PRIVACY_REGISTERS)
@require_POST
def processing_register_seed(request):
    added = services.seed_processing_activities(request.user)
    if added:
        messages.success(
            request,
            ngettext(
                "%(n)d entry of the model register was added.",
                "%(n)d entries of the model register were added.",
                len(added),
            )
            % {"n": len(added)},
        )
    else:
        messages.info(request, _("The register already holds every entry of the model register."))
    return redirect("web:processing_register")


def _activity_form_page(request, form, activity=None, status=200):
    return render(request, "web/privacy/activity_form.html", {"form": form, "activity": activity}, status=status)


@requires(KEEP_PRIVACY_REGISTERS)
def processing_activity_new(request):
    if request.method == "POST":
        form = ProcessingActivityForm(request.POST)
        if form.is_valid():
            try:
                services.add_processing_activity(request.user, form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The processing activity is added to the register."))
                return redirect("web:processing_register")
        return _activity_form_page(request, form, status=400)
    return _activity_form_page(request, ProcessingActivityForm())


@requires(KEEP_PRIVACY_REGISTERS)
@domain_404
def processing_activity_edit(request, pk):
    activity = get_processing_activity_for(request.user, pk)
    if request.method == "POST":
        form = ProcessingActivityForm(request.POST)
        if form.is_valid():
            try:
                services.update_processing_activity(request.user, activity, form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The processing activity is saved."))
                return redirect("web:processing_register")
        return _activity_form_page(request, form, activity, status=400)
    initial = {f: getattr(activity, f) for f in activity.EDITABLE_FIELDS}
    return _activity_form_page(request, ProcessingActivityForm(initial=initial), activity)


# --- the breach log -------------------------------------------------------------------------------------------


@requires(VIEW_PRIVACY_REGISTERS)
def breach_log(request):
    actor = request.user
    return render(
        request,
        "web/privacy/breaches.html",
        {
            "breaches": list(list_breaches_for(actor)),
            "may_keep": actor.can(KEEP_PRIVACY_REGISTERS),
            "authority": authority_for(actor, timezone.localdate()),
            "now": timezone.now(),
        },
    )


def _breach_form_page(request, form, breach=None, status=200):
    authority = authority_for(request.user, timezone.localdate())
    return render(
        request, "web/privacy/breach_form.html", {"form": form, "breach": breach, "authority": authority}, status=status
    )


@requires(KEEP_PRIVACY_REGISTERS)
def breach_new(request):
    if request.method == "POST":
        form = BreachForm(request.POST)
        if form.is_valid():
            try:
                breach = services.record_breach(request.user, form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The breach is recorded in the log."))
                return redirect("web:breach_detail", pk=breach.pk)
        return _breach_form_page(request, form, status=400)
    return _breach_form_page(
        request, BreachForm(initial={"discovered_at": timezone.localtime().replace(second=0, microsecond=0)})
    )


@requires(VIEW_PRIVACY_REGISTERS)
@domain_404
def breach_detail(request, pk):
    breach = get_breach_for(request.user, pk)
    return render(
        request,
        "web/privacy/breach_detail.html",
        {"breach": breach, "may_keep": request.user.can(KEEP_PRIVACY_REGISTERS), "now": timezone.now()},
    )


@requires(KEEP_PRIVACY_REGISTERS)
@domain_404
def breach_edit(request, pk):
    breach = get_breach_for(request.user, pk)
    if request.method == "POST":
        form = BreachForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.update_breach(request.user, breach, form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("The breach record is saved."))
                return redirect("web:breach_detail", pk=breach.pk)
        return _breach_form_page(request, form, breach, status=status)
    initial = {name: getattr(breach, name) for name in BreachForm.base_fields}
    for name in ("discovered_at", "occurred_at", "notified_at", "persons_informed_at"):
        if initial[name]:
            initial[name] = timezone.localtime(initial[name])
    return _breach_form_page(request, BreachForm(initial=initial), breach)
