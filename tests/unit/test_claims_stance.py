"""Every stance in every language: one claim per post, with the stance its cue words give."""

from __future__ import annotations

import pytest
from services.classifier.claims import extract_claims
from services.classifier.stance import cues, stance

pytestmark = pytest.mark.unit

CASES = [
    # English
    ("en", "Russian troops arrived in Tartus on Monday.", "asserted"),
    ("en", "A battalion of marines landed at Latakia, the ministry said.", "asserted"),
    ("en", "Iranian fighters were reportedly sent to Aleppo.", "hedged"),
    ("en", "Photos purporting to show Wagner mercenaries in Bamako went viral.", "hedged"),
    ("en", "According to the Observatory, militia convoys entered Homs.", "hedged"),
    ("en", "No hard evidence yet that Chinese soldiers arrived in Russia.", "hedged"),
    ("en", "Moscow denied that paratroopers were deployed to Belarus.", "denied"),
    ("en", "The claim that troops crossed into Moldova is fake.", "denied"),
    ("en", "NATO soldiers never entered Ukraine, the alliance said.", "denied"),
    ("en", "Russia will send more troops to Mali.", "hypothetical"),
    ("en", "Could Turkey deploy soldiers to Gaza?", "hypothetical"),
    ("en", "It is premature to talk about sending peacekeepers to Ukraine.", "hypothetical"),
    ("en", "If Iran moves fighters into Iraq, the deal is off.", "hypothetical"),
    # Russian
    ("ru", "Российские войска вошли в Херсон.", "asserted"),
    ("ru", "Батальон морской пехоты высадился в Тартусе.", "asserted"),
    ("ru", "Якобы иранские военные прибыли в Дамаск.", "hedged"),
    ("ru", "По данным разведки, наемники переброшены в Ливию.", "hedged"),
    ("ru", "Сообщается, что десантники развернуты под Курском.", "hedged"),
    ("ru", "Минобороны опровергло переброску войск в Белоруссию.", "denied"),
    ("ru", "Это фейк: солдаты не прибыли в Донецк.", "denied"),
    ("ru", "Россия планирует отправить войска в Венесуэлу.", "hypothetical"),
    ("ru", "Не исключено, что бригада будет переброшена в Крым.", "hypothetical"),
    ("ru", "Войдут ли турецкие войска в Алеппо?", "hypothetical"),
    # Ukrainian
    ("uk", "Російські війська зайшли у Вовчанськ.", "asserted"),
    ("uk", "Бригада ЗСУ прибула до Харкова.", "asserted"),
    ("uk", "Нібито північнокорейські солдати прибули до Курська.", "hedged"),
    ("uk", "За даними розвідки, найманці перекинуті до Донецька.", "hedged"),
    ("uk", "Генштаб спростував фейк про перекидання військ до Білорусі.", "denied"),
    ("uk", "Українські військові ніколи не заходили в Бєлгород.", "denied"),
    ("uk", "Росія планує перекинути війська до Криму.", "hypothetical"),
    ("uk", "Якщо білоруські війська зайдуть в Україну, ми відповімо.", "hypothetical"),
    ("uk", "Чи прибудуть польські військові до Львова?", "hypothetical"),
    # Arabic
    ("ar", "وصلت قوات روسية إلى حمص.", "asserted"),
    ("ar", "دخل رتل عسكري تركي إلى إدلب.", "asserted"),
    ("ar", "يُزعم أن جنوداً إيرانيين وصلوا إلى دمشق.", "hedged"),
    ("ar", "بحسب مصادر محلية، انتشر مقاتلون في دير الزور.", "hedged"),
    ("ar", "نفت الوزارة إرسال قوات إلى ليبيا.", "denied"),
    ("ar", "لم يصل أي جندي أمريكي إلى بغداد.", "denied"),
    ("ar", "سترسل مصر قوات إلى السودان.", "hypothetical"),
    ("ar", "قد تنشر إيران قوات في العراق.", "hypothetical"),
    ("ar", "هل ستدخل القوات التركية منبج؟", "hypothetical"),
    # Persian
    ("fa", "نیروهای روسی وارد سوریه شدند.", "asserted"),
    ("fa", "یک گردان به لبنان اعزام شد.", "asserted"),
    ("fa", "گزارش‌ها حاکی از ورود سربازان روس به سوریه است.", "hedged"),
    ("fa", "ظاهراً رزمندگان فاطمیون به حلب منتقل شده‌اند.", "hedged"),
    ("fa", "سپاه اعزام نیرو به یمن را تکذیب کرد.", "denied"),
    ("fa", "هیچ سرباز روسی وارد ایران نشده است.", "denied"),
    ("fa", "ایران نیروهای بیشتری به عراق اعزام خواهد کرد.", "hypothetical"),
    ("fa", "اگر نیروهای آمریکایی وارد عراق شوند، پاسخ خواهیم داد.", "hypothetical"),
    ("fa", "آیا روسیه سرباز به ونزوئلا می‌فرستد؟", "hypothetical"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_stance_in_every_language(lang: str, text: str, expected: str) -> None:
    claims = extract_claims(text)
    assert [c["stance"] for c in claims] == [expected], lang


def test_every_stance_is_covered_in_every_language() -> None:
    covered = {(lang, expected) for lang, _, expected in CASES}
    langs = {"en", "ru", "uk", "ar", "fa"}
    stances = {"asserted", "hedged", "denied", "hypothetical"}
    assert covered == {(lang, s) for lang in langs for s in stances}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Longer cues win over the negation inside them.
        ("troops not yet confirmed in homs", "hedged"),
        ("troops arrived, it is not clear how many", "hedged"),
        ("войска прибыли, сколько — неясно", "hedged"),
        ("نیروها رسیدند، تعداد مشخص نیست", "hedged"),
        ("не исключено, что войска войдут", "hypothetical"),
        ("no more than 300 troops arrived", "asserted"),
        # A denial outranks a hypothetical, which outranks a hedge.
        ("reports say russia denied it will send troops", "denied"),
        ("reports say russia plans to send troops", "hypothetical"),
        # "May" the month is no modal; "may" before a verb is.
        ("in may troops arrived", "asserted"),
        ("troops arrived on 5 may", "asserted"),
        ("troops may arrive", "hypothetical"),
        # Arabic قد is "may" before a present verb only.
        ("قد وصلت القوات", "asserted"),
        ("قد تصل القوات", "hypothetical"),
    ],
)
def test_stance_rules(text: str, expected: str) -> None:
    assert stance(text, 0, len(text)) == expected


def test_future_marked_verb_is_hypothetical() -> None:
    assert stance("x", 0, 1, future=True) == "hypothetical"


def test_cues_report_their_kind_and_place() -> None:
    text = "allegedly troops were never sent"
    assert [(text[c.start : c.end], c.kind) for c in cues(text, 0, len(text))] == [
        ("allegedly", "hedged"),
        ("never", "denied"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A bare negator before the movement verb denies it...
        ("Russian troops were not sent to Syria.", "denied"),
        ("No Russian troops have been sent to Syria.", "denied"),
        ("Российские войска не прибыли в Сирию.", "denied"),
        ("Російські війська не прибули до Сирії.", "denied"),
        ("لم تصل أي قوات روسية إلى حمص.", "denied"),
        # ... after it, it negates something else.
        ("300 Russian troops arrived in Homs, not Hama.", "asserted"),
        (
            "Hundreds of soldiers were deployed to the Kursk region, not far from the border.",
            "asserted",
        ),
        ("Войска прибыли в Хомс, а не в Хаму.", "asserted"),
        ("Російські війська прибули до Хомса, а не до Хами.", "asserted"),
        ("وصلت قوات روسية إلى حمص وليس حماة.", "asserted"),
        # Persian negates the verb itself, after its noun.
        ("نیروهای روسی به سوریه اعزام نشدند.", "denied"),
        # Denials in their own words count wherever they stand.
        ("Troops arrived in Homs, which the ministry denied.", "denied"),
        # Negations that doubt rather than deny, and ones that deny nothing.
        ("Russian troops were deployed to Armenia, which Moscow did not confirm.", "hedged"),
        ("Информация не подтверждена: войска прибыли в Хомс.", "hedged"),
        ("Wagner fighters arrived in Bamako, there is no doubt about it.", "asserted"),
        ("Войска переброшены в Курскую область, сомнений нет.", "asserted"),
        ("Not surprisingly, Russian troops arrived in Homs.", "asserted"),
    ],
)
def test_negation_denies_the_movement_it_comes_before(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A short sentence after the claim's that denies or doubts it in its own words.
        ("Troops reportedly arrived in Homs. The ministry denies it.", "denied"),
        ("Войска переброшены в Курскую область. Минобороны это опровергает.", "denied"),
        ("Войска переброшены в Курскую область. Это фейк.", "denied"),
        ("Війська перекинуті до Курська. Генштаб це спростовує.", "denied"),
        ("وصلت قوات روسية إلى حمص. وزارة الدفاع نفت ذلك.", "denied"),
        ("نیروهای روسی به سوریه اعزام شدند. این خبر تکذیب شد.", "denied"),
        ("Russian troops arrived in Homs. Unconfirmed.", "hedged"),
        ("Российские военные прибыли в Хомс. Информация не подтверждена.", "hedged"),
        # A very short doubt before it.
        ("Unverified. Russian troops spotted in Bamako.", "hedged"),
        # A doubt does not soften a denial or a hypothetical.
        ("Russian troops were never sent to Syria. Unconfirmed.", "denied"),
        ("Will Russia send troops to Mali? Unconfirmed.", "hypothetical"),
        # Not a neighbour's word about the claim: too long, about something else, or a bare
        # negation.
        (
            "Russian troops arrived in Homs. The ministry has for many weeks now denied "
            "every single report about the airport strike.",
            "asserted",
        ),
        ("Russian troops arrived in Homs. Separately, the ministry denied the strike.", "asserted"),
        ("Russian troops arrived in Homs. No casualties.", "asserted"),
    ],
)
def test_a_short_sentence_beside_the_claim_denies_or_doubts_it(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


def test_each_claim_keeps_its_own_stance_beside_another_claim() -> None:
    text = "Russian troops arrived in Homs. Iranian fighters were not sent to Aleppo. Fake."
    assert [c["stance"] for c in extract_claims(text)] == ["asserted", "denied"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A negator that picks one place over another, before the verb, denies nothing...
        ("Не Купянск, а Сватово — именно туда перебросили резервы танковой армии.", "asserted"),
        ("Not Hama but Homs: Russian troops arrived there overnight.", "asserted"),
        # ... unlike one that negates the verb before the contrast.
        ("Российские войска не прибыли в Сирию, а остались в Ливии.", "denied"),
        # "As was written earlier" corrects a report rather than hedging the claim.
        ("Российские военные прибыли в Хомс, а не в Хаму, как писали ранее.", "asserted"),
    ],
)
def test_contrasts_and_corrections(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


def test_a_denial_beside_a_claim_about_troops_elsewhere_denies_that_other_move() -> None:
    # The second sentence tells of the same marines by a pronoun: a claim of its own, denied.
    text = (
        "Морпехи Северного флота высадились в Крыму. Информация об их переброске под Курск — вброс."
    )
    assert [(c["location"], c["stance"], c["actor"]) for c in extract_claims(text)] == [
        ("Crimea", "asserted", "Морпехи"),
        ("Kursk", "denied", "Морпехи"),
    ]
    # A place that only says who denies does not stop the denial.
    text = "Belarusian soldiers reportedly crossed into Ukraine overnight? Minsk calls it fake."
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == [("Ukraine", "denied")]


def test_a_thread_adds_to_the_source_of_the_post_before() -> None:
    text = (
        "1/ According to local partisans, a Russian battalion was moved to Melitopol last week.\n"
        "2/ In addition, ~400 Rosgvardia troops arrived in Kherson on Sunday."
    )
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == [
        ("Melitopol", "hedged"),
        ("Kherson", "hedged"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first part that names the source and tells no movement: the later parts' source
        (
            "1/ Per sources inside the SDF, a lot of movement near the border. 2/ Roughly 300 "
            "Kataib Hezbollah fighters were bussed to Al-Mayadin on Tuesday night.",
            ["hedged"],
        ),
        (
            "1/ За інформацією партизанів «Атеш», у Криму пожвавлення. 2/ Вночі до Джанкоя "
            "прибув ешелон, близько 400 військових.",
            ["hedged"],
        ),
        (
            "١/ وفقاً لمصادر عسكرية يمنية، هناك تحركات كبيرة. ٢/ وصلت كتيبة من ألوية العمالقة "
            "إلى المخا فجر اليوم.",
            ["hedged"],
        ),
        # a first part with no source hedges nothing
        ("1/ Big day on the coast. 2/ 300 troops arrived in Latakia.", ["asserted"]),
    ],
)
def test_a_threads_first_part_gives_its_source_to_the_rest(text: str, expected: list[str]) -> None:
    assert [c["stance"] for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the doubt after "а", "and" is the second movement's, not the first's
        (
            "Бойцы 810-й бригады вошли в Плёхово, а 155-я, по неподтверждённым данным, "
            "переброшена под Курахово.",
            ["asserted", "hedged"],
        ),
        (
            "The 47th Brigade has arrived in Pokrovsk, and, according to soldiers' channels, "
            "one of its battalions was sent on to Myrnohrad.",
            ["asserted", "hedged"],
        ),
        (
            "Наша бригада вже під Покровськом, а сусідів, кажуть, кинули на Торецьк.",
            ["asserted", "hedged"],
        ),
    ],
)
def test_a_cue_after_and_is_the_next_clauses(text: str, expected: list[str]) -> None:
    assert [c["stance"] for c in extract_claims(text)] == expected


def test_direct_speech_ending_in_its_source_is_hedged() -> None:
    text = "В окупований Донецьк прибули близько 300 росгвардійців, — рух «Жовта стрічка»."
    assert [c["stance"] for c in extract_claims(text)] == ["hedged"]
    # A dash without the comma is no attribution.
    text = "Российские войска прибыли в Хомс — это видно на спутниковых снимках."
    assert [c["stance"] for c in extract_claims(text)] == ["asserted"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # who says so: an opposition that claims it, officials an agency quotes, a brother
        ("Як стверджує сирійська опозиція, іранські радники прибули до Абу-Кемаля.", "hedged"),
        ("نقلت رويترز عن مسؤولين أن مستشارين عسكريين وصلوا إلى مصراتة", "hedged"),
        ("Мобики уже в Донецке, брат звонил, говорит, разместили в школе", "hedged"),
        # a border guard service announcing its own deployment
        ("ДПСУ: на Волинь додатково перекинуто підрозділи прикордонників.", "asserted"),
        # "zero sign of", "premature"
        ("I'm here right now, zero sign of any Iranian troops moving into Homs.", "denied"),
        ("من المبكر الحديث عن نشر قوات عربية في الضفة الغربية", "hypothetical"),
    ],
)
def test_more_cues_of_stance(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plan with a date: "is due to"
        ("Germany's 45th Panzer Brigade is due to be fully stationed in Lithuania by 2027.",
         "hypothetical"),
        # a denial in the instrumental: "назвали ложью"
        ("В Баку назвали ложью сообщения о том, что турецкие военные переброшены в Нахичевань.",
         "denied"),
        # an agency that "mentioned" it: ذكرت
        ("ذكرت رويترز أن نحو 200 مستشار عسكري إيراني وصلوا إلى صنعاء", "hedged"),
        # a question in the future: "пошлёт ли"
        ("Пошлёт ли Минск войска в Украину?", "hypothetical"),
    ],
)  # fmt: skip
def test_cues_of_the_eleventh_development_set(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # accounts that say so, a relative who says so
        ("Several accounts are saying Iranian troops have arrived in Homs.", ["hedged"]),
        ("My cousin says Russian troops have been flowing back into Hmeimim.", ["hedged"]),
        # "are wrong" denies
        ("Confirmed: about 600 Turkish commandos have arrived in Tripoli. The reports that a "
         "second group went to Misrata are wrong, Ankara says.", ["asserted", "denied"]),
        # a short denial after the claim, said in the capital of the claim's country
        ("Ряд каналов пишет о прибытии 3 тысяч турецких военных в Азербайджан. В Баку эту "
         "информацию не подтвердили и назвали провокацией.", ["denied"]),
    ],
)  # fmt: skip
def test_sources_and_denials_of_the_round(text: str, expected: list[str]) -> None:
    assert [c["stance"] for c in extract_claims(text)] == expected


def test_the_place_a_denial_is_said_in_is_not_the_goal() -> None:
    text = "Слухи о том, что в Абхазию ввели российских десантников, — неправда, заявили в Сухуме."
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == [("denied", "Abkhazia")]


def test_a_negator_before_a_colon_before_the_verb_negates_something_else() -> None:
    text = "Наші теж не сиділи: 3-тя штурмова вже зайшла на позиції біля Лимана."
    assert [c["stance"] for c in extract_claims(text)] == ["asserted"]
