"""Printable documents: render a Django template to PDF bytes with WeasyPrint (A4, DejaVu fonts).

The document is drawn in one language (`translation.override`), whatever the reader's interface language;
`base_url` lets the template refer to static files. Views send the bytes with `pdf_response`.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from socius.rulebook import get_jurisdiction

logger = logging.getLogger(__name__)

# Applied to every document on top of the template's own styles: A4, the DejaVu fonts (every glyph of pl, ro,
# lt, ru), no screen-only links.
PRINT_CSS = """
@page { size: A4; margin: 2cm; }
html, body { font-family: "DejaVu Sans" !important; }
body { margin: 0 !important; }
.no-print { display: none !important; }
"""


def document_language(request, jurisdiction: str) -> str:
    """`?lang=` when it is one of the site's languages, else the jurisdiction's default language."""
    wanted = (request.GET.get("lang") or "").strip().lower()
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return get_jurisdiction(jurisdiction).default_language


def render_pdf(template: str, context: dict, *, language: str, base_url: str | None = None) -> bytes:
    """The template rendered in `language`, as PDF bytes."""
    from weasyprint import CSS, HTML  # imported lazily: heavy, and only the PDF views need it

    with translation.override(language):
        html = render_to_string(template, {**context, "document_language": language})
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])


def warm_up() -> float:
    """Pay WeasyPrint's first-use cost now (its import, and Pango/fontconfig finding the DejaVu fonts: some
    seconds) so that the first document a user asks for does not; returns the seconds it took."""
    started = time.perf_counter()
    from weasyprint import CSS, HTML

    sample = '<p lang="pl">Zażółć gęślą jaźń · Ștefan · Žemaitė · Съешь же ещё этих булок</p>'
    HTML(string=sample).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
    return time.perf_counter() - started


def warm_up_in_background() -> threading.Thread:
    """`warm_up` on a daemon thread, so that start-up does not wait for it."""
    thread = threading.Thread(target=_warm_up_logged, name="pdf-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up_logged() -> None:
    try:
        seconds = warm_up()
    except Exception:  # a broken PDF stack must not stop the server: the PDF views report it themselves
        logger.exception("PDF warm-up failed")
    else:
        logger.info("PDF engine ready in %.1f s", seconds)


def safe_filename(stem: str) -> str:
    """An ASCII file name: accents dropped, anything else but letters, digits, dot, dash replaced."""
    ascii_stem = unicodedata.normalize("NFKD", stem.replace("ł", "l").replace("Ł", "L")).encode("ascii", "ignore")
    cleaned = re.sub(r"[^A-Za-z0-9.-]+", "-", ascii_stem.decode()).strip("-.") or "document"
    return f"{cleaned[:80]}.pdf"


def pdf_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(stem)}"'
    response["Cache-Control"] = "private, no-store"
    return response
