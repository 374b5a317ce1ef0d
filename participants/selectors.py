from django.db.models import Count, QuerySet

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
        applied_at__lt=registration.applied_at
    ) | list_waitlist(cohort=registration.cohort, sector=registration.sector).filter(
        applied_at=registration.applied_at, id__lt=registration.id
    )
    return ahead.count() + 1


def list_registrations_of(*, user) -> QuerySet[Registration]:
    return Registration.objects.filter(user=user).select_related("cohort__session").order_by("-applied_at")
