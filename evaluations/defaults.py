"""The default instruments shipped with Attaché, in English, French and Arabic. Idempotent: used by a data
migration (with its historical models) and by seed_demo."""

from django.apps import apps as global_apps

# slug: (kind, level, titles (en, fr, ar), intro (en, fr, ar), questions)
# question: (key, kind, required, texts (en, fr, ar), choices (en, fr, ar) or None, tie kind)
INSTRUMENTS = {
    "needs-assessment": (
        "needs_assessment", "learning",
        ("Before the training: your needs", "Avant la formation : vos besoins", "قبل التدريب: احتياجاتك"),
        ("Your answers help the trainers prepare a session that fits your work.",
         "Vos réponses aident les formateurs à préparer une session adaptée à votre travail.",
         "تساعد إجاباتك المدرّبين على إعداد دورة تناسب عملك."),
        [
            ("role", "single", True,
             ("Which best describes your work with migrant workers?",
              "Qu’est-ce qui décrit le mieux votre travail auprès des travailleurs migrants ?",
              "ما الذي يصف عملك مع العمال المهاجرين على أفضل وجه؟"),
             ("Policy and regulation\nConsular protection and casework\nLabour inspection\n"
              "Legal aid and advocacy\nResearch and training\nOther",
              "Politiques et réglementation\nProtection consulaire et suivi de dossiers\nInspection du travail\n"
              "Aide juridique et plaidoyer\nRecherche et formation\nAutre",
              "السياسات والتنظيم\nالحماية القنصلية ومتابعة الحالات\nتفتيش العمل\nالمساعدة القانونية والمناصرة\n"
              "البحث والتدريب\nغير ذلك"), ""),
            ("years", "number", False,
             ("For how many years have you worked on migrant workers' rights?",
              "Depuis combien d’années travaillez-vous sur les droits des travailleurs migrants ?",
              "منذ كم سنة تعمل في مجال حقوق العمال المهاجرين؟"), None, ""),
            ("standards", "likert", True,
             ("I know the international standards that protect migrant workers.",
              "Je connais les normes internationales qui protègent les travailleurs migrants.",
              "أعرف المعايير الدولية التي تحمي العمال المهاجرين."), None, ""),
            ("needs", "long_text", True,
             ("What do you most need from this training?", "Qu’attendez-vous avant tout de cette formation ?",
              "ما أكثر ما تحتاجه من هذا التدريب؟"), None, ""),
            ("hard_case", "long_text", False,
             ("Describe a recent case or situation you found hard to handle (without names).",
              "Décrivez un cas ou une situation récente difficile à traiter (sans noms).",
              "صف حالة أو موقفًا حديثًا وجدت صعوبة في التعامل معه (دون ذكر أسماء)."), None, ""),
        ],
    ),
    "daily": (
        "daily", "reaction",
        ("Today's evaluation", "Évaluation du jour", "تقييم اليوم"),
        ("Anonymous: nobody, not even the organisers, can tell which answers are yours.",
         "Anonyme : personne, pas même les organisateurs, ne peut savoir quelles réponses sont les vôtres.",
         "مجهول الهوية: لا يستطيع أحد، ولا حتى المنظمون، معرفة أي الإجابات إجاباتك."),
        [
            ("useful", "likert", True,
             ("Today's sessions were useful for my work.", "Les séances d’aujourd’hui étaient utiles pour mon travail.",
              "كانت جلسات اليوم مفيدة لعملي."), None, ""),
            ("pace", "single", False,
             ("The pace today was", "Le rythme aujourd’hui était", "كانت وتيرة اليوم"),
             ("Too slow\nRight\nToo fast", "Trop lent\nAdapté\nTrop rapide", "بطيئة جدًا\nمناسبة\nسريعة جدًا"), ""),
            ("best", "short_text", False,
             ("What worked best today?", "Qu’est-ce qui a le mieux fonctionné aujourd’hui ?",
              "ما الذي نجح أكثر اليوم؟"), None, ""),
            ("change", "short_text", False,
             ("What should we change tomorrow?", "Que devrions-nous changer demain ?", "ما الذي ينبغي أن نغيّره غدًا؟"),
             None, ""),
        ],
    ),
    "end-of-session": (
        "end_of_session", "learning",
        ("End of the session: what you take home", "Fin de la session : ce que vous emportez",
         "نهاية الدورة: ما تعود به"),
        ("Rate where you were before the training and where you are now, then write your action plan.",
         "Situez-vous avant la formation et maintenant, puis écrivez votre plan d’action.",
         "قيّم مستواك قبل التدريب والآن، ثم اكتب خطة عملك."),
        [
            ("overall", "likert", True,
             ("Overall, the training met my needs.", "Dans l’ensemble, la formation a répondu à mes besoins.",
              "إجمالًا، لبّى التدريب احتياجاتي."), None, ""),
            ("standards", "before_after", True,
             ("My knowledge of the standards that protect migrant workers",
              "Ma connaissance des normes qui protègent les travailleurs migrants",
              "معرفتي بالمعايير التي تحمي العمال المهاجرين"), None, ""),
            ("referral", "before_after", True,
             ("My ability to refer a migrant worker's case to the right organisation",
              "Ma capacité à orienter le dossier d’un travailleur migrant vers la bonne organisation",
              "قدرتي على إحالة حالة عامل مهاجر إلى الجهة المناسبة"), None, ""),
            ("cooperation", "likert", True,
             ("After this training I am more likely to work with the other sector (government or civil society).",
              "Après cette formation, je travaillerai plus volontiers avec l’autre secteur (gouvernement ou "
              "société civile).",
              "بعد هذا التدريب أصبحت أكثر استعدادًا للعمل مع القطاع الآخر (الحكومة أو المجتمع المدني)."),
             None, ""),
            ("action_plan", "action_plan", True,
             ("Your action plan: up to three things you will do in the coming months.",
              "Votre plan d’action : jusqu’à trois choses que vous ferez dans les prochains mois.",
              "خطة عملك: حتى ثلاثة أمور ستقوم بها في الأشهر القادمة."), None, ""),
            ("comments", "long_text", False,
             ("Anything else you want the organisers to know?", "Autre chose à dire aux organisateurs ?",
              "هل تودّ إخبار المنظمين بأي شيء آخر؟"), None, ""),
        ],
    ),
    "follow-up": (
        "follow_up", "behaviour",
        ("Follow-up: what has changed since the training", "Suivi : ce qui a changé depuis la formation",
         "المتابعة: ما الذي تغيّر منذ التدريب"),
        ("Your own action plan is shown back to you: say where each action stands.",
         "Votre plan d’action vous est rappelé : dites où en est chaque action.",
         "تُعرض عليك خطة عملك: بيّن ما وصلت إليه كل خطوة."),
        [
            ("action_plan", "action_plan", False,
             ("Your action plan: where does each action stand?", "Votre plan d’action : où en est chaque action ?",
              "خطة عملك: إلى أين وصلت كل خطوة؟"), None, ""),
            ("applied", "long_text", True,
             ("What have you applied from the training in your work?",
              "Qu’avez-vous appliqué de la formation dans votre travail ?",
              "ما الذي طبّقته من التدريب في عملك؟"), None, ""),
            ("change", "long_text", False,
             ("What has changed for migrant workers as a result (a case, a procedure, a policy)?",
              "Qu’est-ce qui a changé pour les travailleurs migrants grâce à cela (un cas, une procédure, "
              "une politique) ?",
              "ما الذي تغيّر للعمال المهاجرين نتيجة لذلك (حالة، إجراء، سياسة)؟"), None, ""),
            ("ties_information", "cohort_members", False,
             ("With whom of your cohort have you exchanged information since the training?",
              "Avec qui de votre cohorte avez-vous échangé des informations depuis la formation ?",
              "مع من من زملاء دورتك تبادلت المعلومات منذ التدريب؟"), None, "information"),
            ("ties_referral", "cohort_members", False,
             ("With whom of your cohort have you referred a migrant worker's case (either way)?",
              "Avec qui de votre cohorte avez-vous échangé le dossier d’un travailleur migrant (dans un sens ou "
              "dans l’autre) ?",
              "مع من من زملاء دورتك أحلت حالة عامل مهاجر (في أي من الاتجاهين)؟"), None, "referral"),
            ("ties_joint", "cohort_members", False,
             ("With whom of your cohort have you worked jointly (advocacy, training, a case)?",
              "Avec qui de votre cohorte avez-vous travaillé ensemble (plaidoyer, formation, un dossier) ?",
              "مع من من زملاء دورتك عملت بشكل مشترك (مناصرة، تدريب، حالة)؟"), None, "joint_work"),
        ],
    ),
}  # fmt: skip


def install_default_instruments(apps=global_apps) -> None:
    Instrument = apps.get_model("evaluations", "Instrument")
    Question = apps.get_model("evaluations", "Question")
    for slug, (kind, level, titles, intros, questions) in INSTRUMENTS.items():
        instrument, created = Instrument.objects.get_or_create(
            slug=slug,
            defaults={"kind": kind, "level": level, "title_en": titles[0], "title_fr": titles[1],
                      "title_ar": titles[2], "intro_en": intros[0], "intro_fr": intros[1], "intro_ar": intros[2]},
        )  # fmt: skip
        if not created:
            continue
        for order, (key, qkind, required, texts, choices, tie_kind) in enumerate(questions):
            Question.objects.create(
                instrument=instrument, sort_order=order, key=key, kind=qkind, required=required,
                text_en=texts[0], text_fr=texts[1], text_ar=texts[2],
                choices_en=choices[0] if choices else "", choices_fr=choices[1] if choices else "",
                choices_ar=choices[2] if choices else "", tie_kind=tie_kind,
            )  # fmt: skip
