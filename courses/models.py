import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import StreamBlockValidationError
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from .blocks import ActivityBlock, DayBlock, HandoutBlock
from .fields import LanguagesField, ThemesField
from .forms import SessionPageForm
from .permissions import ALUMNI, ORGANISERS, TRAINERS, can_see_facilitator_notes
from .responses import download, keep_private

STANDARD_SESSION_LENGTHS = (5, 6)


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
    # The Wagtail group whose members edit the programmes this organisation co-owns (made on demand).
    editor_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors' group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="partner_organisation",
    )

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


class ContentLanguageMixin:
    @cached_property
    def content_language(self) -> str:
        """The language the content is written in: an alias (not translated yet) shows its original's."""
        source = self.alias_of if self.alias_of_id else self
        return source.locale.language_code


class HomePage(ContentLanguageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ProgrammeIndexPage", "courses.AlumniSpacePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import list_programmes

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = list_programmes(locale=self.locale)
        return context


class ProgrammeIndexPage(ContentLanguageMixin, Page):
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


class ProgrammePage(ContentLanguageMixin, RoutablePageMixin, Page):
    summary = models.TextField(_("summary"), max_length=600)
    objectives = RichTextField(_("objectives"), blank=True)
    themes = ThemesField(_("themes"))
    target_audience = models.TextField(_("target audience"), blank=True)
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"is_host": True},
        related_name="hosted_programmes",
    )
    partners = ParentalManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="programmes",
        help_text=_("Their editors can edit this programme and submit it for approval."),
    )
    languages = LanguagesField(_("languages"))
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("objectives"),
        FieldPanel("themes"),
        FieldPanel("target_audience"),
        FieldPanel("languages"),
        MultiFieldPanel([FieldPanel("host"), FieldPanel("partners")], heading=_("Designed by")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("target_audience"),
    ]
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

    @path("handbook/", name="handbook")
    def handbook(self, request):
        """The trainer handbook; facilitator notes only for those allowed to see them."""
        from .outputs import build_handbook

        with_notes = can_see_facilitator_notes(request.user, programme=self)
        return download(
            build_handbook(programme=self, include_notes=with_notes),
            filename=f"{self.slug}-handbook.pdf",
            content_type="application/pdf",
            private=request.user.is_authenticated,
        )

    @property
    def theme_labels(self) -> list[str]:
        return self._meta.get_field("themes").labels(self.themes)

    @property
    def language_labels(self) -> list[str]:
        return self._meta.get_field("languages").labels(self.languages)


class ModulePage(ContentLanguageMixin, Page):
    learning_outcomes = RichTextField(_("learning outcomes"), blank=True)
    activities = StreamField([("activity", ActivityBlock())], verbose_name=_("activities"), blank=True)
    handouts = StreamField([("handout", HandoutBlock())], verbose_name=_("handouts"), blank=True)
    # Shown only to trainers, organisers and the programme's partner editors: never to the public.
    facilitator_notes = RichTextField(
        _("facilitator notes"),
        blank=True,
        help_text=_("Seen only by trainers, organisers and this programme's partner editors."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("learning_outcomes"),
        FieldPanel("activities"),
        FieldPanel("handouts"),
        FieldPanel("facilitator_notes"),
    ]
    search_fields = Page.search_fields + [index.SearchField("learning_outcomes"), index.SearchField("activities")]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("curriculum module")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["show_facilitator_notes"] = can_see_facilitator_notes(request.user, programme=self.get_parent())
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            # What a signed-in person sees (facilitator notes) must never land in a shared cache.
            keep_private(response)
        return response

    @property
    def duration_minutes(self) -> int:
        return sum(block.value["duration_minutes"] or 0 for block in self.activities)


TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SessionPage(ContentLanguageMixin, RoutablePageMixin, Page):
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    time_zone = models.CharField(_("venue time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    languages = LanguagesField(_("languages"))
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        limit_choices_to={"groups__name": TRAINERS},
        related_name="training_sessions",
    )
    hosts = ParentalManyToManyField(
        Organisation, verbose_name=_("hosting partners"), blank=True, related_name="hosted_sessions"
    )
    allow_other_length = models.BooleanField(
        _("allow a length other than 5 or 6 days"),
        default=False,
        help_text=_("Only organisers can allow it, and must say why."),
    )
    other_length_reason = models.CharField(_("reason for the other length"), max_length=300, blank=True)
    agenda = StreamField([("day", DayBlock())], verbose_name=_("agenda"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("allow_other_length", permission="courses.set_session_length"),
                FieldPanel("other_length_reason", permission="courses.set_session_length"),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("city"), FieldPanel("country"), FieldPanel("venue"), FieldPanel("time_zone")],
            heading=_("Place"),
        ),
        FieldPanel("languages"),
        FieldPanel("trainers"),
        FieldPanel("hosts"),
        FieldPanel("agenda"),
    ]
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types: list[str] = []
    base_form_class = SessionPageForm

    class Meta:
        verbose_name = pgettext_lazy("training", "session")
        permissions = [("set_session_length", _("Can allow a session of another length than 5 or 6 days"))]

    @path("agenda/pdf/", name="agenda_pdf")
    def agenda_pdf(self, request):
        from .outputs import build_agenda_pdf

        return download(
            build_agenda_pdf(session=self), filename=f"{self.slug}-agenda.pdf", content_type="application/pdf",
            private=False,
        )  # fmt: skip

    @path("agenda/ics/", name="agenda_ics")
    def agenda_ics(self, request):
        from .outputs import build_agenda_ics

        return download(
            build_agenda_ics(session=self, url=self.get_full_url(request)), filename=f"{self.slug}.ics",
            content_type="text/calendar; charset=utf-8", private=False,
        )  # fmt: skip

    @property
    def length_in_days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def language_labels(self) -> list[str]:
        return self._meta.get_field("languages").labels(self.languages)

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = [_("The last day cannot be before the first day.")]
            elif self.length_in_days not in STANDARD_SESSION_LENGTHS and not self.allow_other_length:
                errors["end_date"] = [
                    _("A session lasts 5 or 6 days; this one lasts %(days)s. An organiser can allow another length.")
                    % {"days": self.length_in_days}
                ]
            else:
                errors.update(self._agenda_errors())
        if self.allow_other_length and not self.other_length_reason.strip():
            errors["other_length_reason"] = [_("Say why this session has another length.")]
        if errors:
            raise ValidationError(errors)

    def _agenda_errors(self) -> dict[str, list]:
        messages = []
        seen_days = set()
        # The editor's form tells a new page (not yet in the tree) which programme it will belong to.
        programme = getattr(self, "programme_for_validation", None) or (self.get_parent() if self.path else None)
        for day in self.agenda:
            date = day.value["date"]
            shown = date.strftime("%Y-%m-%d")
            if not self.start_date <= date <= self.end_date:
                messages.append(_("The day %(date)s is outside the session's dates.") % {"date": shown})
            if date in seen_days:
                messages.append(_("The day %(date)s appears twice in the agenda.") % {"date": shown})
            seen_days.add(date)
            for item in day.value["items"]:
                module = item["module"]
                # A translated session may still point at the original language's modules: compare across locales.
                if (
                    module is not None
                    and programme is not None
                    and (module.get_parent().translation_key != programme.translation_key)
                ):
                    messages.append(
                        _("“%(module)s” on %(date)s is not a module of this programme.")
                        % {"module": module.title, "date": shown}
                    )
        # One StreamBlock error carrying every message: Wagtail's editor shows them all above the agenda.
        return {"agenda": StreamBlockValidationError(non_block_errors=ErrorList(messages))} if messages else {}


class AlumniSpacePage(ContentLanguageMixin, Page):
    """News and resources for alumni only: the page and everything under it are private to the Alumni group
    (and the organisers who write for them), whatever an editor sets in the privacy menu."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.AlumniArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("alumni space")

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        restrict_to_alumni(self)
        return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = AlumniArticlePage.objects.live().child_of(self).order_by("-date", "-pk")
        return context

    def serve(self, request, *args, **kwargs):
        return keep_private(super().serve(request, *args, **kwargs))


class AlumniArticlePage(ContentLanguageMixin, Page):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        RESOURCE = "resource", _("Resource")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=300, blank=True)
    body = RichTextField(_("text"), blank=True)
    handouts = StreamField([("handout", HandoutBlock())], verbose_name=_("files"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("handouts"),
    ]
    parent_page_types = ["courses.AlumniSpacePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("alumni news or resource")

    def serve(self, request, *args, **kwargs):
        return keep_private(super().serve(request, *args, **kwargs))


def restrict_to_alumni(page: Page) -> None:
    """Only the Alumni group and the organisers may view the page and its descendants. Idempotent."""
    from django.contrib.auth.models import Group

    groups = [Group.objects.get_or_create(name=name)[0] for name in (ALUMNI, ORGANISERS)]
    restriction = PageViewRestriction.objects.filter(page=page).first()
    if restriction is None or restriction.restriction_type != PageViewRestriction.GROUPS:
        PageViewRestriction.objects.filter(page=page).delete()
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    if set(restriction.groups.all()) != set(groups):
        restriction.groups.set(groups)


class OutboundEmail(models.Model):
    """One email the platform owes someone: written in the same transaction as the change that causes it, sent
    by a worker that leases it first (courses.outbox), retried until sent. The key says what it is, so that the
    same change never owes the same email twice."""

    key = models.CharField(max_length=200, unique=True)
    # Either a builder (a dotted path called with `args` when it is sent: the email reflects the data then, and
    # returns None when it is no longer due), or a message rendered in advance (`message`).
    builder = models.CharField(max_length=200, blank=True)
    args = models.JSONField(default=dict, blank=True)
    message = models.JSONField(default=dict, blank=True)
    # Called with `args` in the transaction that records the send (e.g. the registration event's notified_at).
    on_sent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    available_at = models.DateTimeField(default=timezone.now)  # not tried again before (after a failure)
    queued_at = models.DateTimeField(null=True, blank=True)  # last put on the task queue
    leased_until = models.DateTimeField(null=True, blank=True)
    lease = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(default=False)  # no longer due when its turn came (e.g. the invitation answered)
    failed = models.BooleanField(default=False)  # given up after OUTBOX_MAX_ATTEMPTS

    class Meta:
        verbose_name = _("outbound email")
        indexes = [models.Index(fields=["sent_at", "failed", "available_at"], name="outbox_due")]

    def __str__(self):
        return self.key

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: a mail system that receives it twice shows it once."""
        import hashlib
        from email.utils import parseaddr

        digest = hashlib.sha256(f"{self.pk}:{self.key}".encode()).hexdigest()[:32]
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "attache.invalid"
        return f"<outbox.{digest}@{domain}>"
