"""The demo's applicants to the Amman call: about 30 people of both sectors, many countries and both genders, most
scored by the demo reviewer and by the organiser as a second reviewer, a few not reviewed yet, so that the shortlist
assistant has something real to propose. Fictional people; idempotent (made once, with the call's other rows)."""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from attache import demo_data as data

# (nationality, sector, gender, language of the application); the names come from the demo's pools.
APPLICANTS = [
    ("JO", "civil", "woman", "ar"), ("JO", "ministry", "man", "ar"), ("JO", "civil", "woman", "en"),
    ("LB", "civil", "woman", "ar"), ("LB", "ministry", "man", "fr"), ("LB", "civil", "man", "ar"),
    ("EG", "ministry", "man", "ar"), ("EG", "civil", "woman", "ar"), ("EG", "ministry", "woman", "en"),
    ("PH", "civil", "woman", "en"), ("PH", "ministry", "man", "en"), ("PH", "civil", "woman", "en"),
    ("ID", "ministry", "woman", "en"), ("ID", "civil", "man", "en"), ("ID", "civil", "woman", "en"),
    ("NP", "ministry", "man", "en"), ("NP", "civil", "woman", "en"), ("BD", "ministry", "man", "en"),
    ("BD", "civil", "woman", "en"), ("BD", "ministry", "man", "en"), ("TH", "ministry", "woman", "en"),
    ("TH", "civil", "man", "en"), ("KH", "civil", "woman", "fr"), ("KH", "ministry", "man", "en"),
    ("VN", "ministry", "woman", "en"), ("VN", "civil", "man", "fr"), ("LA", "civil", "woman", "en"),
    ("MM", "civil", "man", "en"), ("MM", "ministry", "woman", "en"), ("LA", "ministry", "man", "en"),
]  # fmt: skip
NOT_REVIEWED = {5, 17, 26}  # a few arrived late: nobody has scored them yet
ONE_REVIEWER = {11, 22}  # the organiser has not read these yet


# The women's given names of the demo's pools (the others are men's): an applicant's name matches their gender.
WOMEN = {
    "Malee", "Pranee", "Suda", "Sophea", "Sreymom", "Bopha", "Thi Lan", "Thi Hoa", "Thu Trang", "Rania", "Layla",
    "Huda", "Samira", "Mona", "Dina", "Maria", "Ana", "Siti", "Dewi", "Sita", "Khamla", "Thida Win", "Rahima",
}  # fmt: skip


def _names(country: str, gender: str, taken: set[str]) -> tuple[str, str]:
    """A name from the country's pool that fits the gender and no other applicant has (two people of one ministry
    with the same name would look like a mistake); from the end of the pools, away from the demo's participants."""
    pool = next(pool for pool in data.PEOPLE_POOLS if pool[0] == country)
    _country, _count, given, family, family_first = pool
    fitting = [name for name in reversed(given) if (name[0] in WOMEN) == (gender == "woman")] or list(given)
    families = list(reversed(family))
    before = sum(1 for key in taken if key.startswith(f"{country}:"))  # applicants of that country so far
    for step in range(len(fitting) * len(families)):
        (g_latin, g_native) = fitting[(before // 2 + step) % len(fitting)]
        (f_latin, f_native) = families[(before + step) % len(families)]
        latin = [f_latin, g_latin] if family_first else [g_latin, f_latin]
        native = [f_native, g_native] if family_first else [g_native, f_native]
        full, native_name = " ".join(part for part in latin if part), " ".join(part for part in native if part)
        if f"{country}:{full}" not in taken:
            break
    taken.add(f"{country}:{full}")
    return full, "" if native_name == full else native_name


def seed_applications(call) -> None:
    """Submitted applications with their reviews; nothing when they exist already."""
    from courses.models import Organisation
    from participants.models import Answer, Application, CallReviewer, Profile, Review, Score

    if Application.objects.filter(call=call, user__email__endswith="@applicants.example.org").exists():
        return
    User = get_user_model()
    reviewer = User.objects.filter(email="reviewer@example.org").first()
    organiser = User.objects.filter(email="organiser@example.org").first()
    reviewers = [user for user in (reviewer, organiser) if user is not None]
    for user in reviewers:
        CallReviewer.objects.get_or_create(call=call, user=user)
    criteria = list(call.criteria.order_by("order"))
    questions = {question.kind: question for question in call.questions.all()}
    others = Organisation.objects.exclude(kind="embassy_labour_office").exclude(is_host=True)
    organisations = {(org.country, "ministry" if org.kind == "ministry" else "civil"): org for org in others}
    rng = random.Random(16)  # the same demo every time
    now = timezone.now()
    answers, scores = [], []
    taken: set[str] = set()
    for number, (country, kind, gender, language) in enumerate(APPLICANTS):
        email = f"applicant{number + 1:02d}@applicants.example.org"
        user, created = User.objects.get_or_create(username=email, defaults={"email": email})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        full_name, native_name = _names(country, gender, taken)
        Profile.objects.get_or_create(user=user, defaults={
            "full_name": full_name, "native_name": native_name, "preferred_name": full_name.split()[0],
            "organisation": organisations.get((country, kind)), "nationality": country, "country_of_posting": country,
            "gender": gender, "position": "Policy officer" if kind == "ministry" else "Programme coordinator",
        })  # fmt: skip
        application = Application.objects.create(
            call=call, user=user, status="submitted", language=language,
            submitted_at=now - datetime.timedelta(hours=6 * (len(APPLICANTS) - number)),
        )  # fmt: skip
        if "text" in questions:
            motivation = "To pass on what I learn to my colleagues who assist migrant workers."
            answers.append(Answer(application=application, question=questions["text"], text=motivation))
        if "choice" in questions:
            answers.append(Answer(application=application, question=questions["choice"],
                                  text="1" if kind == "ministry" else "2"))  # fmt: skip
        if number in NOT_REVIEWED or not criteria:
            continue
        # Each applicant has a level; reviewers mark around it, the second a little apart (some disagree).
        level = rng.choice([2, 3, 3, 4, 4, 4, 5])
        for index, user_reviewing in enumerate(reviewers):
            if index and number in ONE_REVIEWER:
                continue
            review = Review.objects.create(application=application, reviewer=user_reviewing, submitted_at=now)
            for criterion in criteria:
                value = min(5, max(1, level + rng.choice([-1, 0, 0, 1]) + (index and rng.choice([-1, 0, 0]))))
                scores.append(Score(review=review, criterion=criterion, value=value))
    Answer.objects.bulk_create(answers)
    Score.objects.bulk_create(scores)
