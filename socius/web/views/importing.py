"""UI views: importing persons and households from CSV or XLSX (dry run, report, real run).

The uploaded file is kept in the default storage under the user's id and a random token (see
socius.registry.importing.storage), so "Import for real" runs on exactly the file the dry run checked,
without a second upload; the file is deleted after the real run, and any upload after a day.
Imports run through a Celery task: inline without a broker, else in a worker while the report
page polls.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.roles import IMPORT_REGISTRY
from socius.common.context import current_origin
from socius.registry.importing import COLUMNS, CREATE, EXTENSIONS, PRESENT, REJECTED, STATUSES, status_label, storage
from socius.registry.importing.reading import extension_of
from socius.registry.tasks import import_registry_file_task
from socius.web.access import requires

ROWS_PER_PAGE = 100


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check every row and show the report, without importing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("CSV (UTF-8, separated by ; or ,) or XLSX, at most %(limit)s.") % {
            "limit": filesizeformat(settings.SOCIUS_IMPORT_MAX_BYTES)
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(EXTENSIONS)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if extension_of(uploaded.name) not in EXTENSIONS:
            raise forms.ValidationError(
                _("Choose a CSV or XLSX file (.csv, .xlsx); “%(name)s” is neither.") % {"name": uploaded.name},
                code="extension",
            )
        if uploaded.size > settings.SOCIUS_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(settings.SOCIUS_IMPORT_MAX_BYTES)},
                code="too_large",
            )
        return uploaded


@requires(IMPORT_REGISTRY)
def import_page(request, *args, **kwargs):
    """GET: the upload form, ?report=<token> a report (&download=csv), ?template=csv a header row.
    POST: an upload, or run=<token> to import for real a file that passed its dry run."""
    if request.method == "POST":
        if "run" in request.POST:
            return _run_for_real(request, request.POST["run"])
        return _upload(request)
    if "report" in request.GET:
        return _report(request, request.GET["report"])
    if request.GET.get("template") == "csv":
        return _template()
    return _form_page(request, ImportForm())


def _form_page(request, form, status=200):
    return render(request, "web/import_form.html", {"form": form, "columns": COLUMNS}, status=status)


def _report_url(token: str, **params) -> str:
    return reverse("web:import") + "?" + urlencode({"report": token, **params})


def _dispatch(request, token: str, *, dry_run: bool):
    """Run the task; returns its summary when it ran inline (no broker), else None."""
    result = import_registry_file_task.delay(
        user_id=request.user.pk,
        token=token,
        dry_run=dry_run,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        ip=current_origin().ip,
    )
    return result.get() if result.ready() else None


def _upload(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    storage.sweep()
    token = storage.save_upload(request.user.pk, form.cleaned_data["file"])
    summary = _dispatch(request, token, dry_run=form.cleaned_data["dry_run"])
    if summary and summary["file_errors"]:
        storage.discard(request.user.pk, token)
        for message in summary["file_errors"]:
            form.add_error("file", message)
        return _form_page(request, form, status=400)
    return redirect(_report_url(token))


def _run_for_real(request, token: str):
    if not storage.is_token(token):
        raise Http404
    report = storage.load_report(request.user.pk, token)
    if report is None or not storage.has_source(request.user.pk, token):
        raise Http404
    if not report.dry_run:
        messages.info(request, _("This file has been imported already."))
        return redirect(_report_url(token))
    storage.discard_report(request.user.pk, token)
    _dispatch(request, token, dry_run=False)
    return redirect(_report_url(token))


def _report(request, token: str):
    if not storage.is_token(token):
        raise Http404
    report = storage.load_report(request.user.pk, token)
    if report is None:
        if storage.read_meta(request.user.pk, token) is None:
            raise Http404
        return render(request, "web/import_running.html", {"refresh_url": _report_url(token)})
    totals = report.totals
    default_filter = REJECTED if totals[REJECTED] else "all"
    status = request.GET.get("status", default_filter)
    if status not in (*STATUSES, "all"):
        status = "all"
    chosen = STATUSES if status == "all" else (status,)
    if request.GET.get("download") == "csv":
        response = HttpResponse(report.to_csv(chosen), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-report-{status}.csv"'
        return response
    rows = [r for r in report.rows if r.status in chosen]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "report": report,
        "token": token,
        "totals": totals,
        "status": status,
        "page": page,
        "rows": [_display_row(report, r) for r in page.object_list],
        "filters": [
            ("all", _("All rows"), totals["rows"], _report_url(token, status="all")),
            (CREATE, status_label(CREATE, report.dry_run), totals[CREATE], _report_url(token, status=CREATE)),
            (PRESENT, status_label(PRESENT, report.dry_run), totals[PRESENT], _report_url(token, status=PRESENT)),
            (REJECTED, status_label(REJECTED, report.dry_run), totals[REJECTED], _report_url(token, status=REJECTED)),
        ],
        "download_url": _report_url(token, status=status, download="csv"),
        "download_rejected_url": _report_url(token, status=REJECTED, download="csv"),
        "can_run": report.dry_run
        and report.is_readable
        and totals[CREATE] > 0
        and storage.has_source(request.user.pk, token),
    }
    return render(request, "web/import_report.html", context)


def _display_row(report, result) -> dict:
    link = None
    if result.person_id and (result.status == PRESENT or not report.dry_run):
        link = reverse("web:person_detail", args=[result.person_id])
    return {
        "row": result.row,
        "status": result.status,
        "status_label": status_label(result.status, report.dry_run),
        "household_ref": result.household_ref,
        "name": result.name,
        "link": link,
        "reasons": [(report.column_header(column), message) for column, message in result.reasons],
    }


def _template():
    header = "\ufeff" + ";".join(c.code for c in COLUMNS) + "\r\n"
    response = HttpResponse(header, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="socius-import-template.csv"'
    return response
