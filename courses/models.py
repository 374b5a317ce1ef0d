import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import ActivityBlock


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    EMBASSY_LABOUR_OFFICE = "embassy_labour_office", _("Embassy labour office")
    NGO = "ngo", _("Non-governmental organisation")
    TRADE_UNION = "trade_union", _("Trade union")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    ACADEMIC = "academic", _("Academic")
    OTHER = "other", _("Other")


SECTOR_OF_KIND = {
    OrganisationKind.MINISTRY: Sector.GOVERNMENT,
    OrganisationKind.EMBASSY_LABOUR_OFFICE: Sector.GOVERNMENT,
    OrganisationKind.NGO: Sector.CIVIL_SOCIETY,
    OrganisationKind.TRADE_UNION: Sector.CIVIL_SOCIETY,
}


def sector_of_kind(kind: str) -> Sector:
    """The balance of a cohort counts government and civil society; every other kind is 'other'."""
    return SECTOR_OF_KIND.get(kind, Sector.OTHER)


def kinds_of_sector(sector: str) -> list[str]:
    return [kind.value for kind in OrganisationKind if sector_of_kind(kind) == sector]


class Organisation(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True)
    is_host = models.BooleanField(
        _("host organisation"), default=False, help_text=_("The organisation that runs the programmes.")
    )
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("acronym"), FieldPanel("kind"), FieldPanel("country")]),
        FieldPanel("is_host"),
        FieldPanel("website"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("acronym"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_country"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def sector(self) -> Sector:
        return sector_of_kind(self.kind)


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ProgrammeIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import list_programmes

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = list_programmes(locale=self.locale)
        return context


class ProgrammeIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.ProgrammePage"]

    class Meta:
        verbose_name = _("programme index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import list_programmes

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = list_programmes(locale=self.locale, parent=self)
        return context


class ProgrammePage(Page):
    summary = models.TextField(_("summary"), max_length=600)
    objectives = RichTextField(_("objectives"), blank=True)
    target_audience = models.TextField(_("target audience"), blank=True)
    partners = ParentalManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="programmes"
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("target_audience"),
        FieldPanel("partners"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["courses.ProgrammeIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.SessionPage"]

    class Meta:
        verbose_name = _("programme")

    def get_context(self, request, *args, **kwargs):
        from .selectors import list_modules, list_sessions

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = list_modules(programme=self)
        context["sessions"] = list_sessions(programme=self)
        return context


class ModulePage(Page):
    learning_outcomes = RichTextField(_("learning outcomes"), blank=True)
    activities = StreamField([("activity", ActivityBlock())], verbose_name=_("activities"), blank=True)
    # Shown only to trainers, organisers and partner editors: never rendered on the public page.
    facilitator_notes = RichTextField(_("facilitator notes"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("learning_outcomes"),
        FieldPanel("activities"),
        FieldPanel("facilitator_notes"),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("curriculum module")

    @property
    def duration_minutes(self) -> int:
        return sum(block.value["duration_minutes"] or 0 for block in self.activities)


TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SessionPage(Page):
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    time_zone = models.CharField(_("venue time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])], heading=_("Dates")),
        MultiFieldPanel(
            [FieldPanel("city"), FieldPanel("country"), FieldPanel("venue"), FieldPanel("time_zone")],
            heading=_("Place"),
        ),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = pgettext_lazy("training", "session")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    @property
    def length_in_days(self) -> int:
        return (self.end_date - self.start_date).days + 1
