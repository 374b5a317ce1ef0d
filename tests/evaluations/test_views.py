"""Answering by link, and the organiser's plan: wiring, permissions, what each page shows."""

import datetime
import zoneinfo

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import Response, Survey
from evaluations.tokens import make_open_token, make_token
from participants.models import Registration, RegistrationStatus
from tests.factories import CohortFactory, UserFactory, make_session, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    start = timezone.localdate() - datetime.timedelta(days=1)
    session = make_session("evaluated", start_date=start, end_date=start + datetime.timedelta(days=4),
                           time_zone="Asia/Amman")  # fmt: skip
    return CohortFactory(session=session)


def seat(cohort, status=RegistrationStatus.CONFIRMED, **profile) -> Registration:
    user = person("civil_society", "JO")
    for name, value in profile.items():
        setattr(user.profile, name, value)
    user.profile.save()
    return Registration.objects.create(cohort=cohort, user=user, sector="civil_society", country="JO", status=status)


def opened(cohort, slug) -> Survey:
    """The cohort's first survey of that instrument, moved to open now: the schedule opens it and asks people."""
    if not cohort.surveys.exists():
        services.attach_default_plan(cohort=cohort)
    survey = cohort.surveys.filter(instrument__slug=slug).order_by("opens_at").first()
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1)
    )
    services.run_schedule(now=now)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    return survey


def respond_url(survey, user):
    return reverse("evaluations:respond", kwargs={"token": make_token(survey_id=survey.pk, user_id=user.pk)})


def test_the_personal_link_works_without_a_password_and_saves_a_draft(client, cohort):
    registration = seat(cohort)
    survey = opened(cohort, "needs-assessment")
    url = respond_url(survey, registration.user)
    response = client.get(url)
    assert response.status_code == 200 and "What do you most need from this training?" in response.text
    response = client.post(url, {"q-needs": "Referral paths", "save": "1"}, follow=True)
    assert "Saved." in response.text and "Referral paths" in response.text
    draft = Response.objects.get(respondent=registration.user)
    assert not draft.submitted and draft.answers == {"needs": "Referral paths"}


def test_a_submission_missing_an_answer_keeps_what_was_typed(client, cohort):
    registration = seat(cohort)
    survey = opened(cohort, "needs-assessment")
    response = client.post(respond_url(survey, registration.user), {"q-needs": "Referral paths", "submit": "1"})
    assert response.status_code == 400
    assert "Please answer" in response.text and "Referral paths" in response.text


def test_a_submission_thanks_the_person(client, cohort):
    registration = seat(cohort)
    survey = opened(cohort, "needs-assessment")
    data = {"q-role": "2", "q-standards": "3", "q-needs": "Referral paths", "submit": "1"}
    response = client.post(respond_url(survey, registration.user), data, follow=True)
    assert "Thank you" in response.text
    assert Response.objects.get().submitted


@pytest.mark.parametrize("case", ["tampered", "someone else signed in"])
def test_a_personal_link_is_refused_when_altered_or_used_by_someone_else(client, cohort, case):
    registration = seat(cohort)
    survey = opened(cohort, "needs-assessment")
    url = respond_url(survey, registration.user)
    if case == "tampered":
        url = url[:-3] + "xx/"
        assert client.get(url).status_code == 404
    else:
        client.force_login(seat(cohort).user)
        assert client.get(url).status_code == 403
    assert not Response.objects.exists()


def test_a_follow_up_shows_the_persons_own_action_plan_back(client, cohort):
    registration = seat(cohort, status=RegistrationStatus.ATTENDED)
    end = opened(cohort, "end-of-session")
    services.save_response(survey=end, user=registration.user, submit=True, data={
        "overall": 5, "standards": {"before": 2, "after": 4}, "referral": {"before": 2, "after": 4}, "cooperation": 5,
        "action_plan": [{"action": "Open a referral desk at the embassy"}, {"action": "Train two colleagues"}],
    })  # fmt: skip
    follow_up = opened(cohort, "follow-up")
    Survey.objects.filter(pk=follow_up.pk).update(opens_at=end.opens_at + datetime.timedelta(minutes=1))
    follow_up.refresh_from_db()
    response = client.get(respond_url(follow_up, registration.user))
    assert "Open a referral desk at the embassy" in response.text
    assert "Train two colleagues" in response.text
    assert "Where it stands" in response.text


def test_a_follow_up_lists_the_cohort_but_not_the_respondent(client, cohort):
    me = seat(cohort, status=RegistrationStatus.ATTENDED, preferred_name="Myself")
    seat(cohort, status=RegistrationStatus.ATTENDED, preferred_name="Peer Person")
    survey = opened(cohort, "follow-up")
    text = client.get(respond_url(survey, me.user)).text
    assert "Peer Person" in text and "Myself" not in text


def test_the_rooms_link_takes_one_anonymous_answer_per_browser(client, cohort):
    survey = opened(cohort, "daily")
    url = reverse("evaluations:respond_open", kwargs={"token": make_open_token(survey_id=survey.pk)})
    assert "Anonymous" in client.get(url).text
    client.post(url, {"q-useful": "5", "q-best": "The role play"})
    assert client.get(url).url == reverse("evaluations:thanks")
    answer = Response.objects.get()
    assert answer.respondent_id is None and answer.answers == {"useful": 5, "best": "The role play"}


def test_a_closed_questionnaire_says_so(client, cohort):
    registration = seat(cohort)
    survey = opened(cohort, "needs-assessment")
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "closed" in client.get(respond_url(survey, registration.user)).text


def test_an_organiser_attaches_the_plan_and_sees_who_has_not_answered(client, organiser, cohort):
    answered = seat(cohort, preferred_name="Answered Person")
    seat(cohort, preferred_name="Waiting Person")
    client.force_login(organiser)
    url = reverse("evaluations:cohort", kwargs={"pk": cohort.pk})
    assert "Attach the default plan" in client.get(url).text
    client.post(url)
    assert cohort.surveys.count() == 10  # needs assessment, 5 daily, end of session, 3 follow-ups
    survey = cohort.surveys.get(instrument__slug="end-of-session")
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.now() - datetime.timedelta(hours=1),
                                               closes_at=timezone.now() + datetime.timedelta(days=2))  # fmt: skip
    services.run_schedule()
    survey.refresh_from_db()
    services.save_response(survey=survey, user=answered.user, submit=True, data={
        "overall": 4, "standards": {"before": 2, "after": 4}, "referral": {"before": 2, "after": 3}, "cooperation": 4,
        "action_plan": [{"action": "Meet the labour inspectorate"}],
    })  # fmt: skip
    page = client.get(reverse("evaluations:survey", kwargs={"pk": survey.pk})).text
    assert "Waiting Person" in page and "Answered Person" not in page
    plan = client.get(url).text
    assert "1 / 2 (50 %)" in plan


def test_an_organiser_reminds_those_who_have_not_answered_once_in_a_while(
    client, organiser, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    from evaluations.models import Delivery

    seat(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        survey = opened(cohort, "end-of-session")
    client.force_login(organiser)
    url = reverse("evaluations:survey_remind", kwargs={"pk": survey.pk})
    confirmed = {"confirmed": "1"}
    assert "Nobody can be reminded now" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, confirmed)  # just invited: too early to remind
    assert [m.subject.startswith("Reminder") for m in mailoutbox] == [False]
    Delivery.objects.update(invited_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, confirmed)
        client.post(url, confirmed)  # a second click does not spend the second reminder
    assert [m.subject.startswith("Reminder") for m in mailoutbox] == [False, True]


def test_a_reminder_is_asked_first_saying_how_many_are_emailed(
    client, organiser, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    from evaluations.models import Delivery

    seat(cohort)
    seat(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        survey = opened(cohort, "end-of-session")
    Delivery.objects.update(invited_at=timezone.now() - datetime.timedelta(days=1))
    mailoutbox.clear()
    client.force_login(organiser)
    detail = client.get(reverse("evaluations:survey", kwargs={"pk": survey.pk})).text
    url = reverse("evaluations:survey_remind", kwargs={"pk": survey.pk})
    assert f'href="{url}"' in detail  # a link to the question, not a button that sends
    with django_capture_on_commit_callbacks(execute=True):
        question = client.get(url).text
        assert client.post(url).status_code == 200  # a post without the confirmation only asks
    assert "2 people who have not answered" in question and "Send 2 reminders" in question
    assert question.index("Not now") < question.index("Send 2 reminders")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirmed": "1"})
    assert len(mailoutbox) == 2


def test_evaluation_pages_are_for_organisers_only(client, cohort):
    survey = opened(cohort, "daily")
    client.force_login(seat(cohort).user)
    assert client.get(reverse("evaluations:cohort", kwargs={"pk": cohort.pk})).status_code == 403
    assert client.get(reverse("evaluations:survey", kwargs={"pk": survey.pk})).status_code == 403


def test_the_questionnaire_reads_in_arabic(client, cohort):
    registration = seat(cohort)
    survey = opened(cohort, "needs-assessment")
    response = client.get("/ar" + respond_url(survey, registration.user)[3:])
    assert 'dir="rtl"' in response.text
    assert "ما أكثر ما تحتاجه من هذا التدريب؟" in response.text


def test_organisers_edit_questionnaires_in_the_cms(client, organiser):
    from evaluations.roles import grant_organiser_permissions

    grant_organiser_permissions()
    client.force_login(organiser)
    response = client.get("/cms/snippets/evaluations/instrument/")
    assert response.status_code == 200 and "Follow-up: what has changed since the training" in response.text


def test_adjusting_a_survey_in_the_admin_moves_its_times(client, cohort):
    from django.contrib.auth import get_user_model

    services.attach_default_plan(cohort=cohort)
    survey = cohort.surveys.get(instrument__slug="end-of-session")
    admin = get_user_model().objects.create_superuser("root@example.org", "root@example.org", "x")
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    url = reverse("admin:evaluations_survey_change", args=[survey.pk])
    data = {"cohort": cohort.pk, "instrument": survey.instrument_id, "anchor": "end", "offset_days": 1,
            "local_time": "10:00", "window_hours": 24, "anonymous": "", "max_reminders": 2}  # fmt: skip
    assert client.post(url, data).status_code == 302
    survey.refresh_from_db()
    expected = datetime.datetime.combine(cohort.session.end_date + datetime.timedelta(days=1), datetime.time(10),
                                         tzinfo=zoneinfo.ZoneInfo("Asia/Amman"))  # fmt: skip
    assert survey.opens_at == expected and survey.closes_at == expected + datetime.timedelta(hours=24)


def test_an_anonymous_questionnaire_page_shows_its_link_and_qr_code(client, organiser, cohort):
    survey = opened(cohort, "daily")
    client.force_login(organiser)
    page = client.get(reverse("evaluations:survey", kwargs={"pk": survey.pk})).text
    link = reverse("evaluations:respond_open", kwargs={"token": make_open_token(survey_id=survey.pk)})
    assert link in page
    assert "<svg" in page and "QR code of the link above" in page


def test_the_rooms_code_opens_the_days_evaluation_and_stays_the_same(client, cohort):
    from participants.tokens import make_room_token

    url = reverse("evaluations:room", kwargs={"token": make_room_token(cohort)})
    services.attach_default_plan(cohort=cohort)
    assert "No evaluation is open right now" in client.get(url).text
    survey = opened(cohort, "daily")
    assert client.get(url).url == reverse("evaluations:respond_open",
                                          kwargs={"token": make_open_token(survey_id=survey.pk)})  # fmt: skip
    assert client.get(url[:-4] + "xyz/").status_code == 404


def test_the_rooms_code_page_is_for_the_sessions_trainers_and_organisers(client, organiser, cohort):
    from courses.permissions import TRAINERS

    url = reverse("evaluations:room_code", kwargs={"pk": cohort.pk})
    trainer = UserFactory(groups=[TRAINERS])
    client.force_login(trainer)
    assert client.get(url).status_code == 404
    cohort.session.trainers.add(trainer)
    cohort.session.save()
    page = client.get(url).text
    assert "<svg" in page and "/questionnaires/room/" in page
    client.force_login(seat(cohort).user)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200
