"""The evaluation plan: times at the venue, a schedule that sends each email once, answers and anonymity."""

import datetime
import zoneinfo

import pytest

from evaluations import services
from evaluations.models import AnonymousReceipt, Response, Survey
from participants.models import Registration, RegistrationStatus
from tests.factories import CohortFactory, make_session, person

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")  # UTC+7
FIRST = datetime.date(2027, 3, 1)  # Monday 1 to Friday 5 March 2027


@pytest.fixture
def cohort():
    session = make_session("bangkok-2027", start_date=FIRST, end_date=FIRST + datetime.timedelta(days=4),
                           time_zone="Asia/Bangkok")  # fmt: skip
    return CohortFactory(session=session)


def seat(cohort, status=RegistrationStatus.CONFIRMED) -> Registration:
    return Registration.objects.create(cohort=cohort, user=person("government", "TH"), sector="government",
                                       country="TH", status=status)  # fmt: skip


def local(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BANGKOK)


def test_the_default_plan_opens_at_the_venues_wall_clock(cohort):
    surveys = services.attach_default_plan(cohort=cohort)
    opens = [(s.instrument.slug, s.opens_at.astimezone(BANGKOK)) for s in Survey.objects.order_by("opens_at")]
    day = datetime.timedelta(days=1)
    assert opens == [
        ("needs-assessment", local(FIRST - 21 * day, 9)),
        *[("daily", local(FIRST + n * day, 16)) for n in range(4)],
        ("end-of-session", local(FIRST + 4 * day, 14)),  # the last afternoon, before its daily evaluation
        ("daily", local(FIRST + 4 * day, 16)),
        ("follow-up", local(FIRST + 94 * day, 9)),
        ("follow-up", local(FIRST + 184 * day, 9)),
        ("follow-up", local(FIRST + 369 * day, 9)),
    ]
    # 16:00 in Bangkok is 09:00 UTC; the daily evaluation closes at 08:00 the next morning.
    daily = [s for s in surveys if s.instrument.slug == "daily"][0]
    assert (daily.opens_at.astimezone(datetime.UTC).hour, daily.closes_at.astimezone(BANGKOK).hour) == (9, 8)
    assert all(s.anonymous for s in surveys if s.instrument.slug == "daily")
    assert not any(s.anonymous for s in surveys if s.instrument.slug != "daily")
    with pytest.raises(services.SurveyError, match="already has"):
        services.attach_default_plan(cohort=cohort)


def test_a_wall_clock_time_follows_daylight_saving():
    session = make_session("paris", start_date=datetime.date(2027, 3, 25), end_date=datetime.date(2027, 3, 29),
                           time_zone="Europe/Paris")  # fmt: skip
    before, _ = services.survey_window(session=session, anchor="start", offset_days=0,
                                       local_time=datetime.time(16), window_hours=1)  # fmt: skip
    after, _ = services.survey_window(session=session, anchor="start", offset_days=4,
                                      local_time=datetime.time(16), window_hours=1)  # fmt: skip
    assert (before.hour, after.hour) == (15, 14)  # UTC+1 before 28 March, UTC+2 after


def sends(mailoutbox):
    return [(message.to[0], message.subject.startswith("Reminder")) for message in mailoutbox]


def test_the_schedule_invites_reminds_twice_and_closes_sending_each_email_once(
    cohort, mailoutbox, django_capture_on_commit_callbacks
):
    answers, silent = seat(cohort), seat(cohort)
    seat(cohort, status=RegistrationStatus.CANCELLED)  # never asked
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.get(instrument__slug="end-of-session")
    Survey.objects.exclude(pk=survey.pk).delete()
    opens = survey.opens_at

    def run(at):
        with django_capture_on_commit_callbacks(execute=True):
            return services.run_schedule(now=at)

    assert run(opens - datetime.timedelta(minutes=1))["opened"] == 0
    assert run(opens)["opened"] == 1
    run(opens + datetime.timedelta(minutes=10))  # a second run: nothing more
    assert sorted(sends(mailoutbox)) == sorted([(answers.user.email, False), (silent.user.email, False)])

    services.save_response(survey=survey, user=answers.user, submit=True, now=opens, data={
        "overall": 5, "standards": {"before": 2, "after": 4}, "referral": {"before": 1, "after": 3},
        "cooperation": 4, "action_plan": [{"action": "Set up a referral desk"}],
    })  # fmt: skip
    third = opens + (survey.closes_at - survey.opens_at) / 3
    run(third - datetime.timedelta(minutes=1))
    assert len(mailoutbox) == 2
    run(third)
    run(third + datetime.timedelta(minutes=10))
    run(opens + (survey.closes_at - survey.opens_at) * 2 / 3)
    run(survey.closes_at - datetime.timedelta(minutes=1))
    assert sends(mailoutbox)[2:] == [(silent.user.email, True), (silent.user.email, True)]  # two reminders, no more
    assert run(survey.closes_at)["closed"] == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert len(mailoutbox) == 4


def test_a_retried_email_job_sends_nothing_twice(cohort, mailoutbox, django_capture_on_commit_callbacks):
    seat(cohort)
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.get(instrument__slug="end-of-session")
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at)
    from courses.models import OutboundEmail
    from courses.outbox import deliver
    from evaluations.tasks import send_survey_email  # a job queued before the outbox

    delivery = survey.deliveries.get()
    assert send_survey_email(delivery.pk, "invite") is False
    with django_capture_on_commit_callbacks(execute=True):
        assert send_survey_email(delivery.pk, "remind", 1) is True
    assert send_survey_email(delivery.pk, "remind", 1) is False
    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == [
        f"survey:{delivery.pk}:invite", f"survey:{delivery.pk}:reminder:1"]  # fmt: skip
    assert [deliver(email.pk) for email in OutboundEmail.objects.all()] == ["busy", "busy"]  # a retried send
    assert len(mailoutbox) == 2


def test_follow_ups_ask_only_those_who_attended(cohort, django_capture_on_commit_callbacks):
    came = seat(cohort, status=RegistrationStatus.ATTENDED)
    seat(cohort, status=RegistrationStatus.NO_SHOW)
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.filter(instrument__slug="follow-up").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at)
    assert list(survey.deliveries.values_list("user_id", flat=True)) == [came.user_id]


def open_survey(cohort, slug):
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.filter(instrument__slug=slug).first()
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    survey.refresh_from_db()
    return survey


def test_one_response_per_person_saved_as_a_draft_then_submitted(cohort):
    registration = seat(cohort)
    survey = open_survey(cohort, "needs-assessment")
    now = survey.opens_at
    draft = services.save_response(survey=survey, user=registration.user, data={"needs": "Case law"}, submit=False,
                                   now=now)  # fmt: skip
    assert not draft.submitted
    with pytest.raises(services.SurveyError, match="Please answer"):
        services.save_response(survey=survey, user=registration.user, data={"needs": "Case law"}, submit=True,
                               now=now)  # fmt: skip
    services.save_response(survey=survey, user=registration.user, submit=True, now=now,
                           data={"role": "2", "standards": "4", "needs": "Case law", "years": "7"})  # fmt: skip
    response = Response.objects.get()
    assert response.submitted and response.answers == {"role": "2", "standards": 4, "needs": "Case law", "years": 7}
    with pytest.raises(services.SurveyError, match="closed"):
        services.save_response(survey=survey, user=registration.user, data={}, submit=False, now=survey.closes_at)


@pytest.mark.parametrize(
    "key, value",
    [("standards", "6"), ("standards", "x"), ("role", "99"), ("years", "many")],
)
def test_an_invalid_answer_is_refused_with_its_question(cohort, key, value):
    registration = seat(cohort)
    survey = open_survey(cohort, "needs-assessment")
    with pytest.raises(services.SurveyError, match="is not valid"):
        services.save_response(survey=survey, user=registration.user, data={key: value}, submit=False,
                               now=survey.opens_at)  # fmt: skip


def test_a_cohort_member_picker_accepts_only_people_of_the_cohort(cohort):
    me, peer = seat(cohort), seat(cohort)
    stranger = seat(CohortFactory())
    survey = open_survey(cohort, "follow-up")
    Registration.objects.filter(cohort=cohort).update(status=RegistrationStatus.ATTENDED)
    for chosen in ([stranger.user_id], [me.user_id]):
        with pytest.raises(services.SurveyError):
            services.save_response(survey=survey, user=me.user, data={"ties_information": chosen}, submit=False,
                                   now=survey.opens_at)  # fmt: skip
    response = services.save_response(survey=survey, user=me.user, data={"ties_information": [str(peer.user_id)]},
                                      submit=False, now=survey.opens_at)  # fmt: skip
    assert response.answers["ties_information"] == [peer.user_id]


def test_an_anonymous_answer_is_never_linked_to_its_person(cohort):
    registration = seat(cohort)
    survey = open_survey(cohort, "daily")
    response = services.save_anonymous_response(survey=survey, data={"useful": "4", "best": "Role play"},
                                                user=registration.user, now=survey.opens_at)  # fmt: skip
    assert response.respondent_id is None and response.submitted_on is None
    assert AnonymousReceipt.objects.filter(survey=survey, user=registration.user).exists()
    assert not {field.name for field in AnonymousReceipt._meta.get_fields()} & {"response", "created_at"}
    with pytest.raises(services.SurveyError, match="already answered"):
        services.save_anonymous_response(survey=survey, data={"useful": "2"}, user=registration.user,
                                         now=survey.opens_at)  # fmt: skip
    assert Response.objects.count() == 1
    with pytest.raises(services.SurveyError, match="is anonymous"):
        services.save_response(survey=survey, user=registration.user, data={}, submit=False, now=survey.opens_at)


def test_the_with_whom_answers_of_a_follow_up_become_ties(cohort):
    from evaluations.models import Tie

    me, peer, other = (seat(cohort, status=RegistrationStatus.ATTENDED) for _ in range(3))
    survey = open_survey(cohort, "follow-up")
    data = {"applied": "Referral desk", "ties_referral": [peer.user_id, other.user_id],
            "ties_information": [peer.user_id]}  # fmt: skip
    services.save_response(survey=survey, user=me.user, data=data, submit=False, now=survey.opens_at)
    assert not Tie.objects.exists()  # a draft says nothing yet
    services.save_response(survey=survey, user=me.user, data=data, submit=True, now=survey.opens_at)
    ties = set(Tie.objects.values_list("reporter_id", "other_id", "kind", "source"))
    assert ties == {(me.user_id, peer.user_id, "referral", "survey"), (me.user_id, other.user_id, "referral", "survey"),
                    (me.user_id, peer.user_id, "information", "survey")}  # fmt: skip
    # Changing the answers before the questionnaire closes replaces the ties it gave.
    services.save_response(survey=survey, user=me.user, data={"applied": "Desk", "ties_joint": [other.user_id]},
                           submit=True, now=survey.opens_at)  # fmt: skip
    assert set(Tie.objects.values_list("other_id", "kind")) == {(other.user_id, "joint_work")}
    assert Tie.objects.get().cohort_id == cohort.pk


def test_each_evening_the_trainers_get_the_days_debrief_once(cohort, mailoutbox, django_capture_on_commit_callbacks):
    from courses.permissions import TRAINERS
    from tests.factories import UserFactory

    trainer = UserFactory(groups=[TRAINERS])
    cohort.session.trainers.add(trainer)
    cohort.session.save()
    seat(cohort)
    services.attach_default_plan(cohort=cohort)
    day_one = Survey.objects.filter(instrument__slug="daily").order_by("opens_at").first()

    def run(at):
        with django_capture_on_commit_callbacks(execute=True):
            services.run_schedule(now=at)

    run(local(FIRST, 20))
    assert mailoutbox == []
    run(local(FIRST, 21))
    run(local(FIRST, 22))
    assert [message.to for message in mailoutbox] == [[trainer.email]]
    message = mailoutbox[0]
    assert "Daily debrief" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    day_one.refresh_from_db()
    assert day_one.debrief_sent_at is not None


def test_a_sent_questionnaire_saved_again_keeps_its_required_answers(cohort):
    registration = seat(cohort)
    survey = open_survey(cohort, "needs-assessment")
    full = {"role": "2", "standards": "4", "needs": "Case law"}
    services.save_response(survey=survey, user=registration.user, data=full, submit=True, now=survey.opens_at)
    with pytest.raises(services.SurveyError, match="Please answer"):
        services.save_response(survey=survey, user=registration.user, data={"role": "2"}, submit=False,
                               now=survey.opens_at)  # fmt: skip
    assert Response.objects.get().answers["needs"] == "Case law"


def test_people_confirmed_after_opening_are_asked_and_those_who_cancel_are_not_reminded(
    cohort, mailoutbox, django_capture_on_commit_callbacks
):
    first = seat(cohort)
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.get(instrument__slug="needs-assessment")
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at)
    late = seat(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at + datetime.timedelta(hours=1))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.user.email, late.user.email])
    Registration.objects.filter(pk=first.pk).update(status=RegistrationStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at + (survey.closes_at - survey.opens_at) / 3)
    assert [m.to[0] for m in mailoutbox[2:]] == [late.user.email]  # the reminder goes only to who is still coming


@pytest.mark.parametrize("value", ["1e999", "-inf", "nan", "9" * 4000, "12345678901"])
def test_a_number_that_is_not_a_sensible_number_is_refused(cohort, value):
    registration = seat(cohort)
    survey = open_survey(cohort, "needs-assessment")
    with pytest.raises(services.SurveyError, match="is not valid"):
        services.save_response(survey=survey, user=registration.user, data={"years": value}, submit=False,
                               now=survey.opens_at)  # fmt: skip


@pytest.mark.parametrize(
    "key, value",
    [("standards", {"x": 1}), ("role", ["1", "2"]), ("ties_information", "abc"), ("action_plan", "plan"),
     ("referral", "5")],
)  # fmt: skip
def test_hostile_answers_get_a_clear_error_never_a_crash(cohort, key, value):
    registration = seat(cohort, status=RegistrationStatus.ATTENDED)
    slug = (
        "end-of-session"
        if key in ("referral", "action_plan")
        else "follow-up"
        if key.startswith("ties")
        else "needs-assessment"
    )
    survey = open_survey(cohort, slug)
    with pytest.raises(services.SurveyError):
        services.save_response(survey=survey, user=registration.user, data={key: value}, submit=False,
                               now=survey.opens_at)  # fmt: skip


def test_someone_confirmed_late_is_invited_and_not_reminded_in_the_same_run(
    cohort, mailoutbox, django_capture_on_commit_callbacks
):
    seat(cohort)
    services.attach_default_plan(cohort=cohort)
    survey = Survey.objects.get(instrument__slug="needs-assessment")
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=survey.opens_at)
    late = seat(cohort)
    after_first_reminder = survey.opens_at + (survey.closes_at - survey.opens_at) / 3
    with django_capture_on_commit_callbacks(execute=True):
        services.run_schedule(now=after_first_reminder)
    to_late = [message for message in mailoutbox if message.to == [late.user.email]]
    assert len(to_late) == 1  # the invitation alone; a reminder, if still due, comes on the next run
