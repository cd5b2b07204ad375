"""Person, Household and dated Membership."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Territory, User
from socius.common.models import TimeStamped
from socius.common.text import digits_only, fold, has_cyrillic, transliterate


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Education(models.TextChoices):
    NONE = "none", _("No formal education")
    PRIMARY = "primary", _("Primary")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    VOCATIONAL = "vocational", _("Vocational")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
    POST_SECONDARY = "post_secondary", _("Post-secondary")
    HIGHER = "higher", _("Higher")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FARMER = "farmer", _("Farmer")
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("Unemployed, registered")
    UNEMPLOYED_UNREGISTERED = "unemployed_unregistered", _("Unemployed, not registered")
    PENSIONER = "pensioner", _("Pensioner")
    STUDENT = "student", _("Pupil or student")
    CHILD = "child", _("Child under school age")
    CARER = "carer", _("Caring for a family member")
    UNABLE = "unable", _("Unable to work")
    OTHER = "other", _("Other")


class DisabilityDegree(models.TextChoices):
    NONE = "none", _("None")
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CHILD = "child", _("Disabled child (certificate)")
    PENDING = "pending", _("Assessment pending")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    UNRELATED = "unrelated", _("Unrelated")


class Person(TimeStamped):
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="persons")
    first_name = models.CharField(_("given names"), max_length=100)
    last_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    national_id = models.CharField(_("national ID"), max_length=20, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True, help_text=_("ISO country code"))
    territory = models.ForeignKey(
        Territory, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    employment_status = models.CharField(
        _("employment status"), max_length=30, choices=EmploymentStatus.choices, blank=True
    )
    disability_degree = models.CharField(
        _("disability degree"), max_length=20, choices=DisabilityDegree.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # Search columns, derived from the fields above on every save (and by bulk loaders).
    search_name = models.CharField(max_length=210, editable=False, default="")
    search_address = models.CharField(max_length=330, editable=False, default="")
    phone_digits = models.CharField(max_length=40, editable=False, default="")

    AUDITED_FIELDS = (
        "first_name", "last_name", "birth_date", "sex", "national_id", "citizenship", "territory",
        "street_address", "phone", "email", "education", "employment_status", "disability_degree", "notes",
    )  # fmt: skip

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "national_id"],
                condition=~Q(national_id=""),
                name="person_unique_national_id_per_centre",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "national_id"], name="person_centre_natid"),
            models.Index(fields=["centre", "birth_date"], name="person_centre_birth"),
            models.Index(fields=["centre", "last_name", "first_name"], name="person_centre_name"),
            # PostgreSQL only (ignored by SQLite): trigram search on the folded columns.
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="person_search_name_trgm"),
            GinIndex(OpClass("search_address", name="gin_trgm_ops"), name="person_search_addr_trgm"),
            GinIndex(OpClass("national_id", name="gin_trgm_ops"), name="person_natid_trgm"),
            GinIndex(OpClass("phone_digits", name="gin_trgm_ops"), name="person_phone_trgm"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def latin_name(self) -> str:
        """Latin transliteration, shown beside names written in Cyrillic ('' when not needed)."""
        return transliterate(self.full_name) if has_cyrillic(self.full_name) else ""

    def refresh_search_columns(self, locality_name: str = "") -> None:
        self.search_name = fold(f"{self.first_name} {self.last_name}")
        if not locality_name and self.territory_id:
            locality_name = self.territory.name
        self.search_address = fold(f"{self.street_address} {locality_name}")
        self.phone_digits = digits_only(self.phone)

    def save(self, *args, **kwargs):
        self.refresh_search_columns()
        super().save(*args, **kwargs)


class Household(TimeStamped):
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="households")
    territory = models.ForeignKey(
        Territory, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    external_ref = models.CharField(
        _("reference"), max_length=60, blank=True, help_text=_("Identifier from an imported file or another system")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    AUDITED_FIELDS = ("territory", "street_address", "external_ref", "notes")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "external_ref"],
                condition=~Q(external_ref=""),
                name="household_unique_ref_per_centre",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Household')} {self.pk}"

    @property
    def display_name(self) -> str:
        """The family's name: "Anna Kowalska (household)" once `registry.selectors.attach_household_heads`
        has found who names it, else "Household 12" (no current member, or not looked up)."""
        head = getattr(self, "head_member", None)
        if head is None:
            return str(self)
        return str(_("%(name)s (household)") % {"name": head.full_name})


class Membership(models.Model):
    """A person's membership of a household over a period: valid_from inclusive, valid_until exclusive."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(_("relationship to the head"), max_length=20, choices=Relationship.choices)
    valid_from = models.DateField(_("member since"))
    valid_until = models.DateField(_("member until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        ordering = ["valid_from", "id"]
        constraints = [
            # One person is in at most one household at a time.
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_until__isnull=True), name="membership_one_current_per_person"
            ),
            # A household has at most one current head.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(valid_until__isnull=True, relationship="head"),
                name="membership_one_current_head",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["household", "valid_until"], name="membership_household_current")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id} ({self.relationship}) from {self.valid_from}"

    @property
    def is_current(self) -> bool:
        return self.valid_until is None


from socius.registry.models_consents import Consent, ConsentMethod, ConsentPurpose  # noqa: E402, F401
