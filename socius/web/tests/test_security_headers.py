"""Security headers (decision 0021): a Content-Security-Policy without inline script, Referrer-Policy and
Permissions-Policy on every page; no template carries an inline script or an on* handler attribute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATE_ROOTS = [Path(settings.BASE_DIR) / "socius"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on[:-]", re.IGNORECASE)
# htmx evaluates an event filter (keydown[key=='Enter']) as JavaScript: that needs 'unsafe-eval'.
HX_FILTER = re.compile(r"hx-trigger=\"[^\"]*\[", re.IGNORECASE)


def templates() -> list[Path]:
    return sorted(p for root in TEMPLATE_ROOTS for p in root.rglob("templates/**/*.html"))


def test_the_templates_are_found():
    assert len(templates()) > 100


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, HANDLER, HX_ON, HX_FILTER], ids=["script", "on*", "hx-on", "filter"]
)
def test_no_template_runs_inline_script(pattern):
    offenders = [str(p) for p in templates() if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def _check_headers(response):
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_login_page_sends_the_security_headers(client, db):
    _check_headers(client.get(reverse("login")))


def test_pages_of_staff_send_the_security_headers(client, pl_worker):
    client.force_login(pl_worker)
    for name in ("web:home", "web:person_list", "web:account_security"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        _check_headers(response)


def test_the_api_and_its_errors_send_them_too(client, db):
    _check_headers(client.get("/api/v1/persons/"))


def test_htmx_reads_its_config_from_a_meta_tag_and_injects_no_style(client, db):
    html = client.get(reverse("login")).content.decode()

    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, "allowEval": false}\'>' in html


def test_the_api_docs_page_runs_no_inline_script(client, db):
    html = client.get("/api/docs/").content.decode()

    assert INLINE_SCRIPT.findall(html) == []
