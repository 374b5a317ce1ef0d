"""Instruments (reusable questionnaires), surveys (an instrument given to a cohort at a time), responses."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from courses.fields import ThemesField

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def in_language(obj, field: str, language: str | None = None) -> str:
    """The text of `field` in the active language (`field_ar`, `field_fr`…), else in English."""
    language = (language or get_language() or "en").split("-")[0]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", "")


class InstrumentKind(models.TextChoices):
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment (before)")
    DAILY = "daily", _("Daily evaluation")
    END_OF_SESSION = "end_of_session", _("End-of-session evaluation")
    FOLLOW_UP = "follow_up", _("Follow-up (after)")


class Level(models.TextChoices):
    """What an instrument measures (Kirkpatrick's four levels)."""

    REACTION = "reaction", _("Reaction")
    LEARNING = "learning", _("Learning")
    BEHAVIOUR = "behaviour", _("Behaviour (transfer)")
    RESULTS = "results", _("Results")


class Instrument(ClusterableModel):
    """A reusable questionnaire, in English, Arabic and French."""

    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    level = models.CharField(_("what it measures"), max_length=20, choices=Level.choices)
    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in links and exports."))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("level"), FieldPanel("slug")]),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("title_fr"), FieldPanel("title_ar")], heading=_("Title")),
        MultiFieldPanel(
            [FieldPanel("intro_en"), FieldPanel("intro_fr"), FieldPanel("intro_ar")], heading=_("Introduction")
        ),
        InlinePanel("questions", label=_("Questions")),
    ]

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["kind", "title_en"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def intro(self) -> str:
        return in_language(self, "intro")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    BEFORE_AFTER = "before_after", _("Self-rating before and after, 1 to 5")
    ACTION_PLAN = "action_plan", _("Action plan")
    COHORT_MEMBERS = "cohort_members", _("People of the cohort (network ties)")


class TieKind(models.TextChoices):
    INFORMATION = "information", _("Exchanged information")
    REFERRAL = "referral", _("Referred a migrant worker's case")
    JOINT_ADVOCACY = "joint_advocacy", _("Joint advocacy")
    JOINT_TRAINING = "joint_training", _("Joint training")
    OTHER = "other", _("Other collaboration")
    # The follow-up questionnaire asks about joint work of any kind in one question.
    JOINT_WORK = "joint_work", _("Worked jointly (advocacy, training)")


# What an alumnus can record by hand (the questionnaire's broader "joint work" is not offered).
COLLABORATION_KINDS = [choice for choice in TieKind.choices if choice[0] != TieKind.JOINT_WORK]


class Question(Orderable):
    instrument = ParentalKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=50, help_text=_("Stable name of the answer in exports."))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    text_en = models.TextField(_("question (English)"))
    text_fr = models.TextField(_("question (French)"), blank=True)
    text_ar = models.TextField(_("question (Arabic)"), blank=True)
    choices_en = models.TextField(_("choices (English)"), blank=True, help_text=_("One per line."))
    choices_fr = models.TextField(_("choices (French)"), blank=True, help_text=_("One per line, in the same order."))
    choices_ar = models.TextField(_("choices (Arabic)"), blank=True, help_text=_("One per line, in the same order."))
    tie_kind = models.CharField(
        _("tie recorded"), max_length=20, choices=TieKind.choices, blank=True,
        help_text=_("For a question about people of the cohort: the kind of collaboration it records."),
    )  # fmt: skip

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("kind"), FieldPanel("required"), FieldPanel("tie_kind")]),
        FieldPanel("text_en"), FieldPanel("text_fr"), FieldPanel("text_ar"),
        FieldPanel("choices_en"), FieldPanel("choices_fr"), FieldPanel("choices_ar"),
    ]  # fmt: skip

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return in_language(self, "text")

    def choices(self, language: str | None = None) -> list[tuple[str, str]]:
        """(value, label) pairs; the value is the English line's position, stable across languages."""
        english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
        labels = [line.strip() for line in in_language(self, "choices", language).splitlines() if line.strip()]
        if len(labels) != len(english):
            labels = english
        return [(str(number), label) for number, label in enumerate(labels, start=1)]

    def clean(self):
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not self.choices_en.strip():
            raise ValidationError({"choices_en": _("List the choices, one per line.")})
        for language in ("fr", "ar"):
            given = [line for line in getattr(self, f"choices_{language}").splitlines() if line.strip()]
            english = [line for line in self.choices_en.splitlines() if line.strip()]
            if given and len(given) != len(english):
                raise ValidationError(
                    {f"choices_{language}": _("Give as many choices as in English, in the same order.")}
                )
        if self.kind == QuestionKind.COHORT_MEMBERS and not self.tie_kind:
            raise ValidationError({"tie_kind": _("Say which collaboration this question records.")})


class Anchor(models.TextChoices):
    START = "start", _("first day")
    END = "end", _("last day")


class Survey(models.Model):
    """An instrument given to a cohort: it opens at a time set from the session's dates, in the venue's time
    zone, and closes after a window. Daily evaluations are one survey per day."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cohort = models.ForeignKey("participants.Cohort", on_delete=models.CASCADE, related_name="surveys")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="surveys")
    anchor = models.CharField(_("counted from"), max_length=10, choices=Anchor.choices)
    offset_days = models.SmallIntegerField(
        _("days after (negative: before)"), validators=[MinValueValidator(-365), MaxValueValidator(730)]
    )
    local_time = models.TimeField(_("opens at (venue time)"))
    window_hours = models.PositiveIntegerField(
        _("open for (hours)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 90)]
    )
    anonymous = models.BooleanField(
        _("anonymous"), help_text=_("Anonymous answers are never linked to a person, in any page or export.")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    max_reminders = models.PositiveSmallIntegerField(_("reminders"), default=2, validators=[MaxValueValidator(2)])
    debrief_sent_at = models.DateTimeField(_("debrief sent to the trainers"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["opens_at", "id"]
        indexes = [models.Index(fields=["status", "opens_at"]), models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} – {self.cohort} ({self.opens_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def occasion(self) -> str:
        """Which of the cohort's questionnaires of its kind this is, in the active language, from the day it opens
        at the venue: "Day 3 · Wed 12 March" for a daily evaluation, "Follow-up at 3 months · June 2027" for a
        follow-up; empty for the others, one per cohort. Reads the instrument and the cohort's session."""
        import zoneinfo

        from django.utils.formats import date_format
        from django.utils.translation import gettext, ngettext

        kind = self.instrument.kind
        if kind not in (InstrumentKind.DAILY, InstrumentKind.FOLLOW_UP):
            return ""
        session = self.cohort.session
        day = self.opens_at.astimezone(zoneinfo.ZoneInfo(session.time_zone)).date()
        if kind == InstrumentKind.DAILY:
            number = (day - session.start_date).days + 1
            if not 1 <= number <= (session.end_date - session.start_date).days + 1:  # moved off the session's days
                return date_format(day, "D j F Y")
            return gettext("Day %(number)s · %(date)s") % {"number": number, "date": date_format(day, "D j F")}
        months = round((day - session.end_date).days / 30.44)
        if months < 1:
            return date_format(day, "DATE_FORMAT")
        return ngettext(
            "Follow-up at %(months)s month · %(date)s", "Follow-up at %(months)s months · %(date)s", months
        ) % {"months": months, "date": date_format(day, "YEAR_MONTH_FORMAT")}

    @property
    def label(self) -> str:
        """The questionnaire's title and, for the kinds a cohort has several of, which one it is."""
        occasion = self.occasion
        return f"{self.instrument.title} · {occasion}" if occasion else self.instrument.title


class Delivery(models.Model):
    """One identified person asked to answer one survey: what was sent, once each (idempotent jobs)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="delivery_one_per_person")]

    def __str__(self) -> str:
        return f"{self.survey_id} → {self.user_id}"


class Response(models.Model):
    """One person's answers to one survey; a draft until submitted, editable until the survey closes.

    An anonymous survey's response has no respondent: who answered is kept apart, in AnonymousReceipt, with
    nothing that links the two (no id, no time to the second).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(default=dict)
    submitted = models.BooleanField(default=False)
    # Identified answers only: an anonymous answer carries no date or time that could point at its author.
    submitted_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="response_one_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {'submitted' if self.submitted else 'draft'}"


class AnonymousReceipt(models.Model):
    """That a person has answered an anonymous survey (so they answer once): never which answer is theirs.

    Its key is random, so that the order of receipts cannot be matched with the order of answers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="receipt_one_per_person")]

    def __str__(self) -> str:
        return f"{self.survey_id}: answered"


class Collaboration(models.Model):
    """An alumnus says they worked with one or more alumni: each person named becomes a tie."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborations_reported"
    )
    kind = models.CharField(_("kind of collaboration"), max_length=20, choices=COLLABORATION_KINDS)
    happened_on = models.DateField(_("when"))
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reporter_id}: {self.kind} {self.happened_on}"


class Tie(models.Model):
    """One person said they worked with another alumnus: the alumni network's raw material.

    A tie reported by both sides is confirmed; each report is kept with where it came from. `cohort` is the
    cohort both people share, if any (a tie across cohorts has none).
    """

    class Source(models.TextChoices):
        SURVEY = "survey", _("Follow-up questionnaire")
        COLLABORATION = "collaboration", _("Collaboration recorded by an alumnus")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ties_reported")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ties_received")
    kind = models.CharField(_("kind"), max_length=20, choices=TieKind.choices)
    cohort = models.ForeignKey(
        "participants.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="ties"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, null=True, blank=True, related_name="ties")
    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, null=True, blank=True, related_name="ties"
    )
    reported_on = models.DateField(_("reported on"))

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reporter=models.F("other")), name="tie_not_with_oneself"),
            models.UniqueConstraint(
                fields=["response", "other", "kind"], condition=models.Q(response__isnull=False),
                name="tie_once_per_response",
            ),
            models.UniqueConstraint(
                fields=["collaboration", "other"], condition=models.Q(collaboration__isnull=False),
                name="tie_once_per_collaboration",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["cohort", "kind"]), models.Index(fields=["reporter", "other"])]

    def __str__(self) -> str:
        return f"{self.reporter_id} → {self.other_id} ({self.kind})"


class DirectoryListing(models.Model):
    """What an alumnus shows other alumni in the directory, field by field: nothing until they choose.

    Being listed at all is the profile's `listed_in_directory` consent; the name is always shown when listed.
    """

    # The fields a person may share, in the order the directory shows them.
    FIELDS = (
        "native_name", "sector", "organisation", "position", "country", "languages", "expertise", "cohorts",
    )  # fmt: skip

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing")
    share_native_name = models.BooleanField(_("my name in native script"), default=False)
    share_sector = models.BooleanField(_("my sector (government, civil society, other)"), default=False)
    share_organisation = models.BooleanField(_("my organisation"), default=False)
    share_position = models.BooleanField(_("my position"), default=False)
    share_country = models.BooleanField(_("the country where I work"), default=False)
    share_languages = models.BooleanField(_("the languages I work in"), default=False)
    share_expertise = models.BooleanField(_("my areas of expertise"), default=False)
    share_cohorts = models.BooleanField(_("the sessions I attended"), default=False)
    expertise = ThemesField(_("areas of expertise"))
    about = models.TextField(
        _("what I work on"), max_length=500, blank=True,
        help_text=_("A sentence or two other alumni see under your name: what you work on, how you could help."),
    )  # fmt: skip
    accepts_messages = models.BooleanField(
        _("other alumni may send me messages"), default=True,
        help_text=_("Messages come by email through Attaché; your address stays hidden until you reply."),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("directory listing")
        verbose_name_plural = _("directory listings")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.shared_fields()) or '-'}"

    def shared_fields(self) -> list[str]:
        return [field for field in self.FIELDS if getattr(self, f"share_{field}")]


class ContactBlock(models.Model):
    """A recipient stops a sender's messages. The sender is not told why."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class RelayedMessage(models.Model):
    """The log of a message relayed between alumni: who, to whom, when. The text is emailed, never kept."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received")
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["sender", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} {self.sent_at:%Y-%m-%d %H:%M}"
