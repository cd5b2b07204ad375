"""Form for attaching a document on the case page. Shape only: the service checks type and size."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.casework.models_documents import DocumentKind


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # the service names the empty file in its message
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
        help_text=_("PDF, JPEG, PNG or TIFF."),
    )
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("The file's name when left empty.")
    )
