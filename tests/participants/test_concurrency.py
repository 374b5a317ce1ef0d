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


@pytest.mark.django_db(transaction=True)
def test_one_person_nominated_at_once_by_many_organisations_is_nominated_once_and_the_others_are_told():
    """Ten focal points nominate the same address at the same moment: one nomination, nine told why, no error page
    (a nomination locks its link with its call, so they queue; the unique constraint stays behind that)."""
    import datetime

    from django.utils import timezone

    from participants.models import Call, Nomination
    from participants.services import NominationError, create_nomination_link, nominate

    now = timezone.now()
    call = Call.objects.create(cohort=CohortFactory(), mode=Call.Mode.NOMINATION, published=True,
                               opens_at=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=9),
                               eligibility_en="Officials nominated.")  # fmt: skip
    links = [create_nomination_link(call=call, organisation_name=f"Organisation {n}", focal_point_name=f"Focal {n}",
                                    focal_point_email=f"focal{n}@example.org", language="en", max_nominees=2,
                                    by=None) for n in range(10)]  # fmt: skip
    start = threading.Barrier(len(links))
    refused: list[NominationError] = []
    errors: list[BaseException] = []

    def nominate_through(link):
        try:
            start.wait()
            nominate(link=link, full_name="Lina Haddad", email="lina@example.org", position="", language="ar")
        except NominationError as error:
            refused.append(error)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate_through, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Nomination.objects.filter(call=call).count() == 1
    assert len(refused) == len(links) - 1
    assert {str(error) for error in refused} == {"This person has already been nominated to this call."}
