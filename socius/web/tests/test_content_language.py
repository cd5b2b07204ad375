"""Content in the reader's language: a worker of any demo centre who reads in ro, lt or ru sees the packs'
labels (circumstances, topics, outcomes, consequences, team names, the interview instrument) in that
language, on the case page, the desk, the contacts, the contract, the interview and its PDF.

The rule, precisely. The probes are every label of every pack (lists, default team names, instrument
titles, legal bases, sections, fields and options) in every language. On a page in language L at a centre
whose jurisdiction's language is S:
- outside the statutory marks, no probe of a language other than L appears (a probe that is also an
  L label, such as a word shared by two languages, is not a probe for L);
- a statutory mark is an element `class="statutory" lang="S"`: it may appear only when L ≠ S, and the
  probes it contains are S's own (the statutory wording shown beside a translation, with its legal basis);
- a PDF in L ≠ S is wholly in L: no statutory mark at all.
Probes are matched as whole words, case-insensitively, in the page's visible text (not in attributes).
Text the centre's staff wrote (the demo's notes, visit outcomes, plan titles, partner names: plans.demo
PHRASES) is theirs, in the language they wrote it in, and is taken out before probing.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from functools import cache
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from socius.accounts.demo import USERNAME_PREFIXES
from socius.accounts.models import User
from socius.assessments.models import Assessment
from socius.casework.models import Case, Contact
from socius.plans.demo import PHRASES
from socius.plans.models import SocialContract
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine import instruments as inst
from socius.rulebook.engine.contract_consequences import contract_consequences
from socius.rulebook.engine.translations import LANGUAGES

PDFTOTEXT = shutil.which("pdftotext")
JURISDICTIONS = ("PL", "MD", "LT")
READERS = ("ro", "lt", "ru")


# --- the probes ---------------------------------------------------------------------------------------------


def _texts(statutory: str, translations, own: str) -> dict[str, str]:
    return {own: statutory, **dict(translations)}


@cache
def catalogue() -> dict[str, frozenset[str]]:
    """language → every pack label in that language."""
    by_language: dict[str, set[str]] = {code: set() for code in LANGUAGES}

    def add(statutory, translations, own):
        for language, text in _texts(statutory, translations, own).items():
            by_language[language].add(text)

    for code in JURISDICTIONS:
        pack = get_jurisdiction(code)
        own = pack.default_language
        items = [
            *pack.all_circumstances(),
            *pack.contact_topics(),
            *pack.contact_outcomes(),
            *contract_consequences(pack.data_dir),
            *pack.default_team_names(),
        ]
        for item in items:
            add(item.label, item.translations, own)
        for instrument in inst.instruments(pack.data_dir):
            add(instrument.title, instrument.title_translations, own)
            add(instrument.legal_basis, instrument.legal_basis_translations, own)
            for section in instrument.sections:
                add(section.title, section.translations, own)
                for field in section.fields:
                    add(field.label, field.translations, own)
                    for option in field.options:
                        add(option.label, option.translations, own)
    return {language: frozenset(texts) for language, texts in by_language.items()}


def foreign_probes(reader: str) -> list[str]:
    """Labels of every language but `reader`, less those that are also `reader` labels."""
    own = {text.casefold() for text in catalogue()[reader]}
    probes = {text for language, texts in catalogue().items() if language != reader for text in texts}
    return sorted(text for text in probes if text.casefold() not in own)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _strings(item)]
    return [text for item in vars(value).values() for text in _strings(item)]


@cache
def written_by_staff() -> tuple[str, ...]:
    """What the demo's workers wrote, longest first (user content: not translated, not probed)."""
    texts = {" ".join(text.split()).casefold() for phrases in PHRASES.values() for text in _strings(phrases)}
    return tuple(sorted(texts, key=len, reverse=True))


def probes_found(text: str, probes: list[str]) -> list[str]:
    folded = " ".join(text.split()).casefold()
    for written in written_by_staff():
        folded = folded.replace(written, " ")
    found = []
    for probe in probes:
        pattern = r"(?<!\w)" + re.escape(" ".join(probe.split()).casefold()) + r"(?!\w)"
        if re.search(pattern, folded):
            found.append(probe)
    return found


# --- reading a page -------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """The visible text of a page, and apart from it the text of each statutory mark (with its lang)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.main: list[str] = []
        self.marks: list[tuple[str, list[str]]] = []
        self.stack: list[tuple[str, str]] = []  # (tag, role): role "mark", "skip" or ""

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        role = ""
        if tag in ("script", "style", "template", "title"):
            role = "skip"
        elif "statutory" in (attrs.get("class") or "").split():
            role = "mark"
            self.marks.append((attrs.get("lang") or "", []))
        self.stack.append((tag, role))

    def handle_endtag(self, tag):
        while self.stack:
            popped, _role = self.stack.pop()
            if popped == tag:
                break

    def handle_data(self, data):
        roles = [role for _tag, role in self.stack]
        if "skip" in roles:
            return
        if "mark" in roles:
            self.marks[-1][1].append(data)
        else:
            self.main.append(data)


def read(html: str) -> tuple[str, list[tuple[str, str]]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.main), [(lang, " ".join(parts)) for lang, parts in parser.marks]


def check_page(html: str, reader: str, statutory_language: str, where: str) -> str:
    """Assert the rule on one page; answer its visible text (outside the marks)."""
    main, marks = read(html)
    leaked = probes_found(main, foreign_probes(reader))
    assert leaked == [], f"{where}: labels of another language outside a statutory mark: {leaked}"
    if reader == statutory_language:
        assert marks == [], f"{where}: statutory marks on a page in the jurisdiction's own language"
    for lang, text in marks:
        assert lang == statutory_language, f"{where}: a statutory mark in {lang!r}, not {statutory_language!r}"
        assert probes_found(text, foreign_probes(statutory_language)) == [], f"{where}: mark {text!r}"
    return main


def pdf_text(content: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be checked")
    return subprocess.run([PDFTOTEXT, "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


# --- the demo ---------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    """The small demo (30 persons a centre: one case each, with its interview, plan and contract)."""
    call_command("load_demo", persons_per_centre=30, seed=2025, stdout=io.StringIO())


@pytest.fixture
def reader_client(demo, client):
    def log_in(jurisdiction: str, language: str):
        worker = User.objects.get(username=f"{USERNAME_PREFIXES[jurisdiction]}worker")
        worker.language = language
        worker.save(update_fields=["language"])
        client.force_login(worker)
        return worker

    return log_in


def _case_of(worker) -> Case:
    return Case.objects.filter(centre=worker.centre, assigned_worker=worker).order_by("pk").first()


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_page_a_worker_reads_is_in_their_language(reader_client, client, jurisdiction):
    for reader in READERS:
        _check_reader(reader_client, client, jurisdiction, reader)


def _check_reader(reader_client, client, jurisdiction, reader):
    worker = reader_client(jurisdiction, reader)
    pack = get_jurisdiction(jurisdiction)
    own = pack.default_language
    case = _case_of(worker)
    assert case is not None and case.circumstances
    assessment = Assessment.objects.filter(case=case).order_by("pk").first()
    contract = SocialContract.objects.filter(case=case).order_by("pk").first()
    contact = Contact.objects.filter(centre=worker.centre).order_by("pk").first()
    assert assessment is not None and contact is not None

    pages = {
        "case page": reverse("web:case_detail", args=[case.pk]),
        "desk": reverse("web:home"),
        "case list": reverse("web:case_list"),
        "contact list": reverse("web:contact_list"),
        "contact": reverse("web:contact_detail", args=[contact.pk]),
        "contact form": reverse("web:contact_create"),
        "case form": reverse("web:case_create") + f"?household={case.household_id}",
        "interview": reverse("web:assessment_detail", args=[assessment.pk]),
        "interview, printable": reverse("web:assessment_print", args=[assessment.pk]),
    }
    assert contract is not None or jurisdiction != "PL"  # the PL demo case has a breached contract
    if contract is not None:
        pages["contract"] = reverse("web:contract_detail", args=[contract.pk])
    text = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        text[name] = check_page(response.content.decode(), reader, own, f"{jurisdiction} {name} in {reader}")

    # What the pages must show, in the reader's language: the case's circumstances, its team, the interview.
    for code in case.circumstances:
        item = next(c for c in pack.all_circumstances() if c.code == code and c.is_in_force(case.opened_on))
        assert item.label_in(reader) in text["case page"]
    team = next(t for t in pack.default_team_names() if t.code == case.team.problem_group)
    assert team.label_in(reader) in text["case page"]
    instrument = inst.get_instrument(pack.data_dir, assessment.instrument_code, assessment.instrument_version)
    shown = instrument.in_language(reader, own)
    assert shown.title in text["interview"]
    assert all(section.title in text["interview"] for section in shown.sections if not section.placeholder)
    topic_labels = {t.code: t.label_in(reader) for t in pack.contact_topics()}
    assert all(topic_labels[code] in text["contact"] for code in contact.topics)

    # The PDF in the reader's language is wholly in it; in the centre's language it is the statutory text.
    response = client.get(reverse("web:assessment_pdf", args=[assessment.pk]), {"lang": reader})
    assert response.status_code == 200
    printed = pdf_text(response.content)
    leaked = probes_found(printed, foreign_probes(reader))
    assert leaked == [], f"{jurisdiction} interview PDF in {reader}: {leaked}"
    assert " ".join(shown.title.split()) in " ".join(printed.split())
    statutory_pdf = pdf_text(client.get(reverse("web:assessment_pdf", args=[assessment.pk])).content)
    assert probes_found(statutory_pdf, foreign_probes(own)) == []
    assert " ".join(instrument.title.split()) in " ".join(statutory_pdf.split())


def test_a_russian_reader_at_a_polish_centre_sees_the_statutory_wording_beside_the_circumstance(reader_client, client):
    worker = reader_client("PL", "ru")
    case = _case_of(worker)
    html = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    pack = get_jurisdiction("PL")
    item = next(
        c for c in pack.all_circumstances() if c.code == case.circumstances[0] and c.is_in_force(case.opened_on)
    )
    _main, marks = read(html)
    assert ("pl", f"({item.label}, {item.legal_basis})") in marks
    assert f'{item.label_in("ru")} <span class="statutory" lang="pl">' in html


def test_the_probe_rule_catches_a_polish_label_on_a_russian_page():
    page = '<p>Бедность</p><p>Задолженность: нет</p><p>ubóstwo</p><span class="statutory" lang="pl">(ubóstwo)</span>'
    with pytest.raises(AssertionError, match=r"outside a statutory mark.*ubóstwo"):
        check_page(page, "ru", "pl", "probe")
    # Inside a mark of the centre's language it is the statutory wording, and allowed.
    check_page('<p>бедность</p><span class="statutory" lang="pl">(ubóstwo)</span>', "ru", "pl", "probe")
    # Never on a page in the centre's own language, nor in another language's mark.
    with pytest.raises(AssertionError, match="statutory marks on a page in the jurisdiction's own language"):
        check_page('<span class="statutory" lang="pl">(ubóstwo)</span>', "pl", "pl", "probe")
    with pytest.raises(AssertionError, match="a statutory mark in 'ro'"):
        check_page('<span class="statutory" lang="ro">(sărăcie)</span>', "ru", "pl", "probe")
