"""Invariant 1 under load: many people registering at the same moment never overfill a cohort or a sector."""

import threading

import pytest
from django.db import connection

from participants.models import Registration, RegistrationStatus
from participants.services import register
from tests.factories import CohortFactory, person

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_never_exceed_capacity_or_a_ceiling():
    cohort = CohortFactory(capacity=30)  # ceiling 18 per sector
    for sector in ("government", "civil_society"):
        for _ in range(13):
            register(cohort=cohort, user=person(sector))
    # 26 seated: 4 seats left for 50 people arriving at once, half from each sector.
    people = [person("government" if n % 2 else "civil_society") for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def apply(user):
        try:
            start.wait()
            register(cohort=cohort, user=user)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    registrations = Registration.objects.filter(cohort=cohort)
    assert registrations.count() == 26 + THREADS  # no registration lost
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 30
    for sector in ("government", "civil_society"):
        assert confirmed.filter(sector=sector).count() <= cohort.ceiling(sector)
    assert registrations.filter(status=RegistrationStatus.WAITLISTED).count() == THREADS - 4
