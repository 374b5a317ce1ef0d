"""Build a large, realistic data set for load and scale testing, with bulk inserts.

`manage.py seed_scale --programmes 20 --cohorts 500 --people 20000 --responses 500000 --ties 100000`

Everything it makes is recognisable by the prefix `scale-` (programme and session slugs, usernames and emails),
so that `--reset` can remove it and build again. Only Wagtail pages are saved one by one (the page tree needs
`add_child`); every other row goes in with `bulk_create`, in batches. Never runs with production settings.
"""

from __future__ import annotations

import datetime
import heapq
import io
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries

from attache import demo_data as data
from courses.models import HomePage, ModulePage, Organisation, ProgrammeIndexPage, ProgrammePage, Sector, SessionPage
from courses.permissions import ALUMNI
from courses.services import sync_partner_access
from evaluations.defaults import install_default_instruments
from evaluations.models import Collaboration, Delivery, DirectoryListing, Response, Survey, Tie
from evaluations.services import attach_default_plan, reminder_times
from participants.models import Attendance, Cohort, Profile, Registration, RegistrationStatus, fold

PREFIX = "scale-"
BATCH = 5000
FIRST_DAY = datetime.date(2019, 1, 7)
LAST_DAY = datetime.date(2027, 12, 1)
SIGNATORIES = "Leila Haddad, Programme director\nSomchai Wongsa, Partner organisation"

# --- Names, in the scripts the participants write them in ---
# country: (language of the native name, family name first?, joiner of the native parts, given, family)
# Each name is (Latin spelling as in the passport, native script); "" when the passport name is the only one.
ARABIC_GIVEN = [
    ("Ahmad", "أحمد"), ("Rania", "رانيا"), ("Omar", "عمر"), ("Layla", "ليلى"), ("Youssef", "يوسف"), ("Huda", "هدى"),
    ("Karim", "كريم"), ("Samira", "سميرة"), ("Tarek", "طارق"), ("Mona", "منى"), ("Hany", "هاني"), ("Dina", "دينا"),
    ("Khaled", "خالد"), ("Fatima", "فاطمة"), ("Mahmoud", "محمود"), ("Nour", "نور"), ("Hassan", "حسن"),
    ("Amal", "أمل"), ("Ziad", "زياد"), ("Salma", "سلمى"),
]  # fmt: skip
ARABIC_FAMILY = [
    ("Al-Khatib", "الخطيب"), ("Haddad", "حداد"), ("Nasser", "ناصر"), ("Khoury", "خوري"), ("Mansour", "منصور"),
    ("Hamdan", "حمدان"), ("Farouk", "فاروق"), ("Saleh", "صالح"), ("Aziz", "عزيز"), ("Abdallah", "عبد الله"),
    ("Ibrahim", "إبراهيم"), ("Said", "سعيد"), ("Darwish", "درويش"), ("Qasem", "قاسم"), ("Al-Shami", "الشامي"),
]  # fmt: skip
NAME_POOLS: dict[str, tuple[str, bool, str, list[tuple[str, str]], list[tuple[str, str]]]] = {
    "TH": ("th", False, " ", [
        ("Somchai", "สมชาย"), ("Malee", "มาลี"), ("Niran", "นิรันดร์"), ("Pranee", "ปราณี"), ("Kittisak", "กิตติศักดิ์"),
        ("Suda", "สุดา"), ("Somsak", "สมศักดิ์"), ("Wichai", "วิชัย"), ("Siriporn", "ศิริพร"), ("Anan", "อนันต์"),
        ("Kanya", "กัญญา"), ("Preecha", "ปรีชา"), ("Ratana", "รัตนา"), ("Somying", "สมหญิง"), ("Boonmee", "บุญมี"),
    ], [
        ("Srisuk", "ศรีสุข"), ("Chaiyaporn", "ชัยพร"), ("Thongdee", "ทองดี"), ("Wongsa", "วงศา"), ("Prasert", "ประเสริฐ"),
        ("Jaidee", "ใจดี"), ("Rattanakorn", "รัตนากร"), ("Sukprasert", "สุขประเสริฐ"), ("Kongkaew", "คงแก้ว"),
        ("Srisawat", "ศรีสวัสดิ์"),
    ]),
    "KH": ("km", True, " ", [
        ("Dara", "ដារា"), ("Sophea", "សុភា"), ("Sreymom", "ស្រីមុំ"), ("Vuthy", "វុទ្ធី"), ("Bopha", "បុប្ផា"),
        ("Rithy", "រិទ្ធី"), ("Sokha", "សុខា"), ("Chenda", "ចិន្តា"), ("Sophal", "សុផល"), ("Channary", "ចាន់ណារី"),
        ("Kosal", "កុសល"), ("Theary", "ធារី"),
    ], [
        ("Sok", "សុខ"), ("Chan", "ចាន់"), ("Kim", "គីម"), ("Heng", "ហេង"), ("Chea", "ជា"), ("Keo", "កែវ"), ("Ly", "លី"),
        ("Meas", "មាស"), ("Pich", "ពេជ្រ"), ("Touch", "ទូច"), ("Yim", "យឹម"),
    ]),
    "VN": ("vi", True, " ", [
        ("Thi Lan", "Thị Lan"), ("Van Minh", "Văn Minh"), ("Thi Hoa", "Thị Hoa"), ("Quoc Bao", "Quốc Bảo"),
        ("Thu Trang", "Thu Trang"), ("Duc Anh", "Đức Anh"), ("Thi Huong", "Thị Hương"), ("Van Hung", "Văn Hùng"),
        ("Minh Tuan", "Minh Tuấn"), ("Thanh Hai", "Thanh Hải"), ("Thi Ngoc Anh", "Thị Ngọc Ánh"),
        ("Hoang Nam", "Hoàng Nam"), ("Thi Thu Ha", "Thị Thu Hà"), ("Quang Huy", "Quang Huy"),
    ], [
        ("Nguyen", "Nguyễn"), ("Tran", "Trần"), ("Le", "Lê"), ("Pham", "Phạm"), ("Hoang", "Hoàng"), ("Vu", "Vũ"),
        ("Dang", "Đặng"), ("Bui", "Bùi"), ("Do", "Đỗ"), ("Ho", "Hồ"), ("Ngo", "Ngô"), ("Duong", "Dương"),
    ]),
    "JO": ("ar", False, " ", ARABIC_GIVEN, ARABIC_FAMILY),
    "LB": ("ar", False, " ", ARABIC_GIVEN, ARABIC_FAMILY),
    "EG": ("ar", False, " ", ARABIC_GIVEN, ARABIC_FAMILY),
    "LA": ("lo", False, " ", [
        ("Khamla", "ຄຳຫລ້າ"), ("Souk", "ສຸກ"), ("Bounmy", "ບຸນມີ"), ("Phonsavan", "ພອນສະຫວັນ"), ("Somphone", "ສົມພອນ"),
        ("Vilay", "ວິໄລ"), ("Noy", "ນ້ອຍ"),
    ], [
        ("Phommachanh", "ພົມມະຈັນ"), ("Vongsa", "ວົງສາ"), ("Sisouk", "ສີສຸກ"), ("Keomany", "ແກ້ວມະນີ"),
        ("Inthavong", "ອິນທະວົງ"), ("Souvanna", "ສຸວັນນາ"),
    ]),
    # Burmese names have no family name: two or three syllables, written without spaces.
    "MM": ("my", False, "", [
        ("Aung", "အောင်"), ("Thida", "သီတာ"), ("Hla", "လှ"), ("Khin", "ခင်"), ("Kyaw", "ကျော်"), ("Su", "စု"),
        ("Zaw", "ဇော်"), ("Nilar", "နီလာ"), ("Moe", "မိုး"), ("Mya", "မြ"),
    ], [
        ("Kyaw", "ကျော်"), ("Win", "ဝင်း"), ("Myint", "မြင့်"), ("Htet", "ထက်"), ("Naing", "နိုင်"), ("Oo", "ဦး"),
        ("Thu", "သူ"), ("Aye", "အေး"), ("Lwin", "လွင်"), ("Zin", "ဇင်"),
    ]),
    "NP": ("ne", False, " ", [
        ("Sita", "सीता"), ("Ram", "राम"), ("Gita", "गीता"), ("Hari", "हरि"), ("Sarita", "सरिता"), ("Bishnu", "विष्णु"),
        ("Kamala", "कमला"), ("Krishna", "कृष्ण"), ("Anita", "अनिता"), ("Prakash", "प्रकाश"),
    ], [
        ("Sharma", "शर्मा"), ("Thapa", "थापा"), ("Gurung", "गुरुङ"), ("Tamang", "तामाङ"), ("Shrestha", "श्रेष्ठ"),
        ("Rai", "राई"), ("Adhikari", "अधिकारी"), ("Magar", "मगर"),
    ]),
    "BD": ("bn", False, " ", [
        ("Rahima", "রহিমা"), ("Kamal", "কামাল"), ("Nasrin", "নাসরিন"), ("Abdul", "আব্দুল"), ("Shirin", "শিরিন"),
        ("Rafiq", "রফিক"), ("Fatema", "ফাতেমা"), ("Jamal", "জামাল"), ("Ayesha", "আয়েশা"), ("Habib", "হাবিব"),
    ], [
        ("Begum", "বেগম"), ("Hossain", "হোসেন"), ("Rahman", "রহমান"), ("Islam", "ইসলাম"), ("Ahmed", "আহমেদ"),
        ("Khatun", "খাতুন"), ("Uddin", "উদ্দিন"), ("Chowdhury", "চৌধুরী"),
    ]),
    "PH": ("tl", False, " ", [
        (n, "") for n in ("Maria", "Jose", "Ana", "Ramon", "Cristina", "Mark", "Rowena", "Liza", "Eduardo", "Grace",
                          "Renato", "Joy")
    ], [
        (n, "") for n in ("Santos", "Reyes", "Dela Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos",
                          "Aquino", "Castillo", "Navarro", "Torres")
    ]),
    "ID": ("id", False, " ", [
        (n, "") for n in ("Siti", "Budi", "Dewi", "Agus", "Sri", "Joko", "Rina", "Eko", "Wulan", "Hendra", "Nur",
                          "Yusuf")
    ], [
        (n, "") for n in ("Rahmawati", "Santoso", "Lestari", "Wijaya", "Setiawan", "Hidayat", "Susanto", "Kurniawan",
                          "Pratama", "Saputra", "Utami", "Nugroho")
    ]),
}  # fmt: skip
NATIONALITIES = list(NAME_POOLS)
# Where labour attachés of each country are posted (two embassies each).
POSTINGS = {
    "TH": ("AE", "IL"), "KH": ("TH", "MY"), "VN": ("JP", "SA"), "JO": ("QA", "AE"), "LB": ("AE", "KW"),
    "EG": ("SA", "JO"), "PH": ("JO", "LB"), "ID": ("LB", "MY"), "NP": ("QA", "MY"), "LA": ("TH", "MY"),
    "MM": ("MY", "TH"), "BD": ("SA", "QA"),
}  # fmt: skip
# (name, kind, sector, positions): {country} is the country's name, {posted} the country of an embassy.
ORGANISATION_TEMPLATES = [
    ("Ministry of Labour of {country}", "ministry", Sector.GOVERNMENT, ["Policy officer", "Labour inspector"]),
    ("Department of Overseas Employment, {country}", "ministry", Sector.GOVERNMENT,
     ["Director of overseas employment", "Desk officer"]),
    ("Labour office, Embassy of {country} in {posted}", "embassy_labour_office", Sector.GOVERNMENT,
     ["Labour attaché", "Welfare officer", "Consular officer"]),
    ("{country} Migrant Workers' Rights Network", "ngo", Sector.CIVIL_SOCIETY, ["Caseworker", "Programme coordinator"]),
    ("Legal Aid Centre for Migrants, {country}", "ngo", Sector.CIVIL_SOCIETY, ["Lawyer", "Paralegal"]),
    ("{country} Federation of Migrant Workers", "trade_union", Sector.CIVIL_SOCIETY, ["Organiser", "Legal officer"]),
    ("Institute of Migration Studies, {country}", "academic", Sector.OTHER, ["Researcher", "Lecturer"]),
    ("Regional Labour Migration Office ({country})", "international_organisation", Sector.OTHER,
     ["Programme officer"]),
]  # fmt: skip
# Where sessions take place: (city, country, time zone, language besides English).
VENUES = [
    ("Bangkok", "TH", "Asia/Bangkok", "th"), ("Phnom Penh", "KH", "Asia/Phnom_Penh", "km"),
    ("Hanoi", "VN", "Asia/Ho_Chi_Minh", "vi"), ("Kuala Lumpur", "MY", "Asia/Kuala_Lumpur", ""),
    ("Jakarta", "ID", "Asia/Jakarta", "id"), ("Manila", "PH", "Asia/Manila", "tl"),
    ("Kathmandu", "NP", "Asia/Kathmandu", "ne"), ("Dhaka", "BD", "Asia/Dhaka", "bn"),
    ("Yangon", "MM", "Asia/Yangon", "my"), ("Vientiane", "LA", "Asia/Vientiane", "lo"),
    ("Amman", "JO", "Asia/Amman", "ar"), ("Beirut", "LB", "Asia/Beirut", "ar"), ("Cairo", "EG", "Africa/Cairo", "ar"),
    ("Doha", "QA", "Asia/Qatar", "ar"), ("Dubai", "AE", "Asia/Dubai", "ar"), ("Colombo", "LK", "Asia/Colombo", ""),
]  # fmt: skip
VENUE_NAMES = ["University Faculty of Law", "Conference centre of the Bar Council", "Riverside Hotel, meeting rooms",
               "Training centre of the Ministry of Labour", "Partner NGO's training hall"]  # fmt: skip
PROGRAMME_TOPICS = [
    ("Protecting migrant workers' rights", ["labour_migration", "consular_protection"]),
    ("Fair recruitment and the fight against fees", ["fair_recruitment", "labour_migration"]),
    ("Identifying and referring victims of trafficking", ["anti_trafficking", "access_to_justice"]),
    ("Women migrant workers and domestic work", ["women_migrant_workers", "social_protection"]),
    ("Complaints, wage claims and access to justice", ["access_to_justice", "labour_migration"]),
]  # fmt: skip
REGIONS = ["Asia", "the Arab region", "the Gulf corridor", "ASEAN"]
THEMES = ["labour_migration", "anti_trafficking", "fair_recruitment", "women_migrant_workers", "access_to_justice",
          "consular_protection", "social_protection", "human_rights_defenders"]  # fmt: skip
ACTIONS = ["Set up a referral desk for domestic workers", "Share complaint forms in the workers' languages",
           "Train two colleagues on trafficking indicators", "Map shelters in the country of destination",
           "Agree a referral protocol with an NGO met in the cohort", "Brief the ambassador on wage theft cases",
           "Publish a hotline number on the embassy's page", "Hold a monthly call with the cohort's NGOs"]  # fmt: skip
TEXTS = {
    "needs": ["Case law on wage claims", "How to work with NGOs on referrals", "Trafficking indicators",
              "Standards on domestic work", "Negotiating with recruitment agencies", "كيفية إحالة الحالات",
              "Les normes internationales et leur application"],
    "hard_case": ["A worker whose passport was kept by the employer", "Unpaid wages after the company closed",
                  "A death abroad and the repatriation costs", "عامل محتجز دون وثائق"],
    "best": ["Role play", "The case studies", "Working with the other sector", "The field visit", "Les échanges"],
    "change": ["More time for questions", "Fewer slides", "Start later", "More cases from the Gulf"],
    "applied": ["Referrals to NGOs", "The complaint checklist", "Interviewing techniques", "Trafficking indicators",
                "تطبيق قائمة مؤشرات الاتجار", "Coordination with the labour inspectorate"],
    "outcome": ["A worker recovered six months of wages", "The embassy now accepts NGO referrals",
                "A recruitment agency lost its licence", "Une procédure de plainte plus rapide"],
    "comments": ["Thank you", "Please organise a follow-up meeting", "The venue was too cold", "شكرًا للمنظمين"],
}  # fmt: skip
ACTION_PROGRESS = {
    90: ["not_started", "in_progress", "in_progress", "done"],
    180: ["in_progress", "done", "done", "blocked"],
    365: ["done", "done", "in_progress", "blocked"],
}
# Answer rates of the identified questionnaires (the daily ones: a share of those in the room).
RATES = {"needs-assessment": 0.8, "daily": 0.85, "end-of-session": 0.92, 90: 0.6, 180: 0.45, 365: 0.35}
SURVEY_TIE_KINDS = {"information": "ties_information", "referral": "ties_referral", "joint_work": "ties_joint"}
COLLABORATION_KINDS = ["information", "information", "referral", "referral", "joint_advocacy", "joint_training",
                       "other"]  # fmt: skip
# Days after the session's end around which ties are reported: end of session, 3, 6 and 12 months.
WAVES = [(0, 40), (80, 120), (170, 210), (340, 400)]


@dataclass
class Person:
    user_id: int = 0
    nationality: str = ""
    sector: str = ""
    language: str = "en"


@dataclass
class CohortPlan:
    number: int
    programme: int
    phase: str  # "past", "running" or "upcoming"
    start: datetime.date
    days: int
    venue: tuple[str, str, str, str]
    capacity: int
    cohort: Cohort | None = None
    seated: list[int] = field(default_factory=list)  # person numbers holding a seat
    registrations: list[tuple[int, str]] = field(default_factory=list)  # (person number, status)

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=self.days - 1)


class Command(BaseCommand):
    help = "Build a large data set for scale tests (bulk inserts, prefix 'scale-'). Refuses to run in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programmes", type=int, default=20, help="programmes (default 20)")
        parser.add_argument("--cohorts", type=int, default=500, help="sessions and their cohorts (default 500)")
        parser.add_argument("--people", type=int, default=20000, help="people with an account (default 20,000)")
        parser.add_argument("--responses", type=int, default=500000, help="evaluation responses (default 500,000)")
        parser.add_argument("--ties", type=int, default=100000, help="alumni network ties (default 100,000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--reset", action="store_true", help="delete what a previous run made, then build again")

    def handle(self, *args, **options) -> None:
        if getattr(settings, "ATTACHE_ENVIRONMENT", "") == "production":
            raise CommandError("seed_scale fills the database with fictional people: never with production settings.")
        sizes = {name: options[name] for name in ("programmes", "cohorts", "people", "responses", "ties")}
        if any(value < 0 for value in sizes.values()):
            raise CommandError("Sizes cannot be negative.")
        if sizes["cohorts"] and not sizes["programmes"]:
            raise CommandError("Cohorts need at least one programme.")
        self.rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.quiet = options["verbosity"] == 0
        started = time.perf_counter()
        if not HomePage.objects.exists():
            with self.stage("demo (seed_demo)") as count:
                call_command("seed_demo", verbosity=0, stdout=io.StringIO() if self.quiet else self.stdout)
                count.append(1)
        if self._exists():
            if not options["reset"]:
                self.stdout.write(
                    self.style.WARNING(f"Data from a previous seed_scale (prefix '{PREFIX}') exists: nothing done. "
                                       "Use --reset to delete it and build again.")
                )  # fmt: skip
                return
            with self.stage("reset (deleted people)") as count, transaction.atomic():
                count.append(self._delete())
        with transaction.atomic():
            self._build(**sizes)
        if connection.vendor == "postgresql":
            with self.stage("statistics (ANALYZE)"), connection.cursor() as cursor:
                # As autovacuum would, later: until then the planner takes the new tables for empty ones.
                cursor.execute("ANALYZE")
        self._summary(time.perf_counter() - started)

    # --- Progress ---

    @contextmanager
    def stage(self, label: str) -> Iterator[list[int]]:
        """Time a stage and print what it made (the caller appends the count)."""
        started = time.perf_counter()
        count: list[int] = []
        yield count
        if not self.quiet:
            self.stdout.write(f"  {label:<34} {sum(count):>10,}  {time.perf_counter() - started:7.1f} s")
            self.stdout.flush()

    def write(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message)

    # --- What exists, and its removal ---

    @staticmethod
    def _exists() -> bool:
        return (
            get_user_model().objects.filter(username__startswith=PREFIX).exists()
            or ProgrammePage.objects.filter(slug__startswith=PREFIX).exists()
        )

    @staticmethod
    def _raw_delete(queryset) -> int:
        """A DELETE without loading the rows: Django's collector would read every response into memory first.
        Only for tables whose dependent rows are already gone (the database's foreign keys check it)."""
        return queryset._raw_delete(queryset.db)

    def _delete(self) -> int:
        users = get_user_model().objects.filter(username__startswith=PREFIX)
        sessions = SessionPage.objects.filter(slug__startswith=PREFIX)
        cohorts = Cohort.objects.filter(session__in=sessions)
        surveys = Survey.objects.filter(cohort__in=cohorts)
        Tie.objects.filter(Q(reporter__in=users) | Q(other__in=users) | Q(cohort__in=cohorts)).delete()
        self._raw_delete(Collaboration.objects.filter(reporter__in=users))
        self._raw_delete(Response.objects.filter(survey__in=surveys))
        Delivery.objects.filter(survey__in=surveys).delete()
        Attendance.objects.filter(registration__cohort__in=cohorts).delete()
        surveys.delete()
        for programme in ProgrammePage.objects.filter(slug__startswith=PREFIX):
            programme.delete()  # its modules, sessions, cohorts and registrations with it
        return users.delete()[1].get(get_user_model()._meta.label, 0)

    # --- The build ---

    def _build(self, *, programmes: int, cohorts: int, people: int, responses: int, ties: int) -> None:
        install_default_instruments()  # a site seeded before the instruments existed
        with self.stage("organisations") as count:
            organisations = self._organisations()
            count.append(len({organisation.pk for pairs in organisations.values() for organisation, _p in pairs}))
        persons = self._plan_people(people)
        plans = self._plan_cohorts(programmes, cohorts)
        self._plan_registrations(plans, persons)
        alumni = {n for plan in plans for n, status in plan.registrations if status == RegistrationStatus.ATTENDED}
        listed = {n for n in alumni if self.rng.random() < 0.85}
        with self.stage("programmes, modules, sessions") as count:
            count.append(self._pages(programmes, plans))
        with self.stage("cohorts") as count:
            count.append(self._cohorts(plans))
        with self.stage("people (users, emails, profiles)") as count:
            count.append(self._people(persons, organisations, listed))
        with self.stage("registrations") as count:
            registrations = self._registrations(plans, persons)
            count.append(len(registrations))
        with self.stage("alumni and directory listings") as count:
            count.append(self._alumni(persons, alumni, listed))
        with self.stage("attendance") as count:
            count.append(self._attendance(plans, registrations))
        with self.stage("surveys") as count:
            surveys = self._surveys(plans)
            count.append(len(surveys))
        with self.stage("deliveries") as count:
            count.append(self._deliveries(surveys, plans, persons))
        with self.stage("planning responses and ties") as count:
            slots = self._plan_responses(surveys, plans, persons, responses)
            count.append(len(slots))
            follow_ups = self._follow_up_responses(slots, surveys)
            tie_rows, collaborations = self._plan_ties(plans, persons, follow_ups, ties)
        with self.stage("responses") as count:
            count.append(self._responses(slots, surveys, follow_ups))
        with self.stage("ties and collaborations") as count:
            Collaboration.objects.bulk_create(collaborations, batch_size=BATCH)
            count.append(len(Tie.objects.bulk_create(tie_rows, batch_size=BATCH)))

    def _organisations(self) -> dict[tuple[str, str], list[tuple[Organisation, str]]]:
        """Organisations per (nationality, sector), each with the positions its people hold."""
        by_key: dict[tuple[str, str], list[tuple[Organisation, str]]] = defaultdict(list)
        names = dict(countries)
        for code in NATIONALITIES:
            for template, kind, sector, positions in ORGANISATION_TEMPLATES:
                posts = POSTINGS[code] if "{posted}" in template else (code,)
                for posted in posts:
                    name = template.format(country=names[code], posted=names[posted])
                    organisation, _created = Organisation.objects.get_or_create(
                        name=name, country=posted, defaults={"kind": kind}
                    )
                    for position in positions:
                        by_key[code, sector].append((organisation, position))
        return by_key

    def _plan_people(self, total: int) -> list[Person]:
        """Nationality and sector of each person: 45 % government, 45 % civil society, 10 % other."""
        sectors = [Sector.GOVERNMENT] * 9 + [Sector.CIVIL_SOCIETY] * 9 + [Sector.OTHER] * 2
        persons = []
        for n in range(total):
            nationality = NATIONALITIES[n % len(NATIONALITIES)]
            language = "ar" if NAME_POOLS[nationality][0] == "ar" else ("fr" if n % 17 == 0 else "en")
            persons.append(Person(nationality=nationality, sector=sectors[self.rng.randrange(20)], language=language))
        return persons

    def _plan_cohorts(self, programmes: int, total: int) -> list[CohortPlan]:
        """Dates spread over 2019–2027: about one in a hundred running today, the later ones upcoming."""
        running = max(1, total // 100) if total >= 3 else 0
        upcoming = max(1, round(total * 0.1)) if total >= 2 else 0
        past_last = self.today - datetime.timedelta(days=10)
        starts = []
        for n in range(total):
            if n < running:
                phase, start = "running", self.today - datetime.timedelta(days=self.rng.randint(0, 3))
            elif n < running + upcoming:
                low, high = self.today + datetime.timedelta(days=14), max(LAST_DAY, self.today + datetime.timedelta(60))
                phase, start = "upcoming", low + datetime.timedelta(days=self.rng.randint(0, (high - low).days))
            else:
                start = FIRST_DAY + datetime.timedelta(days=self.rng.randint(0, (past_last - FIRST_DAY).days))
                phase = "past"
            starts.append((phase, start))
        self.rng.shuffle(starts)
        plans = [
            CohortPlan(number=n, programme=n % programmes, phase=phase, start=start,
                       days=5 if self.rng.random() < 0.7 else 6, venue=self.rng.choice(VENUES),
                       capacity=self.rng.randint(30, 40))
            for n, (phase, start) in enumerate(starts)
        ]  # fmt: skip
        return sorted(plans, key=lambda plan: (plan.programme, plan.start))

    def _plan_registrations(self, plans: list[CohortPlan], persons: list[Person]) -> None:
        """Each cohort: 30–40 seats balanced between the sectors (a few 'other'), then some waitlisted,
        declined or cancelled. People go round the pool once; about one pick in ten is a returning person."""
        pools = {sector: [n for n, p in enumerate(persons) if p.sector == sector] for sector in Sector.values}
        for pool in pools.values():
            self.rng.shuffle(pool)
        cursor = dict.fromkeys(pools, 0)
        returning: dict[str, list[int]] = {sector: [] for sector in pools}

        def pick(sector: str, wanted: int, taken: set[int]) -> list[int]:
            pool, chosen, tries = pools[sector], [], 0
            while pool and len(chosen) < wanted and tries < 3 * len(pool):
                tries += 1
                if returning[sector] and self.rng.random() < 0.1:
                    candidate = self.rng.choice(returning[sector])
                else:
                    candidate = pool[cursor[sector] % len(pool)]
                    cursor[sector] += 1
                if candidate not in taken:
                    taken.add(candidate)
                    chosen.append(candidate)
            returning[sector].extend(chosen)
            return chosen

        for plan in plans:
            capacity = plan.capacity
            if plan.phase == "upcoming":
                seats = round(capacity * self.rng.uniform(0.5, 1.0))
            else:
                seats = capacity - self.rng.randint(0, 3)
            other = min(self.rng.choice([0, 0, 1, 2]), plan_ceiling(capacity, 0))
            government = (seats - other) // 2 + ((seats - other) % 2) * self.rng.randint(0, 1)
            taken: set[int] = set()
            seated = (
                pick(Sector.GOVERNMENT, government, taken)
                + pick(Sector.CIVIL_SOCIETY, seats - other - government, taken)
                + pick(Sector.OTHER, other, taken)
            )
            self.rng.shuffle(seated)
            plan.seated = seated
            if plan.phase == "past":
                no_shows = set(self.rng.sample(seated, min(len(seated), self.rng.choice([0, 1, 1, 2]))))
                plan.registrations = [
                    (n, RegistrationStatus.NO_SHOW if n in no_shows else RegistrationStatus.ATTENDED) for n in seated
                ]
                extras = [RegistrationStatus.DECLINED] * self.rng.randint(0, 3)
                extras += [RegistrationStatus.CANCELLED] * self.rng.randint(0, 1)
            else:
                plan.registrations = [(n, RegistrationStatus.CONFIRMED) for n in seated]
                extras = [RegistrationStatus.DECLINED] * self.rng.randint(0, 2)
                if seats >= capacity - 2:
                    extras += [RegistrationStatus.WAITLISTED] * self.rng.randint(1, 4)
                elif plan.phase == "upcoming":
                    extras += [RegistrationStatus.REGISTERED] * self.rng.randint(0, 3)
            for status in extras:
                sector = self.rng.choice([Sector.GOVERNMENT, Sector.CIVIL_SOCIETY])
                plan.registrations += [(n, status) for n in pick(sector, 1, taken)]

    # --- Pages and cohorts ---

    def _pages(self, programmes: int, plans: list[CohortPlan]) -> int:
        """Programmes with three modules each and their sessions, live at once (no revisions: far faster)."""
        index = ProgrammeIndexPage.objects.filter(locale__language_code="en").first()
        if index is None:
            raise CommandError("The English programme index is missing: run seed_demo first.")
        host = Organisation.objects.filter(is_host=True).first()
        partners = list(Organisation.objects.filter(name__in=[data.CIVIL_SOCIETY[c][0] for c in data.PARTNERS]))
        made = 0
        by_programme: dict[int, list[CohortPlan]] = defaultdict(list)
        for plan in plans:
            by_programme[plan.programme].append(plan)
        for number in range(programmes):
            topic, themes = PROGRAMME_TOPICS[number % len(PROGRAMME_TOPICS)]
            region = REGIONS[number // len(PROGRAMME_TOPICS) % len(REGIONS)]
            title = f"{topic}: labour attachés and NGOs in {region}"
            if number >= len(PROGRAMME_TOPICS) * len(REGIONS):
                title += f" ({number // (len(PROGRAMME_TOPICS) * len(REGIONS)) + 1})"
            programme = index.add_child(instance=ProgrammePage(
                title=title, slug=f"{PREFIX}programme-{number + 1:02d}", summary=data.PROGRAMME["en"][1],
                objectives=data.OBJECTIVES, target_audience=data.AUDIENCE, themes=themes,
                languages=["en", "ar", "th", "km", "vi"], host=host, first_published_at=self.now,
                last_published_at=self.now,
            ))  # fmt: skip
            if partners:
                # Partners rotate so that each NGO co-owns some programmes; the through table takes them directly.
                chosen = [partners[number % len(partners)], partners[(number + 1) % len(partners)]]
                ProgrammePage.partners.through.objects.bulk_create(
                    [ProgrammePage.partners.through(programmepage=programme, organisation=o) for o in set(chosen)]
                )
                sync_partner_access(programme=programme)
            modules = [self._module(programme, data.MODULES[(number + k) % len(data.MODULES)]) for k in range(3)]
            made += 1 + len(modules)
            for step, plan in enumerate(by_programme[number]):
                made += self._session(programme, modules, plan, step)
        return made

    def _module(self, programme: ProgrammePage, spec: tuple) -> ModulePage:
        slug, title, outcomes, activities, notes = spec
        activities = [
            ("activity", {"title": a_title, "method": method, "duration_minutes": minutes,
                          "instructions": f"<p>{instructions}</p>" if instructions else "", "materials": ""})
            for a_title, method, minutes, instructions in activities
        ]  # fmt: skip
        return programme.add_child(instance=ModulePage(
            title=title, slug=slug, learning_outcomes=outcomes, facilitator_notes=notes, activities=activities,
            first_published_at=self.now, last_published_at=self.now,
        ))  # fmt: skip

    def _session(self, programme: ProgrammePage, modules: list[ModulePage], plan: CohortPlan, step: int) -> int:
        city, country, zone, language = plan.venue
        agenda = []
        for day in range(plan.days):
            items = [
                {"start": datetime.time(9), "end": datetime.time(12, 30), "module": modules[day % 3], "title": "",
                 "facilitator": ""},
                {"start": datetime.time(13, 30), "end": datetime.time(16, 30), "module": modules[(day + 1) % 3],
                 "title": "", "facilitator": ""},
                {"start": datetime.time(16, 30), "end": datetime.time(17), "module": None,
                 "title": "Daily evaluation", "facilitator": ""},
            ]  # fmt: skip
            agenda.append(("day", {"date": plan.start + datetime.timedelta(days=day), "items": items}))
        session = programme.add_child(instance=SessionPage(
            title=f"{city} — {plan.start:%B %Y}", slug=f"{PREFIX}{step + 1:03d}-{slugify(city)}-{plan.start:%Y-%m}",
            start_date=plan.start, end_date=plan.end, city=city, country=country, time_zone=zone,
            venue=VENUE_NAMES[plan.number % len(VENUE_NAMES)], languages=["en", language] if language else ["en"],
            agenda=agenda, first_published_at=self.now, last_published_at=self.now,
        ))  # fmt: skip
        plan.cohort = Cohort(
            session=session, capacity=plan.capacity, certificate_signatories=SIGNATORIES,
            registration_opens=self._at(plan.start - datetime.timedelta(days=150)),
            registration_closes=self._at(plan.start - datetime.timedelta(days=30)),
            attendance_closed_at=self._at(plan.end + datetime.timedelta(days=1)) if plan.phase == "past" else None,
        )  # fmt: skip
        return 1

    @staticmethod
    def _at(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)

    def _cohorts(self, plans: list[CohortPlan]) -> int:
        return len(Cohort.objects.bulk_create([plan.cohort for plan in plans], batch_size=BATCH))

    # --- People ---

    def _people(self, persons: list[Person], organisations, listed: set[int]) -> int:
        User = get_user_model()
        users = User.objects.bulk_create(
            (User(username=f"{PREFIX}{n + 1}@example.org", email=f"{PREFIX}{n + 1}@example.org",
                  password=make_password(None), date_joined=self.now) for n in range(len(persons))),
            batch_size=BATCH,
        )  # fmt: skip
        for person, user in zip(persons, users, strict=True):
            person.user_id = user.pk
        EmailAddress.objects.bulk_create(
            (EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True) for user in users),
            batch_size=BATCH,
        )
        Profile.objects.bulk_create(
            (self._profile(n, person, organisations, n in listed) for n, person in enumerate(persons)), batch_size=BATCH
        )
        return len(users)

    def _profile(self, n: int, person: Person, organisations, listed: bool) -> Profile:
        language, family_first, joiner, given, family = NAME_POOLS[person.nationality]
        g_latin, g_native = self.rng.choice(given)
        f_latin, f_native = self.rng.choice(family)
        if family_first:
            full_name, native = f"{f_latin} {g_latin}", f"{f_native}{joiner}{g_native}"
        else:
            full_name, native = f"{g_latin} {f_latin}", f"{g_native}{joiner}{f_native}"
        if not g_native:
            native = ""
        preferred = (g_latin.split()[-1] if family_first else g_latin.split()[0]) if n % 3 else ""
        organisation, position = self.rng.choice(organisations[person.nationality, person.sector])
        languages = ["en", language] + (["ar"] if organisation.country in ("AE", "SA", "QA", "KW", "JO") else [])
        profile = Profile(
            user_id=person.user_id, full_name=full_name, native_name=native, preferred_name=preferred,
            gender=self.rng.choice(["woman", "man", "woman", "man", "", "not_said"]), organisation=organisation,
            position=position, nationality=person.nationality,
            country_of_posting=organisation.country if organisation.kind == "embassy_labour_office" else "",
            languages=sorted(set(languages)), listed_in_directory=listed, consent_photo=n % 4 != 0,
            consent_share_contact=n % 3 == 0, consents_updated_at=self.now if listed else None,
        )  # fmt: skip
        # bulk_create skips Profile.save(), which keeps the folded names the directory searches.
        profile.name_key = fold(f"{profile.preferred_name} {profile.full_name}".strip())
        profile.native_name_key = fold(profile.native_name)
        return profile

    def _registrations(self, plans: list[CohortPlan], persons: list[Person]) -> list[Registration]:
        rows = []
        for plan in plans:
            city = plan.venue[0]
            for n, status in plan.registrations:
                person = persons[n]
                rows.append(Registration(
                    user_id=person.user_id, cohort=plan.cohort, status=status, sector=person.sector,
                    country=person.nationality, language=person.language, needs_visa_letter=n % 3 == 0,
                    travelling_from=f"{city}, {plan.venue[1]}" if n % 5 == 0 else "",
                    dietary=["", "", "", "Vegetarian", "Halal", "No pork"][n % 6],
                ))  # fmt: skip
        made = Registration.objects.bulk_create(rows, batch_size=BATCH)
        # `applied_at` is set to now by bulk_create: move each cohort's applications into its registration window.
        for plan in plans:
            applied = self._at(plan.start - datetime.timedelta(days=self.rng.randint(35, 140)))
            Registration.objects.filter(cohort=plan.cohort).update(applied_at=applied)
        return made

    def _alumni(self, persons: list[Person], alumni: set[int], listed: set[int]) -> int:
        """Alumni join the Alumni group; most of them are in the directory, each sharing different fields."""
        group, _created = Group.objects.get_or_create(name=ALUMNI)
        Membership = get_user_model().groups.through
        Membership.objects.bulk_create(
            (Membership(user_id=persons[n].user_id, group_id=group.pk) for n in sorted(alumni)),
            batch_size=BATCH, ignore_conflicts=True,
        )  # fmt: skip
        listings = []
        for n in sorted(listed):
            shared = set(DirectoryListing.FIELDS)
            if n % 5 == 2:
                shared -= {"organisation", "position"}  # a human-rights defender may keep their NGO private
            if n % 7 == 1:
                shared -= {"native_name", "cohorts"}
            if n % 4 == 3:
                shared -= {"country"}
            expertise = self.rng.sample(THEMES, self.rng.randint(1, 3))
            listings.append(DirectoryListing(
                user_id=persons[n].user_id, expertise=expertise, accepts_messages=n % 10 != 0,
                about="Referrals between embassies and NGOs." if n % 6 == 0 else "",
                **{f"share_{name}": name in shared for name in DirectoryListing.FIELDS},
            ))  # fmt: skip
        DirectoryListing.objects.bulk_create(listings, batch_size=BATCH)
        return len(alumni)

    def _attendance(self, plans: list[CohortPlan], registrations: list[Registration]) -> int:
        """Each day already held: attendees mostly present (a few late, rarely absent), no-shows absent."""
        by_cohort: dict[int, list[Registration]] = defaultdict(list)
        for registration in registrations:
            if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW,
                                       RegistrationStatus.CONFIRMED):  # fmt: skip
                by_cohort[registration.cohort_id].append(registration)
        rows: list[Attendance] = []
        made = 0
        for plan in plans:
            if plan.phase == "upcoming":
                continue
            days = [plan.start + datetime.timedelta(days=d) for d in range(plan.days)]
            days = [day for day in days if day < self.today]
            for registration in by_cohort[plan.cohort.pk]:
                for day in days:
                    if registration.status == RegistrationStatus.NO_SHOW:
                        status = "absent"
                    else:
                        draw = self.rng.random()
                        status = "late" if draw < 0.06 else "absent" if draw < 0.08 else "present"
                    rows.append(Attendance(registration=registration, date=day, status=status))
            if len(rows) >= BATCH:
                made += len(Attendance.objects.bulk_create(rows, batch_size=BATCH))
                rows = []
        return made + len(Attendance.objects.bulk_create(rows, batch_size=BATCH))

    # --- Evaluations ---

    def _surveys(self, plans: list[CohortPlan]) -> list[Survey]:
        """The default plan on every cohort, then each survey in the state the schedule would have left it."""
        surveys = []
        for plan in plans:
            surveys += attach_default_plan(cohort=plan.cohort)
        ids = [survey.pk for survey in surveys]
        for chunk in chunks(ids, BATCH):
            mine = Survey.objects.filter(pk__in=chunk)
            mine.filter(closes_at__lte=self.now).update(status=Survey.Status.CLOSED)
            mine.filter(opens_at__lte=self.now, closes_at__gt=self.now).update(status=Survey.Status.OPEN)
            # Old days' debriefs must not go out to the trainers when the schedule next runs.
            mine.filter(anonymous=True, closes_at__lte=self.now).update(debrief_sent_at=F("closes_at"))
        return surveys

    def _asked(self, survey: Survey, plan: CohortPlan, persons: list[Person]) -> list[int]:
        """User ids a survey reaches: follow-ups and the end of session those who attended, before that the seated."""
        if plan.phase == "past" and survey.instrument.slug != "needs-assessment":
            wanted = (RegistrationStatus.ATTENDED,)
        else:
            wanted = (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW, RegistrationStatus.CONFIRMED)
        return [persons[n].user_id for n, status in plan.registrations if status in wanted]

    def _deliveries(self, surveys: list[Survey], plans: list[CohortPlan], persons: list[Person]) -> int:
        """Invitations and reminders counted as sent for everything already open, so that nobody is emailed."""
        plan_of = {plan.cohort.pk: plan for plan in plans}
        rows = []
        for survey in surveys:
            if survey.anonymous or survey.opens_at > self.now:
                continue
            due = [moment for moment in reminder_times(survey) if moment <= self.now]
            for user_id in self._asked(survey, plan_of[survey.cohort_id], persons):
                rows.append(Delivery(survey=survey, user_id=user_id, invited_at=survey.opens_at,
                                     reminders_sent=len(due), last_reminded_at=due[-1] if due else None))  # fmt: skip
        return len(Delivery.objects.bulk_create(rows, batch_size=BATCH))

    def _plan_responses(self, surveys: list[Survey], plans: list[CohortPlan], persons: list[Person],
                        total: int) -> list[tuple[int, int | None]]:  # fmt: skip
        """Exactly `total` (survey position, respondent) slots among the surveys already open: a weighted draw
        from those who could answer (the answer rates); beyond that, extra anonymous daily answers."""
        plan_of = {plan.cohort.pk: plan for plan in plans}
        candidates: list[tuple[float, int, int | None]] = []
        daily: list[int] = []
        for position, survey in enumerate(surveys):
            if survey.opens_at > self.now:
                continue
            plan = plan_of[survey.cohort_id]
            asked = self._asked(survey, plan, persons)
            slug = survey.instrument.slug
            rate = RATES[survey.offset_days if slug == "follow-up" else slug]
            if survey.anonymous:
                daily.append(position)
                in_the_room = (RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED)
                present = sum(1 for _n, status in plan.registrations if status in in_the_room)
                asked = [None] * present
            for user_id in asked:
                # Weighted sampling without replacement (Efraimidis–Spirakis): the larger keys win.
                candidates.append((self.rng.random() ** (1 / rate), position, user_id))
        if total <= len(candidates):
            chosen = heapq.nlargest(total, candidates, key=lambda candidate: candidate[0])
            slots = [(position, user_id) for _key, position, user_id in chosen]
        else:
            slots = [(position, user_id) for _key, position, user_id in candidates]
            extra = total - len(slots)
            if not daily:
                raise CommandError(f"No survey has opened yet: {total:,} responses cannot be placed. "
                                   "Add cohorts or ask for fewer responses.")  # fmt: skip
            self.write(f"    note: {extra:,} anonymous daily answers beyond one per person present "
                       f"(the past cohorts give {len(candidates):,} answers at most)")  # fmt: skip
            slots += [(daily[k % len(daily)], None) for k in range(extra)]
        slots.sort(key=lambda slot: slot[0])
        return slots

    def _follow_up_responses(self, slots, surveys: list[Survey]) -> dict[tuple[int, int], list[Response]]:
        """The follow-up responses, built first and kept: the ties of the network point at them."""
        made: dict[tuple[int, int], list[Response]] = defaultdict(list)
        for position, user_id in slots:
            survey = surveys[position]
            if user_id is not None and survey.instrument.slug == "follow-up":
                made[survey.cohort_id, user_id].append(self._response(survey, user_id))
        return made

    def _responses(self, slots, surveys: list[Survey], follow_ups) -> int:
        kept = [response for responses in follow_ups.values() for response in responses]
        made = len(Response.objects.bulk_create(kept, batch_size=BATCH))
        batch: list[Response] = []
        for position, user_id in slots:
            survey = surveys[position]
            if user_id is not None and survey.instrument.slug == "follow-up":
                continue
            batch.append(self._response(survey, user_id))
            if len(batch) >= BATCH:
                made += len(Response.objects.bulk_create(batch))
                batch = []
        return made + len(Response.objects.bulk_create(batch))

    def _response(self, survey: Survey, user_id: int | None) -> Response:
        """Answers that match the instrument's questions; identified ones dated inside the survey's window."""
        answers = self._answers(survey, user_id)
        if user_id is None:  # anonymous: no respondent, no date that could point at its author
            return Response(survey=survey, answers=answers, submitted=True)
        first = survey.opens_at.date()
        last = min(survey.closes_at.date(), self.today)
        day = first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))
        return Response(survey=survey, respondent_id=user_id, answers=answers, submitted=True, submitted_on=day,
                        updated_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC))  # fmt: skip

    def _answers(self, survey: Survey, user_id: int | None) -> dict:
        rng, slug = self.rng, survey.instrument.slug
        # A person's own level and plan, stable across their questionnaires (the follow-ups show the plan back).
        level = 1 + (user_id or rng.randrange(3)) % 3
        if slug == "daily":
            answers = {"useful": rng.choice([2, 3, 4, 4, 4, 5, 5, 5]), "pace": rng.choice(["1", "2", "2", "2", "3"])}
            if rng.random() < 0.4:
                answers["best"] = rng.choice(TEXTS["best"])
            if rng.random() < 0.2:
                answers["change"] = rng.choice(TEXTS["change"])
            return answers
        if slug == "needs-assessment":
            answers = {"role": str(rng.randint(1, 6)), "standards": level + rng.randint(0, 1),
                       "needs": rng.choice(TEXTS["needs"]), "years": rng.randint(0, 25)}  # fmt: skip
            if rng.random() < 0.3:
                answers["hard_case"] = rng.choice(TEXTS["hard_case"])
            return answers
        plan = [ACTIONS[(user_id * 7 + k) % len(ACTIONS)] for k in range(1 + user_id % 3)]
        if slug == "end-of-session":
            answers = {
                "overall": rng.choice([3, 4, 4, 5, 5]),
                "standards": {"before": level, "after": min(5, level + rng.randint(1, 2))},
                "referral": {"before": level, "after": min(5, level + rng.randint(0, 2))},
                "cooperation": rng.choice([3, 4, 4, 5, 5]),
                "action_plan": [{"action": action, "status": "", "note": ""} for action in plan],
            }
            if rng.random() < 0.2:
                answers["comments"] = rng.choice(TEXTS["comments"])
            return answers
        statuses = ACTION_PROGRESS.get(survey.offset_days, ACTION_PROGRESS[180])
        answers = {
            "action_plan": [{"action": action, "status": rng.choice(statuses), "note": ""} for action in plan],
            "applied": rng.choice(TEXTS["applied"]),
        }
        if rng.random() < 0.5:
            answers["change"] = rng.choice(TEXTS["outcome"])
        return answers

    # --- The alumni network ---

    def _plan_ties(self, plans: list[CohortPlan], persons: list[Person], follow_ups,
                   total: int) -> tuple[list[Tie], list[Collaboration]]:  # fmt: skip
        """`total` ties between alumni: 70 % within a cohort, 20 % with an alumnus of another cohort of the same
        programme, 10 % of the same nationality; 30 % reported by both sides. A tie within a cohort comes from
        the reporter's follow-up answers when they gave some, else from a collaboration they recorded."""
        attended: dict[int, list[CohortPlan]] = defaultdict(list)
        by_cohort: dict[int, list[int]] = defaultdict(list)
        by_programme: dict[int, list[int]] = defaultdict(list)
        by_country: dict[str, list[int]] = defaultdict(list)
        for plan in plans:
            for n, status in plan.registrations:
                if status == RegistrationStatus.ATTENDED:
                    user_id = persons[n].user_id
                    if not attended[user_id]:
                        by_country[persons[n].nationality].append(user_id)
                    attended[user_id].append(plan)
                    by_cohort[plan.cohort.pk].append(user_id)
                    by_programme[plan.programme].append(user_id)
        members = {cohort_id: set(ids) for cohort_id, ids in by_cohort.items()}
        country_of = {person.user_id: person.nationality for person in persons}
        alumni = list(attended)
        if total and len(alumni) < 2:
            raise CommandError(f"{total:,} ties need at least two alumni: add past cohorts or people.")
        ties: list[Tie] = []
        collaborations: list[Collaboration] = []
        seen: set[tuple[int, int, str]] = set()  # (response, other, kind): a question names a person once

        def report(reporter: int, other: int, plan: CohortPlan, shared: bool, kind: str | None,
                   after: datetime.date | None) -> str:  # fmt: skip
            cohort = plan.cohort if shared else None
            answered = follow_ups.get((plan.cohort.pk, reporter)) if shared else None
            if answered and (kind is None or kind in SURVEY_TIE_KINDS) and self.rng.random() < 0.6:
                response = self.rng.choice(answered)
                kind = kind or self.rng.choice(list(SURVEY_TIE_KINDS))
                if (id(response), other, kind) not in seen:
                    seen.add((id(response), other, kind))
                    response.answers.setdefault(SURVEY_TIE_KINDS[kind], []).append(other)
                    ties.append(Tie(reporter_id=reporter, other_id=other, kind=kind, cohort=cohort,
                                    source=Tie.Source.SURVEY, response=response,
                                    reported_on=response.submitted_on))  # fmt: skip
                    return kind
            if kind is None or kind == "joint_work":  # "joint work" exists only in the questionnaire
                kind = self.rng.choice(COLLABORATION_KINDS) if kind is None else "joint_advocacy"
            horizon = (self.today - plan.end).days
            if after is None:
                low, high = self.rng.choice(WAVES)
                when = plan.end + datetime.timedelta(days=min(horizon, self.rng.randint(low, high)))
            else:
                when = min(self.today, after + datetime.timedelta(days=self.rng.randint(0, 20)))
            collaboration = Collaboration(reporter_id=reporter, kind=kind, happened_on=when)
            collaborations.append(collaboration)
            ties.append(Tie(reporter_id=reporter, other_id=other, kind=kind, cohort=cohort, reported_on=when,
                            source=Tie.Source.COLLABORATION, collaboration=collaboration))  # fmt: skip
            return kind

        tries = 0
        while len(ties) < total:
            tries += 1
            if tries > 50 * total:
                raise CommandError(f"Could not place {total:,} ties among {len(alumni):,} alumni.")
            reporter = self.rng.choice(alumni)
            plan = self.rng.choice(attended[reporter])
            draw = self.rng.random()
            if draw < 0.7:
                pool = by_cohort[plan.cohort.pk]
            elif draw < 0.9:
                pool = by_programme[plan.programme]
            else:
                pool = by_country[country_of[reporter]]
            other = self.rng.choice(pool)
            if other == reporter:
                continue
            shared = other in members[plan.cohort.pk]
            kind = report(reporter, other, plan, shared, None, None)
            if len(ties) < total and self.rng.random() < 0.3:  # the other side says so too, a little later
                report(other, reporter, plan, shared, kind, ties[-1].reported_on)
        return ties, collaborations

    # --- Summary ---

    def _summary(self, elapsed: float) -> None:
        users = get_user_model().objects.filter(username__startswith=PREFIX)
        cohorts = Cohort.objects.filter(session__slug__startswith=PREFIX)
        surveys = Survey.objects.filter(cohort__in=cohorts)
        registrations = Registration.objects.filter(cohort__in=cohorts)
        self.stdout.write(self.style.SUCCESS(
            f"seed_scale done in {elapsed:.1f} s: "
            f"{ProgrammePage.objects.filter(slug__startswith=PREFIX).count():,} programmes, "
            f"{cohorts.count():,} cohorts, {users.count():,} people, {registrations.count():,} registrations "
            f"({registrations.filter(status=RegistrationStatus.ATTENDED).count():,} attended), "
            f"{users.filter(groups__name=ALUMNI).count():,} alumni "
            f"({users.filter(profile__listed_in_directory=True).count():,} in the directory), "
            f"{surveys.count():,} surveys, {Response.objects.filter(survey__in=surveys).count():,} responses, "
            f"{Tie.objects.filter(reporter__in=users).count():,} ties."
        ))  # fmt: skip


def plan_ceiling(capacity: int, target: int, tolerance: int = 10) -> int:
    """The most seats a sector may hold (as Cohort.ceiling, before the cohort exists)."""
    return min(capacity, capacity * (target + tolerance) // 100)


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
