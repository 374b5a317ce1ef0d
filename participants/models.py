import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from courses.fields import LanguagesField
from courses.models import Sector, sector_of_kind

COHORT_SIZE = (30, 40)  # small enough to feel safe, large enough to mix sectors and countries


def private_storage():
    """Files about people (photos, session packs) live outside the public media folder; views check who asks."""
    return storages["private"]


def photo_path(profile, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"photos/{profile.user_id}/{secrets.token_hex(8)}.{extension}"


def fold(text: str) -> str:
    """Text as search and sorting see it: no case, no accents, in any script."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    SELF_DESCRIBED = "self_described", _("I describe myself as…")
    NOT_SAID = "not_said", _("I prefer not to say")


class Profile(models.Model):
    """What a person tells us about themselves. Names are kept in every script they use."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(
        _("full name as in passport"), max_length=200, help_text=_("Printed on certificates and visa letters.")
    )
    native_name = models.CharField(_("name in native script"), max_length=200, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    gender_self_described = models.CharField(_("gender, in your words"), max_length=100, blank=True)
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
    languages = LanguagesField(_("languages you work in"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    messaging = models.CharField(
        _("messaging app and handle"), max_length=100, blank=True, help_text=_("For example: WhatsApp +66 81 234 5678")
    )
    # Consents: each one explicit (off until the person turns it on) and revocable at any time.
    listed_in_directory = models.BooleanField(_("list me in the alumni directory"), default=False)
    consent_photo = models.BooleanField(_("my photo may be shown to my cohort and on my badge"), default=False)
    consent_share_contact = models.BooleanField(_("share my email and phone with my cohort"), default=False)
    consents_updated_at = models.DateTimeField(_("consents last changed"), null=True, blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to=photo_path,
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        help_text=_("A clear face photo, JPEG or PNG, at most 5 MB. Shown only if you allow it below."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Folded copies of the names for search (the native name apart: a person may keep it out of the directory).
    name_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    native_name_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.name_key = fold(f"{self.preferred_name} {self.full_name}".strip())
        self.native_name_key = fold(self.native_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "native_name_key"}
        super().save(*args, **kwargs)

    @property
    def country(self):
        """Where the person works: the country of posting, else their nationality."""
        return self.country_of_posting or self.nationality

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name or self.user.email

    @property
    def sector(self) -> str:
        return sector_of_kind(self.organisation.kind) if self.organisation_id else Sector.OTHER


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
    max_per_country = models.PositiveSmallIntegerField(
        _("most participants from one country"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Counted by nationality."),
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    auto_confirm = models.BooleanField(
        _("confirm automatically"),
        default=True,
        help_text=_("Confirm a registration at once when the cohort's rules allow it."),
    )
    certificate_days = models.PositiveSmallIntegerField(
        _("days of attendance for a certificate"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to ask for every day of the session. Late counts as attended; excused does not."),
    )
    certificate_signatories = models.TextField(
        _("certificate signatories"),
        blank=True,
        help_text=_("One per line: name, a comma, then role. For example: Leila Haddad, Programme director"),
    )
    attendance_closed_at = models.DateTimeField(
        _("attendance closed at"),
        null=True,
        blank=True,
        help_text=_("When registrations became attended or no-show from the attendance."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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
        errors = {}
        low, high = COHORT_SIZE
        if self.capacity is not None and not low <= self.capacity <= high:
            errors["capacity"] = _("A cohort holds %(low)s to %(high)s people.") % {"low": low, "high": high}
        if (self.target_government or 0) + (self.target_civil_society or 0) > 100:
            errors["target_civil_society"] = _("The sector targets cannot add up to more than 100 %.")
        if self.registration_opens and self.registration_closes:
            if self.registration_closes <= self.registration_opens:
                errors["registration_closes"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def target_percent(self, sector: str) -> int:
        if sector == Sector.GOVERNMENT:
            return self.target_government
        if sector == Sector.CIVIL_SOCIETY:
            return self.target_civil_society
        return max(0, 100 - self.target_government - self.target_civil_society)

    def ceiling(self, sector: str) -> int:
        """The most confirmed seats a sector may hold: capacity × (target + tolerance), rounded down."""
        return min(self.capacity, self.capacity * (self.target_percent(sector) + self.tolerance) // 100)

    def target_seats(self, sector: str) -> float:
        return self.capacity * self.target_percent(sector) / 100

    def signatories(self) -> list[tuple[str, str]]:
        """(name, role) pairs from the signatories text, in order."""
        pairs = []
        for line in self.certificate_signatories.splitlines():
            if line.strip():
                name, _comma, role = line.partition(",")
                pairs.append((name.strip(), role.strip()))
        return pairs


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


# Statuses that hold a seat in the cohort.
SEATED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)


class Registration(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    # The sector and nationality counted for this cohort, fixed when the person applied.
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    country = CountryField(_("nationality"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Logistics
    travelling_from = models.CharField(_("travelling from (city, country)"), max_length=200, blank=True)
    needs_visa_letter = models.BooleanField(_("I need a visa invitation letter"), default=False)
    dietary = models.CharField(_("dietary needs"), max_length=200, blank=True)
    accessibility = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    # The last decision: who, when and why (every decision is also in RegistrationEvent).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="registration_unique_person_per_cohort"),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(sector__in=Sector.values), name="registration_sector_valid"),
        ]
        indexes = [models.Index(fields=["cohort", "status", "sector"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.cohort} ({self.get_status_display()})"


class RegistrationEvent(models.Model):
    """The log of every change to a registration: what, who, why. Never edited."""

    class Kind(models.TextChoices):
        APPLIED = "applied", _("Applied")
        DECISION = "decision", _("Decision")
        OVERRIDE = "override", _("Override of the rules")
        PROMOTION = "promotion", _("Promoted from the waitlist")
        WITHDRAWAL = "withdrawal", _("Declined or cancelled")
        ATTENDANCE = "attendance", _("Attended or no-show, from the attendance")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RegistrationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    notified_at = models.DateTimeField(_("person notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.from_status} → {self.to_status}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Withdrawn by the organisers")


class Invitation(models.Model):
    """A personal, single-use invitation to one cohort. Its link carries a signed token, never a bare id."""

    Status = InvitationStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    intended_sector = models.CharField(_("intended sector"), max_length=20, choices=Sector.choices)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    nonce = models.CharField(max_length=32, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("link valid until"))
    sends_requested = models.PositiveSmallIntegerField(default=1, editable=False)
    sends_done = models.PositiveSmallIntegerField(default=0, editable=False)
    last_sent_at = models.DateTimeField(_("last emailed at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    # Set when the person was selected from a call: accepting confirms them (their seat was chosen in the balance).
    application = models.OneToOneField(
        "Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="invitation_unique_email_per_cohort"),
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort}"


class ExportRecord(models.Model):
    """Every export of personal data: who took what, when (invariant: every export is logged)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=50)
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rows = models.PositiveIntegerField(_("rows"))
    via = models.CharField(_("through"), max_length=20, default="web")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.rows}) {self.created_at:%Y-%m-%d %H:%M}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Statuses that count as a day attended (for certificates and for becoming an alumnus).
ATTENDED_DAY = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(models.Model):
    """One participant on one day of the session: one record, changed in place, every change logged."""

    Status = AttendanceStatus

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("day"))
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["date", "registration_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "date"], name="attendance_one_per_person_per_day"),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.date}: {self.status}"


class AttendanceChange(models.Model):
    """The log of attendance: every tap, scan and correction, with the reason for a correction. Never edited."""

    class Via(models.TextChoices):
        TAP = "tap", _("List")
        SCAN = "scan", _("Badge scan")
        CORRECTION = "correction", _("Correction by an organiser")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance_changes")
    date = models.DateField(_("day"))
    from_status = models.CharField(_("from"), max_length=10, choices=AttendanceStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=AttendanceStatus.choices)
    via = models.CharField(_("through"), max_length=12, choices=Via.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.date}: {self.from_status} → {self.to_status}"


class SessionPack(models.Model):
    """The printed pack of a cohort (badges, sign-in sheets, certificates) built by a background job.

    The file is kept while the session, its people and their attendance stay as they were (the fingerprint).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="pack")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    fingerprint = models.CharField(max_length=64, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="packs/", storage=private_storage, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("session pack")
        verbose_name_plural = _("session packs")

    def __str__(self) -> str:
        return f"{self.cohort}: {self.status} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class AuditEntry(models.Model):
    """Who looked at or handled personal data, and the personal-data requests of the people themselves.

    Exports are in ExportRecord and decisions on registrations in RegistrationEvent (with their actor and reason):
    the organisers' audit page reads all three. Entries and export records older than AUDIT_RETENTION_DAYS are
    deleted by a daily job; a registration's own history stays with it."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed personal data")
        DOWNLOADED_OWN = "downloaded_own", _("Downloaded their own data")
        ERASED = "erased", _("Erased their personal data")
        PURGED = "purged", _("Purged unanswered invitations")
        SETTINGS = "settings", _("Changed settings")
        ROLES = "roles", _("Changed role membership")
        SELECTION = "selection", _("Decided who is selected from a call")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # What exactly, as data ({"code": …, params}: participants/audit_details.py), put into words in the reader's
    # language when the trail is read. `what` holds the English text of entries written before details existed.
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    what = models.CharField(_("what"), max_length=200, blank=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("whose data"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.what}"


# --- Calls for applications (issue 16) ---


def answer_path(answer, filename: str) -> str:
    # The name typed by the applicant is kept apart (file_name); the stored name gives nothing away.
    return f"applications/{answer.application.call_id}/{secrets.token_hex(12)}.pdf"


class CallMode(models.TextChoices):
    OPEN = "open", _("Open to anyone with the link")
    NOMINATION = "nomination", _("By nomination only")


class Call(models.Model):
    """A cohort's call for applications: who may apply, until when, and the questions asked."""

    Mode = CallMode

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="call")
    mode = models.CharField(_("who may apply"), max_length=12, choices=CallMode.choices, default=CallMode.OPEN)
    opens_at = models.DateTimeField(_("applications open"))
    deadline = models.DateTimeField(_("deadline"))
    eligibility_en = models.TextField(_("who may apply (English)"), blank=True)
    eligibility_ar = models.TextField(_("who may apply (Arabic)"), blank=True)
    eligibility_fr = models.TextField(_("who may apply (French)"), blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown in the public list of calls while it is open.")
    )
    # Review and selection
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers see no name, organisation or country, and no uploaded file (files carry names)."),
    )
    min_women_percent = models.PositiveSmallIntegerField(
        _("women among those selected (at least, %)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The shortlist assistant aims for at least this share of women. Leave empty for no target."),
    )
    min_score = models.DecimalField(
        _("lowest score that may be selected"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 to 5. Leave empty to consider every reviewed application."),
    )
    decided_at = models.DateTimeField(_("selection decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("selection decided by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("opens_at")), name="call_deadline_after_opening"
            ),
            models.CheckConstraint(condition=models.Q(mode__in=CallMode.values), name="call_mode_valid"),
        ]

    def __str__(self) -> str:
        return str(self.cohort)

    def clean(self):
        if self.opens_at and self.deadline and self.deadline <= self.opens_at:
            raise ValidationError({"deadline": _("The deadline must come after the call opens.")})

    @property
    def eligibility(self) -> str:
        """Who may apply, in the active language, else in English."""
        return in_language(self, "eligibility")

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.deadline


def in_language(obj, field: str) -> str:
    """A field kept in en/ar/fr, in the active language, else in English, else in any language that has it."""
    from django.utils.translation import get_language

    language = (get_language() or "en")[:2]
    values = [getattr(obj, f"{field}_{code}", "") for code in (language, "en", "ar", "fr")]
    return next((value for value in values if value), "")


class CallQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One choice from a list")
        NUMBER = "number", _("Number")
        FILE = "file", _("PDF file")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label_en = models.CharField(_("question (English)"), max_length=300)
    label_ar = models.CharField(_("question (Arabic)"), max_length=300, blank=True)
    label_fr = models.CharField(_("question (French)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=500, blank=True)
    help_ar = models.CharField(_("help (Arabic)"), max_length=500, blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=500, blank=True)
    choices_en = models.TextField(_("choices (English)"), blank=True, help_text=_("One per line, for a choice."))
    choices_ar = models.TextField(_("choices (Arabic)"), blank=True, help_text=_("One per line, in the same order."))
    choices_fr = models.TextField(_("choices (French)"), blank=True, help_text=_("One per line, in the same order."))
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["text", "choice", "number", "file"]), name="call_question_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.label_en

    def clean(self):
        if self.kind == self.Kind.CHOICE:
            count = len(self.choice_lines("en"))
            if count < 2:
                raise ValidationError({"choices_en": _("Give at least two choices, one per line.")})
            for code in ("ar", "fr"):
                lines = self.choice_lines(code)
                if lines and len(lines) != count:
                    raise ValidationError(
                        {f"choices_{code}": _("Give as many choices as in English, in the same order.")}
                    )

    @property
    def label(self) -> str:
        return in_language(self, "label")

    @property
    def help(self) -> str:
        return in_language(self, "help")

    def choice_lines(self, code: str) -> list[str]:
        return [line.strip() for line in getattr(self, f"choices_{code}", "").splitlines() if line.strip()]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(value, text) pairs in the active language: the value is the choice's place (1, 2…), the same in every
        language, so an answer reads in the reader's language."""
        from django.utils.translation import get_language

        english = self.choice_lines("en")
        local = self.choice_lines((get_language() or "en")[:2])
        texts = local if len(local) == len(english) else english
        return [(str(index), text) for index, text in enumerate(texts, start=1)]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, not sent")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("On the reserve list")
    NOT_SELECTED = "not_selected", _("Not selected")


class Application(models.Model):
    Status = ApplicationStatus

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices, default="draft")
    language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The organisers' hand on the shortlist: "in" (keep in the proposal) or "out" (leave out), kept between visits.
    pin = models.CharField(_("organisers' choice"), max_length=3, blank=True,
                           choices=[("in", _("Keep in")), ("out", _("Leave out"))])  # fmt: skip
    reserve_rank = models.PositiveIntegerField(_("place on the reserve list"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_notified_at = models.DateTimeField(_("applicant told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="application_one_per_person_per_call"),
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.call} ({self.status})"


class Answer(models.Model):
    """One answer: text, a number, a choice (its place in the list, in `text`) or a PDF kept in private storage."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), blank=True)
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    file = models.FileField(_("file"), upload_to=answer_path, storage=private_storage, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.question_id}"

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.number is not None or self.file)


# --- Nominations (issue 16) ---


class NominationLink(models.Model):
    """A nominating organisation's personal link to a call: its focal point nominates up to `max_nominees` people
    and sees those nominations, no one else's. The link carries a signed token, never a bare id."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="nomination_links")
    organisation_name = models.CharField(_("nominating organisation"), max_length=200)
    focal_point_name = models.CharField(_("focal point's name"), max_length=200)
    focal_point_email = models.EmailField(_("focal point's email"))
    language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    max_nominees = models.PositiveSmallIntegerField(
        _("most people they may nominate"), default=3, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    nonce = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last emailed at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination link")
        verbose_name_plural = _("nomination links")
        ordering = ["organisation_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "focal_point_email"], name="nomination_link_one_per_focal_point"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} → {self.call}"


class Nomination(models.Model):
    """One person nominated by a focal point; asked by email to complete an application to the call."""

    link = models.ForeignKey(NominationLink, on_delete=models.CASCADE, related_name="nominations")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="nominations")
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    position = models.CharField(_("position"), max_length=200, blank=True)
    language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    application = models.OneToOneField(
        "Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="nomination"
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="nomination_one_per_person_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ← {self.link_id}"


# --- Review (issue 16) ---


class Criterion(models.Model):
    """One line of a call's rubric: scored 1–5 by each reviewer, weighted in the application's score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    label_en = models.CharField(_("criterion (English)"), max_length=200)
    label_ar = models.CharField(_("criterion (Arabic)"), max_length=200, blank=True)
    label_fr = models.CharField(_("criterion (French)"), max_length=200, blank=True)
    help_en = models.CharField(_("what a 5 looks like (English)"), max_length=500, blank=True)
    help_ar = models.CharField(_("what a 5 looks like (Arabic)"), max_length=500, blank=True)
    help_fr = models.CharField(_("what a 5 looks like (French)"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=5), name="criterion_weight_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return in_language(self, "label")

    @property
    def help(self) -> str:
        return in_language(self, "help")


class CallReviewer(models.Model):
    """A member of the Reviewers role given one call: they see only the applications assigned to them there."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calls_to_review")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reviewer of a call")
        verbose_name_plural = _("reviewers of calls")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="call_reviewer_once")]

    def __str__(self) -> str:
        return f"{self.user} ⇢ {self.call}"


class Review(models.Model):
    """One reviewer's reading of one application: created when the application is assigned to them, scored (or a
    conflict of interest declared) later. Never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.CharField(_("the conflict, in a few words"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="review_once_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ⇢ {self.application_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_value_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.criterion_id}: {self.value}"
