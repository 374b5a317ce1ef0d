import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from courses.models import Organisation, OrganisationKind
from participants.models import Profile

PASSWORD = "a-long-test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary address, as after sign-up; pass verified=False for an unverified one."""
        if create:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"primary": True, "verified": extracted is not False}
            )

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*[Group.objects.get(name=name) for name in extracted])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.NGO
    country = "TH"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Person Number {n}")
    organisation = factory.SubFactory(OrganisationFactory)


def make_session(slug: str = "session", **fields):
    """A published SessionPage under a minimal Home → Programmes → Programme tree (created on first use)."""
    import datetime

    from wagtail.models import Page

    from courses.models import HomePage, ProgrammeIndexPage, ProgrammePage, SessionPage
    from courses.services import ensure_wagtail_foundations

    ensure_wagtail_foundations()  # transactional tests start from a flushed database
    root = Page.get_first_root_node()
    home = HomePage.objects.first() or root.add_child(instance=HomePage(title="Home", slug="test-home"))
    index = ProgrammeIndexPage.objects.first() or home.add_child(
        instance=ProgrammeIndexPage(title="Programmes", slug="programmes")
    )
    programme = ProgrammePage.objects.filter(slug="test-programme").first() or index.add_child(
        instance=ProgrammePage(title="Test programme", slug="test-programme", summary="A programme for tests.")
    )
    start = datetime.date(2027, 5, 3)
    defaults = {"title": f"Session {slug}", "slug": slug, "start_date": start,
                "end_date": start + datetime.timedelta(days=4), "city": "Amman", "country": "JO"}  # fmt: skip
    return programme.add_child(instance=SessionPage(**{**defaults, **fields}))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Cohort"

    session = factory.LazyAttributeSequence(lambda o, n: make_session(slug=f"session-{n}"))
    capacity = 30


def person(sector: str = "government", country: str = "TH", **user_fields):
    """A user with a profile in an organisation of the given sector."""
    kind = {"government": "ministry", "civil_society": "ngo", "other": "academic"}[sector]
    profile = ProfileFactory(
        user=UserFactory(**user_fields),
        organisation=OrganisationFactory(kind=kind, country=country),
        nationality=country,
    )
    return profile.user


def alumnus(cohort, sector: str = "government", country: str = "TH", *, listed: bool = True, share=(), **fields):
    """Someone who attended `cohort`: in the Alumni group, listed in the directory if `listed`, sharing the
    directory fields named in `share` (e.g. ("sector", "country")). `fields` go to the profile, or to the
    listing for `expertise`, `about` and `accepts_messages`."""
    from django.contrib.auth.models import Group

    from evaluations.models import DirectoryListing
    from participants.models import Registration, RegistrationStatus
    from participants.permissions import ALUMNI

    listing_fields = {key: fields.pop(key) for key in ("expertise", "about", "accepts_messages") if key in fields}
    user = person(sector, country)
    profile = user.profile
    for name, value in {"listed_in_directory": listed, **fields}.items():
        setattr(profile, name, value)
    profile.save()
    Registration.objects.create(
        user=user, cohort=cohort, status=RegistrationStatus.ATTENDED, sector=sector, country=country
    )
    user.groups.add(Group.objects.get_or_create(name=ALUMNI)[0])
    DirectoryListing.objects.create(user=user, **{f"share_{name}": True for name in share}, **listing_fields)
    return user
