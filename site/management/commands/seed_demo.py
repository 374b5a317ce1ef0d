"""Load the demo: organisations, a programme and its curriculum, two sessions and about 80 people.

Idempotent: running it twice changes nothing the second time.
"""

import datetime
import itertools

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from attache import demo_data as data
from courses.models import (
    AlumniArticlePage,
    AlumniSpacePage,
    HomePage,
    ModulePage,
    Organisation,
    ProgrammeIndexPage,
    ProgrammePage,
    SessionPage,
)
from courses.permissions import ORGANISERS, PARTNER_EDITORS, REVIEWERS, TRAINERS
from courses.roles import install_jobs as install_outbox_job
from courses.roles import install_roles
from courses.services import (
    ensure_partner_group,
    ensure_review_workflow,
    ensure_wagtail_foundations,
    sync_partner_access,
)
from evaluations.defaults import install_default_instruments
from evaluations.roles import grant_organiser_permissions as grant_evaluation_permissions
from evaluations.roles import install_jobs
from participants.models import Attendance, Cohort, Profile, Registration, RegistrationStatus
from participants.roles import grant_organiser_permissions, install_alumni_and_jobs
from participants.services import sync_alumni

DEMO_PASSWORD = "demo-pass-2026"
DEMO_LOGINS = {
    "organiser@example.org": ("Nadia Haddad", "نادية حداد", "Nadia", ORGANISERS),
    "partner@example.org": ("Chanthy Sok", "ចន្ធី សុខ", "Chanthy", PARTNER_EDITORS),
    "trainer@example.org": ("Élise Martin", "", "Élise", TRAINERS),
    "participant@example.org": ("Nguyen Thi Mai", "Nguyễn Thị Mai", "Mai", None),
    "alumni@example.org": ("Somsak Prasert", "สมศักดิ์ ประเสริฐ", "Somsak", None),
    "reviewer@example.org": ("Amal Saidi", "أمل السعيدي", "Amal", REVIEWERS),
}


class Command(BaseCommand):
    help = "Create the demo data and logins (password demo-pass-2026). Refuses to run in production."

    def handle(self, *args, **options):
        if getattr(settings, "ATTACHE_ENVIRONMENT", "") == "production":
            raise CommandError("seed_demo creates known passwords: it never runs with production settings.")
        with transaction.atomic():
            ensure_wagtail_foundations()  # rebuilt if the database was flushed since migrating (as tests do)
            locales = self._locales()
            install_roles()
            grant_organiser_permissions()
            organisations = self._organisations()
            home = self._home(locales)
            demo_users = self._demo_logins(organisations)
            programme = self._programme(home, locales, organisations)
            upcoming, past, running = self._sessions(
                programme, locales, organisations, trainer=demo_users["trainer@example.org"]
            )
            self._call(upcoming)
            people = self._people(organisations)
            self._registrations(upcoming, past, people, demo_users)
            self._running(running, people)
            install_alumni_and_jobs()
            self._attendance(past)
            install_default_instruments()
            install_jobs()
            install_outbox_job()
            grant_evaluation_permissions()
            self._evaluations(past)
            self._alumni_network(home, locales, past)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {Organisation.objects.count()} organisations, "
                f"{Profile.objects.count()} people, "
                f"{Registration.objects.count()} registrations. Logins: {', '.join(DEMO_LOGINS)} "
                f"(password {DEMO_PASSWORD})."
            )
        )

    # --- Wagtail ---

    def _locales(self) -> dict[str, Locale]:
        return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}

    def _home(self, locales) -> HomePage:
        home = HomePage.objects.filter(locale=locales["en"]).first()
        if home is None:
            root = Page.get_first_root_node()
            title, intro = data.HOME["en"]
            home = root.add_child(instance=HomePage(title=title, slug="attache", intro=intro, locale=locales["en"]))
            home.save_revision().publish()
            site = Site.objects.filter(is_default_site=True).first()
            old_root = site.root_page if site else None
            if site is None:
                Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.site_name = "Attaché"
                site.save()
            # Wagtail's "Welcome" placeholder is no longer reachable: remove it.
            if old_root is not None and old_root.specific_class is Page:
                old_root.delete()
        for code in ("ar", "fr"):
            title, intro = data.HOME[code]
            self._translate(home, locales[code], title=title, intro=intro)
        return home

    def _translate(self, page, locale, **fields):
        """A real translation of `page` into `locale` with the given fields, created once."""
        translation = page.get_translation_or_none(locale)
        if translation is None:
            translation = page.copy_for_translation(locale)
            for name, value in fields.items():
                setattr(translation, name, value)
            translation.save_revision().publish()
        return translation

    def _alias(self, page, locale):
        """An untranslated copy that follows the original until someone translates it."""
        if page.get_translation_or_none(locale) is None:
            page.copy_for_translation(locale, alias=True)

    def _programme(self, home, locales, organisations) -> ProgrammePage:
        index = ProgrammeIndexPage.objects.filter(locale=locales["en"]).first()
        if index is None:
            index = home.add_child(instance=ProgrammeIndexPage(title=data.PROGRAMME_INDEX["en"], slug="programmes"))
            index.save_revision().publish()
        for code in ("ar", "fr"):
            self._translate(index, locales[code], title=data.PROGRAMME_INDEX[code])
        ensure_review_workflow(index=index)

        programme = ProgrammePage.objects.filter(slug="migrant-workers-rights-asia", locale=locales["en"]).first()
        if programme is None:
            title, summary = data.PROGRAMME["en"]
            programme = index.add_child(
                instance=ProgrammePage(
                    title=title,
                    slug="migrant-workers-rights-asia",
                    summary=summary,
                    objectives=data.OBJECTIVES,
                    target_audience=data.AUDIENCE,
                    themes=data.THEMES,
                    languages=["en", "ar", "th", "km", "vi"],
                    host=organisations["host"],
                )
            )
            programme.partners.set(organisations["partners"])
            programme.save_revision().publish()
        for slug, module_title, outcomes, activities, notes in data.MODULES:
            if ModulePage.objects.child_of(programme).filter(slug=slug).exists():
                continue
            module = ModulePage(
                title=module_title,
                slug=slug,
                learning_outcomes=outcomes,
                facilitator_notes=notes,
                activities=[
                    ("activity", {"title": a_title, "method": method, "duration_minutes": minutes,
                                  "instructions": f"<p>{instructions}</p>" if instructions else "", "materials": ""})
                    for a_title, method, minutes, instructions in activities
                ],
            )  # fmt: skip
            programme.add_child(instance=module)
            module.save_revision().publish()
        for code in ("ar", "fr"):
            title, summary = data.PROGRAMME[code]
            self._translate(programme, locales[code], title=title, summary=summary)
            for module in ModulePage.objects.child_of(programme):
                self._alias(module, locales[code])
        sync_partner_access(programme=programme)
        return programme

    def _agenda(self, programme, start: datetime.date, days: int) -> list:
        modules = {m.slug: m for m in ModulePage.objects.child_of(programme)}
        agenda = []
        for offset, template in enumerate(data.DAY_TEMPLATES[:days]):
            items = [
                {"start": datetime.time.fromisoformat(begin), "end": datetime.time.fromisoformat(end),
                 "module": modules.get(slug) if slug else None, "title": title, "facilitator": ""}
                for begin, end, slug, title in template
            ]  # fmt: skip
            agenda.append(("day", {"date": start + datetime.timedelta(days=offset), "items": items}))
        return agenda

    def _sessions(self, programme, locales, organisations, trainer) -> tuple[SessionPage, SessionPage, SessionPage]:
        today = timezone.localdate()
        # Dates follow today so that one session is always ahead and one always behind.
        upcoming_start = today + datetime.timedelta(days=120 - today.weekday())
        # Early enough to have alumni, late enough that its 6-month follow-up is open whatever the weekday.
        past_start = today - datetime.timedelta(days=190 + today.weekday())
        running_start = today - datetime.timedelta(days=1)  # today is always its second day
        by_country = organisations["by_country"]
        specs = [
            ("amman-upcoming", "Amman — spring session", upcoming_start, 5, "Amman", "JO",
             "Landmark Hotel conference centre", "Asia/Amman", ["en", "ar"], [by_country["JO"]["civil"]]),
            ("bangkok-past", "Bangkok — autumn session", past_start, 6, "Bangkok", "TH",
             "Chulalongkorn University, Faculty of Law", "Asia/Bangkok", ["en", "th"], [by_country["TH"]["civil"]]),
            ("kuala-lumpur-running", "Kuala Lumpur — session running now", running_start, 5, "Kuala Lumpur", "MY",
             "Bar Council Auditorium", "Asia/Kuala_Lumpur", ["en"], [by_country["TH"]["civil"]]),
        ]  # fmt: skip
        sessions = []
        for slug, title, start, days, city, country, venue, zone, languages, hosts in specs:
            session = SessionPage.objects.filter(slug=slug, locale=programme.locale).first()
            if session is None:
                session = SessionPage(
                    title=title, slug=slug, start_date=start, end_date=start + datetime.timedelta(days=days - 1),
                    city=city, country=country, venue=venue, time_zone=zone, languages=languages,
                    agenda=self._agenda(programme, start, days),
                )  # fmt: skip
                programme.add_child(instance=session)
                session.hosts.set(hosts)
                session.trainers.set([trainer])
                session.save_revision().publish()
            for code in ("ar", "fr"):
                self._alias(session, locales[code])
            sessions.append(session)
        upcoming, past, running = sessions
        now = timezone.now()
        signatories = "Leila Haddad, Programme director\nSomchai Wongsa, Partner organisation"
        Cohort.objects.get_or_create(
            session=upcoming,
            defaults={"capacity": 36, "registration_opens": now - datetime.timedelta(days=14),
                      "registration_closes": now + datetime.timedelta(days=75), "certificate_signatories": signatories},
        )  # fmt: skip
        Cohort.objects.get_or_create(
            session=past,
            defaults={"capacity": 36, "registration_opens": now - datetime.timedelta(days=320),
                      "registration_closes": now - datetime.timedelta(days=230), "certificate_signatories": signatories,
                      "certificate_days": 5},
        )  # fmt: skip
        Cohort.objects.get_or_create(
            session=running, defaults={"capacity": 32, "certificate_signatories": signatories, "auto_confirm": False}
        )
        return upcoming, past, running

    def _call(self, upcoming) -> None:
        """The upcoming session's call for applications: open for a month, with a question of each kind."""
        from attache.demo_applicants import seed_applications
        from participants.models import Call, CallQuestion, CallReviewer, Criterion

        now = timezone.now()
        call, created = Call.objects.get_or_create(
            cohort=upcoming.cohort,
            defaults={
                "opens_at": now - datetime.timedelta(days=7), "deadline": now + datetime.timedelta(days=30),
                "published": True, "min_women_percent": 40,
                "eligibility_en": "Officials of labour ministries and embassy labour offices, and staff of NGOs and "
                                  "trade unions who assist migrant workers in Asia or the Middle East.",
                "eligibility_ar": "موظفو وزارات العمل ومكاتب العمل في السفارات، والعاملون في المنظمات غير الحكومية "
                                  "والنقابات الذين يساعدون العمال المهاجرين في آسيا أو الشرق الأوسط.",
                "eligibility_fr": "Agents des ministères du travail et des bureaux du travail des ambassades, et "
                                  "personnel d'ONG et de syndicats qui accompagnent les travailleurs migrants en Asie "
                                  "ou au Moyen-Orient.",
            },
        )  # fmt: skip
        if not created:
            seed_applications(call)  # made once; here too for a demo seeded before they existed
            return
        questions = [
            ("text", "Why do you want to take part, and how will you use what you learn?",
             "لماذا ترغب في المشاركة، وكيف ستستخدم ما تتعلمه؟",
             "Pourquoi souhaitez-vous participer, et comment utiliserez-vous ce que vous apprendrez ?", "", "", ""),
            ("choice", "Your sector", "قطاعك", "Votre secteur",
             "Government\nCivil society", "حكومي\nمجتمع مدني", "Gouvernement\nSociété civile"),
            ("number", "Years of work with migrant workers", "سنوات العمل مع العمال المهاجرين",
             "Années de travail auprès des travailleurs migrants", "", "", ""),
            ("file", "Your CV or nomination letter (PDF)", "سيرتك الذاتية أو رسالة الترشيح (PDF)",
             "Votre CV ou lettre de nomination (PDF)", "", "", ""),
        ]  # fmt: skip
        for order, (kind, en, ar, fr, choices_en, choices_ar, choices_fr) in enumerate(questions, start=1):
            CallQuestion.objects.create(
                call=call, kind=kind, label_en=en, label_ar=ar, label_fr=fr, choices_en=choices_en,
                choices_ar=choices_ar, choices_fr=choices_fr, required=kind != "number", order=order,
            )  # fmt: skip
        criteria = [
            ("Relevance of their work to migrant workers", "صلة عملهم بالعمال المهاجرين",
             "Lien de leur travail avec les travailleurs migrants", 3),
            ("Capacity to pass on what they learn", "القدرة على نقل ما يتعلمونه",
             "Capacité à transmettre ce qu'ils apprennent", 2),
            ("Commitment to working across government and civil society", "الالتزام بالعمل بين الحكومة والمجتمع المدني",
             "Volonté de travailler entre gouvernement et société civile", 2),
        ]  # fmt: skip
        for order, (en, ar, fr, weight) in enumerate(criteria, start=1):
            Criterion.objects.create(call=call, label_en=en, label_ar=ar, label_fr=fr, weight=weight, order=order)
        reviewer = get_user_model().objects.filter(email="reviewer@example.org").first()
        if reviewer is not None:
            CallReviewer.objects.get_or_create(call=call, user=reviewer)
        seed_applications(call)

    # --- Organisations and people ---

    def _organisations(self) -> dict:
        name, acronym, kind, country = data.HOST
        host, _ = Organisation.objects.get_or_create(
            name=name, country=country, defaults={"acronym": acronym, "kind": kind, "is_host": True}
        )
        by_country: dict[str, dict[str, Organisation]] = {}
        for country, (cs_name, cs_acronym, cs_kind) in data.CIVIL_SOCIETY.items():
            from django_countries import countries

            country_name = dict(countries)[country]
            posted = dict(countries)[data.POSTED_IN[country]]
            ministry, _ = Organisation.objects.get_or_create(
                name=f"Ministry of Labour of {country_name}", country=country, defaults={"kind": "ministry"}
            )
            embassy, _ = Organisation.objects.get_or_create(
                name=f"Labour office, Embassy of {country_name} in {posted}",
                country=data.POSTED_IN[country],
                defaults={"kind": "embassy_labour_office"},
            )
            civil, _ = Organisation.objects.get_or_create(
                name=cs_name, country=country, defaults={"acronym": cs_acronym, "kind": cs_kind}
            )
            by_country[country] = {"ministry": ministry, "embassy": embassy, "civil": civil}
        partners = [by_country[code]["civil"] for code in data.PARTNERS]
        return {"host": host, "by_country": by_country, "partners": partners}

    def _user(self, email: str, password_hash: str | None):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=email, defaults={"email": email})
        if created:
            if password_hash:
                user.password = password_hash
            else:
                user.set_unusable_password()
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _profile(self, user, **fields) -> Profile:
        profile, _ = Profile.objects.get_or_create(user=user, defaults=fields)
        return profile

    def _people(self, organisations) -> list:
        """About 80 participants from twelve countries, half government and half civil society."""
        people = []
        for country, count, given, family, family_first in data.PEOPLE_POOLS:
            pairs = itertools.islice(itertools.cycle(itertools.product(given, family)), count)
            for number, ((g_latin, g_native), (f_latin, f_native)) in enumerate(pairs):
                parts_latin = [f_latin, g_latin] if family_first else [g_latin, f_latin]
                parts_native = [f_native, g_native] if family_first else [g_native, f_native]
                full_name = " ".join(p for p in parts_latin if p)
                native = " ".join(p for p in parts_native if p)
                if native == full_name:
                    native = ""
                email = f"{country.lower()}{number + 1:02d}@people.example.org"
                government = number % 2 == 0
                org_key = ("ministry" if number % 4 == 0 else "embassy") if government else "civil"
                user = self._user(email, None)
                self._profile(
                    user,
                    full_name=full_name,
                    native_name=native,
                    preferred_name=g_latin.split()[0],
                    organisation=organisations["by_country"][country][org_key],
                    position="Labour attaché"
                    if org_key == "embassy"
                    else ("Policy officer" if org_key == "ministry" else "Caseworker"),
                    nationality=country,
                    country_of_posting=data.POSTED_IN[country] if org_key == "embassy" else country,
                    listed_in_directory=number % 3 != 0,
                    gender=("woman", "man", "woman", "man", "", "not_said")[number % 6],
                )
                people.append(user)
        return people

    def _demo_logins(self, organisations) -> dict:
        password_hash = make_password(DEMO_PASSWORD)
        by_country = organisations["by_country"]
        organisation_of = {
            "organiser@example.org": organisations["host"],
            "partner@example.org": by_country["KH"]["civil"],
            "trainer@example.org": organisations["host"],
            "participant@example.org": by_country["VN"]["embassy"],
            "alumni@example.org": by_country["TH"]["civil"],
            "reviewer@example.org": organisations["host"],
        }
        users = {}
        for email, (full_name, native, preferred, group_name) in DEMO_LOGINS.items():
            user = self._user(email, password_hash)
            self._profile(
                user,
                full_name=full_name,
                native_name=native,
                preferred_name=preferred,
                organisation=organisation_of[email],
                nationality=organisation_of[email].country,
                listed_in_directory=email == "alumni@example.org",
            )
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            if group_name == PARTNER_EDITORS:
                user.groups.add(ensure_partner_group(organisation=organisation_of[email]))
            if group_name == ORGANISERS and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            users[email] = user
        return users

    @staticmethod
    def _seat(user, status) -> dict:
        profile = user.profile
        return {"status": status, "sector": profile.sector, "country": str(profile.nationality or "")}

    def _registrations(self, upcoming, past, people, demo_users) -> None:
        past_cohort, upcoming_cohort = past.cohort, upcoming.cohort
        # The past cohort: 36 people, 18 from each sector, almost all attended.
        government = [u for u in people if u.profile.sector == "government"]
        civil = [u for u in people if u.profile.sector == "civil_society"]
        past_people = government[:17] + civil[:18] + [demo_users["alumni@example.org"]]
        for number, user in enumerate(past_people):
            status = RegistrationStatus.NO_SHOW if number in (5, 22) else RegistrationStatus.ATTENDED
            Registration.objects.get_or_create(user=user, cohort=past_cohort, defaults=self._seat(user, status))
        # The upcoming cohort is filling: some confirmed, a few waiting for a decision.
        upcoming_people = government[17:29] + civil[18:30] + [demo_users["participant@example.org"]]
        for number, user in enumerate(upcoming_people):
            status = RegistrationStatus.REGISTERED if number % 6 == 5 else RegistrationStatus.CONFIRMED
            Registration.objects.get_or_create(user=user, cohort=upcoming_cohort, defaults=self._seat(user, status))

    def _running(self, running, people) -> None:
        """The session running now: 30 confirmed people, attendance taken yesterday (day 1), not yet today."""
        cohort = running.cohort
        government = [u for u in people if u.profile.sector == "government"]
        civil = [u for u in people if u.profile.sector == "civil_society"]
        for user in (government[29:] + government)[:15] + (civil[30:] + civil)[:15]:
            Registration.objects.get_or_create(
                user=user, cohort=cohort, defaults=self._seat(user, RegistrationStatus.CONFIRMED)
            )
        if Attendance.objects.filter(registration__cohort=cohort).exists():
            return
        statuses = ["present"] * 8 + ["late", "present", "absent", "present", "excused"]
        Attendance.objects.bulk_create(
            Attendance(registration=registration, date=running.start_date, status=statuses[n % len(statuses)])
            for n, registration in enumerate(cohort.registrations.order_by("id"))
        )

    def _evaluations(self, past) -> None:
        """Every cohort has the default plan, in the state the schedule would have left it today (invitations
        counted as sent, so that `make run` does not email the demo people); the past cohort has answers."""
        from evaluations import services as evaluation_services
        from evaluations.models import Delivery, Response, Survey

        now = timezone.now()
        for cohort in Cohort.objects.filter(surveys__isnull=True):
            evaluation_services.attach_default_plan(cohort=cohort)
        for survey in Survey.objects.filter(status=Survey.Status.SCHEDULED, opens_at__lte=now):
            survey.status = Survey.Status.CLOSED if survey.closes_at <= now else Survey.Status.OPEN
            survey.save(update_fields=["status"])
            if not survey.anonymous:
                asked = evaluation_services._who_is_asked(survey).values_list("user_id", flat=True)
                Delivery.objects.bulk_create(
                    [
                        Delivery(
                            survey=survey,
                            user_id=user_id,
                            invited_at=survey.opens_at,
                            reminders_sent=2,
                            last_reminded_at=survey.opens_at,
                        )
                        for user_id in asked
                    ],  # fmt: skip
                    ignore_conflicts=True,
                )
        end = Survey.objects.get(cohort=past.cohort, instrument__slug="end-of-session")
        if end.responses.exists():
            return
        plans = [
            [{"action": "Set up a referral desk for domestic workers at the embassy"},
             {"action": "Share the complaint forms in Thai and Khmer"}],
            [{"action": "Train two colleagues on trafficking indicators"}],
        ]  # fmt: skip
        for number, registration in enumerate(past.cohort.registrations.filter(status=RegistrationStatus.ATTENDED)):
            Response.objects.create(
                survey=end, respondent=registration.user, submitted=True, submitted_on=end.opens_at.date(),
                answers={"overall": 4 + number % 2, "standards": {"before": 2 + number % 2, "after": 4},
                         "referral": {"before": 2, "after": 3 + number % 3}, "cooperation": 3 + number % 3,
                         "action_plan": plans[0 if registration.user.email == "alumni@example.org" else number % 2]},
            )  # fmt: skip
        for survey in Survey.objects.filter(cohort=past.cohort, instrument__slug="daily"):
            Response.objects.bulk_create(
                Response(survey=survey, submitted=True, answers={"useful": 3 + n % 3, "pace": str(1 + n % 3)})
                for n in range(28)
            )

    def _attendance(self, past) -> None:
        """The past session's attendance by day, matching who attended; its attendance is closed."""
        cohort = past.cohort
        if not Attendance.objects.filter(registration__cohort=cohort).exists():
            days = [past.start_date + datetime.timedelta(days=n) for n in range(past.length_in_days)]
            records = []
            for n, registration in enumerate(cohort.registrations.order_by("id")):
                for d, day in enumerate(days):
                    if registration.status == RegistrationStatus.NO_SHOW:
                        status = "absent"
                    elif (n + d) % 11 == 0:
                        status = "late"
                    elif n % 9 == 4 and d >= 4:
                        status = "absent"  # left early: attended, but not enough days for the certificate
                    else:
                        status = "present"
                    records.append(Attendance(registration=registration, date=day, status=status))
            Attendance.objects.bulk_create(records)
        if cohort.attendance_closed_at is None:
            cohort.attendance_closed_at = timezone.now()
            cohort.save(update_fields=["attendance_closed_at"])
        for registration in cohort.registrations.filter(status=RegistrationStatus.ATTENDED).select_related("user"):
            sync_alumni(user=registration.user)

    def _alumni_network(self, home, locales, past) -> None:
        """The alumni space with two articles; most alumni of the past session listed, sharing different fields;
        collaborations among them over the months since, across sectors too."""
        from evaluations.models import Collaboration, DirectoryListing
        from evaluations.services import record_collaboration

        space = AlumniSpacePage.objects.filter(locale=locales["en"]).first()
        if space is None:
            title, intro = data.ALUMNI_SPACE["en"]
            space = home.add_child(instance=AlumniSpacePage(title=title, slug="alumni-space", intro=intro))
            space.save_revision().publish()
            for slug, kind, days, title, summary, body in data.ALUMNI_ARTICLES:
                article = AlumniArticlePage(title=title, slug=slug, kind=kind, summary=summary, body=body,
                                            date=past.end_date + datetime.timedelta(days=days))  # fmt: skip
                space.add_child(instance=article)
                article.save_revision().publish()
        for code in ("ar", "fr"):
            title, intro = data.ALUMNI_SPACE[code]
            self._translate(space, locales[code], title=title, intro=intro)
            for article in AlumniArticlePage.objects.child_of(space):
                self._alias(article, locales[code])
        alumni = list(
            past.cohort.registrations.filter(status=RegistrationStatus.ATTENDED)
            .select_related("user__profile")
            .order_by("id")
        )
        themes = ["labour_migration", "anti_trafficking", "fair_recruitment", "women_migrant_workers",
                  "access_to_justice", "consular_protection"]  # fmt: skip
        for n, registration in enumerate(alumni):
            user = registration.user
            demo = user.email == "alumni@example.org"
            if n % 7 == 3 and not demo:
                continue  # not everyone wants to be listed
            profile = user.profile
            if not profile.listed_in_directory:
                profile.listed_in_directory = True
                profile.save(update_fields=["listed_in_directory"])
            shared = {"sector", "organisation", "country", "languages", "expertise", "cohorts", "position",
                      "native_name"}  # fmt: skip
            if n % 5 == 2:
                shared -= {"organisation", "position"}  # a human-rights defender may keep their NGO private
            DirectoryListing.objects.get_or_create(
                user=user,
                defaults={**{f"share_{name}": name in shared for name in DirectoryListing.FIELDS},
                          "expertise": [themes[n % 6], themes[(n + 2) % 6]]},
            )  # fmt: skip
        if Collaboration.objects.exists():
            return
        by_sector = {}
        for registration in alumni:
            by_sector.setdefault(registration.sector, []).append(registration.user)
        government, civil = by_sector.get("government", []), by_sector.get("civil_society", [])
        everyone = [registration.user for registration in alumni]
        today = timezone.localdate()
        kinds = ["information", "referral", "joint_advocacy", "joint_training", "information"]
        for n in range(min(len(government), len(civil), 14)):
            for days in (12, 95, 170):
                if n % 3 == 2 and days == 170:
                    continue  # some ties fade
                when = min(today, past.end_date + datetime.timedelta(days=days + n))
                reporter, other = (government[n], civil[n]) if days != 95 or n % 2 else (civil[n], government[n])
                record_collaboration(reporter=reporter, kind=kinds[(n + days) % 5], happened_on=when,
                                     people=[other.pk], allowed=[other.pk])  # fmt: skip
        # The demo alumnus (civil society) referred a case with an official, who confirmed it; another official
        # says they exchanged information with them: theirs to confirm.
        me = next(registration.user for registration in alumni if registration.user.email == "alumni@example.org")
        when = min(today, past.end_date + datetime.timedelta(days=100))
        record_collaboration(reporter=me, kind="referral", happened_on=when, people=[government[0].pk],
                             allowed=[government[0].pk], note="A domestic worker's unpaid wages")  # fmt: skip
        record_collaboration(reporter=government[0], kind="referral", happened_on=when, people=[me.pk],
                             allowed=[me.pk])  # fmt: skip
        record_collaboration(reporter=government[1], kind="information", happened_on=when - datetime.timedelta(days=3),
                             people=[me.pk], allowed=[me.pk])  # fmt: skip
        for n in range(0, len(everyone) - 1, 3):
            when = min(today, past.end_date + datetime.timedelta(days=30 + n))
            record_collaboration(reporter=everyone[n], kind="information", happened_on=when,
                                 people=[everyone[n + 1].pk], allowed=[everyone[n + 1].pk])  # fmt: skip
