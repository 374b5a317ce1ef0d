from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from courses.models import Sector

from .models import SEATED, Cohort, Registration, RegistrationStatus, fold
from .people import load_people, person_of, with_people


def count_seated_by_sector(*, cohort: Cohort) -> dict[str, int]:
    rows = Registration.objects.filter(cohort=cohort, status__in=SEATED).values("sector").annotate(n=Count("id"))
    return {row["sector"]: row["n"] for row in rows}


def count_seated_from_country(*, cohort: Cohort, country: str) -> int:
    return Registration.objects.filter(cohort=cohort, status__in=SEATED, country=country).count()


def list_waitlist(*, cohort: Cohort, sector: str | None = None) -> QuerySet[Registration]:
    waitlist = Registration.objects.filter(cohort=cohort, status=RegistrationStatus.WAITLISTED)
    if sector is not None:
        waitlist = waitlist.filter(sector=sector)
    return waitlist.select_related("user").order_by("applied_at", "id")


def get_waitlist_position(*, registration: Registration) -> int | None:
    """1 for the first in line in the registration's sector; None when not waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = list_waitlist(cohort=registration.cohort, sector=registration.sector).filter(
        Q(applied_at__lt=registration.applied_at) | Q(applied_at=registration.applied_at, id__lt=registration.id)
    )
    return ahead.count() + 1


def list_registrations_of(*, user) -> QuerySet[Registration]:
    return Registration.objects.filter(user=user).select_related("cohort__session").order_by("-applied_at")


def list_cohorts() -> QuerySet[Cohort]:
    return (
        Cohort.objects.select_related("session")
        .annotate(
            seated=Count("registrations", filter=Q(registrations__status__in=SEATED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )
        .order_by("-session__start_date")
    )


INVITATIONS_PER_PAGE = 50


def get_cohort_overview(*, cohort: Cohort, invitations_page: int | str = 1, declined_page: int | str = 1) -> dict:
    """Everything the organiser's dashboard shows, in a fixed number of queries. Invitations not answered yet,
    and those declined, come a page at a time (a sheet may have invited hundreds)."""
    registrations = list(
        Registration.objects.filter(cohort=cohort)
        .select_related("user__profile__organisation")
        .order_by("applied_at", "id")
    )
    waiting_order = list(registrations)  # the waitlists keep the order of application
    with_people(registrations)
    by_status = {status: 0 for status, _label in RegistrationStatus.choices}
    seated_by_sector: dict[str, int] = {}
    seated_by_country: dict[str, int] = {}
    seated_by_gender: dict[str, int] = {}
    waitlists: dict[str, list] = {}
    for registration in waiting_order:
        by_status[registration.status] += 1
        if registration.status in SEATED:
            seated_by_sector[registration.sector] = seated_by_sector.get(registration.sector, 0) + 1
            country = str(registration.country or "")
            seated_by_country[country] = seated_by_country.get(country, 0) + 1
            profile = getattr(registration.user, "profile", None)
            gender = profile.gender if profile and profile.gender else ""
            seated_by_gender[gender] = seated_by_gender.get(gender, 0) + 1
        elif registration.status == RegistrationStatus.WAITLISTED:
            waitlists.setdefault(registration.sector, []).append(registration)
    seated = sum(seated_by_sector.values())
    sectors = [
        {
            "code": code,
            "label": label,
            "seated": seated_by_sector.get(code, 0),
            "target": round(cohort.target_seats(code), 1),
            "ceiling": cohort.ceiling(code),
            "share": round(100 * seated_by_sector.get(code, 0) / cohort.capacity) if cohort.capacity else 0,
            "waiting": waitlists.get(code, []),
        }
        for code, label in Sector.choices
    ]
    return {
        "registrations": registrations,
        "by_status": [(RegistrationStatus(s).label, s, n) for s, n in by_status.items()],
        "seated": seated,
        "free": max(0, cohort.capacity - seated),
        "sectors": sectors,
        "countries": [
            (c, n, round(100 * n / seated) if seated else 0)
            for c, n in sorted(seated_by_country.items(), key=lambda item: (-item[1], item[0]))
        ],
        "genders": [
            (g, n, round(100 * n / seated) if seated else 0)
            for g, n in sorted(seated_by_gender.items(), key=lambda item: -item[1])
        ],
        "invitations": Paginator(
            cohort.invitations.filter(status="pending").order_by("email", "id"), INVITATIONS_PER_PAGE
        ).get_page(invitations_page),
        "declined_invitations": Paginator(
            cohort.invitations.filter(status="declined").order_by("email", "id"), INVITATIONS_PER_PAGE
        ).get_page(declined_page),
    }


def list_sessions_without_cohort():
    """Sessions (in the site's main language; translations share the cohort) that have no cohort yet."""
    from django.conf import settings

    from courses.models import SessionPage

    with_cohort = Cohort.objects.values_list("session__translation_key", flat=True)
    return list(
        SessionPage.objects.filter(alias_of__isnull=True, locale__language_code=settings.LANGUAGE_CODE)
        .exclude(translation_key__in=with_cohort)
        .order_by("-start_date")
    )


# --- Trainers: sessions, days and attendance ---


def list_sessions_for_trainer(*, user, include_all: bool = False) -> dict[str, list[Cohort]]:
    """The cohorts whose session the person trains (every cohort for an organiser), by running, upcoming, past."""
    from .services.attendance import session_today

    cohorts = Cohort.objects.select_related("session").order_by("session__start_date")
    if not include_all:
        cohorts = cohorts.filter(session__trainers=user)
    groups: dict[str, list[Cohort]] = {"running": [], "upcoming": [], "past": []}
    for cohort in cohorts:
        today = session_today(cohort.session)
        if today < cohort.session.start_date:
            groups["upcoming"].append(cohort)
        elif today > cohort.session.end_date:
            groups["past"].append(cohort)
        else:
            groups["running"].append(cohort)
    groups["past"].reverse()
    return groups


def get_agenda_day(*, session, date) -> list[dict]:
    """The agenda items of one day, each with its module (in the page's language), notes, materials, handouts."""
    for day in session.agenda:
        if day.value["date"] != date:
            continue
        items = []
        for item in day.value["items"]:
            module = item["module"].localized.specific if item["module"] else None
            activities = [block.value for block in module.activities] if module else []
            items.append(
                {
                    "start": item["start"],
                    "end": item["end"],
                    "title": item["title"] or (module.title if module else ""),
                    "facilitator": item["facilitator"],
                    "module": module,
                    "activities": activities,
                    "materials": [a["materials"] for a in activities if a["materials"]],
                    "handouts": [block.value for block in module.handouts] if module else [],
                }
            )
        return sorted(items, key=lambda item: item["start"])
    return []


def list_seated(*, cohort: Cohort) -> list[Registration]:
    """The cohort's confirmed (later: attended or no-show) people, by name, with profile and organisation."""
    registrations = list(
        Registration.objects.filter(cohort=cohort, status__in=SEATED).select_related("user__profile__organisation")
    )
    return with_people(registrations)


def list_day_attendance(*, cohort: Cohort, date) -> list[Registration]:
    """Seated people with `.attendance_status` for the day ('' when not taken yet)."""
    from .models import Attendance

    statuses = dict(
        Attendance.objects.filter(registration__cohort=cohort, date=date).values_list("registration_id", "status")
    )
    registrations = list_seated(cohort=cohort)
    for registration in registrations:
        registration.attendance_status = statuses.get(registration.pk, "")
    return registrations


def get_attendance_matrix(*, cohort: Cohort) -> dict:
    """People × days, with each person's days attended and whether that earns the certificate."""
    from .models import ATTENDED_DAY, Attendance
    from .services.attendance import session_days

    days = session_days(cohort.session)
    cells: dict[tuple[int, object], str] = {
        (registration_id, date): status
        for registration_id, date, status in Attendance.objects.filter(registration__cohort=cohort).values_list(
            "registration_id", "date", "status"
        )
    }
    needed = certificate_days_needed(cohort=cohort)
    rows = []
    for registration in list_seated(cohort=cohort):
        statuses = [cells.get((registration.pk, day), "") for day in days]
        attended = sum(1 for status in statuses if status in ATTENDED_DAY)
        rows.append(
            {"registration": registration, "statuses": statuses, "attended": attended, "certified": attended >= needed}
        )
    taken = {date: 0 for date in days}
    for (_registration_id, date), _status in cells.items():
        if date in taken:
            taken[date] += 1
    return {"days": days, "rows": rows, "needed": needed, "taken": [taken[d] for d in days], "any": bool(cells)}


def certificate_days_needed(*, cohort: Cohort) -> int:
    length = cohort.session.length_in_days
    return min(cohort.certificate_days or length, length)


def count_days_attended(*, registration: Registration) -> int:
    from .models import ATTENDED_DAY

    return registration.attendance.filter(status__in=ATTENDED_DAY).count()


# --- The audit trail ---

AUDIT_PAGE_SIZE = 50
REGISTRATION_DECISIONS = ("decision", "override", "withdrawal")  # RegistrationEvent kinds the trail shows
AUDIT_KINDS = {
    # filter: the kinds of entry it shows (AuditEntry actions, "export", and decisions on registrations)
    "views": ("viewed",),
    "exports": ("export",),
    "decisions": ("decision", "override", "withdrawal", "selection"),
    "requests": ("downloaded_own", "erased"),
    "purges": ("purged",),
    "settings": ("settings", "roles"),
}


def list_audit_trail(*, kind: str = "", page: int | str = 1):
    """One page of who viewed or exported personal data, decided on a registration or overrode a rule, and what
    people asked about their own data, newest first, from the three logs that record them (one query and a
    count, whatever their size)."""
    from .models import AuditEntry, ExportRecord, RegistrationEvent

    # Each row names the record it comes from (its log and id): what it says is read for the page's rows only.
    columns = ("at", "actor_id", "kind", "row_id", "cohort_id", "subject_id")
    entries = AuditEntry.objects.values_list("at", "actor_id", "action", "id", "cohort_id", "subject_id")
    exports = ExportRecord.objects.annotate(
        entry_kind=Value("export", output_field=CharField()), subject_id=Value(None, output_field=IntegerField())
    ).values_list("created_at", "user_id", "entry_kind", "id", "cohort_id", "subject_id")
    # Decisions taken by someone other than the person (organisers); the person's own steps are not an audit.
    decisions = (
        RegistrationEvent.objects.filter(kind__in=REGISTRATION_DECISIONS, actor__isnull=False)
        .exclude(actor=F("registration__user"))
        .values_list("created_at", "actor_id", "kind", "id", "registration__cohort_id", "registration__user_id")
    )
    if kind in AUDIT_KINDS:
        wanted = AUDIT_KINDS[kind]
        entries = entries.filter(action__in=wanted)
        exports = exports if "export" in wanted else exports.none()
        decisions = decisions.filter(kind__in=wanted)
    # Entries of the same moment keep one order from page to page.
    trail = (
        entries.order_by()
        .union(exports.order_by(), decisions.order_by(), all=True)
        .order_by("-at", "action", "actor_id", "-id")  # named as in the union's first part
    )
    result = Paginator(trail, AUDIT_PAGE_SIZE).get_page(page)
    rows = [dict(zip(columns, row, strict=True)) for row in result.object_list]
    _name_people_and_cohorts(rows)
    _describe(rows)
    result.object_list = rows
    return result


def _describe(rows: list[dict]) -> None:
    """Each row's `what` in the reader's language, from its own log (at most three queries for a page)."""
    from .audit_details import describe, describe_decision, describe_export
    from .models import AuditEntry, ExportRecord, RegistrationEvent

    def log_of(row: dict) -> str:
        return "export" if row["kind"] == "export" else "decision" if row["kind"] in REGISTRATION_DECISIONS else "entry"

    exports = [row["row_id"] for row in rows if log_of(row) == "export"]
    decisions = [row["row_id"] for row in rows if log_of(row) == "decision"]
    entries = [row["row_id"] for row in rows if log_of(row) == "entry"]
    said = {}
    if entries:
        for pk, details, what in AuditEntry.objects.filter(pk__in=entries).values_list("pk", "details", "what"):
            said["entry", pk] = describe(details, what)
    if exports:
        for pk, kind, count in ExportRecord.objects.filter(pk__in=exports).values_list("pk", "kind", "rows"):
            said["export", pk] = describe_export(kind=kind, rows=count)
    if decisions:
        events = RegistrationEvent.objects.filter(pk__in=decisions)
        for pk, before, after, reason in events.values_list("pk", "from_status", "to_status", "reason"):
            said["decision", pk] = describe_decision(from_status=before, to_status=after, reason=reason)
    for row in rows:
        row["what"] = said.get((log_of(row), row["row_id"]), "")


def _name_people_and_cohorts(rows: list[dict]) -> None:
    from .models import AuditEntry, RegistrationEvent

    people = {row[key] for row in rows for key in ("actor_id", "subject_id") if row[key]}
    names = load_people(people)
    cohorts = {
        cohort.pk: cohort.session.title
        for cohort in Cohort.objects.filter(pk__in={row["cohort_id"] for row in rows}).select_related("session")
    }
    labels = {**dict(AuditEntry.Action.choices), **dict(RegistrationEvent.Kind.choices), "export": _("Export")}
    for row in rows:
        row["actor"] = names.get(row["actor_id"])
        row["subject"] = names.get(row["subject_id"])
        row["cohort"] = cohorts.get(row["cohort_id"], "")
        row["label"] = labels.get(row["kind"], row["kind"])


# --- Roles ---


def list_role_groups() -> list[dict]:
    """Organisers, Trainers, Partner editors, then each partner's editors' group, each with its members sorted by
    name (Alumni, kept by the system, is not among them). Three queries whatever the number of people."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from courses.permissions import ROLE_GROUPS

    groups = list(
        Group.objects.filter(Q(name__in=ROLE_GROUPS) | Q(partner_organisation__isnull=False)).select_related(
            "partner_organisation"
        )
    )
    order = {name: n for n, name in enumerate(ROLE_GROUPS)}
    groups.sort(key=lambda g: (order.get(g.name, len(order)), fold(g.name)))
    members: dict[int, list] = {group.pk: [] for group in groups}
    people = get_user_model().objects.filter(groups__in=groups).select_related("profile__organisation").distinct()
    through = get_user_model().groups.through.objects.filter(group__in=groups).values_list("group_id", "user_id")
    by_id = {user.pk: user for user in people}
    for group_id, user_id in through:
        members[group_id].append(by_id[user_id])
    for user in by_id.values():
        user.person = person_of(user)
        user.display = user.person.name
    for group in groups:
        group.members = sorted(members[group.pk], key=lambda u: u.person.sort_key)
    return groups


def preview_close_attendance(*, cohort: Cohort) -> dict:
    """What closing the attendance would do now: how many seated people become attended (and are emailed their
    certificate, if they are not attended already) or no-show, and whether any attendance was taken at all."""
    from .models import ATTENDED_DAY, Attendance

    seated = Registration.objects.filter(cohort=cohort, status__in=SEATED)
    came = seated.filter(attendance__status__in=ATTENDED_DAY).distinct()
    attended = came.count()
    return {
        "attended": attended,
        "no_show": seated.count() - attended,
        "emailed": came.exclude(status=RegistrationStatus.ATTENDED).count(),
        "taken": Attendance.objects.filter(registration__cohort=cohort).exists(),
    }
