"""A person's consents (GDPR art. 6 ust. 1 lit. a, art. 7; decision 0024): what for, when and how given, who recorded
it, when and by whom withdrawn. Never edited in place: a withdrawal dates the row, a new consent is a new row, so
the rows are the history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User


class ConsentPurpose(models.TextChoices):
    """What a consent is given for. The higher apps check the purposes they depend on (the family assistant
    programme, outreach attendance lists, case photos)."""

    FAMILY_ASSISTANCE = "family_assistance", _("Taking part in the family assistant programme")
    PHOTOS = "photos", _("Photos of the person or of their home")
    OUTREACH_ATTENDANCE = "outreach_attendance", _("Name on outreach attendance lists")
    ELECTRONIC_CONTACT = "electronic_contact", _("Contact by e-mail or text message")
    DATA_SHARING = "data_sharing", _("Sharing data with partner institutions")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("In writing")
    ORAL = "oral", _("Orally, noted by the worker")
    ELECTRONIC = "electronic", _("Electronically")


class Consent(models.Model):
    """One consent of a person for one purpose. At most one live (not withdrawn) consent per person and purpose."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how given"), max_length=12, choices=ConsentMethod.choices)
    note = models.TextField(_("note"), blank=True)
    # Where it was taken when another record asked for it: "family_enrolment:12", "outreach_event:7".
    source = models.CharField(_("recorded with"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, verbose_name=_("withdrawal recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    withdrawal_note = models.TextField(_("reason for withdrawal"), blank=True)

    AUDITED_FIELDS = ("person", "purpose", "given_on", "method", "note", "source", "withdrawn_on", "withdrawal_note")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="registry_consent_one_live_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="registry_consent_withdrawn_after_given",
            ),
        ]
        indexes = [models.Index(fields=["centre", "purpose", "given_on"], name="consent_centre_purpose")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {self.given_on}"

    def is_valid_on(self, day) -> bool:
        """Given by that day and not withdrawn by it."""
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
