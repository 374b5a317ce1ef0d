from django.db.models import Count, Q, QuerySet

from courses.models import Sector

from .models import SEATED, Cohort, Registration, RegistrationStatus


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


def get_cohort_overview(*, cohort: Cohort) -> dict:
    """Everything the organiser's dashboard shows, in a fixed number of queries."""
    registrations = list(
        Registration.objects.filter(cohort=cohort)
        .select_related("user__profile__organisation")
        .order_by("applied_at", "id")
    )
    by_status = {status: 0 for status, _label in RegistrationStatus.choices}
    seated_by_sector: dict[str, int] = {}
    seated_by_country: dict[str, int] = {}
    seated_by_gender: dict[str, int] = {}
    waitlists: dict[str, list] = {}
    for registration in registrations:
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
        "invitations": list(cohort.invitations.filter(status="pending").order_by("email")),
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
