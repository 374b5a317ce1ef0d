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

MODULES = [
    (
        "Migration for work: who moves, who profits, who is harmed",
        "<p>Participants can describe the recruitment chain and where abuse happens along it.</p>",
        [("Mapping a recruitment journey", "group_work", 90), ("Debrief in plenary", "presentation", 30)],
    ),
    (
        "The rights framework",
        "<p>Participants can name the main conventions and explain what each asks of a country of origin.</p>",
        [
            ("What the conventions say", "presentation", 60),
            ("Matching rights to real complaints", "case_study", 75),
        ],
    ),
    (
        "Handling a complaint at the embassy",
        "<p>Participants can take a complaint, assess risk and decide whom to refer it to.</p>",
        [("The first interview", "role_play", 90), ("Risk assessment checklist", "group_work", 45)],
    ),
    (
        "Working with civil society",
        "<p>Participants agree referral routes between embassies, shelters, unions and legal aid groups.</p>",
        [("Who does what: a referral map", "group_work", 80), ("Visit to a shelter", "field_visit", 180)],
    ),
    (
        "Action planning",
        "<p>Each participant leaves with a plan for their post, and a partner in the other sector to follow it up.</p>",
        [("Drafting the action plan", "group_work", 60), ("Peer review in mixed pairs", "debate", 45)],
    ),
]

FACILITATOR_NOTE = (
    "<p>Pair government and NGO participants in every group exercise. Keep case details "
    "anonymous: some participants handle active trafficking cases.</p>"
)
