"""Where typed text meets interface text: time zones by name, lists and addresses in the reader's language, typed
text isolated (<bdi>) so that a Latin city keeps its place on an Arabic page."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from courses.models import SessionPage
from evaluations import services
from evaluations.models import Survey
from participants.models import Cohort, Registration, RegistrationStatus
from tests.evaluations.test_network import world  # noqa: F401  (the hand-computed network, as a fixture)
from tests.factories import CohortFactory, make_session, person

pytestmark = pytest.mark.django_db

SESSION = "/{language}/programmes/migrant-workers-rights-asia/kuala-lumpur-running/"
PROGRAMME = "/{language}/programmes/migrant-workers-rights-asia/"
IANA_ID = re.compile(r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Z][A-Za-z_+-]+")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("language", "zone"),
    [("en", "Malaysia Time, GMT+8"), ("ar", "توقيت ماليزيا، غرينتش+8"), ("fr", "heure : Malaisie, UTC+8")],
)
def test_the_session_page_names_its_time_zone_in_the_readers_language(client, demo, language, zone):
    response = client.get(SESSION.format(language=language))
    assert response.status_code == 200
    assert zone in response.text
    assert "Asia/Kuala_Lumpur" not in response.text and not IANA_ID.search(text_of(response.text))


def test_the_arabic_session_page_isolates_its_latin_place_and_joins_it_with_the_arabic_comma(client, demo):
    html = client.get(SESSION.format(language="ar")).text
    assert "<bdi>Bar Council Auditorium</bdi>، <bdi>Kuala Lumpur</bdi>، <bdi>ماليزيا</bdi>" in html
    assert '<dd class="col-sm-9">الإنجليزية</dd>' in html  # the session's language, translated
    host = SessionPage.objects.get(slug="kuala-lumpur-running", locale__language_code="en").hosts.get()
    assert f'<dd class="col-sm-9"><bdi>{escape(str(host))}</bdi></dd>' in html


def test_the_programme_page_lists_its_partners_as_the_language_does(client, demo):
    arabic = client.get(PROGRAMME.format(language="ar")).text
    french = client.get(PROGRAMME.format(language="fr")).text
    partners = re.search(r"<p class=\"text-body-secondary\">(.*?)</p>", arabic, re.S).group(1)
    assert partners.count("<bdi>") >= 3 and "</bdi> و<bdi>" in partners and "</bdi>, <bdi>" not in partners
    partners = re.search(r"<p class=\"text-body-secondary\">(.*?)</p>", french, re.S).group(1)
    assert "</bdi> et <bdi>" in partners


def test_the_trainers_day_names_the_time_zone_and_isolates_the_city(client, demo):
    session = SessionPage.objects.get(slug="kuala-lumpur-running", locale__language_code="en")
    cohort = Cohort.objects.get(session=session)
    client.force_login(session.trainers.first())
    today = timezone.localdate()
    with translation.override("ar"):
        url = reverse("participants:session_day", kwargs={"pk": cohort.pk, "date": today.isoformat()})
    response = client.get(url)
    assert response.status_code == 200 and url.startswith("/ar/")
    assert "<bdi>Kuala Lumpur</bdi> (توقيت ماليزيا، غرينتش+8)" in response.text
    assert "Asia/Kuala_Lumpur" not in response.text


def test_the_questionnaire_email_names_the_venues_time_zone_in_the_persons_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    first = datetime.date(2027, 3, 1)
    session = make_session("bangkok-zone", start_date=first, end_date=first + datetime.timedelta(days=4),
                           time_zone="Asia/Bangkok", city="Bangkok", country="TH")  # fmt: skip
    cohort = CohortFactory(session=session)
    Registration.objects.create(cohort=cohort, user=person("government", "TH"), sector="government", country="TH",
                                status=RegistrationStatus.CONFIRMED, language="ar")  # fmt: skip
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.get(instrument__slug="end-of-session")
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at)
    body = next(message.body for message in mailoutbox)
    assert "توقيت تايلاند، غرينتش+7" in body and "Asia/Bangkok" not in body


def test_network_ties_list_their_periods_as_the_language_does(client, world, organiser):  # noqa: F811
    client.force_login(organiser)
    programme = world["cohorts"][0].session.get_parent()
    with translation.override("ar"):
        page = reverse("evaluations:programme_network", args=[programme.pk])
        export = reverse("evaluations:programme_network_export", args=[programme.pk])
    cells = re.findall(r'<td class="small">([^<]*)</td>', client.get(page).text)
    assert cells and any(" و" in cell for cell in cells) and not any(", " in cell for cell in cells)
    ties = load_workbook(io.BytesIO(client.get(export).content)).worksheets[1]
    periods = [row[7] for row in ties.iter_rows(min_row=2, values_only=True)]
    assert any("، " in cell for cell in periods) and not any(", " in cell for cell in periods)
