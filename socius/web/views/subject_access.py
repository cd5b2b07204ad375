"""Subject-access requests (GDPR art. 15, decision 0022): the request form from the person page, the list (the
director's queue of pending requests), a request's page with approval or refusal, delivery and the download."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import APPROVE_SUBJECT_ACCESS, REQUEST_SUBJECT_ACCESS, VIEW_PRIVACY_REGISTERS
from socius.common.errors import Conflict, ValidationFailed
from socius.privacy import permissions, selectors, services
from socius.privacy.api import export_response
from socius.privacy.statuses import SarStatus
from socius.registry.selectors import get_person_for
from socius.web.access import requires
from socius.web.forms_subject_access import SubjectAccessRefuseForm, SubjectAccessRequestForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate


def _reads_registers(user) -> bool:
    return user.can(VIEW_PRIVACY_REGISTERS)


@requires(REQUEST_SUBJECT_ACCESS)
@domain_404
def subject_access_new(request, pk: int):
    """Record a person's request (from the person page)."""
    actor = request.user
    person = get_person_for(actor, pk)
    if request.method == "POST":
        form = SubjectAccessRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sar = services.record_subject_access_request(
                    actor,
                    person.pk,
                    received_on=data["received_on"],
                    requester=data["requester"],
                    channel=data["channel"],
                    language=data["language"],
                    representative_name=data["representative_name"],
                    note=data["note"],
                )
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The request is recorded. The director approves it before the export."))
                return redirect("web:subject_access_detail", pk=sar.pk)
    else:
        form = SubjectAccessRequestForm(
            initial={
                "received_on": timezone.localdate(),
                "requester": "person",
                "channel": "in_person",
                "language": services.default_language(actor),
            }
        )
    return render(request, "web/privacy/subject_access_form.html", {"person": person, "form": form})


@requires(REQUEST_SUBJECT_ACCESS, or_if=_reads_registers)
def subject_access_list(request):
    """The centre's requests (the director's and the DPO's: all; others': those they recorded); `?status=`."""
    actor = request.user
    wanted = request.GET.get("status", SarStatus.REQUESTED if permissions.can_decide(actor) else "")
    if wanted not in SarStatus.values:
        wanted = ""
    page = paginate(request, selectors.list_requests_for(actor, status=wanted or None))
    page.object_list = list(page.object_list)
    record_list_view(actor, object_type=services.SAR, person_ids=[s.person_id for s in page.object_list])
    return render(
        request,
        "web/privacy/subject_access_list.html",
        {
            "page_obj": page,
            "status": wanted,
            "statuses": SarStatus.choices,
            "may_decide": permissions.can_decide(actor),
        },
    )


@requires(REQUEST_SUBJECT_ACCESS, or_if=_reads_registers)
@domain_404
def subject_access_detail(request, pk: int):
    actor = request.user
    sar = selectors.get_request_for(actor, pk)
    record_view(actor, object_type=services.SAR, object_id=sar.pk, centre_id=sar.centre_id, person_id=sar.person_id)
    may_decide = permissions.can_decide(actor) and sar.status == SarStatus.REQUESTED
    return render(
        request,
        "web/privacy/subject_access_detail.html",
        {
            "sar": sar,
            "may_decide": may_decide and sar.received_by_id != actor.pk,
            "is_own": may_decide and sar.received_by_id == actor.pk,
            "may_download": permissions.can_download(actor, sar)
            and sar.is_ready
            and sar.status in (SarStatus.APPROVED, SarStatus.DELIVERED),
            "may_deliver": permissions.can_download(actor, sar) and sar.is_ready and sar.status == SarStatus.APPROVED,
            "may_retry": permissions.can_decide(actor)
            and sar.status == SarStatus.APPROVED
            and sar.export_state == "failed",
            "refuse_form": SubjectAccessRefuseForm(),
        },
    )


def _done(request, pk: int, call, success: str):
    try:
        call()
    except Conflict as exc:
        messages.error(request, str(exc.message))
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, success)
    return redirect("web:subject_access_detail", pk=pk)


@requires(APPROVE_SUBJECT_ACCESS)
@require_POST
@domain_404
def subject_access_approve(request, pk: int):
    return _done(
        request,
        pk,
        lambda: services.approve_subject_access_request(request.user, pk),
        _("The request is approved and the export is being produced."),
    )


@requires(APPROVE_SUBJECT_ACCESS)
@require_POST
@domain_404
def subject_access_refuse(request, pk: int):
    form = SubjectAccessRefuseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(
        request,
        pk,
        lambda: services.refuse_subject_access_request(request.user, pk, reason),
        _("The request is refused."),
    )


@requires(APPROVE_SUBJECT_ACCESS)
@require_POST
@domain_404
def subject_access_retry(request, pk: int):
    return _done(request, pk, lambda: services.retry_export(request.user, pk), _("The export is being produced again."))


@requires(REQUEST_SUBJECT_ACCESS)
@require_POST
@domain_404
def subject_access_deliver(request, pk: int):
    return _done(
        request,
        pk,
        lambda: services.deliver_subject_access_request(request.user, pk),
        _("The export is recorded as delivered to the person."),
    )


@requires(REQUEST_SUBJECT_ACCESS)
@domain_404
def subject_access_download(request, pk: int):
    try:
        sar, handle = services.open_export(request.user, pk)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect("web:subject_access_detail", pk=pk)
    return export_response(sar, handle)


# The list and a request's page are the recorders' and the privacy registers' readers' (the URL permission test
# reads the second right here).
subject_access_list.socius_or_capability = VIEW_PRIVACY_REGISTERS
subject_access_detail.socius_or_capability = VIEW_PRIVACY_REGISTERS
