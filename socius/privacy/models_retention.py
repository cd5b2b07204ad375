"""Retention reviews, erasure requests and the mark of an anonymised person (decision 0023)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.privacy.statuses_retention import AnonymisedBy, ErasureStatus, ReviewStatus
from socius.registry.models import Person


class RetentionReview(models.Model):
    """What the retention job found expired in a centre on a day, for the director's approval. One pending review
    per centre: the job refreshes it rather than piling up lists."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField(_("reviewed on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Empty when the scheduled job made it.
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules_version = models.CharField(_("rules version"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    anonymised_count = models.PositiveIntegerField(_("persons anonymised"), default=0)

    class Meta:
        verbose_name = _("retention review")
        verbose_name_plural = _("retention reviews")
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"], condition=models.Q(status="pending"), name="retention_one_pending_per_centre"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.reviewed_on:%Y-%m-%d}"


class RetentionItem(models.Model):
    """One person whose every record has expired, with the records and rules that say so (`basis`: a list of
    {record_type, record_id, anchor_on, expires_on, years, source, confirmed})."""

    review = models.ForeignKey(
        RetentionReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="items"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    expired_on = models.DateField(_("expired on"))
    basis = models.JSONField(_("why"), default=list)

    class Meta:
        verbose_name = _("expired person")
        verbose_name_plural = _("expired persons")
        ordering = ["expired_on", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "person"], name="retention_item_once")]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.expired_on:%Y-%m-%d})"


class ErasureRequest(models.Model):
    """A person's request to erase their data (GDPR art. 17), and its answer."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(User, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    # The statutes that keep the person's records, as found when the request was recorded or decided:
    # [{record_type, record_id, expires_on, keep_reason, legal_basis, confirmed}].
    kept_by_law = models.JSONField(_("kept by law"), default=list, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Anonymisation(models.Model):
    """The mark of an anonymised person: when, by what (a review or an erasure request) and who approved it."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    anonymised_at = models.DateTimeField(_("anonymised at"), auto_now_add=True)
    by = models.CharField(_("by"), max_length=10, choices=AnonymisedBy.choices)
    review = models.ForeignKey(
        RetentionReview, verbose_name=_("review"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    erasure = models.ForeignKey(
        ErasureRequest,
        verbose_name=_("erasure request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(User, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.person_id}"
