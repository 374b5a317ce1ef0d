from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from courses.models import sector_of_kind


class Profile(models.Model):
    """What a person tells us about themselves. Names are kept in every script they use."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(
        _("full name as in passport"),
        max_length=200,
        help_text=_("Printed on certificates and visa letters."),
    )
    native_name = models.CharField(_("name in native script"), max_length=200, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "courses.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    country_of_posting = CountryField(_("country of posting"), blank=True)
    listed_in_directory = models.BooleanField(_("list me in the alumni directory"), default=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.user.email

    @property
    def sector(self) -> str:
        return sector_of_kind(self.organisation.kind) if self.organisation_id else "other"


class Cohort(models.Model):
    """The people of one session, with the rules that keep it small and balanced."""

    session = models.OneToOneField("courses.SessionPage", on_delete=models.CASCADE, related_name="cohort")
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=36, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    target_government = models.PositiveSmallIntegerField(
        _("government target (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    target_civil_society = models.PositiveSmallIntegerField(
        _("civil society target (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    tolerance = models.PositiveSmallIntegerField(
        _("tolerance (percentage points)"), default=10, validators=[MaxValueValidator(50)]
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    auto_confirm = models.BooleanField(
        _("confirm automatically"),
        default=True,
        help_text=_("Confirm a registration at once when the cohort's rules allow it."),
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="cohort_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(target_government__lte=100 - models.F("target_civil_society")),
                name="cohort_targets_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)

    def clean(self):
        if self.target_government + self.target_civil_society > 100:
            raise ValidationError(_("The sector targets cannot add up to more than 100 %."))
        if self.registration_opens and self.registration_closes:
            if self.registration_closes <= self.registration_opens:
                raise ValidationError({"registration_closes": _("Registration must close after it opens.")})


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


class Registration(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["applied_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="registration_unique_person_per_cohort"),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.cohort} ({self.get_status_display()})"
