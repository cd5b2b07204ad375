"""One pattern, written once, for the sections of a long page (ARCHITECTURE.md, "pages are shells of sections").

A `SectionedPage` is a page made of `Section`s. Each section renders alone (`GET …/sections/<name>/`, what
htmx loads when the section is revealed, and swaps in after an action) or inside its page (a browser
without JavaScript). `run_action` is the one shape of every write: validate the form, call one service,
then answer the re-rendered section (htmx) or redirect to the page at the section (`?open=<name>#<name>`);
a refusal says why at the section's top and beside the field, and, without JavaScript, also in the
page's messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_htmx.http import HttpResponseClientRedirect

from socius.common.errors import Conflict, ValidationFailed
from socius.web.views._helpers import add_domain_errors

OPEN_ALL = "all"


@dataclass(frozen=True)
class Section:
    """One section: its name (in URLs, and the anchor of its card), title, template and context builder.

    `build(request, subject, forms)` returns what the template needs; `forms` holds bound forms to show
    again (by key) after a refused action."""

    name: str
    title: Any
    template: str
    build: Callable[[HttpRequest, Any, dict], dict]


@dataclass
class Refusal:
    """Why an action was refused: shown at the top of the section (and of the page without JavaScript)."""

    title: str
    reasons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join([self.title, *self.reasons])


def reasons_of(form: forms.Form | None, exc: ValidationFailed | None = None) -> list[str]:
    """Every message of a refused form, each named by its field's label; a service's messages when
    there is no form."""
    if form is None:
        return [str(m) for ms in (exc.errors.values() if exc else ()) for m in ms]
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            reasons.append(f"{label}: {error}" if label else str(error))
    return reasons


class SectionedPage:
    """A page made of sections. A subclass names its URL and sections, and says how to fetch its
    subject (checking the permission and auditing the read) and how to draw the whole page."""

    url_name: str = ""
    sections: dict[str, Section] = {}
    # A page of sections drawn lazily names the one to draw open (`?open=`); a page drawn whole does not.
    lazy: bool = True

    def subject(self, request: HttpRequest, pk) -> Any:
        raise NotImplementedError

    def render_page(
        self, request: HttpRequest, pk, *, open_: Iterable[str] = (), forms_=None, refusals=None, status: int = 200
    ) -> HttpResponse:
        raise NotImplementedError

    # --- addresses -----------------------------------------------------------------------------------

    def page_url(self, pk, *, open_: str = "", anchor: str = "", **params) -> str:
        query = {**({"open": open_} if open_ else {}), **params}
        url = reverse(self.url_name, args=[pk])
        return f"{url}{'?' + urlencode(query, doseq=True) if query else ''}{'#' + anchor if anchor else ''}"

    def opened(self, request: HttpRequest) -> set[str]:
        """The sections a request asks drawn in the page (`?open=visits`, `?open=all`), not loaded later."""
        names = set(request.GET.getlist("open"))
        return set(self.sections) if OPEN_ALL in names else names & set(self.sections)

    # --- drawing ---------------------------------------------------------------------------------------

    def section_context(
        self, request: HttpRequest, subject, name: str, *, forms_=None, notice="", refusal: Refusal | None = None
    ) -> dict:
        section = self.sections[name]
        context = section.build(request, subject, forms_ or {})
        context.update(section=section, section_notice=notice, section_refusal=refusal)
        return context

    def section_html(self, request: HttpRequest, subject, name: str, *, forms_=None, refusal=None) -> str:
        """A section drawn inside its page (the page asked for it open, or it is shown again refused)."""
        context = self.section_context(request, subject, name, forms_=forms_, refusal=refusal)
        return mark_safe(render_to_string(self.sections[name].template, context, request=request))  # noqa: S308

    def render_section(
        self, request: HttpRequest, pk, name: str, *, forms_=None, notice="", refusal=None, status: int = 200
    ) -> HttpResponse:
        subject = self.subject(request, pk)
        context = self.section_context(request, subject, name, forms_=forms_, notice=notice, refusal=refusal)
        return render(request, self.sections[name].template, context, status=status)

    def section_view(self, request: HttpRequest, pk, name: str) -> HttpResponse:
        """GET of one section: alone for htmx; for a browser without JavaScript (a link or a filter of the
        section followed plainly), the whole page with the section drawn open."""
        if name not in self.sections:
            raise Http404
        if not request.htmx:
            return self.render_page(request, pk, open_={name})
        return self.render_section(request, pk, name)

    # --- the one shape of every write ------------------------------------------------------------------

    def run_action(
        self,
        request: HttpRequest,
        pk,
        name: str,
        *,
        form: forms.Form | None,
        write: Callable[[dict], Any],
        done: str | Callable[[Any], str],
        failed: str,
        key: str = "",
        anchor: str = "",
        open_: str = "",
        then: Callable[[Any], str] | None = None,
    ) -> HttpResponse:
        """Validate `form` (None: nothing to validate), call `write(cleaned_data)` (one service), answer.

        `name` is a section, or a card of the page itself (drawn by the page, posted without htmx);
        `open_` names the section to draw open after it instead (a case's status move: its timeline).

        Done: htmx gets the section again with `done` at its top; without JavaScript, a redirect to the
        page at the section (or to `then(result)`, e.g. a created plan's page). Refused: the section with
        the bound form (messages beside its fields) and `failed` with every reason at its top, 400 (bad
        input) or 409 (a Conflict: the reason); without JavaScript, the whole page with that section
        open and the same reason in the page's messages.
        """
        status, reasons = 400, []
        htmx = bool(request.htmx) and name in self.sections  # page-level cards (a case's status) post plainly
        if form is None or form.is_valid():
            try:
                result = write(form.cleaned_data if form is not None else {})
            except Conflict as exc:
                status, reasons = 409, [str(exc.message)]
            except ValidationFailed as exc:
                if form is not None:
                    add_domain_errors(form, exc)
                reasons = reasons_of(form, exc)
            else:
                notice = done(result) if callable(done) else done
                target = then(result) if then is not None else None
                if htmx:
                    if target:
                        messages.success(request, notice)
                        return HttpResponseClientRedirect(target)
                    return self.render_section(request, pk, name, notice=notice)
                messages.success(request, notice)
                opened = open_ or (name if self.lazy and name in self.sections else "")
                return redirect(target or self.page_url(pk, open_=opened, anchor=anchor or name))
        else:
            reasons = reasons_of(form)
        refusal = Refusal(title=failed, reasons=reasons)
        forms_ = {key: form} if key and form is not None else {}
        if htmx:
            return self.render_section(request, pk, name, forms_=forms_, refusal=refusal, status=status)
        messages.error(request, str(refusal))
        return self.render_page(request, pk, open_={name}, forms_=forms_, refusals={name: refusal}, status=status)
