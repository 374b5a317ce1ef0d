"""The contact relay of the alumni network: messages go by email, neither address shows until the recipient
replies, senders are rate-limited, recipients can block, and the log keeps who, whom and when (never the text)."""

import datetime

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from courses.models import OutboundEmail
from evaluations import services
from evaluations.models import ContactBlock, DirectoryListing, RelayedMessage
from participants.models import Registration
from tests.factories import CohortFactory, alumnus, person

pytestmark = pytest.mark.django_db

TEXT = "Hello, could we talk about referral paths for domestic workers in Amman?"
NEUTRAL = "is not taking messages at the moment."


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def cohort():
    return CohortFactory()


@pytest.fixture
def sender(cohort):
    return alumnus(cohort, full_name="Somchai Prasert", share=("organisation",))


@pytest.fixture
def recipient(cohort):
    return alumnus(cohort, "civil_society", "JO", full_name="Layla Haddad")


def send(sender, recipient, text=TEXT) -> RelayedMessage:
    return services.relay_message(sender=sender, recipient_id=recipient.pk, text=text)


def every_header_and_body(email) -> str:
    return email.message().as_string() + repr(email.extra_headers) + repr(email.reply_to)


# --- The relay and its log (services) ---


def test_a_message_is_emailed_to_the_recipient_and_logged_without_its_text(sender, recipient):
    before = timezone.now()
    message = send(sender, recipient)
    logged = RelayedMessage.objects.get()
    assert (logged.pk, logged.sender, logged.recipient, logged.in_reply_to) == (message.pk, sender, recipient, None)
    assert before <= logged.sent_at <= timezone.now()
    # The log has no column that could hold the text.
    assert {field.name for field in RelayedMessage._meta.concrete_fields} == {
        "id", "sender", "recipient", "in_reply_to", "sent_at",
    }  # fmt: skip
    [email] = mail.outbox
    assert email.to == [recipient.email] and TEXT in email.body
    assert "Somchai Prasert" in email.subject and "Somchai Prasert" in email.body


def test_neither_address_shows_in_the_relayed_email(sender, recipient, settings):
    message = send(sender, recipient)
    [email] = mail.outbox
    everything = every_header_and_body(email)
    assert sender.email not in everything
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.reply_to == [] and "Reply-To" not in email.message()
    assert not any(key.lower() == "reply-to" for key in email.extra_headers)
    # The recipient's own address is on the envelope (To) and nowhere else.
    assert email.message()["To"] == recipient.email and everything.count(recipient.email) == 1
    base = settings.SITE_URL.rstrip("/")
    assert base + reverse("evaluations:message_reply", kwargs={"pk": message.pk}) in email.body
    assert base + reverse("evaluations:message_block", kwargs={"pk": message.pk}) in email.body
    assert "not shown" in email.body


def test_the_email_shows_the_senders_organisation_only_if_they_share_it(cohort, sender, recipient):
    send(sender, recipient)
    assert str(sender.profile.organisation) in mail.outbox[-1].body
    DirectoryListing.objects.filter(user=sender).update(share_organisation=False)
    send(sender, alumnus(cohort))
    assert str(sender.profile.organisation) not in mail.outbox[-1].body


def test_the_email_is_in_the_recipients_language(sender, recipient, settings):
    Registration.objects.filter(user=recipient).update(language="ar")
    message = send(sender, recipient)
    expected = settings.SITE_URL.rstrip("/") + f"/ar/alumni/messages/{message.pk}/reply/"
    assert reverse("evaluations:message_reply", kwargs={"pk": message.pk}).startswith("/en/")
    assert expected in mail.outbox[0].body


def test_the_text_must_be_10_to_2000_characters_after_trimming(sender, recipient):
    with pytest.raises(services.RelayError, match="at least 10"):
        send(sender, recipient, "   short    ")
    with pytest.raises(services.RelayError, match="2,000"):
        send(sender, recipient, "x" * 2001)
    send(sender, recipient, "  " + "x" * 2000 + "  ")
    assert len(mail.outbox) == 1 and RelayedMessage.objects.count() == 1


def test_a_reply_shows_the_repliers_address_and_never_the_first_writers(sender, recipient, settings):
    message = send(sender, recipient)
    reply = services.relay_reply(replier=recipient, message_id=message.pk, text="Yes, gladly. Write to me directly.")
    assert (reply.sender, reply.recipient, reply.in_reply_to) == (recipient, sender, message)
    email = mail.outbox[-1]
    assert email.to == [sender.email] and email.reply_to == [recipient.email]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert recipient.email in email.body and "Yes, gladly." in email.body
    everything = every_header_and_body(email)
    # The first writer's address is only on the envelope of the email to them.
    assert email.message()["To"] == sender.email and everything.count(sender.email) == 1


def test_only_the_recipient_of_a_message_can_reply_or_block_through_it(cohort, sender, recipient):
    message = send(sender, recipient)
    someone = alumnus(cohort)
    with pytest.raises(RelayedMessage.DoesNotExist):
        services.relay_reply(replier=someone, message_id=message.pk, text="I was not asked, but here I am.")
    with pytest.raises(RelayedMessage.DoesNotExist):
        services.relay_reply(replier=sender, message_id=message.pk, text="Replying to my own message.")
    with pytest.raises(RelayedMessage.DoesNotExist):
        services.block_sender(blocker=someone, message_id=message.pk)
    assert len(mail.outbox) == 1 and not ContactBlock.objects.exists()


@pytest.mark.parametrize("limit_per_day", [3])
def test_a_sender_is_limited_per_day_and_told_when_they_may_send_again(cohort, sender, settings, limit_per_day):
    settings.ALUMNI_MESSAGES_PER_DAY = limit_per_day
    settings.ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY = 5
    others = [alumnus(cohort) for _ in range(limit_per_day + 1)]
    first = send(sender, others[0])
    RelayedMessage.objects.filter(pk=first.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=20))
    for other in others[1:limit_per_day]:
        send(sender, other)
    with pytest.raises(services.RelayError) as refusal:
        send(sender, others[-1])
    assert f"{limit_per_day} messages a day" in str(refusal.value)
    # The oldest relay of the window leaves it in 4 hours: that is when the next may go.
    free = (timezone.now() + datetime.timedelta(hours=4)).strftime("%Y")
    refused = str(refusal.value)
    assert "after" in refused and free in refused and "(Coordinated Universal Time)" in refused
    assert len(mail.outbox) == limit_per_day and RelayedMessage.objects.count() == limit_per_day
    # A relay older than 24 hours no longer counts.
    RelayedMessage.objects.filter(pk=first.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=25))
    send(sender, others[-1])


def test_replies_count_in_the_daily_limit(cohort, sender, recipient, settings):
    settings.ALUMNI_MESSAGES_PER_DAY = 1
    message = send(alumnus(cohort), recipient)
    send(recipient, sender)
    with pytest.raises(services.RelayError, match="1 message a day"):
        services.relay_reply(replier=recipient, message_id=message.pk, text="Thanks, let us talk next week.")
    assert RelayedMessage.objects.filter(sender=recipient).count() == 1


def test_a_sender_is_limited_per_recipient(cohort, sender, recipient, settings):
    settings.ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY = 2
    send(sender, recipient)
    send(sender, recipient)
    with pytest.raises(services.RelayError, match="2 messages a day to the same person") as refusal:
        send(sender, recipient)
    assert "Layla Haddad again after" in str(refusal.value)
    assert len(mail.outbox) == 2 and RelayedMessage.objects.count() == 2
    send(sender, alumnus(cohort))  # someone else still can be written to


def test_a_blocked_sender_gets_the_same_words_as_when_messages_are_off(cohort, sender, recipient):
    message = send(sender, recipient)
    services.block_sender(blocker=recipient, message_id=message.pk)
    services.block_sender(blocker=recipient, message_id=message.pk)  # twice is the same as once
    assert ContactBlock.objects.filter(blocker=recipient, blocked=sender).count() == 1
    with pytest.raises(services.RelayError) as blocked:
        send(sender, recipient)
    quiet = alumnus(cohort, full_name="Layla Haddad", accepts_messages=False)
    with pytest.raises(services.RelayError) as off:
        send(sender, quiet)
    assert str(blocked.value) == str(off.value) == f"Layla Haddad {NEUTRAL}"
    assert len(mail.outbox) == 1 and RelayedMessage.objects.count() == 1
    # Others may still write to the person who blocked.
    send(alumnus(cohort), recipient)


def test_unblocking_lets_the_sender_write_again(sender, recipient):
    message = send(sender, recipient)
    block = services.block_sender(blocker=recipient, message_id=message.pk)
    with pytest.raises(ContactBlock.DoesNotExist):
        services.unblock_sender(blocker=sender, block_id=block.pk)
    services.unblock_sender(blocker=recipient, block_id=block.pk)
    send(sender, recipient)
    assert RelayedMessage.objects.count() == 2


def test_a_reply_is_refused_when_the_first_writer_has_since_blocked_the_replier(sender, recipient):
    message = send(sender, recipient)
    ContactBlock.objects.create(blocker=sender, blocked=recipient)
    with pytest.raises(services.RelayError, match=f"Somchai Prasert {NEUTRAL}"):
        services.relay_reply(replier=recipient, message_id=message.pk, text="Thank you for writing to me.")
    assert len(mail.outbox) == 1


def test_a_recipient_who_left_the_directory_or_turned_messages_off_is_refused(cohort, sender, recipient):
    recipient.profile.listed_in_directory = False
    recipient.profile.save()
    with pytest.raises(services.RelayError, match=NEUTRAL):
        send(sender, recipient)
    other = alumnus(cohort)
    DirectoryListing.objects.filter(user=other).update(accepts_messages=False)
    with pytest.raises(services.RelayError, match=NEUTRAL):
        send(sender, other)
    with pytest.raises(services.RelayError, match="yourself"):
        send(sender, sender)
    assert not mail.outbox and not RelayedMessage.objects.exists()


def test_a_send_that_fails_is_kept_and_leaves_when_the_mail_server_is_back(sender, recipient, settings):
    from courses.outbox import drain

    settings.EMAIL_BACKEND = "tests.evaluations.test_relay.FailingBackend"
    message = send(sender, recipient)
    assert message.sent_now is False and RelayedMessage.objects.count() == 1
    kept = OutboundEmail.objects.get(key=f"relay:{message.pk}")
    assert kept.sent_at is None and kept.attempts == 1 and "SMTP server unreachable" in kept.last_error
    assert TEXT not in kept.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(available_at=timezone.now())  # the pause after a failure, over
    assert drain(timeout=5) == {"sent": 1, "left": 0}
    assert len(mail.outbox) == 1 and TEXT in mail.outbox[0].body
    kept.refresh_from_db()
    assert kept.sent_at is not None and kept.args == {}  # the text is not kept once it has left


# --- Pages (wiring) ---


def test_people_outside_the_network_get_403(client, sender, recipient):
    message = send(sender, recipient)
    client.force_login(person())
    for url in (
        reverse("evaluations:message_send", kwargs={"user_id": recipient.pk}),
        reverse("evaluations:messages"),
        reverse("evaluations:message_reply", kwargs={"pk": message.pk}),
        reverse("evaluations:message_block", kwargs={"pk": message.pk}),
    ):
        assert client.get(url).status_code == 403, url


def test_the_send_page_is_404_for_someone_not_listed(client, cohort, sender):
    hidden = alumnus(cohort, listed=False)
    client.force_login(sender)
    assert client.get(reverse("evaluations:message_send", kwargs={"user_id": hidden.pk})).status_code == 404
    response = client.post(reverse("evaluations:message_send", kwargs={"user_id": hidden.pk}), {"text": TEXT})
    assert response.status_code == 404 and not mail.outbox


def test_sending_from_the_page_goes_back_to_the_card_with_a_confirmation(client, sender, recipient):
    client.force_login(sender)
    url = reverse("evaluations:message_send", kwargs={"user_id": recipient.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert '<label class="form-label" for="id_text">' in page.text and 'maxlength="2000"' in page.text
    assert '<span dir="auto">Layla Haddad</span>' in page.text
    response = client.post(url, {"text": TEXT})
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:alumnus", kwargs={"user_id": recipient.pk})
    shown = [str(message) for message in response.wsgi_request._messages]
    assert shown == ["Your message was sent to Layla Haddad. Your address was not shown."]
    assert len(mail.outbox) == 1


def test_a_refused_message_keeps_its_text_and_says_why(client, sender, recipient, settings):
    settings.ALUMNI_MESSAGES_PER_RECIPIENT_PER_DAY = 1
    send(sender, recipient)
    client.force_login(sender)
    url = reverse("evaluations:message_send", kwargs={"user_id": recipient.pk})
    response = client.post(url, {"text": "A second message, typed with care."})
    assert response.status_code == 400
    assert "again after" in response.text and "A second message, typed with care." in response.text
    too_short = client.post(url, {"text": "Hi"})
    assert too_short.status_code == 400 and 'aria-describedby="id_text_helptext id_text_error"' in too_short.text
    assert 'id="id_text_error"' in too_short.text and ">\nHi</textarea>" in too_short.text


def test_a_failed_send_from_the_page_says_it_will_leave_shortly(client, sender, recipient, settings):
    settings.EMAIL_BACKEND = "tests.evaluations.test_relay.FailingBackend"
    client.force_login(sender)
    response = client.post(reverse("evaluations:message_send", kwargs={"user_id": recipient.pk}), {"text": TEXT})
    assert response.status_code == 302
    shown = [str(message) for message in response.wsgi_request._messages]
    assert shown == ["Your message to Layla Haddad will leave in a few minutes: the mail server did not answer just "
                     "now. Your address was not shown."]  # fmt: skip
    assert RelayedMessage.objects.count() == 1 and OutboundEmail.objects.filter(sent_at__isnull=True).count() == 1


def test_the_send_page_says_at_once_when_the_person_takes_no_messages(client, sender, recipient):
    ContactBlock.objects.create(blocker=recipient, blocked=sender)
    client.force_login(sender)
    page = client.get(reverse("evaluations:message_send", kwargs={"user_id": recipient.pk}))
    assert page.status_code == 200 and f"Layla Haddad {NEUTRAL}" in page.text and "<textarea" not in page.text


def test_the_reply_page_warns_that_replying_shares_the_address(client, sender, recipient):
    message = send(sender, recipient)
    client.force_login(recipient)
    url = reverse("evaluations:message_reply", kwargs={"pk": message.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Replying shares your email address with Somchai Prasert so that you can go on by email." in page.text
    assert "the message is in your email" in page.text and TEXT not in page.text
    response = client.post(url, {"text": "Yes, gladly. Write to me directly."})
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:messages")
    assert mail.outbox[-1].reply_to == [recipient.email]


def test_someone_else_cannot_reply_to_or_block_through_anothers_message(client, cohort, sender, recipient):
    message = send(sender, recipient)
    client.force_login(alumnus(cohort))
    for name in ("evaluations:message_reply", "evaluations:message_block"):
        url = reverse(name, kwargs={"pk": message.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Not my message to answer."}).status_code == 404
    client.force_login(sender)
    assert client.get(reverse("evaluations:message_reply", kwargs={"pk": message.pk})).status_code == 404
    assert len(mail.outbox) == 1 and not ContactBlock.objects.exists()


def test_blocking_from_the_page_asks_first_then_blocks(client, sender, recipient):
    message = send(sender, recipient)
    client.force_login(recipient)
    url = reverse("evaluations:message_block", kwargs={"pk": message.pk})
    page = client.get(url)
    assert page.status_code == 200 and "will not be able to send you messages. They are not told." in page.text
    assert not ContactBlock.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:messages")
    assert client.post(url).status_code == 302
    assert ContactBlock.objects.filter(blocker=recipient, blocked=sender).count() == 1


def test_unblocking_is_a_post_by_the_blocker_only(client, cohort, sender, recipient):
    block = ContactBlock.objects.create(blocker=recipient, blocked=sender)
    url = reverse("evaluations:unblock", kwargs={"pk": block.pk})
    client.force_login(sender)
    assert client.post(url).status_code == 404
    client.force_login(recipient)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and not ContactBlock.objects.exists()


def test_the_messages_page_lists_the_log_and_whom_i_block(client, cohort, sender, recipient,
                                                          django_assert_max_num_queries):  # fmt: skip
    message = send(sender, recipient)
    services.relay_reply(replier=recipient, message_id=message.pk, text="Yes, gladly. Write to me directly.")
    pest = alumnus(cohort, full_name="Pest Person")
    services.block_sender(blocker=recipient, message_id=send(pest, recipient).pk)
    client.force_login(recipient)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:messages"))
    assert page.status_code == 200
    assert '<bdi class="fw-semibold">Somchai Prasert</bdi>' in page.text
    assert "You replied" in page.text and "Unblock" in page.text and "Pest Person" in page.text
    assert TEXT not in page.text and "<li dir=" not in page.text
    client.force_login(sender)
    assert "They replied" in client.get(reverse("evaluations:messages")).text


def test_the_messages_page_explains_when_it_is_empty(client, sender):
    client.force_login(sender)
    page = client.get(reverse("evaluations:messages"))
    assert "No messages yet. Find someone in the directory and send them a message" in page.text


def test_the_pages_work_in_arabic(client, sender, recipient):
    message = send(sender, recipient)
    client.force_login(recipient)
    for url in (
        f"/ar/alumni/messages/{message.pk}/reply/",
        f"/ar/alumni/messages/{message.pk}/block/",
        "/ar/alumni/messages/",
        f"/ar/alumni/people/{sender.pk}/message/",
    ):
        page = client.get(url)
        assert page.status_code == 200 and 'dir="rtl"' in page.text, url


def test_the_log_is_read_only_in_the_admin(rf, sender, recipient):
    send(sender, recipient)
    model_admin = admin_site._registry[RelayedMessage]
    request = rf.get("/")
    request.user = sender
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, RelayedMessage.objects.get())
    assert not model_admin.has_delete_permission(request, RelayedMessage.objects.get())


# --- After the review: leaving stops replies too; a reply is not answered through the relay ---


def test_a_reply_to_someone_who_left_the_directory_or_turned_messages_off_is_refused(sender, recipient):
    message = send(sender, recipient)
    services.leave_directory(user=sender)
    with pytest.raises(services.RelayError, match="not taking messages"):
        services.relay_reply(replier=recipient, message_id=message.pk, text="Are you still there, my friend?")
    sender.profile.listed_in_directory = True
    sender.profile.save()
    DirectoryListing.objects.filter(user=sender).update(accepts_messages=False)
    with pytest.raises(services.RelayError, match="not taking messages"):
        services.relay_reply(replier=recipient, message_id=message.pk, text="Are you still there, my friend?")
    assert RelayedMessage.objects.count() == 1


def test_an_organiser_who_wrote_can_be_answered(cohort, organiser, recipient):
    message = services.relay_message(sender=organiser, recipient_id=recipient.pk, text=TEXT)
    reply = services.relay_reply(replier=recipient, message_id=message.pk, text="Thank you, I will come.")
    assert reply.recipient == organiser


def test_a_reply_cannot_be_answered_through_the_relay(client, sender, recipient):
    message = send(sender, recipient)
    reply = services.relay_reply(replier=recipient, message_id=message.pk, text="Yes, gladly. Write to me directly.")
    with pytest.raises(RelayedMessage.DoesNotExist):
        services.relay_reply(replier=sender, message_id=reply.pk, text="Thanks! And one more thing…")
    client.force_login(sender)
    assert client.get(reverse("evaluations:message_reply", args=[reply.pk])).status_code == 404
    # Blocking through a reply still works (the reply's email has the link).
    assert client.post(reverse("evaluations:message_block", args=[reply.pk])).status_code == 302
    assert ContactBlock.objects.filter(blocker=sender, blocked=recipient).exists()


def test_a_blocked_viewer_sees_the_same_card_as_when_messages_are_off(client, cohort, sender, recipient):
    card_url = reverse("evaluations:alumnus", args=[recipient.pk])
    send_url = reverse("evaluations:message_send", args=[recipient.pk])
    client.force_login(sender)
    assert send_url in client.get(card_url).content.decode()
    ContactBlock.objects.create(blocker=recipient, blocked=sender)
    blocked_page = client.get(card_url).content.decode()
    ContactBlock.objects.all().delete()
    DirectoryListing.objects.filter(user=recipient).update(accepts_messages=False)
    off_page = client.get(card_url).content.decode()
    assert send_url not in blocked_page and send_url not in off_page
    assert "is not taking messages at the moment" in blocked_page and "is not taking messages at the moment" in off_page
