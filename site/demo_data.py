"""Words and names for the demo. Written for Attaché; every person and organisation is fictional."""

# (ISO country, language of the native-script name, given names, family names, family name first?)
# Each name is (Latin spelling as in the passport, native script).
PEOPLE_POOLS = [
    (
        "TH",
        10,
        [
            ("Somchai", "สมชาย"),
            ("Malee", "มาลี"),
            ("Niran", "นิรันดร์"),
            ("Pranee", "ปราณี"),
            ("Kittisak", "กิตติศักดิ์"),
            ("Suda", "สุดา"),
        ],
        [("Srisuk", "ศรีสุข"), ("Chaiyaporn", "ชัยพร"), ("Thongdee", "ทองดี"), ("Wongsa", "วงศา")],
        False,
    ),
    (
        "KH",
        10,
        [
            ("Dara", "ដារា"),
            ("Sophea", "សុភា"),
            ("Sreymom", "ស្រីមុំ"),
            ("Vuthy", "វុទ្ធី"),
            ("Bopha", "បុប្ផា"),
            ("Rithy", "រិទ្ធី"),
        ],
        [("Sok", "សុខ"), ("Chan", "ចាន់"), ("Kim", "គីម"), ("Heng", "ហេង")],
        True,
    ),
    (
        "VN",
        10,
        [
            ("Thi Lan", "Thị Lan"),
            ("Van Minh", "Văn Minh"),
            ("Thi Hoa", "Thị Hoa"),
            ("Quoc Bao", "Quốc Bảo"),
            ("Thu Trang", "Thu Trang"),
            ("Duc Anh", "Đức Anh"),
        ],
        [("Nguyen", "Nguyễn"), ("Tran", "Trần"), ("Le", "Lê"), ("Pham", "Phạm"), ("Hoang", "Hoàng")],
        True,
    ),
    (
        "JO",
        6,
        [("Ahmad", "أحمد"), ("Rania", "رانيا"), ("Omar", "عمر"), ("Layla", "ليلى")],
        [("Al-Khatib", "الخطيب"), ("Haddad", "حداد"), ("Nasser", "ناصر")],
        False,
    ),
    (
        "LB",
        6,
        [("Youssef", "يوسف"), ("Huda", "هدى"), ("Karim", "كريم"), ("Samira", "سميرة")],
        [("Khoury", "خوري"), ("Mansour", "منصور"), ("Hamdan", "حمدان")],
        False,
    ),
    (
        "EG",
        6,
        [("Tarek", "طارق"), ("Mona", "منى"), ("Hany", "هاني"), ("Dina", "دينا")],
        [("Farouk", "فاروق"), ("Saleh", "صالح"), ("Aziz", "عزيز")],
        False,
    ),
    (
        "PH",
        8,
        [("Maria", ""), ("Jose", ""), ("Ana", ""), ("Ramon", "")],
        [("Santos", ""), ("Reyes", ""), ("Dela Cruz", ""), ("Bautista", "")],
        False,
    ),
    (
        "ID",
        8,
        [("Siti", ""), ("Budi", ""), ("Dewi", ""), ("Agus", "")],
        [("Rahmawati", ""), ("Santoso", ""), ("Lestari", ""), ("Wijaya", "")],
        False,
    ),
    ("NP", 4, [("Sita", "सीता"), ("Ram", "राम")], [("Sharma", "शर्मा"), ("Thapa", "थापा")], False),
    ("LA", 4, [("Khamla", "ຄຳຫລ້າ"), ("Souk", "ສຸກ")], [("Phommachanh", "ພົມມະຈັນ"), ("Vongsa", "ວົງສາ")], False),
    ("MM", 4, [("Aung Kyaw", "အောင်ကျော်"), ("Thida Win", "သီတာဝင်း")], [("", ""), ("", "")], False),
    ("BD", 4, [("Rahima", "রহিমা"), ("Kamal", "কামাল")], [("Begum", "বেগম"), ("Hossain", "হোসেন")], False),
]

# Civil-society partners per country; government bodies are made from the country's name.
CIVIL_SOCIETY = {
    "TH": ("Mekong Migrant Workers Support Network", "MMWSN", "ngo"),
    "KH": ("Khmer Workers' Rights Forum", "KWRF", "ngo"),
    "VN": ("Centre for Labour Migration Studies", "CLMS", "ngo"),
    "JO": ("Domestic and Care Workers' Union", "DCWU", "trade_union"),
    "LB": ("Mashreq Migrant Solidarity", "MMS", "ngo"),
    "EG": ("Nile Legal Aid for Workers", "NLAW", "ngo"),
    "PH": ("Overseas Workers' Welfare Alliance", "OWWA-N", "ngo"),
    "ID": ("Serikat Buruh Migran Nusantara", "SBMN", "trade_union"),
    "NP": ("Himalayan Migrant Help Desk", "HMHD", "ngo"),
    "LA": ("Lao Women Workers' Association", "LWWA", "ngo"),
    "MM": ("Irrawaddy Migrant Legal Clinic", "IMLC", "ngo"),
    "BD": ("Bengal Returnee Workers' Forum", "BRWF", "ngo"),
}

# Where each country's labour attaché is posted, for the embassy labour offices.
POSTED_IN = {
    "TH": "AE",
    "KH": "TH",
    "VN": "JP",
    "JO": "QA",
    "LB": "AE",
    "EG": "SA",
    "PH": "JO",
    "ID": "LB",
    "NP": "QA",
    "LA": "TH",
    "MM": "MY",
    "BD": "SA",
}

HOST = ("Centre for Rights Education and Training", "CRET", "ngo", "LB")
PARTNERS = ["TH", "KH", "LB"]  # the three partner NGOs that co-own the programme

HOME = {
    "en": (
        "Attaché",
        "<p>Training programmes that bring labour attachés and civil-society organisations "
        "together to protect the rights of migrant workers, from the first invitation to the "
        "alumni network a year later.</p>",
    ),
    "ar": (
        "أتاشيه",
        "<p>برامج تدريبية تجمع الملحقين العماليين ومنظمات المجتمع المدني لحماية حقوق العمال "
        "المهاجرين، من الدعوة الأولى إلى شبكة الخريجين بعد عام.</p>",
    ),
    "fr": (
        "Attaché",
        "<p>Des programmes de formation qui réunissent attachés de travail et organisations de la "
        "société civile pour protéger les droits des travailleurs migrants, de la première "
        "invitation au réseau des anciens un an plus tard.</p>",
    ),
}
PROGRAMME_INDEX = {"en": "Programmes", "ar": "البرامج", "fr": "Programmes"}
PROGRAMME = {
    "en": (
        "Protecting migrant workers' rights: a course for labour attachés in Asia",
        "Six days in which labour attachés and NGO caseworkers learn side by side how to prevent abuse, "
        "handle complaints and refer cases across borders.",
    ),
    "ar": (
        "حماية حقوق العمال المهاجرين: دورة للملحقين العماليين في آسيا",
        "ستة أيام يتعلم فيها الملحقون العماليون والعاملون في المنظمات غير الحكومية معًا كيفية منع الانتهاكات "
        "ومعالجة الشكاوى وإحالة الحالات عبر الحدود.",
    ),
    "fr": (
        "Protéger les droits des travailleurs migrants : un cours pour les attachés de travail en Asie",
        "Six jours pendant lesquels attachés de travail et intervenants d’ONG apprennent ensemble à prévenir "
        "les abus, traiter les plaintes et orienter les cas d’un pays à l’autre.",
    ),
}
OBJECTIVES = (
    "<ul><li>Know the international standards that protect migrant workers and members of their families.</li>"
    "<li>Recognise forced labour and trafficking in the cases that reach an embassy.</li>"
    "<li>Build working relationships between embassy staff and civil-society caseworkers.</li>"
    "<li>Plan one concrete change to apply in the attaché's post within three months.</li></ul>"
)
AUDIENCE = (
    "Labour attachés and consular staff of countries of origin, and caseworkers of NGOs and unions "
    "that assist migrant workers in countries of destination."
)

# (slug, title, learning outcomes, [(activity, method, minutes, instructions)], facilitator notes)
MODULES = [
    (
        "migration-law",
        "Labour-migration law: the international and national framework",
        "<p>Participants can name the main international standards on migrant workers and explain what each asks "
        "of a country of origin and of a country of destination.</p>",
        [
            (
                "Where does protection come from? A timeline of standards",
                "presentation",
                60,
                "Walk through the instruments in the order they were adopted; stop after each for one question.",
            ),
            (
                "Matching rights to real complaints",
                "case_study",
                90,
                "Mixed groups of four receive five anonymised complaints and find the standard that applies to each.",
            ),
        ],
        "<p>Government participants may know their bilateral agreements better than the conventions: invite them to "
        "explain one to the room.</p>",
    ),
    (
        "recruitment-complaints",
        "Recruitment abuses and complaints",
        "<p>Participants can trace the recruitment chain, recognise fees, contract substitution and document "
        "retention, and take a complaint from first contact to a written record.</p>",
        [
            (
                "Mapping a recruitment journey",
                "group_work",
                75,
                "Draw the journey of one worker from village to workplace and mark every point where money changes hands.",
            ),
            (
                "The first interview",
                "role_play",
                90,
                "In threes: a worker, an officer, an observer. Swap roles twice. The observer notes what helped trust.",
            ),
        ],
        "<p>Some participants handle live cases. Remind the room that every example stays anonymous.</p>",
    ),
    (
        "trafficking-indicators",
        "Trafficking indicators: telling hard conditions from forced labour",
        "<p>Participants can apply a list of indicators of forced labour and trafficking to a case and decide when "
        "to refer it.</p>",
        [
            ("Indicators in plain words", "presentation", 45, ""),
            (
                "Three cases, three decisions",
                "case_study",
                90,
                "Each group decides: labour dispute, forced labour or trafficking? Then defends the decision in plenary.",
            ),
        ],
        "<p>Expect disagreement between sectors on the third case: it is the point of the exercise.</p>",
    ),
    (
        "referral",
        "Referral between embassies and NGOs",
        "<p>Government and NGO participants agree who does what when a migrant worker needs shelter, legal aid, "
        "medical care or repatriation, and how information is shared safely.</p>",
        [
            (
                "Who does what: a referral map",
                "group_work",
                80,
                "Country groups, always mixing embassy staff and NGO caseworkers, draw the referral map of one destination.",
            ),
            (
                "Visit to a shelter",
                "field_visit",
                180,
                "Meet the shelter staff; ask how referrals from embassies arrive.",
            ),
        ],
        "<p>Confirm the shelter visit two days ahead and share the group size; no photos inside.</p>",
    ),
    (
        "consular-protection",
        "Consular protection in practice",
        "<p>Participants can plan the embassy's response to detention, a death abroad, unpaid wages and an "
        "emergency evacuation.</p>",
        [
            ("An emergency at the embassy", "role_play", 90, "Play the first 48 hours of an evacuation."),
            ("What the labour attaché can and cannot do", "debate", 45, ""),
        ],
        "<p>Invite a serving labour attaché to open the debate.</p>",
    ),
    (
        "action-planning",
        "Action planning",
        "<p>Each participant leaves with one concrete change to apply at their post within three months, and a "
        "partner from the other sector to follow it up with.</p>",
        [
            ("Drafting the action plan", "group_work", 60, "Use the action-plan template; one page, three steps."),
            ("Peer review in mixed pairs", "debate", 45, "Pairs always cross sectors."),
        ],
        "<p>Collect a copy of each plan: the follow-up surveys will show it back to its author.</p>",
    ),
]

# The agenda of a day: (start, end, module slug or None, title when there is no module).
DAY_TEMPLATES = [
    [
        ("09:00", "09:45", None, "Welcome and introductions"),
        ("09:45", "12:30", "migration-law", ""),
        ("13:30", "16:30", "recruitment-complaints", ""),
        ("16:30", "17:00", None, "Daily evaluation"),
    ],
    [
        ("09:00", "12:30", "recruitment-complaints", ""),
        ("13:30", "16:30", "trafficking-indicators", ""),
        ("16:30", "17:00", None, "Daily evaluation"),
    ],
    [
        ("09:00", "12:30", "referral", ""),
        ("13:30", "16:30", "referral", ""),
        ("16:30", "17:00", None, "Daily evaluation"),
    ],
    [
        ("09:00", "12:30", "consular-protection", ""),
        ("13:30", "16:30", "consular-protection", ""),
        ("16:30", "17:00", None, "Daily evaluation"),
    ],
    [
        ("09:00", "12:00", "action-planning", ""),
        ("13:00", "14:30", None, "End-of-session evaluation"),
        ("14:30", "15:30", None, "Certificates and closing"),
    ],
    [("09:00", "12:00", None, "Alumni network: staying in touch"), ("12:00", "13:00", None, "Closing lunch")],
]

THEMES = ["labour_migration", "anti_trafficking", "fair_recruitment", "consular_protection", "access_to_justice"]

ALUMNI_SPACE = {
    "en": ("Alumni space", "<p>News, resources and calls for joint work, for the people who attended a session.</p>"),
    "ar": ("فضاء الخريجين", "<p>أخبار وموارد ودعوات إلى العمل المشترك، لمن حضر إحدى الدورات.</p>"),
    "fr": ("Espace des anciens", "<p>Actualités, ressources et appels au travail commun, pour les personnes qui "
                                 "ont suivi une session.</p>"),
}  # fmt: skip
ALUMNI_ARTICLES = [
    # (slug, kind, days after the past session ended, title, summary, body)
    ("referral-directory-2026", "resource", 40, "Referral contacts for migrant domestic workers",
     "Who to call in each country of origin and destination when a domestic worker needs help.",
     "<p>A list kept by the alumni of the Bangkok session: labour attachés and NGO case workers who agreed to "
     "take referrals, with the languages they work in.</p>"),
    ("joint-advocacy-wage-protection", "news", 120, "Alumni join forces on wage protection",
     "Three ministries and four NGOs of the Bangkok cohort drafted a common position on wage protection.",
     "<p>Six months after their session, officials and NGO representatives of the Bangkok cohort presented a "
     "joint note on wage protection for migrant workers to the regional consultative process.</p>"),
]  # fmt: skip
