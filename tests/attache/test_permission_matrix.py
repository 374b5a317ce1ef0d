"""Every page and download of the project, requested as every role, against the table in docs/security.md.

The table is the reference: a row per route (its name, a URL with placeholders), a column per role, and in each
cell what that role must get: 200, login (sent to sign in), 403, 404, 405 (a form's target: GET refused), 410 or
302 (sent elsewhere). The ids in the URLs belong to other people wherever a role could try someone else's (IDOR).
A route missing from the table fails the suite, so a new page cannot ship without its row.

`MATRIX_PRINT=1 pytest tests/attache/test_permission_matrix.py` prints what each role gets, as table rows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ROLES = ["anonymous", "invitee", "participant", "alumnus", "trainer", "reviewer", "partner", "organiser", "superuser"]
# Routes of the frameworks we include whole; their own permission systems are tested by them, and their entry
# points are in the table under names of ours (cms, django-admin, login).
INCLUDED = ("cms/", "django-admin/", "accounts/", "documents/")
NOT_PAGES = {"wagtail_serve", "wagtailcore_authenticate_with_password", "wagtailcore_login", "None"}


def table() -> list[dict]:
    text = DOC.read_text()
    body = text.split("<!-- matrix -->", 2)[1]
    rows = []
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 + len(ROLES) or not cells[0].startswith("`") or set(cells[0]) <= {"-"}:
            continue
        answers = dict(zip(ROLES, cells[2:], strict=True))
        rows.append({"route": cells[0].strip("`"), "url": cells[1].strip("`"), **answers})
    return rows


def routes() -> set[str]:
    from django.urls import URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in INCLUDED:
                    continue
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                    pattern.namespace or namespace)  # fmt: skip
                walk(pattern.url_patterns, inner or "")
            else:
                names.add(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver().url_patterns)
    return names - NOT_PAGES


def test_every_route_has_its_row():
    listed = {row["route"] for row in table()}
    assert routes() - listed == set(), "routes without a row in docs/security.md"
    assert {name for name in listed if ":" in name} - routes() == set(), "rows for routes that do not exist"


@pytest.fixture
def world(db, private_files, monkeypatch):
    """The demo, one person per role, and the ids and tokens the URLs need (other people's where it matters)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command

    from courses.models import ProgrammePage
    from evaluations.models import Collaboration, ContactBlock, RelayedMessage, Survey
    from evaluations.tokens import make_open_token
    from evaluations.tokens import make_token as make_survey_token
    from participants.models import Cohort, Registration
    from participants.services import invite_person
    from participants.tokens import make_check_in_token, make_room_token
    from participants.tokens import make_token as make_invitation_token
    from tests.factories import UserFactory

    call_command("seed_demo", verbosity=0)
    User = get_user_model()
    people = {role: User.objects.get(email=f"{role}@example.org")
              for role in ("participant", "trainer", "reviewer", "partner", "organiser")}  # fmt: skip
    people["alumnus"] = User.objects.get(email="alumni@example.org")
    people["superuser"] = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    for role in ("organiser", "superuser"):
        TOTP.activate(people[role], generate_totp_secret())
    past = Cohort.objects.get(session__slug="bangkok-past", session__locale__language_code="en")
    upcoming = Cohort.objects.get(session__slug="amman-upcoming", session__locale__language_code="en")
    people["invitee"] = UserFactory(email="invitee@example.org")
    invitation = invite_person(cohort=upcoming, email="invitee@example.org", intended_sector="government",
                               invited_by=people["organiser"])  # fmt: skip
    mine = Registration.objects.filter(user=people["participant"]).order_by("pk").first()
    others = Registration.objects.exclude(user__in=people.values()).filter(cohort=past)
    another = others.order_by("pk").first()
    survey = Survey.objects.get(cohort=past, instrument__slug="end-of-session")
    daily = Survey.objects.filter(cohort=past, instrument__slug="daily").order_by("opens_at").first()
    programme = ProgrammePage.objects.get(slug="migrant-workers-rights-asia", locale__language_code="en")
    collaboration = Collaboration.objects.exclude(reporter__in=people.values()).first() or Collaboration.objects.first()
    message = RelayedMessage.objects.order_by("pk").first()
    block = ContactBlock.objects.order_by("pk").first()
    attended = Registration.objects.filter(cohort=past, status="attended", user__profile__listed_in_directory=True)
    listed_alumnus = attended.exclude(user=people["alumnus"]).values_list("user_id", flat=True).first()
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from participants.models import Answer, Application, Call

    # Application files go to the test's folder (the field holds its storage since start-up).
    monkeypatch.setattr(Answer._meta.get_field("file"), "storage", FileSystemStorage(location=private_files))

    call = Call.objects.get(cohort=upcoming)
    file_question = call.questions.get(kind="file")
    application = Application.objects.create(call=call, user=UserFactory(email="applicant@example.org"))
    Answer.objects.create(application=application, question=file_question, file_name="cv.pdf",
                          file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="cv.pdf"))  # fmt: skip
    from participants.models import Nomination, NominationLink
    from participants.tokens import make_nomination_token

    nomination_link = NominationLink.objects.create(
        call=call, organisation_name="Ministry of Labour", focal_point_name="Focal Point",
        focal_point_email="focal@example.org", nonce="matrix", created_by=people["organiser"],
    )  # fmt: skip
    nomination = Nomination.objects.create(link=nomination_link, call=call, full_name="Nominee",
                                           email="nominee@example.org")  # fmt: skip
    values = {
        "nomination_link": nomination_link.pk, "nomination_token": make_nomination_token(nomination_link),
        "nomination": nomination.pk,
        "call": call.pk, "other_application": application.pk, "file_question": file_question.pk,
        "question": call.questions.order_by("pk").first().pk,
        "cohort": past.pk, "upcoming": upcoming.pk, "registration": mine.pk, "other_registration": another.pk,
        "invitation": invitation.pk, "invitation_token": make_invitation_token(invitation),
        "survey": survey.pk, "daily": daily.pk, "programme": programme.pk, "programme_url": programme.url,
        "response_token": make_survey_token(survey_id=survey.pk, user_id=another.user_id),
        "open_token": make_open_token(survey_id=daily.pk), "room_token": make_room_token(past),
        "check_in_token": make_check_in_token(another), "date": past.session.start_date.isoformat(),
        "alumnus": listed_alumnus, "collaboration": collaboration.pk if collaboration else 0,
        "message": message.pk if message else 0, "block": block.pk if block else 0,
        "trainers": people["trainer"].groups.get(name="Trainers").pk, "trainer": people["trainer"].pk,
    }  # fmt: skip
    # Review: the demo reviewer is given the call; the application is handed to them and to another reviewer.
    from participants.models import CallReviewer, Review

    application.status = "submitted"
    application.save(update_fields=["status"])
    other_reviewer = UserFactory(email="other.reviewer@example.org", groups=["Reviewers"])
    CallReviewer.objects.get_or_create(call=call, user=people["reviewer"])
    CallReviewer.objects.get_or_create(call=call, user=other_reviewer)
    # The demo organiser also reviews the demo call (its second reviewer): here, an organiser not given the call.
    CallReviewer.objects.filter(call=call, user=people["organiser"]).delete()
    values.update({
        "review": Review.objects.create(application=application, reviewer=people["reviewer"]).pk,
        "other_review": Review.objects.create(application=application, reviewer=other_reviewer).pk,
        "criterion": call.criteria.order_by("pk").first().pk, "call_reviewer": other_reviewer.pk,
    })  # fmt: skip
    return people, values


def classify(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        return "login" if "/accounts/login/" in location else "302"
    return str(response.status_code)


def test_every_role_gets_what_the_matrix_says(world):
    """Every row as every role (one demo for all of them: building it is the slow part)."""
    people, values = world
    wrong = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(people[role])
        printed = []
        for row in table():
            url = row["url"].format(**values)
            got = classify(client.get(url))
            printed.append((row["route"], got))
            if got != row[role]:
                wrong.append(f"{role}: {row['route']} {url}: expected {row[role]}, got {got}")
        if os.environ.get("MATRIX_PRINT"):
            Path(f"/tmp/matrix-{role}.txt").write_text("\n".join(f"{route}\t{got}" for route, got in printed))
    assert not wrong, "\n".join(wrong)


def test_the_table_names_only_known_answers():
    for row in table():
        for role in ROLES:
            assert re.fullmatch(r"200|login|302|403|404|405|410", row[role]), (row["route"], role, row[role])
