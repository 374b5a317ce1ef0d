"""Deciding a call's selection (participants/services/selection.py): the candidates as the assistant sees them, the
seats already taken, the organisers' pins, and the decision: invitations that confirm, the reserve on the waitlist in
score order, the courteous emails sent once, the refusals, the audit. Then the pages."""

import datetime

import pytest
from django.utils import timezone

from courses.models import OutboundEmail
from participants.models import (
    AuditEntry,
    Call,
    Criterion,
    Invitation,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    Review,
    Score,
)
from participants.services import (
    SelectionError,
    accept_invitation,
    decide_selection,
    decline_invitation,
    set_pin,
    shortlist_for_call,
    withdraw_registration,
)
from tests.factories import CohortFactory, UserFactory, person

pytestmark = pytest.mark.django_db

GOV, CS = "government", "civil_society"


@pytest.fixture
def call(db):
    # 10 seats, 50/50 ± 10: each sector at most 6, at least 4.
    now = timezone.now()
    cohort = CohortFactory(capacity=10, auto_confirm=False)
    call = Call.objects.create(cohort=cohort, opens_at=now - datetime.timedelta(days=20),
                               deadline=now - datetime.timedelta(days=1), published=True)  # fmt: skip
    Criterion.objects.create(call=call, label_en="Relevance", weight=1)
    return call


def apply(call, *, score=None, sector=GOV, country="TH", gender="man", language="en", email=None):
    """A submitted application, scored `score` (1–5) by one reviewer if given."""
    fields = {"email": email} if email else {}
    user = person(sector, country, **fields)
    user.profile.gender = gender
    user.profile.save()
    application = call.applications.create(user=user, status="submitted", language=language,
                                           submitted_at=timezone.now())  # fmt: skip
    if score is not None:
        review = Review.objects.create(application=application, reviewer=UserFactory(), submitted_at=timezone.now())
        Score.objects.create(review=review, criterion=call.criteria.get(), value=score)
    return application


def seat(call, sector=GOV, country="TH"):
    user = person(sector, country)
    return Registration.objects.create(user=user, cohort=call.cohort, status=RegistrationStatus.CONFIRMED,
                                       sector=sector, country=country)  # fmt: skip


# --- The candidates and the rules ---


def test_candidates_are_loaded_from_the_applicants_profiles_and_the_reviewers_scores(call):
    woman = apply(call, score=4, sector=CS, country="KH", gender="woman")
    unscored = apply(call, sector=GOV, country="JO")
    call.applications.create(user=person(), status="draft")  # a draft is not a candidate
    page = shortlist_for_call(call=call)
    assert set(page.candidates) == {woman.pk, unscored.pk}
    candidate = page.candidates[woman.pk]
    assert (candidate.sector, candidate.country, candidate.gender, candidate.score) == (CS, "KH", "woman", 4.0)
    assert page.candidates[unscored.pk].score is None
    assert page.shortlist.reasons[unscored.pk].code == "not_reviewed"
    assert "not reviewed yet" in page.reason(unscored.pk)


def test_seats_already_taken_reduce_the_rules(call):
    call.cohort.max_per_country = 3
    call.cohort.save()
    for country in ("TH", "TH", "KH", "KH", "KH"):
        seat(call, GOV, country)
    page = shortlist_for_call(call=call)
    assert page.rules.capacity == 5
    assert page.rules.ceiling(GOV) == 1 and page.rules.ceiling(CS) == 5
    assert page.rules.floor(GOV) == 0 and page.rules.floor(CS) == 4
    assert (page.rules.country_cap("TH"), page.rules.country_cap("KH"), page.rules.country_cap("JO")) == (1, 0, 3)
    # Two Thai people already confirmed: one more from Thailand, none from Cambodia.
    thai, second_thai = apply(call, score=5, sector=CS, country="TH"), apply(call, score=4, sector=CS, country="TH")
    cambodian, jordanian = apply(call, score=5, sector=CS, country="KH"), apply(call, score=3, sector=CS, country="JO")
    page = shortlist_for_call(call=call)
    assert set(page.shortlist.selected) == {thai.pk, jordanian.pk}
    # Said as the cohort counts: the seats already taken included.
    assert "Thailand has reached the country cap (3 of 3)" in page.reason(second_thai.pk)
    assert "Cambodia has reached the country cap (3 of 3)" in page.reason(cambodian.pk)


def test_pins_persist_and_change_the_proposal(call, organiser):
    best = apply(call, score=5)
    apply(call, score=4)
    set_pin(application=best, pin="out", by=organiser)
    best.refresh_from_db()
    assert best.pin == "out"
    page = shortlist_for_call(call=call)
    assert best.pk not in page.shortlist.selected
    assert page.shortlist.reasons[best.pk].code == "forced_out"
    set_pin(application=best, pin="", by=organiser)
    assert best.pk in shortlist_for_call(call=call).shortlist.selected


# --- Deciding ---


def decide(call, ids, by, capture):
    with capture(execute=True):
        return decide_selection(call=call, selected_ids=ids, by=by)


def test_deciding_invites_the_selected_and_accepting_confirms_them(call, organiser, django_capture_on_commit_callbacks,
                                                                   mailoutbox):  # fmt: skip
    chosen = apply(call, score=5)
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    chosen.refresh_from_db()
    invitation = Invitation.objects.get(application=chosen)
    assert chosen.status == "selected" and chosen.decided_at is not None
    assert (invitation.email, invitation.intended_sector, invitation.cohort) == (chosen.user.email, GOV, call.cohort)
    assert [m.to for m in mailoutbox] == [[chosen.user.email]]
    assert "Your application was selected" in mailoutbox[0].body
    # The cohort asks organisers to confirm each registration (auto_confirm off): a selected person is confirmed.
    registration = accept_invitation(invitation=invitation, user=chosen.user)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_selected_person_is_waitlisted_if_the_rules_refuse_by_the_time_they_accept(
    call, organiser, django_capture_on_commit_callbacks
):
    chosen = apply(call, score=5)
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    call.cohort.capacity = 5
    call.cohort.save()
    for _ in range(5):
        seat(call, CS, "KH")
    registration = accept_invitation(invitation=Invitation.objects.get(application=chosen), user=chosen.user)
    assert registration.status == RegistrationStatus.WAITLISTED


def test_the_reserve_is_waitlisted_in_score_order_and_promoted_in_that_order(
    call, organiser, django_capture_on_commit_callbacks
):
    for sector in [CS] * 5 + [GOV] * 4:  # 9 of the 10 seats taken
        seat(call, sector)
    chosen = apply(call, score=5)
    # Applied in the opposite order of their scores: the waitlist must follow the scores, not the dates.
    third, second, first = apply(call, score=2), apply(call, score=3), apply(call, score=4)
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    for application, rank in ((first, 1), (second, 2), (third, 3)):
        application.refresh_from_db()
        assert (application.status, application.reserve_rank) == ("reserve", rank)
    waitlist = Registration.objects.filter(cohort=call.cohort, status=RegistrationStatus.WAITLISTED)
    assert list(waitlist.order_by("applied_at", "id").values_list("user", flat=True)) == [
        first.user_id, second.user_id, third.user_id]  # fmt: skip
    assert RegistrationEvent.objects.filter(registration__in=waitlist, kind="decision", actor=organiser).count() == 3

    def status(application):
        return Registration.objects.get(user=application.user).status

    # The selected person declines: the seat held for them goes to the first of the reserve, then the next.
    decline_invitation(invitation=Invitation.objects.get(application=chosen))
    assert [status(a) for a in (first, second, third)] == ["confirmed", "waitlisted", "waitlisted"]
    withdraw_registration(registration=Registration.objects.get(user=first.user), by=first.user)
    assert [status(a) for a in (second, third)] == ["confirmed", "waitlisted"]


def test_a_seat_held_for_a_selected_person_is_not_given_to_the_waitlist(
    call, organiser, django_capture_on_commit_callbacks
):
    call.cohort.capacity = 2
    call.cohort.target_government, call.cohort.target_civil_society, call.cohort.tolerance = 50, 50, 50
    call.cohort.save()
    leaving = seat(call, GOV)
    chosen, reserve = apply(call, score=5), apply(call, score=4)
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    withdraw_registration(registration=leaving, by=leaving.user)  # one seat frees; the other is held
    assert Registration.objects.get(user=reserve.user).status == RegistrationStatus.CONFIRMED
    registration = accept_invitation(invitation=Invitation.objects.get(application=chosen), user=chosen.user)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_others_are_told_once_in_their_language(call, organiser, django_capture_on_commit_callbacks, mailoutbox):
    chosen = apply(call, score=5)
    unreviewed = apply(call, language="ar")
    reserve = apply(call, score=3, language="fr")
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    unreviewed.refresh_from_db()
    assert unreviewed.status == "not_selected" and unreviewed.decision_notified_at is not None
    by_address = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == 3
    assert "عزيزي" in by_address[unreviewed.user.email].body  # in Arabic (the greeting's translation)
    assert f"/ar/applications/{unreviewed.pk}/" in by_address[unreviewed.user.email].body
    assert f"/fr/applications/{reserve.pk}/" in by_address[reserve.user.email].body
    # A retried job owes nothing more: one outbox row per application.
    from participants.services.selection import owe_decision_email

    with django_capture_on_commit_callbacks(execute=True):
        owe_decision_email(unreviewed)
    assert OutboundEmail.objects.filter(key=f"application-decision:{unreviewed.pk}").count() == 1
    assert len(mailoutbox) == 3


def test_deciding_refuses_a_choice_above_a_sector_ceiling_and_says_which(call, organiser):
    government = [apply(call, score=5) for _ in range(7)]  # the ceiling is 6
    with pytest.raises(SelectionError, match="Government.*ceiling of 6"):
        decide_selection(call=call, selected_ids=[a.pk for a in government], by=organiser)
    call.refresh_from_db()
    assert call.decided_at is None and not Invitation.objects.exists()


def test_a_second_decision_is_refused_and_the_decision_is_audited(call, organiser, django_capture_on_commit_callbacks):
    chosen, other = apply(call, score=5), apply(call)
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    call.refresh_from_db()
    assert call.decided_by == organiser and call.decided_at is not None
    with pytest.raises(SelectionError, match="already decided"):
        decide_selection(call=call, selected_ids=[other.pk], by=organiser)
    entry = AuditEntry.objects.get(details__code="selection_decided")
    assert (entry.actor, entry.cohort_id, entry.action) == (organiser, call.cohort_id, "selection")
    from participants.audit_details import describe
    from participants.selectors import list_audit_trail

    decisions = list_audit_trail(kind="decisions").object_list
    assert [row["what"] for row in decisions if row["kind"] == "selection"] == [describe(entry.details)]
    assert (entry.details["selected"], entry.details["reserve"], entry.details["not_selected"]) == (1, 0, 1)
    with pytest.raises(SelectionError):
        set_pin(application=other, pin="in", by=organiser)


# --- The pages ---


def test_the_shortlist_page_recounts_without_javascript_and_decides_only_when_confirmed(
    client, call, organiser, django_capture_on_commit_callbacks
):
    first, second = apply(call, score=5), apply(call, score=4, sector=CS)
    unscored = apply(call)
    client.force_login(organiser)
    url = f"/en/organise/calls/{call.pk}/shortlist/"
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"].startswith("private")
    text = page.content.decode()
    assert f'value="{first.pk}" id="select-{first.pk}" checked' in text
    assert "not reviewed yet" in text and f'id="select-{unscored.pk}" aria' in text
    # Recount: the ticks come from the form, not the proposal.
    page = client.post(url, {"select": [second.pk], "recount": "1"})
    assert f'value="{first.pk}" id="select-{first.pk}" aria' in page.content.decode()
    # Keep-in is saved.
    assert client.post(url, {"pin": f"{unscored.pk}:out"}).status_code == 302
    unscored.refresh_from_db()
    assert unscored.pin == "out"
    decide_url = f"/en/organise/calls/{call.pk}/shortlist/decide/"
    asked = client.post(decide_url, {"select": [first.pk, second.pk]})
    assert asked.status_code == 200 and "2 people are selected" in asked.content.decode()
    call.refresh_from_db()
    assert call.decided_at is None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(decide_url, {"select": [first.pk, second.pk], "confirmed": "1"})
    assert done.status_code == 302
    call.refresh_from_db()
    assert call.decided_at is not None
    outcome = client.get(url).content.decode()
    assert "Decided on" in outcome and "Not selected (1)" in outcome


def test_the_shortlist_page_in_arabic_and_its_empty_state(client, call, organiser):
    client.force_login(organiser)
    empty = client.get(f"/en/organise/calls/{call.pk}/shortlist/")
    assert "No submitted application to weigh yet" in empty.content.decode()
    apply(call, score=4)
    page = client.get(f"/ar/organise/calls/{call.pk}/shortlist/")
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()


def test_a_large_call_shows_the_proposed_and_the_first_of_each_list_and_everyone_on_asking(client, call, organiser):
    from participants.selection_views import SHOWN

    reviewed = [apply(call, score=5 - n % 3) for n in range(SHOWN + 10)]  # 6 proposed (the ceiling), the rest reserve
    unreviewed = [apply(call, sector=CS) for _ in range(SHOWN + 2)]
    proposal = shortlist_for_call(call=call)
    proposed, reserve = list(proposal.shortlist.selected), list(proposal.shortlist.reserve[GOV])
    assert len(proposed) == 6 and len(reserve) == SHOWN + 4
    client.force_login(organiser)
    url = f"/en/organise/calls/{call.pk}/shortlist/"

    def listed(response) -> set[int]:
        text = response.content.decode()
        return {a.pk for a in reviewed + unreviewed if f'id="select-{a.pk}"' in text}

    page = client.get(url)
    text = page.content.decode()
    assert listed(page) == set(proposed) | set(reserve[:SHOWN]) | {a.pk for a in unreviewed[:SHOWN]}
    assert all(f'value="{pk}" id="select-{pk}" checked' in text for pk in proposed)
    assert "4 more in this list, not shown and not ticked." in text
    assert "2 more in this list, not shown and not ticked." in text
    assert "6 more candidates are not shown" in text and "Show all 42 candidates" in text
    assert f'formaction="{url}?show=reserve-government#group-reserve-government"' in text
    # Everyone on asking, one list or all of them; the choice stays through a recount and a pin.
    assert listed(client.get(f"{url}?show=reserve-government")) == listed(page) | set(reserve)
    everyone = client.get(f"{url}?all=1")
    assert listed(everyone) == {a.pk for a in reviewed + unreviewed}
    assert "All 42 candidates are shown." in everyone.content.decode()
    assert f'action="{url}?all=1"' in everyone.content.decode()
    assert client.post(f"{url}?all=1", {"pin": f"{reserve[-1]}:in"})["Location"] == f"{url}?all=1"
    # Someone ticked (or kept in) is always listed, so the balance counted from the boxes stays true.
    recounted = client.post(url, {"select": [*proposed[:5], unreviewed[-1].pk], "recount": "1"})
    assert {unreviewed[-1].pk, reserve[-1]} <= listed(recounted)
    assert f'value="{unreviewed[-1].pk}" id="select-{unreviewed[-1].pk}" checked' in recounted.content.decode()


def test_after_the_decision_each_applicant_reads_what_it_means_for_them_and_the_selected_where_to_go(
    client, call, organiser, django_capture_on_commit_callbacks
):
    chosen, reserve, unread = apply(call, score=5), apply(call, score=4), apply(call)
    decide(call, [chosen.pk], organiser, django_capture_on_commit_callbacks)
    client.force_login(chosen.user)
    page = client.get(f"/en/applications/{chosen.pk}/")
    assert "You are selected for this session" in page.text
    from participants.tokens import make_token

    assert f'href="/en/invitations/{make_token(Invitation.objects.get(application=chosen))}/"' in page.text
    reserve.refresh_from_db()
    assert reserve.status == "reserve"
    client.force_login(reserve.user)
    assert f"place {reserve.reserve_rank} in your sector" in client.get(f"/en/applications/{reserve.pk}/").text
    client.force_login(unread.user)
    assert "could not offer you a place this time" in client.get(f"/en/applications/{unread.pk}/").text
