"""The alumni directory (consent field by field), leaving it, collaborations and their confirmation, and the
alumni-only space."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses.permissions import ALUMNI
from evaluations import selectors, services
from evaluations.models import DirectoryListing, Tie
from participants.models import Registration, RegistrationStatus
from tests.factories import CohortFactory, alumnus, make_session, person

pytestmark = pytest.mark.django_db

# A value for each field a person may share; each must show only when shared.
SECRETS = {
    "native_name": "ลับเฉพาะ",
    "organisation": "Hidden Shelter Network",
    "position": "Case worker for trafficking survivors",
    "country": "Malaysia",
    "languages": "Khmer",
    "expertise": "Anti-trafficking",
    "cohorts": "Secret Session",
}


def _secretive(cohort, share, organisation="Hidden Shelter Network"):
    """An alumnus with a distinctive value in every field, sharing only `share`."""
    user = alumnus(cohort, "civil_society", "KH", share=share, full_name="Sokha Chan", native_name="ลับเฉพาะ",
                   position="Case worker for trafficking survivors", country_of_posting="MY", languages=["km"],
                   expertise=["anti_trafficking"])  # fmt: skip
    organisation_name, organisation = organisation, user.profile.organisation
    organisation.name = organisation_name
    organisation.save()
    return user


@pytest.fixture
def cohort():
    start = datetime.date(2026, 3, 2)  # past: collaborations are dated after the session
    session = make_session("secret", title="Secret Session", start_date=start, end_date=start + datetime.timedelta(4))
    return CohortFactory(session=session)


def _pages_about(client, user):
    """Every page, search result and JSON answer a peer can get about `user` (for the directory, its results:
    the filters list fixed vocabularies, such as every language, and shared values only, tested apart)."""
    directory = client.get(reverse("evaluations:directory")).content.decode().split('id="results"')[1]
    searched = client.get(reverse("evaluations:directory"), {"q": "sokha"}).content.decode().split('id="results"')[1]
    card = client.get(reverse("evaluations:alumnus", args=[user.pk])).content.decode()
    found = client.get(reverse("evaluations:directory_json"), {"q": "sokha"}).content.decode()
    return {"directory": directory, "search": searched, "card": card, "json": found}


@pytest.mark.parametrize("shared", DirectoryListing.FIELDS)
def test_a_field_shows_only_when_its_person_shares_it(client, cohort, shared):
    user = _secretive(cohort, share=[shared])
    peer = alumnus(cohort)
    client.force_login(peer)
    pages = _pages_about(client, user)
    assert "Sokha Chan" in pages["card"] and "Sokha Chan" in pages["search"]
    for field, secret in SECRETS.items():
        for where, html in pages.items():
            if where == "json":
                html = json.dumps(json.loads(html), ensure_ascii=False)
            if field == shared:
                continue
            assert secret not in html, f"{field} leaked in {where} while only {shared} is shared"
    if shared in SECRETS:
        assert SECRETS[shared] in pages["card"]


def test_filters_find_only_people_who_share_that_field(cohort):
    hidden = _secretive(cohort, share=[])
    shown = _secretive(
        cohort,
        share=["country", "organisation", "sector", "languages", "expertise", "cohorts"],
        organisation="Open Shelter Network",
    )
    org = shown.profile.organisation

    def found(**filters):
        page = selectors.search_directory(filters=selectors.DirectoryFilters(**filters))
        return {card.user_id for card in page.object_list}

    for filters in ({"country": "MY"}, {"organisation": org.pk}, {"sector": "civil_society"}, {"language": "km"},
                    {"expertise": "anti_trafficking"}, {"cohort": cohort.pk}):  # fmt: skip
        assert found(**filters) == {shown.pk}, filters
    assert found(organisation=hidden.profile.organisation.pk) == set()
    choices = selectors.list_directory_choices()
    assert [code for code, _name in choices["countries"]] == ["MY"]
    assert choices["organisations"] == [(org.pk, str(org))]
    # The choices are cached; leaving the directory takes its values out of them at once.
    services.leave_directory(user=shown)
    choices = selectors.list_directory_choices()
    assert choices["countries"] == [] and choices["organisations"] == [] and choices["cohorts"] == []


def test_search_ignores_case_and_accents_in_any_script(cohort):
    vietnamese = alumnus(cohort, full_name="Nguyễn Thị Mai")
    arabic = alumnus(cohort, full_name="Leila Haddad", native_name="ليلى حداد", share=["native_name"])
    private_native = alumnus(cohort, full_name="Somchai P.", native_name="สมชาย", share=[])

    def found(q):
        return {card.user_id for card in selectors.search_directory(filters=selectors.DirectoryFilters(q=q))}

    assert found("nguyen thi") == {vietnamese.pk}
    assert found("NGUYỄN") == {vietnamese.pk}
    assert found("ليلى") == {arabic.pk}
    assert found("สมชาย") == set()  # a native name kept private cannot be searched either
    assert found("somchai") == {private_native.pk}


def test_leaving_the_directory_takes_effect_at_once(client, cohort):
    user = alumnus(cohort, share=["organisation"], full_name="Leaving Person")
    peer = alumnus(cohort)
    client.force_login(user)
    response = client.post(reverse("evaluations:listing"), {"leave": "1"})
    assert response.status_code == 302
    client.force_login(peer)
    assert client.get(reverse("evaluations:alumnus", args=[user.pk])).status_code == 404
    assert "Leaving Person" not in client.get(reverse("evaluations:directory")).content.decode()
    assert selectors.get_card(user_id=user.pk) is None


def test_an_alumnus_chooses_what_to_share_and_updates_their_position(client, cohort):
    user = alumnus(cohort, listed=False)
    client.force_login(user)
    response = client.post(
        reverse("evaluations:listing"),
        {"listed": "on", "share_sector": "on", "share_position": "on", "expertise": ["fair_recruitment"],
         "about": "I work on recruitment fees.", "accepts_messages": "on", "profile-position": "Labour attaché",
         "profile-country_of_posting": "QA", "profile-languages": ["en", "ar"]},
    )  # fmt: skip
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.listed_in_directory and user.profile.consents_updated_at
    assert user.profile.position == "Labour attaché" and user.profile.country_of_posting == "QA"
    card = selectors.get_card(user_id=user.pk)
    assert card.position == "Labour attaché" and card.sector == "government"
    assert card.country == "" and card.expertise == [] and card.about == "I work on recruitment fees."


def test_directory_is_for_alumni_and_organisers_only(client, cohort, organiser):
    assert client.get(reverse("evaluations:directory")).status_code == 302
    client.force_login(person())
    response = client.get(reverse("evaluations:directory"))
    assert response.status_code == 403 and "attended a session" in response.content.decode()
    client.force_login(organiser)
    assert client.get(reverse("evaluations:directory")).status_code == 200


def test_directory_pages_in_a_constant_number_of_queries(client, cohort, django_assert_max_num_queries):
    viewer = alumnus(cohort)
    for n in range(25):
        alumnus(cohort, share=["organisation", "cohorts", "country"], full_name=f"Person {n:02d}")
    client.force_login(viewer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("evaluations:directory"), {"page": 2})
    assert response.status_code == 200
    assert "Person 22" in response.content.decode() and "Person 02" not in response.content.decode()


def test_a_collaboration_becomes_ties_and_is_confirmed_when_both_record_it(cohort):
    official = alumnus(cohort, "government")
    activist = alumnus(cohort, "civil_society")
    other_cohort = CohortFactory()
    stranger = alumnus(other_cohort, "civil_society")  # listed, another cohort
    when = timezone.localdate() - datetime.timedelta(days=10)
    allowed = selectors.list_allowed_collaborators(user=official, chosen=[activist.pk, stranger.pk])
    services.record_collaboration(reporter=official, kind="referral", happened_on=when,
                                  people=[activist.pk, stranger.pk], allowed=allowed, note="A case")  # fmt: skip
    ties = {tie.other_id: tie for tie in Tie.objects.filter(reporter=official)}
    assert ties[activist.pk].cohort == cohort and ties[stranger.pk].cohort is None
    assert ties[activist.pk].source == Tie.Source.COLLABORATION and ties[activist.pk].reported_on == when
    [record] = selectors.list_collaborations(user=official)
    assert {confirmed for _name, confirmed in record.people} == {False}
    assert [row["user_id"] for row in selectors.list_unconfirmed_ties(user=activist)] == [official.pk]

    services.record_collaboration(reporter=activist, kind="referral", happened_on=when, people=[official.pk],
                                  allowed=[official.pk])  # fmt: skip
    [record] = selectors.list_collaborations(user=official)
    assert {person.name: confirmed for person, confirmed in record.people}[activist.profile.display_name] is True
    assert selectors.list_unconfirmed_ties(user=activist) == []


def test_collaborations_are_only_with_people_one_may_name(cohort):
    me = alumnus(cohort)
    unlisted_elsewhere = alumnus(CohortFactory(), listed=False)
    mate_unlisted = alumnus(cohort, listed=False)
    allowed = selectors.list_allowed_collaborators(user=me, chosen=[unlisted_elsewhere.pk, mate_unlisted.pk])
    assert allowed == {mate_unlisted.pk}
    with pytest.raises(services.CollaborationError):
        services.record_collaboration(reporter=me, kind="information", happened_on=timezone.localdate(),
                                      people=[unlisted_elsewhere.pk], allowed=allowed)  # fmt: skip
    with pytest.raises(services.CollaborationError):
        services.record_collaboration(reporter=me, kind="information",
                                      happened_on=timezone.localdate() + datetime.timedelta(days=2),
                                      people=[mate_unlisted.pk], allowed=allowed)  # fmt: skip
    assert not Tie.objects.exists()


def test_collaboration_form_keeps_the_input_on_error_and_records(client, cohort):
    me = alumnus(cohort)
    mate = alumnus(cohort, full_name="Mate Person")
    client.force_login(me)
    page = client.get(reverse("evaluations:collaborations"))
    assert "Mate Person" in page.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("evaluations:collaborations"),
        {"kind": "joint_advocacy", "happened_on": future, "people": [mate.pk], "note": "Kept"},
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert "Kept" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("evaluations:collaborations"), {"kind": "joint_advocacy", "happened_on": today, "people": [mate.pk]}
    )
    assert response.status_code == 302
    assert Tie.objects.get().kind == "joint_advocacy"
    client.force_login(mate)
    to_confirm = client.get(reverse("evaluations:collaborations")).content.decode()
    assert f"<bdi>{me.profile.display_name}</bdi> says you worked together" in to_confirm
    client.force_login(me)
    # Someone else cannot remove it.
    record = me.collaborations_reported.get()
    delete = reverse("evaluations:collaboration_delete", args=[record.pk])
    client.force_login(mate)
    assert client.post(delete, {"confirmed": "1"}).status_code == 404
    assert Tie.objects.count() == 1
    client.force_login(me)
    # Its person is asked first: the page says what goes, and one post without the confirmation removes nothing.
    question = client.post(delete).content.decode()
    assert "Remove this collaboration?" in question and "This cannot be undone" in question
    assert question.index("Keep it") < question.index("Yes, remove it")
    assert Tie.objects.count() == 1
    client.post(delete, {"confirmed": "1"})
    assert not Tie.objects.exists()


def test_alumni_group_follows_attendance_daily(cohort):
    from participants.services import sync_alumni_group

    attended = alumnus(cohort)
    registration = Registration.objects.get(user=attended)
    registration.status = RegistrationStatus.NO_SHOW
    registration.save()  # changed outside the services, e.g. in the admin
    newcomer = person()
    Registration.objects.create(user=newcomer, cohort=cohort, status=RegistrationStatus.ATTENDED)
    assert sync_alumni_group() == (1, 1)
    members = set(Group.objects.get(name=ALUMNI).user_set.all())
    assert newcomer in members and attended not in members


def test_alumni_space_is_private_to_alumni_and_organisers(client, demo, organiser):
    from django.contrib.auth import get_user_model
    from wagtail.models import PageViewRestriction

    from courses.models import AlumniArticlePage, AlumniSpacePage

    space = AlumniSpacePage.objects.get(locale__language_code="en")
    article = AlumniArticlePage.objects.child_of(space).get(slug="referral-directory-2026")
    assert set(PageViewRestriction.objects.get(page=space).groups.values_list("name", flat=True)) == {
        "Alumni", "Organisers"}  # fmt: skip
    url = article.url
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(person())
    response = client.get(url)
    assert response.status_code == 403 and article.title not in response.content.decode()
    client.force_login(get_user_model().objects.get(email="alumni@example.org"))
    response = client.get(url)
    assert response.status_code == 200 and article.title in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert article.title in client.get(space.url).content.decode()
    arabic = client.get(AlumniSpacePage.objects.get(locale__language_code="ar").url)
    assert arabic.status_code == 200 and article.title in arabic.content.decode()
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    # An editor who makes it public in the privacy menu: still for alumni, and the next save puts it back.
    PageViewRestriction.objects.filter(page=space).delete()
    client.logout()
    assert client.get(url).status_code == 302
    space.save()
    assert PageViewRestriction.objects.filter(page=space, restriction_type="groups").exists()


# --- After the review ---


def _tie(reporter, other, cohort, source="collaboration", days=20):
    return Tie.objects.create(reporter=reporter, other=other, cohort=cohort, kind="information", source=source,
                              reported_on=cohort.session.end_date + datetime.timedelta(days=days))  # fmt: skip


def test_an_alumnus_sees_only_their_own_ties_on_the_map_and_no_one_elses(client, cohort):
    me = alumnus(cohort, full_name="Viewer Person")
    partner = alumnus(cohort, "civil_society", full_name="Partner Person")
    a, b = alumnus(cohort, full_name="Third Person"), alumnus(cohort, "civil_society", full_name="Fourth Person")
    surveyed_me = alumnus(cohort, full_name="Surveyed Person")
    _tie(me, partner, cohort)
    _tie(a, b, cohort)
    _tie(b, a, cohort)
    _tie(surveyed_me, me, cohort, source="survey")  # a questionnaire answer: for the organisers, not for me
    client.force_login(me)
    html = client.get(reverse("evaluations:my_network")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<line") == 1
    assert "Partner Person" in html
    for hidden in ("Third Person", "Fourth Person", "Surveyed Person"):
        assert hidden not in html
    assert selectors.list_unconfirmed_ties(user=me) == []


def test_a_questionnaire_answer_does_not_confirm_a_collaboration_for_its_reporter(cohort):
    me, other = alumnus(cohort), alumnus(cohort)
    services.record_collaboration(reporter=me, kind="referral", happened_on=timezone.localdate(),
                                  people=[other.pk], allowed=[other.pk])  # fmt: skip
    _tie(other, me, cohort, source="survey")
    [record] = selectors.list_collaborations(user=me)
    assert [confirmed for _name, confirmed in record.people] == [False]


def test_a_collaboration_before_the_training_is_refused(cohort):
    me, other = alumnus(cohort), alumnus(cohort)
    with pytest.raises(services.CollaborationError, match="before your first session"):
        services.record_collaboration(reporter=me, kind="referral", happened_on=cohort.session.start_date
                                      - datetime.timedelta(days=1), people=[other.pk], allowed=[other.pk])  # fmt: skip


def test_whoever_recorded_a_collaboration_with_me_can_be_named_back(cohort):
    me = alumnus(cohort)
    elsewhere = alumnus(CohortFactory(), listed=False)
    assert selectors.list_allowed_collaborators(user=me, chosen=[elsewhere.pk]) == set()
    Tie.objects.create(reporter=elsewhere, other=me, kind="information", source="collaboration",
                       reported_on=timezone.localdate())  # fmt: skip
    assert selectors.list_allowed_collaborators(user=me, chosen=[elsewhere.pk]) == {elsewhere.pk}


@pytest.mark.parametrize("query", ["?with=²", "?with=99999999999999999999999", "?with=abc&date=notadate&kind=zz"])
def test_bad_links_to_the_collaboration_form_do_not_fail(client, cohort, query):
    client.force_login(alumnus(cohort))
    assert client.get(reverse("evaluations:collaborations") + query).status_code == 200


def test_bad_directory_queries_do_not_fail_and_drop_only_the_bad_filter(client, cohort):
    alumnus(cohort, full_name="Sophea Kim")
    alumnus(cohort, full_name="Other Name")
    client.force_login(alumnus(cohort, full_name="Viewer"))
    html = client.get(reverse("evaluations:directory"), {"q": "sophea", "cohort": "x", "page": "abc"}).content
    assert "Sophea Kim" in html.decode() and "Other Name" not in html.decode()
    # A NUL is refused before the view (attache.middleware), which would drop it anyway.
    assert client.get(reverse("evaluations:directory_json"), {"q": "so\x00phea"}).status_code == 400
    response = client.get(reverse("evaluations:directory_json"), {"q": "sophea"})
    assert response.status_code == 200 and response.json()["results"][0]["name"] == "Sophea Kim"


def test_the_directory_ignores_parameters_it_does_not_know(client):
    from tests.factories import CohortFactory, alumnus

    cohort = CohortFactory(capacity=30)
    for _ in range(25):
        alumnus(cohort, "government")
    client.force_login(alumnus(cohort, "civil_society"))
    html = client.get("/en/alumni/?utm_source=mail&page=1").content.decode()
    assert 'href="?page=2"' in html and "utm_source=mail&amp;page=2" not in html  # the results' own links
    assert client.get("/en/alumni/?page=99999999999").status_code == 200
