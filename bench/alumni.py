"""Benchmark of the alumni network (printed, not asserted): 10,000 alumni across 250 cohorts of 10 programmes and
100,000 ties, then the network of a programme, of a nationality across cohorts, of one cohort, of everyone, the
organiser's programme page and its Excel export. For each: milliseconds and SQL queries (which must not grow with
the data).

Uses its own database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/attache_bench_alumni,
created if missing); the data is built once and kept. `BENCH_ALUMNI=2000 BENCH_TIES=20000` for a quick look.
"""

import datetime
import io
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/attache_bench_alumni")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup  # noqa: E402

setup()
ALUMNI = int(os.environ.get("BENCH_ALUMNI", "10000"))
TIES = int(os.environ.get("BENCH_TIES", "100000"))
PROGRAMMES, COHORTS = 10, 250
NATIONALITIES = ["TH", "PH", "ID", "VN", "KH", "LA", "MM", "MY", "JO", "LB", "EG", "NP"]
SECTORS = ["government", "civil_society", "government", "civil_society", "other"]
KINDS = ["information", "referral", "joint_advocacy", "joint_training", "joint_work"]
NAMES = ["Somchai Prasert", "Nguyễn Thị Mai", "Ahmad Haddad", "Sokha Chan", "Maria Santos", "ليلى حداد",
         "สมชาย ใจดี", "Aung Ko Ko", "Rina Wulandari", "Élodie Karam"]  # fmt: skip
LANGUAGES = ["ar", "th", "km", "vi", "id", "fr"]
THEMES = ["labour_migration", "anti_trafficking", "fair_recruitment", "access_to_justice"]
# Days after the session's end around which reports arrive: end of session, 3, 6 and 12 months.
WAVES = [(0, 30), (80, 110), (170, 200), (350, 380)]

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from courses.models import Organisation, ProgrammeIndexPage, ProgrammePage, SessionPage  # noqa: E402
from courses.permissions import ALUMNI as ALUMNI_GROUP  # noqa: E402
from courses.permissions import ORGANISERS  # noqa: E402
from evaluations import selectors  # noqa: E402
from evaluations.exports import export_network  # noqa: E402
from evaluations.models import DirectoryListing, Tie  # noqa: E402
from evaluations.network import analyse_network  # noqa: E402
from participants.models import Cohort, Profile, Registration, RegistrationStatus, fold  # noqa: E402

User = get_user_model()
PREFIX = "alumni-bench"


def build(*, alumni: int = ALUMNI, ties: int = TIES, programmes: int = PROGRAMMES, cohorts: int = COHORTS,
          seed: int = 11) -> list[ProgrammePage]:  # fmt: skip
    """The programmes, sessions, cohorts, alumni (one attended cohort each, one in ten a second one in the same
    programme) and ties, in bulk; kept between runs (built again only if the sizes differ)."""
    existing = list(ProgrammePage.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    people = User.objects.filter(username__startswith=PREFIX)
    if (len(existing) == programmes and people.count() == alumni
            and Tie.objects.filter(reporter__username__startswith=PREFIX).count() == ties):  # fmt: skip
        return existing
    Tie.objects.filter(reporter__username__startswith=PREFIX).delete()
    people.delete()
    for programme in existing:
        programme.delete()
    rng = random.Random(seed)
    index = ProgrammeIndexPage.objects.filter(locale__language_code="en").first()
    made, cohort_rows = [], []  # (cohort, programme number, session end)
    per_programme = cohorts // programmes
    for number in range(programmes):
        programme = index.add_child(instance=ProgrammePage(
            title=f"Bench programme {number}", slug=f"{PREFIX}-{number:02d}", summary="A programme for the benchmark.",
        ))  # fmt: skip
        made.append(programme)
        for step in range(per_programme):
            start = datetime.date(2019, 1, 7) + datetime.timedelta(weeks=11 * step + number)
            session = programme.add_child(instance=SessionPage(
                title=f"Bench session {number}-{step}", slug=f"{PREFIX}-{number}-{step}", start_date=start,
                end_date=start + datetime.timedelta(days=4), city="Bangkok", country="TH", time_zone="Asia/Bangkok",
            ))  # fmt: skip
            cohort_rows.append((Cohort.objects.create(session=session, capacity=40), number, session.end_date))
    users = User.objects.bulk_create(
        (User(username=f"{PREFIX}-{n}@example.org", email=f"{PREFIX}-{n}@example.org") for n in range(alumni)),
        batch_size=2000,
    )
    sector_of = {user.pk: rng.choice(SECTORS) for user in users}
    country_of = {user.pk: rng.choice(NATIONALITIES) for user in users}
    kind_of = {"government": "ministry", "civil_society": "ngo", "other": "academic"}
    organisations = {
        (sector, country): Organisation.objects.get_or_create(
            name=f"{PREFIX} {sector} {country}", country=country, defaults={"kind": kind_of[sector]}
        )[0]
        for sector in kind_of for country in NATIONALITIES
    }  # fmt: skip

    def profile(n: int, user) -> Profile:
        # Bulk inserts skip save(): the folded name the directory searches is set here.
        name = f"{NAMES[n % len(NAMES)]} {n}"
        return Profile(user=user, full_name=name, name_key=fold(name), listed_in_directory=n % 3 != 2,
                       nationality=country_of[user.pk], languages=["en", LANGUAGES[n // 3 % len(LANGUAGES)]],
                       organisation=organisations[sector_of[user.pk], country_of[user.pk]])  # fmt: skip

    Profile.objects.bulk_create((profile(n, user) for n, user in enumerate(users)), batch_size=2000)
    DirectoryListing.objects.bulk_create(
        (DirectoryListing(user=user, share_sector=n % 2 == 0, share_country=n % 4 != 3, share_organisation=n % 5 != 4,
                          share_languages=True, share_cohorts=n % 3 != 1, share_expertise=True,
                          expertise=[THEMES[n % len(THEMES)]]) for n, user in enumerate(users)),
        batch_size=2000,
    )  # fmt: skip
    Group.objects.get_or_create(name=ALUMNI_GROUP)[0].user_set.add(*users)
    home, registrations = {}, []
    for n, user in enumerate(users):
        place = n % len(cohort_rows)
        home[user.pk] = [cohort_rows[place]]
        if n % 10 == 9:  # a second session of the same programme
            first = place - place % per_programme
            home[user.pk].append(cohort_rows[first + (place + 3) % per_programme])
        for cohort, _programme, _end in home[user.pk]:
            registrations.append(Registration(user=user, cohort=cohort, status=RegistrationStatus.ATTENDED,
                                              sector=sector_of[user.pk], country=country_of[user.pk]))  # fmt: skip
    Registration.objects.bulk_create(registrations, batch_size=5000)
    by_cohort, by_programme, by_country = {}, {}, {}
    for user_id, rows in home.items():
        for cohort, programme, _end in rows:
            by_cohort.setdefault(cohort.pk, []).append(user_id)
            by_programme.setdefault(programme, []).append(user_id)
        by_country.setdefault(country_of[user_id], []).append(user_id)
    ids = list(home)
    batch = []
    while len(batch) < ties:
        reporter = rng.choice(ids)
        cohort, programme, end = home[reporter][0]
        draw = rng.random()
        pool = by_cohort[cohort.pk] if draw < 0.7 else by_programme[programme] if draw < 0.9 else by_country[
            country_of[reporter]]  # fmt: skip
        other = rng.choice(pool)
        if other == reporter:
            continue
        low, high = WAVES[rng.randrange(len(WAVES))]
        reported_on = end + datetime.timedelta(days=rng.randint(low, high))
        shared = cohort if other in by_cohort[cohort.pk] else None
        kind, source = rng.choice(KINDS), rng.choice(["survey", "collaboration"])
        batch.append(Tie(reporter_id=reporter, other_id=other, kind=kind, cohort=shared, source=source,
                         reported_on=reported_on))  # fmt: skip
        if rng.random() < 0.3 and len(batch) < ties:  # the other side reports it too, a little later
            batch.append(Tie(reporter_id=other, other_id=reporter, kind=kind, cohort=shared, source=source,
                             reported_on=reported_on + datetime.timedelta(days=rng.randint(0, 20))))  # fmt: skip
    Tie.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, soon after: plans from real statistics
    return made


def measure(label: str, work: Callable[[], object]) -> object:
    """Run `work` once; print its time and SQL queries as a row of the table."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
    print(f"  {label:<52} {elapsed * 1000:8.0f} ms {len(queries.captured_queries):5d} queries")
    return result


def figures(scope) -> str:
    network = analyse_network(nodes=scope.nodes, reports=scope.reports)
    total = network.all_time
    return (f"{total.people:,} people, {total.ties:,} ties ({total.confirmed:,} confirmed), "
            f"{len(scope.reports):,} reports")  # fmt: skip


def organiser_client() -> Client:
    organiser, _created = User.objects.get_or_create(
        username="network-bench-organiser", email="network-bench-organiser@example.org"
    )
    organiser.groups.add(Group.objects.get_or_create(name=ORGANISERS)[0])
    if not Authenticator.objects.filter(user=organiser, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(organiser, generate_totp_secret())  # organisers must use two-factor authentication
    client = Client()
    client.force_login(organiser)
    return client


def run_network(programmes: list[ProgrammePage], client: Client) -> None:
    """The network's figures for each scope, the organiser's page and the export."""
    from evaluations.selectors.network import _attended, _load  # the whole network: no page asks for it

    programme = programmes[0]
    cohort = Cohort.objects.filter(session__in=SessionPage.objects.child_of(programme)).order_by("pk").first()
    country = "TH"
    rows = []
    rows.append(measure("programme network: read + figures",
                        lambda: figures(selectors.get_programme_network_scope(programme=programme))))  # fmt: skip
    rows.append(measure(f"country network ({country}): read + figures",
                        lambda: figures(selectors.get_country_network_scope(country=country))))  # fmt: skip
    rows.append(measure("one cohort: read + figures",
                        lambda: figures(selectors.get_cohort_network_scope(cohort_id=cohort.pk))))  # fmt: skip
    scope = measure("every alumnus: read", lambda: _load(_attended()))
    rows.append(measure("every alumnus: figures (pure Python)", lambda: figures(scope)))

    def page() -> str:
        response = client.get(reverse("evaluations:programme_network", args=[programme.pk]))
        assert response.status_code == 200, response.status_code
        return f"{len(response.content) / 1024:.0f} KiB of HTML"

    rows.append(measure("organiser's programme page (first request)", page))
    rows.append(measure("organiser's programme page (again)", page))

    def export() -> str:
        scope = selectors.get_programme_network_scope(programme=programme)
        network = analyse_network(nodes=scope.nodes, reports=scope.reports)
        return f"{export_network(scope=scope, network=network, title=programme.title, destination=io.BytesIO()):,} rows"

    rows.append(measure("Excel export of the programme's network", export))
    print()
    for row in rows:
        print(f"  {row}")


def run_directory(client: Client) -> None:
    """Directory searches as an alumnus makes them: pages of 20, so time and queries must not follow the size."""
    listed = selectors.list_listed_alumni().count()
    print(f"\n  Directory: {listed:,} listed alumni")

    def search(**filters) -> Callable[[], str]:
        def work() -> str:
            page = selectors.search_directory(filters=selectors.DirectoryFilters(**filters))
            return f"{page.paginator.count:,} found"

        return work

    cohort = Cohort.objects.filter(session__slug__startswith=PREFIX).order_by("pk").first()
    for label, filters in (("no filter, first page", {}), ("name 'somchai' (Latin)", {"q": "somchai"}),
                           ("name 'nguyen thi' (no accents)", {"q": "nguyen thi"}),
                           ("name 'ليلى' (Arabic)", {"q": "ليلى"}),
                           ("sector government + country TH", {"sector": "government", "country": "TH"}),
                           ("language Khmer + expertise", {"language": "km", "expertise": "labour_migration"}),
                           ("one cohort", {"cohort": cohort.pk})):  # fmt: skip
        measure(f"search: {label}", search(**filters))

    alumnus = User.objects.filter(username__startswith=PREFIX).order_by("pk").first()
    member = Client()
    member.force_login(alumnus)

    def page(query: dict) -> Callable[[], str]:
        def work() -> str:
            response = member.get(reverse("evaluations:directory"), query)
            assert response.status_code == 200, response.status_code
            return f"{len(response.content) / 1024:.0f} KiB"

        return work

    measure("directory page, first request", page({}))
    measure("directory page 200, sector + country", page({"sector": "government", "country": "TH", "page": 200}))
    measure("directory JSON ('ahmad')", lambda: member.get(reverse("evaluations:directory_json"), {"q": "ahmad"}))


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    programmes = build()
    ready = time.perf_counter() - started
    print(f"Alumni network benchmark on {connection.vendor}, {os.cpu_count()} cores: {ALUMNI:,} alumni, {TIES:,} "
          f"ties, {COHORTS} cohorts of {PROGRAMMES} programmes (data ready in {ready:.0f} s)")  # fmt: skip
    client = organiser_client()
    run_network(programmes, client)
    run_directory(client)


if __name__ == "__main__":
    main()
