"""Producing a subject-access export: one ZIP with a JSON file per record type, the case documents' files, a
readable PDF in the export's language and a manifest with every file's SHA-256 (decision 0022)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from socius.privacy.export import (
    SECTIONS,
    exported_fields,
    installed,
    many_to_many_ids,
    row_json,
    rows_of,
    subject_of,
)

# The PDF is for reading: past this many rows of one record type it says how many more the JSON file holds.
PDF_ROWS_PER_TYPE = 200

# As socius.web.pdf (which sits above this app): A4, the DejaVu fonts (every glyph of pl, ro, lt, ru).
PRINT_CSS = """
@page { size: A4; margin: 1.6cm; }
html, body { font-family: "DejaVu Sans" !important; }
body { margin: 0 !important; }
"""


@dataclass
class TypeBlock:
    label: str
    model_label: str
    json_name: str
    count: int
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # the PDF's rows: (field label, value)


@dataclass
class SectionBlock:
    key: str
    title: str
    types: list[TypeBlock] = field(default_factory=list)


@dataclass
class Export:
    content: bytes
    sha256: str
    counts: dict[str, int]


def _safe(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L")).encode("ascii", "ignore")
    return re.sub(r"[^A-Za-z0-9.-]+", "-", ascii_name.decode()).strip("-.")[:80] or "file"


class _Names:
    """The readable text of related records (a case's number, a worker's name), each fetched once."""

    def __init__(self):
        self._seen: dict[tuple[type, object], str] = {}

    def of(self, model: type[models.Model], pk) -> str:
        key = (model, pk)
        if key not in self._seen:
            obj = model._base_manager.filter(pk=pk).first()
            try:
                self._seen[key] = str(obj) if obj is not None else str(pk)
            except Exception:  # a __str__ that needs what is not there: the id still names it
                self._seen[key] = str(pk)
        return self._seen[key]


def _shown(obj: models.Model, f: models.Field, names: _Names) -> str:
    value = getattr(obj, f.attname)
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return names.of(f.related_model, value)
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.FileField):
        return value.name or ""
    if isinstance(f, models.JSONField):
        return json.dumps(value, ensure_ascii=False, default=str)[:2000]
    if hasattr(value, "isoformat"):
        return formats.localize(timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value)
    return str(value)


def _pdf_rows(objs, fields: list[models.Field], names: _Names) -> list[list[tuple[str, str]]]:
    out = []
    for obj in objs[:PDF_ROWS_PER_TYPE]:
        pairs = [(str(f.verbose_name), _shown(obj, f, names)) for f in fields]
        out.append([(label, value) for label, value in pairs if value])
    return out


def _render_pdf(context: dict, *, language: str) -> bytes:
    from weasyprint import CSS, HTML  # imported lazily: heavy, and only the export needs it

    html = render_to_string("web/privacy/subject_access_pdf.html", {**context, "document_language": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])


def build_export(sar) -> Export:
    """The request's export as ZIP bytes, its SHA-256 and the number of rows per record type."""
    person = sar.person
    subject = subject_of(person)
    buffer = io.BytesIO()
    listed: list[dict] = []
    counts: dict[str, int] = {}
    blocks: list[SectionBlock] = []
    names = _Names()

    def put(name: str, data: bytes) -> None:
        archive.writestr(name, data)
        listed.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

    with translation.override(sar.language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in SECTIONS:
            block = SectionBlock(section.key, str(section.title))
            for label, finder in section.models.items():
                model = installed(label)
                if model is None:
                    continue
                objs = list(rows_of(model, subject, finder))
                counts[label] = len(objs)
                if not objs:
                    continue
                fields = exported_fields(model)
                many = many_to_many_ids(model, [o.pk for o in objs])
                json_name = f"data/{section.key}/{label}.json"
                payload = {
                    "record_type": label,
                    "label": str(model._meta.verbose_name_plural),
                    "fields": {f.name: str(f.verbose_name) for f in fields},
                    "rows": [row_json(o, fields, many[o.pk]) for o in objs],
                }
                put(json_name, json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False).encode())
                block.types.append(
                    TypeBlock(
                        str(model._meta.verbose_name_plural).capitalize(),
                        label,
                        json_name,
                        len(objs),
                        _pdf_rows(objs, fields, names),
                    )
                )
                if label == "casework.CaseDocument":
                    for doc in objs:
                        _put_document(put, doc)
            if block.types:
                blocks.append(block)
        generated_at = timezone.now()
        pdf = _render_pdf(
            {
                "sar": sar,
                "person": person,
                "sections": blocks,
                "generated_at": generated_at,
                "limit": PDF_ROWS_PER_TYPE,
            },
            language=sar.language,
        )
        put(f"{_safe(person.last_name + '-' + person.first_name)}-subject-access.pdf", pdf)
        manifest = {
            "request": sar.pk,
            "person": person.pk,
            "centre": sar.centre_id,
            "language": sar.language,
            "generated_at": generated_at.isoformat(),
            "counts": counts,
            "files": listed,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    content = buffer.getvalue()
    return Export(content=content, sha256=hashlib.sha256(content).hexdigest(), counts=counts)


def _put_document(put, doc) -> None:
    """A case document's file, under its id and original name; a file missing from storage is named as such."""
    name = f"documents/{doc.pk}-{_safe(doc.original_name or doc.title)}"
    if not doc.file:
        return
    try:
        with doc.file.storage.open(doc.file.name, "rb") as handle:
            put(name, handle.read())
    except (FileNotFoundError, OSError):
        put(f"{name}.missing.txt", _("The file of this document was not found in storage.").encode())
