"""Nominations: a focal point's personal link, its limit and deadline, the nominee's email and application, what
each focal point may see (their own nominations only), and the organisers' pages and audit trail."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from courses.models import OutboundEmail
from courses.outbox import deliver
from participants.models import Application, AuditEntry, Call, CallQuestion, Nomination, NominationLink
from participants.services import (
    ApplicationError,
    NominationError,
    create_nomination_link,
    nominate,
    resend_nomination_link,
    save_application,
    submit_application,
    withdraw_nomination,
    withdraw_nomination_link,
)
from participants.tokens import make_nomination_token
from tests.factories import CohortFactory, UserFactory, make_session, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    now = timezone.now()
    cohort = CohortFactory(session=make_session(slug="nominations", time_zone="Asia/Amman"))
    call = Call.objects.create(
        cohort=cohort, mode=Call.Mode.NOMINATION, opens_at=now - datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=10), published=True, eligibility_en="Officials nominated.",
    )  # fmt: skip
    CallQuestion.objects.create(call=call, kind="text", label_en="Why?", order=1)
    return call


@pytest.fixture
def link(call, organiser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return create_nomination_link(
            call=call, organisation_name="Ministry of Labour", focal_point_name="Samira Nasser",
            focal_point_email=" Samira@Labour.example ", language="fr", max_nominees=2, by=organiser,
        )  # fmt: skip


def other_link(call, organiser, email="focal@ngo.example", **fields):
    return create_nomination_link(call=call, organisation_name="Migrant Aid", focal_point_name="Ko Min",
                                  focal_point_email=email, language="en", max_nominees=3, by=organiser,
                                  **fields)  # fmt: skip


def path(link) -> str:
    return f"/en/nominate/{make_nomination_token(link)}/"


# --- The focal point's link ---


def test_the_focal_point_is_emailed_their_link_once_in_their_language(client, link, mailoutbox):
    assert link.focal_point_email == "samira@labour.example"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["samira@labour.example"]
    assert "Bien cordialement," in message.body  # French
    assert "heure : Jordanie" in message.body  # the deadline at the venue's time, in French
    url = re.search(r"http://\S+/fr/nominate/\S+/", message.body).group(0)
    assert client.get(url.split("8000", 1)[1]).status_code == 200
    sent = OutboundEmail.objects.get(key__startswith=f"nomination-link:{link.pk}:")
    assert deliver(sent.pk) == "busy"  # a retried job sends nothing
    assert len(mailoutbox) == 1
    link.refresh_from_db()
    assert link.last_sent_at is not None


def test_resending_sends_one_more_email_and_a_withdrawn_link_none(
    link, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resend_nomination_link(link=link, by=organiser)
    assert len(mailoutbox) == 2
    withdraw_nomination_link(link=link, by=organiser)
    with pytest.raises(NominationError, match="withdrawn"):
        resend_nomination_link(link=link, by=organiser)
    assert len(mailoutbox) == 2


def test_a_second_link_for_the_same_focal_point_is_refused(link, organiser):
    with pytest.raises(NominationError, match="already has a nomination link"):
        create_nomination_link(call=link.call, organisation_name="Other", focal_point_name="S",
                               focal_point_email="SAMIRA@labour.example", language="en", max_nominees=1,
                               by=organiser)  # fmt: skip


def test_no_link_after_the_deadline_or_for_an_unpublished_call(call, organiser):
    call.published = False
    call.save()
    with pytest.raises(NominationError, match="not published"):
        other_link(call, organiser)
    call.published = True
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.deadline - datetime.timedelta(days=5)
    call.save()
    with pytest.raises(NominationError, match="deadline"):
        other_link(call, organiser)
    assert not NominationLink.objects.exists()


def test_creating_and_withdrawing_a_link_is_in_the_audit_trail(link, organiser):
    withdraw_nomination_link(link=link, by=organiser)
    entries = AuditEntry.objects.filter(actor=organiser, cohort=link.call.cohort).order_by("at", "pk")
    assert [entry.details["code"] for entry in entries] == ["nomination_link_added", "nomination_link_withdrawn"]
    assert entries[0].details["organisation"] == "Ministry of Labour"
    from participants.audit_details import describe

    assert "Ministry of Labour" in describe(entries[1].details)


# --- Nominating ---


def test_a_nominee_is_emailed_once_in_their_language_with_the_call_and_its_deadline(
    link, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(link=link, full_name="Lina Haddad", email="Lina@Example.org", position="Inspector",
                              language="ar")  # fmt: skip
    assert nomination.email == "lina@example.org"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lina@example.org"]
    assert "مع أطيب التحيات" in message.body  # Arabic
    assert "توقيت الأردن" in message.body  # the deadline at the venue's time, in Arabic
    assert f"/ar/calls/{link.call.pk}/" in message.body
    sent = OutboundEmail.objects.get(key=f"nomination:{nomination.pk}")
    assert deliver(sent.pk) == "busy"
    assert len(mailoutbox) == 1


def test_a_link_nominates_at_most_its_limit_and_withdrawn_nominations_do_not_count(link):
    first = nominate(link=link, full_name="A", email="a@example.org", position="", language="en")
    nominate(link=link, full_name="B", email="b@example.org", position="", language="en")
    with pytest.raises(NominationError, match="as many people as this link allows"):
        nominate(link=link, full_name="C", email="c@example.org", position="", language="en")
    withdraw_nomination(link=link, nomination=first)
    nominate(link=link, full_name="C", email="c@example.org", position="", language="en")
    assert Nomination.objects.filter(link=link, withdrawn_at__isnull=True).count() == 2


def test_no_nomination_after_the_deadline_or_when_the_call_is_unpublished(link):
    after = link.call.deadline + datetime.timedelta(seconds=1)
    with pytest.raises(NominationError, match="deadline"):
        nominate(link=link, full_name="A", email="a@example.org", position="", language="en", now=after)
    Call.objects.filter(pk=link.call_id).update(published=False)
    with pytest.raises(NominationError, match="not published"):
        nominate(link=link, full_name="A", email="a@example.org", position="", language="en")
    assert not Nomination.objects.exists()


def test_a_person_already_nominated_by_anyone_is_refused_without_saying_by_whom(link, organiser):
    nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    other = other_link(link.call, organiser)
    with pytest.raises(NominationError) as refused:
        nominate(link=other, full_name="Lina H.", email="LINA@example.org", position="", language="en")
    assert "already been nominated" in str(refused.value)
    assert "Ministry" not in str(refused.value) and "Samira" not in str(refused.value)
    assert Nomination.objects.get().link == link


def test_a_withdrawn_link_nominates_no_one(link, organiser):
    withdraw_nomination_link(link=link, by=organiser)
    with pytest.raises(NominationError, match="withdrawn"):
        nominate(link=link, full_name="A", email="a@example.org", position="", language="en")


def test_a_nomination_cannot_be_withdrawn_once_the_nominee_has_submitted(link):
    nominee = UserFactory(email="lina@example.org")
    nomination = nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    application = save_application(call=link.call, user=nominee, values={link.call.questions.get().pk: "Because."},
                                   language="en")  # fmt: skip
    submit_application(application=application)
    with pytest.raises(NominationError, match="submitted"):
        withdraw_nomination(link=link, nomination=nomination)


# --- The nominee applies ---


def test_a_nominee_applies_to_a_nomination_only_call_with_the_verified_nominated_address(link):
    nomination = nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    nominee = UserFactory(email="lina@example.org")
    application = save_application(call=link.call, user=nominee, values={}, language="en")
    nomination.refresh_from_db()
    assert nomination.application == application


def test_someone_not_nominated_or_with_the_address_unverified_is_refused(link):
    nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    with pytest.raises(ApplicationError, match="nomination only"):
        save_application(call=link.call, user=person(), values={}, language="en")
    unverified = UserFactory(email="lina@example.org", verified=False)
    with pytest.raises(ApplicationError, match="nomination only"):
        save_application(call=link.call, user=unverified, values={}, language="en")
    # The nominated address added to another account but not confirmed does not count either.
    someone = person()
    EmailAddress.objects.create(user=someone, email="LINA@example.org", verified=False, primary=False)
    with pytest.raises(ApplicationError, match="nomination only"):
        save_application(call=link.call, user=someone, values={}, language="en")
    assert not Application.objects.exists()


def test_a_withdrawn_nominee_can_no_longer_apply_to_a_nomination_only_call(link):
    nomination = nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    withdraw_nomination(link=link, nomination=nomination)
    with pytest.raises(ApplicationError, match="nomination only"):
        save_application(call=link.call, user=UserFactory(email="lina@example.org"), values={}, language="en")


def test_in_an_open_call_a_nominated_persons_application_is_linked_too(link):
    Call.objects.filter(pk=link.call_id).update(mode=Call.Mode.OPEN)
    link.call.refresh_from_db()
    early = UserFactory(email="early@example.org")
    before = save_application(call=link.call, user=early, values={}, language="en")
    nominated_later = nominate(link=link, full_name="Early", email="early@example.org", position="", language="en")
    assert nominated_later.application == before
    nomination = nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    application = save_application(call=link.call, user=UserFactory(email="lina@example.org"), values={},
                                   language="en")  # fmt: skip
    nomination.refresh_from_db()
    assert nomination.application == application


def test_the_calls_page_tells_a_nominee_who_nominated_them_and_organisers_see_it_too(client, link, organiser):
    nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    nominee = UserFactory(email="lina@example.org")
    client.force_login(nominee)
    page = client.get(f"/en/calls/{link.call.pk}/").content.decode()
    assert "You were nominated by <bdi>Ministry of Labour</bdi>" in page
    assert f"/en/calls/{link.call.pk}/apply/" in page
    assert client.get(f"/en/calls/{link.call.pk}/apply/").status_code == 200
    client.force_login(person())
    page = client.get(f"/en/calls/{link.call.pk}/").content.decode()
    assert "You were nominated" not in page and "no nomination was made" in page
    save_application(call=link.call, user=nominee, values={}, language="en")
    client.force_login(organiser)
    page = client.get(f"/en/organise/calls/{link.call.pk}/applications/").content.decode()
    assert "Nominated by <bdi>Ministry of Labour</bdi>" in page


# --- The focal point's page: their own nominations, nobody else's ---


def test_a_focal_point_sees_only_their_own_links_nominations_and_their_state(client, link, organiser):
    nominate(link=link, full_name="Lina Asked", email="asked@example.org", position="", language="en")
    nominate(link=link, full_name="Omar Started", email="started@example.org", position="", language="en")
    save_application(call=link.call, user=UserFactory(email="started@example.org"), values={
        link.call.questions.get().pk: "A secret answer"}, language="en")  # fmt: skip
    other = other_link(link.call, organiser)
    nominate(link=other, full_name="Someone Else", email="else@example.org", position="", language="en")
    response = client.get(path(link))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Lina Asked" in page and "asked to apply" in page
    assert "Omar Started" in page and "application started" in page
    assert "Someone Else" not in page and "else@example.org" not in page
    assert "A secret answer" not in page
    other_page = client.get(path(other)).content.decode()
    assert "Someone Else" in other_page and "Lina Asked" not in other_page


def test_a_focal_point_nominates_from_their_page_until_the_limit(client, link, mailoutbox):
    url = path(link)
    fields = {"full_name": "Lina Haddad", "email": "lina@example.org", "position": "Inspector", "language": "ar"}
    assert client.post(url, fields).status_code == 302
    client.post(url, {**fields, "full_name": "Omar", "email": "omar@example.org"})
    page = client.get(url).content.decode()
    assert "as many people as this link allows" in page and 'name="full_name"' not in page
    assert Nomination.objects.filter(link=link).count() == 2


def test_the_page_says_so_when_the_person_was_already_nominated(client, link, organiser):
    nominate(link=other_link(link.call, organiser), full_name="Lina", email="lina@example.org", position="",
             language="en")  # fmt: skip
    response = client.post(path(link), {"full_name": "Lina", "email": "lina@example.org", "language": "en"})
    page = response.content.decode()
    assert response.status_code == 200 and "already been nominated" in page and "Migrant Aid" not in page


def test_an_altered_or_withdrawn_link_gets_a_clear_page(client, link, organiser):
    token = make_nomination_token(link)
    altered = client.get(f"/en/nominate/{token[:-2]}xy/")
    assert altered.status_code == 404 and "This link does not work" in altered.content.decode()
    withdraw_nomination_link(link=link, by=organiser)
    withdrawn = client.get(f"/en/nominate/{token}/")
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.content.decode()


def test_an_old_address_of_a_link_given_again_no_longer_works(client, link, organiser):
    old = path(link)
    withdraw_nomination_link(link=link, by=organiser)
    again = create_nomination_link(call=link.call, organisation_name="Ministry of Labour",
                                   focal_point_name="Samira Nasser", focal_point_email="samira@labour.example",
                                   language="fr", max_nominees=2, by=organiser)  # fmt: skip
    assert client.get(old).status_code == 404
    assert client.get(path(again)).status_code == 200


def test_a_focal_point_withdraws_their_own_nomination_after_confirming_and_not_anothers(client, link, organiser):
    mine = nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    theirs = nominate(link=other_link(link.call, organiser), full_name="Omar", email="omar@example.org",
                      position="", language="en")  # fmt: skip
    token = make_nomination_token(link)
    assert client.get(f"/en/nominate/{token}/nominations/{theirs.pk}/withdraw/").status_code == 404
    assert client.post(f"/en/nominate/{token}/nominations/{theirs.pk}/withdraw/",
                       {"confirmed": "1"}).status_code == 404  # fmt: skip
    url = f"/en/nominate/{token}/nominations/{mine.pk}/withdraw/"
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 200  # without the confirmation, it only asks
    mine.refresh_from_db()
    assert mine.withdrawn_at is None
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.withdrawn_at is not None and theirs.withdrawn_at is None
    assert "withdrawn" in client.get(path(link)).content.decode()


# --- The organisers' pages ---


def test_an_organiser_gives_a_link_sees_the_counts_and_withdraws_only_after_confirming(
    client, call, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    url = f"/en/organise/calls/{call.pk}/nominations/"
    assert "No organisation has a nomination link yet" in client.get(url).content.decode()
    fields = {"organisation_name": "Ministry of Labour", "focal_point_name": "Samira",
              "focal_point_email": "samira@labour.example", "language": "ar", "max_nominees": "3"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, fields).status_code == 302
    assert len(mailoutbox) == 1 and "/ar/nominate/" in mailoutbox[0].body
    link = NominationLink.objects.get()
    nominate(link=link, full_name="Lina", email="lina@example.org", position="", language="en")
    page = client.get(url).content.decode()
    assert "Ministry of Labour" in page and "1 of 3" in page
    assert client.get(f"/en/organise/nomination-links/{link.pk}/resend/").status_code == 405
    withdraw = f"/en/organise/nomination-links/{link.pk}/withdraw/"
    assert "Withdraw this nomination link?" in client.get(withdraw).content.decode()
    assert client.post(withdraw, {}).status_code == 200  # asks, does nothing
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.post(withdraw, {"confirmed": "1"}).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert (
        f"/en/organise/calls/{call.pk}/nominations/"
        in client.get(f"/en/organise/cohorts/{call.cohort_id}/call/").content.decode()
    )


def test_the_nomination_pages_work_in_arabic(client, link, organiser):
    nominate(link=link, full_name="ليلى حداد", email="lina@example.org", position="مفتشة", language="ar")
    page = client.get(f"/ar/nominate/{make_nomination_token(link)}/").content.decode()
    assert 'dir="rtl"' in page and "ليلى حداد" in page
    client.force_login(organiser)
    assert client.get(f"/ar/organise/calls/{link.call.pk}/nominations/").status_code == 200
