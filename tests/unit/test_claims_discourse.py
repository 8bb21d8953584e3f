"""Claims that take more than one clause or sentence to read: the same troops' later stops, a
pronoun that carries the troops into the next sentence, a correction that takes a claim back,
"here" in a geotagged post, and civilians' names for troops in quotation marks."""

from __future__ import annotations

import pytest
from services.classifier.claims import extract_claims

pytestmark = pytest.mark.unit


def located(text: str, geo_place: str | None = None) -> list[tuple[str | None, str]]:
    return [(c["location"], c["stance"]) for c in extract_claims(text, geo_place=geo_place)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Marines were seen in Tartus in the morning and in Latakia in the evening.",
            [("Tartus", "asserted"), ("Latakia", "asserted")],
        ),
        (
            "Вчера десантников видели в Херсоне, сегодня — в Николаеве.",
            [("Kherson", "asserted"), ("Mykolaiv", "asserted")],
        ),
        (
            "Уранці морпіхів бачили в Одесі, ввечері — в Ізмаїлі.",
            [("Odesa", "asserted"), ("Izmayil", "asserted")],
        ),
        (
            "شوهدت قوات روسية في حمص صباحاً، ثم في حماة مساءً.",
            [("Homs", "asserted"), ("Hama", "asserted")],
        ),
        (
            "نیروهای روس صبح در حلب و عصر در ادلب دیده شدند.",
            [("Aleppo", "asserted"), ("Idlib", "asserted")],
        ),
    ],
)
def test_the_same_troops_later_stop_is_a_claim_of_its_own(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert located(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A negated place is where they did not go; two places with no time between are one move.
        "Russian troops arrived in Homs, not Hama, this morning.",
        "Российские военные прибыли в Тобрук, а не в Бенгази.",
        "Troops were flown from Moscow to Damascus today.",
        "Iranian fighters arrived in Homs and Hama.",
    ],
)
def test_a_second_place_without_a_time_between_is_no_second_stop(text: str) -> None:
    assert len(extract_claims(text)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Marines landed in Cyprus on Monday. Reports that they were also sent to Beirut are fake.",
            [("Cyprus", "asserted", "Marines"), ("Beirut", "denied", "Marines")],
        ),
        (
            "1/ По данным разведки, в Ливию переброшено около 2 тысяч наемников.\n"
            "2/ Кроме того, часть из них уже замечена в Бенгази.",
            [("Libya", "hedged", "наемников"), ("Benghazi", "hedged", "наемников")],
        ),
        (
            "Польські військові прибули в Литву. А от чутки про їхню появу в Ковелі — фейк.",
            [
                ("Lithuania", "asserted", "Польські військові"),
                ("Kovel", "denied", "Польські військові"),
            ],
        ),
        (
            "وصلت قوات روسية إلى القامشلي. ومن المقرر نقل جزء منها إلى الرقة.",
            [("Qamishli", "asserted", "قوات روسية"), ("Raqqa", "hypothetical", "قوات روسية")],
        ),
    ],
)
def test_a_pronoun_carries_the_troops_into_the_next_sentence(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    got = [(c["location"], c["stance"], c["actor"]) for c in extract_claims(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        # A pronoun sentence that names no new place adds nothing; one about aid to them neither.
        "Russian troops arrived in Homs. They were seen near the citadel.",
        "Russian troops arrived in Homs. Aid was later sent to them in Hama.",
        # Leaving is no claim.
        "Russian troops arrived in Homs. Some of them left for Hama later.",
    ],
)
def test_a_pronoun_sentence_without_a_new_destination_adds_no_claim(text: str) -> None:
    assert len(extract_claims(text)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "CORRECTION: earlier we said the marines went to Cyprus. They actually landed in "
            "Beirut. Apologies.",
            [("Beirut", "asserted")],
        ),
        (
            "Поправка: ранее мы писали, что бригаду отправили в Херсон. Это не так — её "
            "перебросили в Запорожье.",
            [("Zaporizhzhia", "asserted")],
        ),
        (
            "Виправлення: раніше ми писали, що батальйон перекинули до Херсона. Насправді — до "
            "Миколаєва.",
            [("Mykolaiv", "asserted")],
        ),
        (
            "تصحيح: ذكرنا سابقاً أن التعزيزات توجهت إلى الرقة، والصحيح أنها وصلت إلى الحسكة.",
            [("Al Ḩasakah", "asserted")],
        ),
        (
            "اصلاحیه: پیش\u200cتر نوشتیم نیروها به حمص اعزام شده\u200cاند، اما در واقع به حلب "
            "منتقل شده\u200cاند.",
            [("Aleppo", "asserted")],
        ),
    ],
)
def test_a_correction_takes_the_first_claim_back(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert located(text) == expected


@pytest.mark.parametrize(
    ("text", "geo"),
    [
        ("Paratroopers all over the city this morning, about 40 of them at the station.", "Pskov"),
        ("У нас в городе полно военных, вся набережная в пикселе.", "Новороссийск"),
        ("Зранку в місті купа військових з нашивками морпіхів.", "Одеса"),
        ("شوارع المدينة مليئة بالجنود منذ الصباح.", "حمص"),
        ("از صبح خیابان\u200cهای شهر پر از نظامیان است.", "زاهدان"),
    ],
)
def test_in_the_city_is_the_geotag_place(text: str, geo: str) -> None:
    claims = extract_claims(text, geo_place=geo)
    assert [(c["location"], c["stance"]) for c in claims] == [(geo, "asserted")]
    # Without a geotag "the city" is nowhere: no claim.
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Nothing odd here, just 'volunteers' with brand-new kit pouring into Donetsk by the busload.",
        "Ну да, «отпускники» с БТРами нарисовались в Донецке, конечно.",
        "Ага, «будівельники» в однаковій формі з'явилися в Маріуполі.",
        'طبعاً "سياح" روس بزي عسكري يتجولون في بنغازي.',
        "البته «گردشگران» روس با لباس نظامی در بنغازی دیده می\u200cشوند.",
        "Вежливые люди снова появились в Симферополе.",
    ],
)
def test_a_civilian_name_for_troops_in_quotation_marks_is_an_actor(text: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == ["asserted"]


@pytest.mark.parametrize(
    "text",
    [
        "Volunteers arrived in Donetsk with food and medicine.",
        "Туристы прибыли в Бенгази первым рейсом.",
        "Будівельники з'явилися в Маріуполі, відновлюють школу.",
        "وصل سياح روس إلى بنغازي.",
        "گردشگران روس در بنغازی دیده می\u200cشوند.",
    ],
)
def test_the_same_words_unquoted_are_civilians(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Posters of Soleimani everywhere in Baghdad again, and his portrait on every billboard.",
        "Портреты Сулеймани снова появились на улицах Багдада.",
        "لافتات سليماني انتشرت في بغداد من جديد.",
    ],
)
def test_a_commanders_image_is_not_the_commander(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Oh yes, 50,000 Polish soldiers secretly marched into Lviv last night 🙄",
        "Ага, конечно, французский легион уже высадился в Одессе 😂",
        "Ну звісно, 100 тисяч натівців уже в Одесі, а я балерина 🩰",
        "طبعاً طبعاً، عشرة آلاف جندي أمريكي نزلوا مبارح في طرطوس 😂",
    ],
)
def test_a_mocked_claim_is_denied(text: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == ["denied"]


@pytest.mark.parametrize(
    "text",
    [
        "Пишуть, що ЗСУ зайшли в Бєлгород. Ні, не зайшли.",
        "Troops reportedly landed in Cyprus. Nope, they did not.",
        "Viral clip: Russian troops arrived in Gomel, the video is from the 2021 drills. #fake",
        "Пишут, что ВСУ зашли в Брянск. Видео старое, учения 2021 года, проверено. #фейк",
    ],
)
def test_a_no_or_a_fake_hashtag_denies(text: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == ["denied"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Росгвардия сообщает: батальон направлен в Донецк.", "asserted"),
        ("Бундесвер повідомив: до Литви прибули перші 200 військових.", "asserted"),
        ("Румунські військові прибули до Констанци, — Міноборони Румунії.", "asserted"),
        # The other side's troops, or another country's source: still someone else's claim.
        ("Генштаб сообщает: противник перебросил в Купянск резервы.", "hedged"),
        ("Росія перекинула дивізію до Курська, — Генштаб ЗСУ.", "hedged"),
        ("Местные каналы сообщают, что батальон направлен в Донецк.", "hedged"),
        # Troops named by their unit alone, after the official: its own
        (
            "Военнослужащие 103-й бригады переброшены на полигон под Брестом, сообщает "
            "Минобороны Беларуси.",
            "asserted",
        ),
        ("Інженерні підрозділи перекинуто до Оріхова, повідомили в командуванні.", "asserted"),
        ("Переброска батальона в Херсонскую область, сообщили в штабе группировки.", "asserted"),
        # but not a country's troops the official speaks of, nor another nation's
        ("Росія перекинула 76-ту дивізію на Курщину, — Генштаб ЗСУ.", "hedged"),
        ("Російські військові прибули до Констанци, — Міноборони Румунії.", "hedged"),
        # someone who calls them his own; activists and "hearing that" tell of others'
        ("Кадыров заявил, что его бойцы уже в Курске.", "asserted"),
        ("Сирийские активисты заявили о прибытии иранских советников в Дейр-эз-Зор.", "hedged"),
        ("Hearing that Azerbaijani special forces were moved up to Lachin overnight.", "hedged"),
    ],
)
def test_an_army_telling_of_its_own_troops_asserts(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # Places the gazetteer lacks, named after a word of place, in their base form.
        ("CORRECTION: Russian troops actually entered Verbove this morning.", "Verbove"),
        ("Подразделения 20-й армии вошли в Синьковку.", "Синьковка"),
        ("Російські війська зайшли в Світле.", "Світле"),
        # ... by the case the word before asks for and the ending: a genitive, a locative,
        # an instrumental
        ("Бійці «Хезболли» прибули до Ель-Кусайра.", "Ель-Кусайр"),
        ("Отряды «Хашд аш-Шааби» выдвинулись в районе Аль-Каима.", "Аль-Каим"),
        ("Кілька десятків іранських радників прибули до Хан-Шейхуна.", "Хан-Шейхун"),
        ("Ізраїльські ЗМІ повідомляють про перекидання спецназу до Метули.", "Метула"),
        ("Противник перекинув до Соледару бригаду морпіхів.", "Соледар"),
        ("Росіяни перекинули резерви до Оріхова.", "Оріхів"),
        ("Наші вже в Вербках, морпіхи закріпились.", "Вербки"),
        ("Геолокація: колону 25-ї армії рф зафіксовано в Сватовому.", "Сватове"),
        ("Утром в Ехегнадзоре видели колонну российских военных.", "Ехегнадзор"),
        ("Колонну российских военных видели в Хорлах.", "Хорли"),
        ("Российские военные замечены в Зуевке.", "Зуевка"),
        ("Десант высадился под Ивангородом.", "Ивангород"),
        ("Российские войска вошли в Светлое.", "Светлое"),
        # Persian, its verb last: the word between به and a verb of sending, after وارد, or
        # after سمت
        ("ارتش اعلام کرد یگان‌هایی از تیپ ۶۵ به ماکو اعزام شدند.", "ماکو"),
        ("به گفته منابع محلی، ده‌ها نیروی کتائب حزب‌الله وارد تلعفر شدند.", "تلعفر"),
        ("الان دیدم یه ستون نظامی داره میره سمت سرخس", "سرخس"),
        # A base named before the place it lies in is the place
        ("Photos purporting to show IRGC officers at the Mezzeh air base in Damascus.", "Mezzeh"),
        ("Our advisory team has arrived at Tamanhint air base in southern Libya.", "Tamanhint"),
        ("Источники: российские военные замечены на авиабазе Кувейрис под Алеппо.", "Кувейрис"),
        ("На авиабазу Аль-Джуфра в Ливии переброшены ещё 300 военнослужащих.", "Аль-Джуфра"),
        ("Troops arrived at Hmeimim air base in Latakia.", "Hmeimim"),
        # A place said without a word of place gives way to a goal the gazetteer lacks
        ("Направит ли Москва в Тавуш дополнительный контингент?", "Тавуш"),
        ("If Kidal falls, expect Algeria to send troops up to Tinzaouaten.", "Tinzaouaten"),
        ("If Azerbaijan pushes troops into Syunik, what does Yerevan do?", "Syunik"),
        ("Лондон розгляне відправку військ до Чаплинки.", "Чаплинка"),
        # after a noun of place, two words of a compound name, after a verb of deployment
        ("نیروهای ارتش پاکستان در مرز تفتان مستقر شدند", "تفتان"),
        ("گردانی از تیپ ۲۳ نوهد به منطقه مرزی بیله‌سوار اعزام شد.", "بیله‌سوار"),
        ("نیروهای اسرائیلی وارد بیت جن شدند", "بیت جن"),
        ("الإعلام الروسي: الشرطة العسكرية الروسية انتشرت في تل تمر.", "تل تمر"),
        ("الجيش الأردني ينفي الأنباء عن انتشار قوات أمريكية في الأزرق", "الأزرق"),
        # not a common word there, and the place a common word governs is the place
        ("انتشرت قوات الدعم السريع في أحياء الفاشر", "El Fasher"),
        # a place said with no word of place (a demonym) gives way to the goal
        ("وصول دفعة جديدة من القوات السعودية إلى المهرة لتأمين المنافذ.", "المهرة"),
        # and a goal named so outranks where the sources are
        ("به گفته منابع محلی در هرات، صدها نیروی طالبان به ماهیرود اعزام شده‌اند.", "ماهیرود"),
        ("قالت مصادر في حلب إن قوات روسية وصلت إلى الطبقة", "Al-Tabqa"),
        ("Російські війська зайшли в Кремінну.", "Kreminna"),
        ("Spotted: US Marines coming ashore at Souda Bay.", "Souda Bay"),
        ("Saudi troops are now dug in at Al-Khubah.", "Al-Khubah"),
        # The country that moves them or speaks is not where they go.
        ("Russia has moved 5,000 airborne troops to the Orikhiv area.", "Orikhiv"),
        ("Japan's MoD plans to station 1,200 personnel on Ishigaki.", "Ishigaki"),
        ("Части 76-й дивизии переброшены из-под Херсона под Кременную.", "Кременная"),
        ("Лукашенко: мы за сутки перебросим в Брест батальон.", "Brest"),
    ],
)
def test_places_the_gazetteer_lacks_and_places_that_are_not_the_goal(
    text: str, location: str
) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("نیروهای سپاه به منطقه اعزام شدند.", None),  # "to the area": no place's name
        ("هیچ نیرویی به جکیگور اعزام نشده است.", "جکیگور"),  # denied, still the place
    ],
)
def test_a_persian_goal_is_a_name(text: str, location: str | None) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


@pytest.mark.parametrize(
    "text",
    [
        # A demonym or a possessive is no place; the troops' own place is none either.
        "Footage shows Iranian troops in Russian uniforms.",
        "Псковская дивизия снова в новостях: сменили командира.",
        # Culture, games and the poster's own people are no deployments.
        "Вагнер, «Тангейзер» — прем'єра в Національній опері вже в неділю.",
        "В новой Call of Duty десант высаживается в Верданске, огонь.",
        "Наши ребята видели их лично, подтверждаем.",
        "Korean conscripts came home from the army after exercises.",
    ],
)
def test_no_claim_from_names_that_are_not_goals(text: str) -> None:
    assert [c["location"] for c in extract_claims(text) if c["location"]] == []


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Наши уже в Новопрокоповке, это признаёт даже противник.", "Новопрокоповка"),
        ("Наші вже в Крутих Горбиках, зачищають.", "Крутих Горбиках"),
        ("The Russians were back in Robotyne by noon.", "Robotyne"),
        ("Local channels say the Russians moved roughly 1,500 men into Tokmak.", "Tokmak"),
        ("الإعلام الروسي: الشرطة العسكرية الروسية انتشرت في منبج.", "Manbij"),
        ("Військова поліція РФ з'явилася в Мелітополі.", "Melitopol"),
    ],
)
def test_ours_counted_men_demonyms_and_military_police_are_actors(text: str, location: str) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wagner guys resurfaced in Ouagadougou, if the geolocation holds up.", "hedged"),
        ("Если подтвердится, российские военные уже прибыли в Гомель.", "hedged"),
        ("Следующая группа отправится в Ливию в начале марта.", "hypothetical"),
        ("Наступну групу відправлять до Миколаєва вже в жовтні.", "hypothetical"),
        ("وزير الدفاع: لن نتردد في إرسال قواتنا إلى العقبة إذا لزم الأمر.", "hypothetical"),
        ("الحديث عن إرسال قوات عربية إلى غزة سابق لأوانه.", "hypothetical"),
        ("ادعای حضور نیروهای ایرانی در ونزوئلا کاملاً بی\u200cاساس است.", "denied"),
    ],
)
def test_more_stance_cues(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("دخل رتل للقوات التركية إلى بلدة الأتارب قادماً من باب الهوى.", "الأتارب"),
        ("مصادر محلية: الأمريكان أدخلوا نحو 200 جندي إلى قاعدة قسرك.", "قسرك"),
        ("وصلت قوات أمريكية إلى قاعدة فكتوريا صباح اليوم.", "فكتوريا"),
        ("تکاوران نیروی دریایی در جزیره لارک پیاده شدند.", "لارک"),
        ("آمریکایی\u200cها حدود ۳۰۰ نیرو به پایگاه قسرک آورده\u200cاند.", "قسرک"),
        # After "city", an adjective as often as a name: no place from it.
        ("وصلت قوات روسية إلى مدينة كبيرة في الشمال.", None),
    ],
)
def test_arabic_script_places_the_gazetteer_lacks_after_a_noun_of_place(
    text: str, location: str | None
) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("وصلت قوات أمريكية إلى حلب صباح اليوم، وليس إلى قاعدة حرير كما أشيع.", "Aleppo"),
        ("وصلت قوات أمريكية إلى قاعدة ما صباح اليوم، وليس إلى قاعدة حرير كما أشيع.", None),
        ("Не Купянск, а Сватово — именно туда перебросили резервы.", "Svatove"),
        # A negated verb denies the move to the place; the place is still where.
        ("Российские войска никогда не входили в Ливию.", "Libya"),
    ],
)
def test_a_place_denied_by_not_is_not_the_destination(text: str, location: str | None) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A source named before a colon: an outlet, a monitor, activists, a capitalised name.
        ("Niger state TV: Russian military instructors arrived in Niamey this week.", "hedged"),
        ("LRT: до Вільнюса прибули перші 150 військових німецької бригади.", "hedged"),
        ("المرصد السوري: نحو 300 مقاتل من الفصائل انتقلوا إلى منبج.", "hedged"),
        ("Генштаб: ворог перекинув у Вовчанськ батальйон.", "hedged"),
        # Not a source: a header, an idiom, a dateline, an army telling of its own troops.
        ("BREAKING: Russian troops arrived in Tartus.", "asserted"),
        ("⚡️Срочно: подразделения морской пехоты переброшены в Курскую область.", "asserted"),
        ("Boots on the ground: around 200 US Marines touched down at Erbil.", "asserted"),
        ("Sudan: RSF fighters were seen in Kassala this morning.", "asserted"),
        ("ISPR: a contingent of 1,200 Pakistani troops has landed in Riyadh.", "asserted"),
        ("وزارة الدفاع التركية: إرسال كتيبة كوماندوز إلى ليبيا.", "asserted"),
    ],
)
def test_a_source_before_a_colon_hedges(text: str, expected: str) -> None:
    assert [c["stance"] for c in extract_claims(text)] == [expected]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Sudan: RSF fighters have been seen in En Nahud again.", "En Nahud"),
        ("نیروهای ارتش پاکستان به عربستان اعزام شدند", "Saudi Arabia"),
        ("دو هزار تفنگدار دریایی آمریکا وارد خلیج فارس شدند.", "Persian Gulf"),
        ("Корабли с морпехами вошли в Черное море.", "Black Sea"),
    ],
)
def test_datelines_owners_and_seas(text: str, location: str | None) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


def test_a_denial_of_another_place_the_gazetteer_lacks_does_not_deny_the_claim() -> None:
    text = "Росіяни завели в Олешки свіжі сили. А чутки про десант у Голій Пристані — вигадка."
    assert [c["stance"] for c in extract_claims(text)] == ["asserted"]


def test_a_negation_after_in_the_city_does_not_deny_it() -> None:
    text = "У місті повно військових з шевронами, яких тут раніше не бачили."
    claims = extract_claims(text, geo_place="Суми")
    assert [(c["location"], c["stance"]) for c in claims] == [("Суми", "asserted")]


def test_a_name_after_a_word_for_its_district_is_the_place() -> None:
    text = "Лукашенко: в случае угрозы Беларусь разместит дополнительные силы в районе Лиды."
    assert [c["location"] for c in extract_claims(text)] == ["Lida"]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # a town the data file lists in the nominative alone, in another case
        ("Вчера в Сирте высадились российские военные, человек сто.", "Sirte"),
        ("Німеччина планує розмістити в Литві бригаду.", "Lithuania"),
        ("Колонну российских военных видели в Ейске.", "Yeysk"),
        ("Кілька десятків іранських радників прибули до Абу-Кемаля.", "Al-Bukamal"),
        # a town's name in the genitive after "до" is the place, not the actor's
        ("Противник підтягнув до Роботиного резерви.", "Robotyne"),
    ],
)
def test_a_known_town_in_a_case_the_gazetteer_does_not_list(text: str, location: str) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


def test_not_sure_if_hedges() -> None:
    text = "Not sure if this was posted already, but more soldiers moved to Kinmen since Monday"
    assert [c["stance"] for c in extract_claims(text)] == ["hedged"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian border guards are once again posted near Margara.", [("Margara", "asserted")]),
        (
            "Elements of the 76th division have been shifted to Kupiansk.",
            [("Kupiansk", "asserted")],
        ),
        ("مصادر قبلية: الحوثيون يدفعون بألف مقاتل نحو مأرب", [("Ma'rib", "hedged")]),
        ("إذا دخلت القوات التركية منبج فستندلع حرب.", [("Manbij", "hypothetical")]),
        ("نیروهای ارتش پاکستان به مرز چمن اعزام شدند", [("چمن", "asserted")]),
        (
            "حدود ۵۰۰ نیروی ترکیه به عفرین رسیده\u200cاند و قرار است گروهی دیگر به منبج اعزام شوند",
            [("‘Afrīn", "asserted"), ("Manbij", "hypothetical")],
        ),
        ("Our platoon rotated to Bakhmut in March; I remember it well.", []),
        ("Pskov airborne division lost a commander, obituary posted on VK.", []),
    ],
)
def test_words_owners_and_clauses_of_the_sixth_development_round(
    text: str, expected: list[tuple[str | None, str]]
) -> None:
    assert located(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "no sign of" troops somewhere denies their presence there
        (
            "Checked the imagery. No sign of Eritrean troops in Irob — the tents are an IDP camp.",
            [("denied", "Irob")],
        ),
        # the spoken Arabic "there isn't a single ...", a preposition on the place's article
        ("والله كذب، ما في ولا جندي روسي بالقامشلي، أنا ساكن هون", [("denied", "Qamishli")]),
    ],
)
def test_no_sign_of_troops_denies_their_presence(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


def test_an_official_tells_of_its_own_before_the_enemys_next_sentence() -> None:
    # "выведена на позиции" brings troops to positions; the enemy named in the next sentence
    # is that sentence's, and the ministry's own troops stay asserted.
    text = (
        "Минобороны: 810-я бригада морской пехоты выведена на позиции у Крынок. По данным "
        "разведки, противник перебросил в Херсон батальон теробороны."
    )
    assert [c["stance"] for c in extract_claims(text)] == ["asserted", "hedged"]
    assert [c["stance"] for c in extract_claims("Бригада выведена из Херсона.")] == []


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # a claim that names no place takes the place of the sentence right before it
        (
            "I live just outside Rzeszów and the town has changed a lot. Anyway, yesterday about "
            "300 American paratroopers turned up at the airport.",
            "Rzeszów",
        ),
        (
            "۱/ هواپیمای ایلیوشین روسیه امروز در فرودگاه باماکو فرود آمد. ۲/ حدود ۱۰۰ نیروی "
            "«سپاه آفریقا» از آن پیاده شدند.",
            "Bamako",
        ),
    ],
)
def test_a_claim_without_a_place_takes_the_sentence_befores(text: str, location: str) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


def test_a_sentence_with_a_claim_of_its_own_lends_no_place() -> None:
    text = "Russian troops arrived in Homs. Later, more soldiers were seen arriving."
    assert [c["location"] for c in extract_claims(text)] == ["Homs", None]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # Peshmerga, and "перевели" (transferred) for a movement
        ("Reports that several hundred Peshmerga are being redeployed to Sinjar.", "Sinjār"),
        ("Пишут, что спецназ «Ахмат» перевели в Запорожскую область.", "Zaporizhzhia Oblast"),
        # a base or a village of the gazetteer in a case form, after "в район"
        ("Підрозділи морської піхоти переправилися в район Кринок.", "Krynky"),
    ],
)
def test_actors_and_movements_of_the_eleventh_development_set(text: str, location: str) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


@pytest.mark.parametrize(
    "text",
    [
        "Liverpool's travelling army has landed in Madrid 🔴 20,000 of us taking over Plaza Mayor",
        "توی کلش آف کلنز همه سربازهام رو فرستادم و باز باختم 😂",
    ],
)
def test_fans_and_games_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # photos said to show troops somewhere: a presence, hedged by the saying
        ("صور يُزعم أنها لجنود أتراك في قاعدة الوطية غرب طرابلس", [("hedged", "Al-Watiya")]),
        ("Фото, якобы сделанное в Банги: бойцы «Африканского корпуса» у дворца.",
         [("hedged", "Bangui")]),
        # troops loyal to a country do not go to it
        ("المرصد السوري: وصول عشرات العناصر من الفصائل الموالية لتركيا إلى ريف عين عيسى",
         [("hedged", "Ain Issa")]),
        # a headline of a word or two that calls it fake denies the claim after it
        ("فبركة جديدة.. الفيديو اللي عم يقولوا إنه لعناصر حزب الله داخلين القصير",
         [("denied", "Qusayr")]),
    ],
)  # fmt: skip
def test_photos_allegiance_and_denying_headlines(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ships and aircraft that bring troops: anchoring, landing, unloading, returning
        ("USS Wasp dropped anchor off Larnaca this afternoon with roughly 2,200 Marines of the "
         "24th MEU embarked.", [("asserted", "Larnaca")]),
        ("Два Ил-76 ночью сели в Бамако. Около 120 бойцов «Африканского корпуса» выгружались "
         "прямо на перроне.", [("asserted", "Bamako")]),
        ("Учора в Уагадугу приземлилися два російські Іл-76 з бійцями «Африканського корпусу».",
         [("asserted", "Ouagadougou")]),
        ("رست سفينة الإنزال الإيطالية في ميناء طرابلس وعلى متنها نحو 300 من مشاة البحرية.",
         [("asserted", "Tripoli")]),
        ("امروز حدود ۱۲۰ نظامی اسپانیایی یونیفیل وارد مرجعیون شدند.", [("asserted", "Marjayoun")]),
        # "as for ... it is untrue": a clause of its own, with its own denial
        ("وصلت تعزيزات من الجيش السوري إلى حماة مساء أمس، أما ما يُتداول عن دخولها إلى حمص فهو "
         "غير صحيح.", [("asserted", "Hama"), ("denied", "Homs")]),
        # the border service records no sign of it: a denial
        ("ДПСУ: ознак перекидання білоруських підрозділів до Мозиря наразі не фіксуємо.",
         [("denied", "Mazyr")]),
        # intelligence, and "if you believe" the tabloids, hedge
        ("Ukrainian intel: units of Russia's 76th Air Assault Division were transferred towards "
         "Huliaipole last week.", [("hedged", "Huliaipole")]),
    ],
)  # fmt: skip
def test_ships_aircraft_and_stances_of_the_thirteenth_development_set(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kosovo Police special units moved onto the Ibar bridge in Mitrovica again this morning.",
        "В Кисловодск прибыла съёмочная группа — снимают сериал про спецназ.",
        "نزلت بفرقة المارينز كاملة في الخريطة الجديدة في كول أوف ديوتي وانقتلنا بعد دقيقة 😂",
        "سربازان اوسمار وارد تبریز شدند؛ پرسپولیس فردا با تراکتور بازی دارد ⚽",
    ],
)
def test_police_film_crews_games_and_football_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a word of place at a sentence's head
        ("1/ В Тоцкое с понедельника прибыли три эшелона с личным составом 2-й армии.",
         [("asserted", "Тоцкое")]),
        # "al-" written with a hyphen where the gazetteer has a space, and the reverse
        ("Around 150 Fatemiyoun fighters were bussed from Palmyra to al-Mayadin overnight.",
         [("asserted", "Al Mayādīn")]),
        # colloquial Levantine entering, and "on" written on the article (عالقصير)
        ("شباب والله من الصبح عم تفوت أرتال للجيش عالقصير، شي عشرين سيارة والعناصر كتار",
         [("asserted", "Qusayr")]),
        # colloquial Persian and Dari arriving, coming, bringing, returning
        ("امروز عسکرهای طالبان به پنجشیر آمدند، موترهای زیادی بود", [("asserted", "Panjshir Province")]),
        ("از صبح دارن نیرو میارن تو زاهدان، کل خیابون دانشگاه پر ماشین نظامیه",
         [("asserted", "Zahedan")]),
        # a count in the accusative after a number (150 عسكرياً)
        ("اللاذقية – 5 آذار: هبطت في مطار حميميم طائرتا نقل روسيتان على متنهما نحو 150 عسكرياً.",
         [("asserted", "Hmeimim")]),
        # inside (داخل) a town, and "on the ground in"
        ("عاجل | قوات من درع السودان داخل ود مدني، وفق مصادر محلية", [("hedged", "Wad Medani")]),
        ("Marines from 2/6 are reportedly on the ground in Djibouti.", [("hedged", "Djibouti")]),
    ],
)  # fmt: skip
def test_heads_spellings_and_colloquial_words_of_the_twelfth_development_set(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "كتيبة الأهلي تصل إلى الرياض استعداداً لمواجهة الهلال يوم الجمعة 🔥",
        "لشکر سرخ‌ها وارد دوحه شد 🔴 پرسپولیس پنجشنبه با الدحیل بازی داره",
        "لشکر مهمونا برای عید رسیدن، من فرار کردم 😅",
    ],
)
def test_a_clubs_battalion_and_an_army_of_guests_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Persian movement, then "و" and a source's word of the next one: two clauses
        ("یک تیپ از ارتش روسیه به کورسک رسید و به گفته فرمانده، یگان بعدی به بلگورود خواهد رفت",
         [("asserted", "Kursk"), ("hypothetical", "Belgorod")]),
        # where the sources are is not where the troops went
        ("Источники в Ливии: несколько десятков бойцов переброшены в Сирт.",
         [("hedged", "Sirte")]),
    ],
)  # fmt: skip
def test_clauses_after_and_and_the_place_of_sources(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an emoji before a capital ends a sentence ...
        ("Наши сапёры из 200-й бригады заходят в Суджу 🇷🇺 А местные говорят, что ВСУ "
         "подтягивают резервы к Юнаковке, видели колонну.",
         [("asserted", "Sudzha"), ("hedged", "Yunakivka")]),
        ("Сотні кадирівців завезли автобусами в Глушково 🚌 Ротація чи підсилення — поки "
         "незрозуміло.", [("asserted", "Glushkovo")]),
        # ... not before a lower-case word or a hashtag, nor in a sentence a veto rules out
        ("Наші вже в Кринках 🇺🇦 морпіхи закріпились на лівому березі!", [("asserted", "Krynky")]),
        ("#عاجل | قوات أمريكية خاصة تصل الليلة 🇺🇸 #أربيل", [("asserted", "Erbil")]),
        ("Arsenal's troops have landed in Madrid 🔴⚪ Champions League night tomorrow, COYG!!", []),
    ],
)  # fmt: skip
def test_an_emoji_before_a_capital_ends_a_sentence(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the poster's correspondent who saw them, against the report before
        ("За словами «Гаюна», колона російських військових заїхала в Брест. А в Пінську їх "
         "учора бачив наш кореспондент, фото додаємо.", [("hedged", "Brest"), ("asserted", "Pinsk")]),
        # ... but what a correspondent says is reported
        ("Our correspondent in Kharkiv says columns of Ukrainian troops are moving to Izium.",
         [("hedged", "Izium")]),
        # "for a possible" evacuation is the evacuation's, not the movement's
        ("MoD confirms 120 Royal Marines have been flown to Cyprus to stand by for a possible "
         "evacuation.", [("asserted", "Cyprus")]),
        # a district named by its adjective; a Ukrainian neuter in -ке; a village after "с."
        ("Ахматовцы заехали в Суджанский район, сам видел их колонну.",
         [("asserted", "Суджанский район")]),
        ("Бачимо з птахів: у Глибоке заходять свіжі штурмовики, групами по 5–7.",
         [("asserted", "Глибоке")]),
        ("Партизани повідомляють, що в с. Новоолексіївка розгорнули підрозділ морської піхоти.",
         [("hedged", "Новоолексіївка")]),
        # leaving one town and entering another: the goal is the second
        ("Column of Russian army trucks filmed leaving Dzhankoi and entering Armiansk.",
         [("asserted", "Armyansk")]),
        # officers, and "his own men"
        ("به گزارش رسانه‌های اوکراینی، ده‌ها افسر روس به بارانوویچی منتقل شده‌اند.",
         [("hedged", "Baranovichi")]),
        ("А если Кадыров реально отправит своих в Ливию?", [("hypothetical", "Libya")]),
    ],
)  # fmt: skip
def test_own_eyes_districts_villages_and_officers(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Бригада врачей из Петербурга прибыла в Рыльск, две недели будут принимать в ЦРБ.",
        "Arteta's troops have touched down in Munich ahead of Wednesday's quarter-final.",
        "Кто вечером в Тарков? Высаживаемся на «Берег», нужно ещё трое в отряд.",
    ],
)
def test_doctors_a_quarter_final_and_tarkov_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clip's quoted title is a claim, whose stance the rest of the post gives
        ("Видео «кадыровцы в Херсоне» снова гуляет по пабликам. Фейк, это ролик из Грозного.",
         [("denied", "Kherson")]),
        ("Відео «польські найманці в Херсоні» — фейк, знято на навчаннях.",
         [("denied", "Kherson")]),
        ("The 'Iranian advisers in Homs' clip everyone is sharing is fake.",
         [("denied", "Homs")]),
        ("ویدیوی «نیروهای روس در بنغازی» جعلی است.", [("denied", "Benghazi")]),
        # a sentence of a past year keeps the claim it denies
        ("IRGC advisers were NOT sent to Aleppo this month, that clip is from 2016.",
         [("denied", "Aleppo")]),
        # a past year as "a 2018 ..." is history too
        ("Photos of Turkish commandos landing in Misrata, from a 2018 drill, resurfaced today.", []),
        # motor riflemen, Wagner's "musicians" in quotation marks, the Janjaweed
        ("Российские мотострелки прибыли в Барановичи.", [("asserted", "Baranovichi")]),
        ("Около сотни «музыкантов» высадились в Бамако.", [("asserted", "Bamako")]),
        ("الجنجويد دخلوا نيالا صباح اليوم", [("asserted", "Nyala")]),
    ],
)  # fmt: skip
def test_clip_titles_denied_history_and_more_actors(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plans under discussion or study are hypothetical
        ("По данным источника, обсуждается отправка в Абхазию ещё одной роты.",
         [("hypothetical", "Abkhazia")]),
        ("القاهرة تدرس إرسال قوات إلى السودان", [("hypothetical", "Sudan")]),
        # a relative's word is hearsay, and where the relative lives is no stop of the troops
        ("قريبي يقول إن مقاتلين نُقلوا إلى سرت الأسبوع الماضي", [("hedged", "Sirte")]),
        ("برادرم که در شیراز است می‌گوید دیروز گردانشان را به بوشهر فرستادند.",
         [("hedged", "Bushehr")]),
        ("Брат говорит, что их часть отправили в Херсон.", [("hedged", "Kherson")]),
        # an agency's name at the head is its report; a canard is a denial
        ("رويترز: روسيا أرسلت مئات الجنود إلى مالي", [("hedged", "Mali")]),
        ("В Кремле назвали «уткой» сообщения о переброске военных в Бамако.",
         [("denied", "Bamako")]),
        # a Persian question with its forces' suffix
        ("آیا ترکیه نیروهایش را به لیبی می‌فرستد؟", [("hypothetical", "Libya")]),
        # a game's map and a novel's chapter are no claims
        ("Dropped my whole squad into Chernarus on DayZ last night, lasted five minutes.", []),
        ("The chapters where the regiment is sent to Sevastopol are the best in the novel.", []),
        ("В романе «Война» десант высаживается в Керчи — сильная сцена.", []),
    ],
)  # fmt: skip
def test_plans_under_study_hearsay_agencies_and_novels(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clip's title takes the post's word on the clip, wherever the post says it
        ("Ролик «Кадыровцы входят в Белгород» гуляет по каналам с утра. Это кадры пятилетней "
         "давности, в Белгород никто не входил.", [("denied", "Belgorod")]),
        ("الفيديو المتداول بعنوان «وصول الجيش التركي إلى منبج» قديم ولا علاقة له بما يجري اليوم.",
         [("denied", "Manbij")]),
        ("A clip captioned 'Marines landing in Aden' went round today; the Pentagon, in a long "
         "briefing on other matters, called it fake.", [("denied", "Aden")]),
        ("فیلم «ورود نیروهای روس به ایروان» فیک است، پخش نکنید.", [("denied", "Yerevan")]),
        # ... and a clip's title nobody judges is the clip's claim, not the poster's
        ("Видео «Вагнер заходит в Бамако» набрало миллион просмотров.", [("hedged", "Bamako")]),
        # quotation marks that are no title, and a title without its clip, stay as they are
        ("Начальник штаба: «Батальон прибыл в Курск».", [("asserted", "Kursk")]),
    ],
)  # fmt: skip
def test_a_clips_title_takes_the_posts_verdict(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name the gazetteer lacks, then where it lies: the name is the goal
        ("Photos said to show Houthi fighters in Khamir, north of Sanaa, are circulating.",
         [("hedged", "Khamir")]),
        ("Sources say 200 PMF fighters moved to positions outside Qaim, Anbar.",
         [("hedged", "Qaim")]),
        ("Russian troops arrived in Pervomaiske, Donetsk Oblast.", [("asserted", "Pervomaiske")]),
        # ... but a known place with where it lies stays itself
        ("Turkish troops arrived in Kilis, near Gaziantep.", [("asserted", "Kilis")]),
        # Persian and Arabic: "to X in Y", "deployed in the town of X south of Y"
        ("سپاه ده‌ها نیرو به بانه در غرب کردستان منتقل کرد.", [("asserted", "Bāneh")]),
        ("ده‌ها نظامی به پایگاه شدادی در حسکه منتقل شدند.", [("asserted", "Al-Shaddadi")]),
        ("به نقل از منابع محلی: ورود صدها نیرو به نبل در شمال حلب.", [("hedged", "نبل")]),
        ("الجيش اللبناني ينتشر في بلدة الخيام جنوبي لبنان", [("asserted", "الخيام")]),
        # ... and the border of a country in a place is the place's
        ("ده‌ها رزمنده به مرز عربستان در صعده اعزام شده‌اند", [("asserted", "Sa'dah")]),
    ],
)  # fmt: skip
def test_a_goal_with_where_it_lies_after_it(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the poster confirms what it reported on someone's word: asserted
        ("Вчера источник сообщал о переброске бригады под Купянск. Сегодня подтверждаем: "
         "личный состав уже на месте.", [("asserted", "Kupiansk")]),
        ("Раніше ми писали з посиланням на джерело про прибуття десантників під Бахмут. Тепер "
         "підтверджуємо: наш кореспондент бачив їх на місці.", [("asserted", "Bakhmut")]),
        ("نقلنا عن مصدر محلي وصول قوات إلى كسلا، ومراسلنا هناك يؤكد الآن دخولها المدينة.",
         [("asserted", "Kassala")]),
        # ... but not a confirmation of another claim, nor a negated one
        ("إعلام الحوثيين: وصول مئات المقاتلين إلى الحديدة. ومن جهتنا نؤكد دخول رتل من القوات "
         "الحكومية إلى المخا.", [("hedged", "Hodeidah"), ("asserted", "Mocha")]),
        ("Десантников перебросили под Херсон, пишет военкор. Сами пока не подтверждаем.",
         [("hedged", "Kherson")]),
    ],
)  # fmt: skip
def test_the_posters_confirmation_asserts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the boys" of a unit named by its number or in quotation marks, and "our boys"
        ("The boys from the 92nd got bussed to Kramatorsk for rest.", [("asserted", "Kramatorsk")]),
        ("Парни из «Спарты» уже под Артёмовском.", [("asserted", "Bakhmut")]),
        ("Хлопці з 47-ї заїхали в Авдіївку.", [("asserted", "Avdiivka")]),
        # ... not boys from a town
        ("Хлопці з Мешхеда, яких Тегеран відправляв до Сирії.", []),
        # a battalion that "stands" in a town; "brought" to Dnipro by its old nickname
        ("А наш батальйон уже тиждень стоїть у Сумах.", [("asserted", "Sumy")]),
        ("Бригаду автобусами довезли до Січеслава.", [("asserted", "Dnipro")]),
    ],
)  # fmt: skip
def test_the_boys_of_a_unit_standing_and_brought(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # nouns of entering, what a force "registers", troops that "appear", a force "heads to"
        ("Губернатор: информация о заходе ВСУ в Суджу не соответствует действительности.",
         [("denied", "Sudzha")]),
        ("Прикордонники: жодного десанту біля Мозиря не фіксуємо, це вкид.",
         [("denied", "Mazyr")]),
        ("Чи з’являться тисячі північнокорейців під Херсоном?", [("hypothetical", "Kherson")]),
        ("إذا سقطت المدينة فإن الدعم السريع سيتجه إلى الأبيض", [("hypothetical", "El Obeid")]),
        ("The Pentagon is expected to order 2,000 more troops to Qatar.",
         [("hypothetical", "Qatar")]),
        ("В Бамако сели два Ил-76 с бойцами.", [("asserted", "Bamako")]),
        # a UN mission (بعثة) sends no one; a pullout is no deployment
        ("انسحاب آخر جنود بعثة الأمم المتحدة وتسليم قاعدة غاو", []),
        ("French troops completed their pullout from Niamey, ending years of presence in Niger.", []),
    ],
)  # fmt: skip
def test_entering_registering_appearing_heading_and_leaving(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a thread's first part that says none of it is confirmed is its later parts' source
        ("1/ What our sources in Donetsk are telling us. None of this is confirmed yet.\n"
         "2/ Around 800 men were moved to Horlivka last week.", [("hedged", "Horlivka")]),
        ("1/ وفق مصادر خاصة لم نتمكن من تأكيد معلوماتها بعد:\n2/ وصل نحو 200 مقاتل إلى غاو.",
         [("hedged", "Gao")]),
    ],
)  # fmt: skip
def test_a_thread_that_confirms_nothing_yet_hedges(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a ministry a source word names, of the troops' own nation, announces its own move
        ("Turkish special forces arrived in Tripoli, according to the Turkish defence ministry.",
         [("asserted", "Tripoli")]),
        ("وصلت كتيبة من القوات الخاصة التركية إلى طرابلس صباح اليوم، بحسب بيان وزارة الدفاع "
         "التركية.", [("asserted", "Tripoli")]),
        # ... another nation's ministry reports them
        ("Russian troops arrived in Tripoli, according to the Turkish defence ministry.",
         [("hedged", "Tripoli")]),
        # Persian "quoting" (به نقل از) is no transfer
        ("خبرگزاری فرانسه به نقل از یک مقام اروپایی نوشت که به گفته مقام‌های ارمنی، نیروهای "
         "روسیه به گیومری منتقل شده‌اند.", [("hedged", "Gyumri")]),
    ],
)  # fmt: skip
def test_a_ministry_of_the_troops_nation_and_persian_quoting(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a soldier's "we were sent" and a relative's "his unit"
        ("Нас перекинули под Купянск. Тут жесть, но держимся.", [("asserted", "Kupiansk")]),
        ("my brother's unit finally landed in Erbil this morning", [("asserted", "Erbil")]),
        # troops detraining, "standing" near a town, fresh footage of a column in a town
        ("У нас в Россоши с утра выгружаются военные, человек двести.", [("asserted", "Rossosh’")]),
        ("Разведка утверждает, что часть подразделений уже стоит под Мозырем.",
         [("hedged", "Mazyr")]),
        ("Колона морської піхоти у Грайвороні — свіжі кадри.", [("asserted", "Graivoron")]),
        # an incursion; a district's name after مديرية; a base's name that holds a veto word
        ("قوة إسرائيلية توغلت في ريف القنيطرة الليلة الماضية", [("asserted", "Quneitra")]),
        ("انتشار قوات العمالقة في مديرية الخوخة جنوب الحديدة", [("asserted", "الخوخة")]),
        ("هبطت طائرة شحن في قاعدة الخادم الجوية فجر اليوم، وعلى متنها نحو مئة عنصر من الفيلق الأفريقي",
         [("asserted", "Al-Khadim")]),
        # the city's neighbourhoods and the border strip are no names
        ("قواتنا وصلت إلى مدينة بارا صباح اليوم وتنتشر في أحيائها.", [("asserted", "Bara")]),
        # filmed by our correspondent; "or not?" asks
        ("Колонна военной полиции прибыла в Камышлы (снял наш корреспондент).",
         [("asserted", "Qamishli")]),
        ("Кто-нибудь знает, срочников отправят в Курск или нет?", [("hypothetical", "Kursk")]),
        # the Champions League's "troops"
        ("Arteta's troops have landed in Munich ahead of Wednesday's clash #UCL", []),
    ],
)  # fmt: skip
def test_soldiers_words_detraining_incursions_and_districts(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


def test_a_persian_follow_up_names_its_goal_before_the_verb() -> None:
    text = (
        "حدود هزار نیروی ارتش عراق وارد کرکوک شدند. فرمانده عملیات گفته در صورت نیاز به موصل "
        "هم اعزام خواهند شد."
    )
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == [
        ("asserted", "Kirkuk"),
        ("hypothetical", "Mosul"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a town the gazetteer lacks, then the region it lies in: the town
        ("Кажуть, військові зайшли в Кіндратівку на Сумщині.", [("hedged", "Кіндратівка")]),
        # ... but a region alone is the region
        ("Войска переброшены в Курскую область.", [("asserted", "Kursk Oblast")]),
    ],
)  # fmt: skip
def test_a_town_in_its_region(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a two-word name the gazetteer lacks, an adjective and its noun, in the nominative
        ("Частини 58-ї армії помічені біля Великої Новосілки.", [("asserted", "Велика Новосілка")]),
        ("Розповіді про висадку десанту в Залізному Порту — брехня.",
         [("denied", "Залізний Порт")]),
        ("Десантники заходят в Великую Новосёлку.", [("asserted", "Великая Новосёлка")]),
        ("Морпехи высадились в Железном Порту.", [("asserted", "Железный Порт")]),
    ],
)  # fmt: skip
def test_two_word_names_in_the_nominative(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the border of a country in a place: the place
        ("ارتش پاکستان یک گردان به مرز افغانستان در چمن فرستاد", [("asserted", "چمن")]),
        ("صدها نیروی حشد الشعبی به مرز سوریه در القائم اعزام شدند", [("asserted", "Al Qā’im")]),
        # ... and a border alone, the country's
        ("نیروهای ارتش به مرز افغانستان اعزام شدند", [("asserted", "Afghanistan")]),
    ],
)  # fmt: skip
def test_a_border_in_a_place(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place named only as a hashtag
        ("Очередной отряд морпехов прибыл на базу. Фото в комментариях 👇 #Тартус",
         [("asserted", "Tartus")]),
        # a clip's title judged in a sentence with a word that would rule a claim out
        ('Fake. That video of "Wagner fighters arriving in Bamako" is from a 2019 parade.',
         [("denied", "Bamako")]),
        # a year ago is history
        ("81 год назад советские войска вошли в Бухарест. Помним.", []),
        # a base and a city or a front by its noun; the capital is no name
        ("Пресс-служба ЦВО: на авиабазу Кант прибыло пополнение — около 400 военнослужащих.",
         [("asserted", "Кант")]),
        ("وصول دفعة جديدة من القوات إلى مدينة سيئون مساء الأحد", [("asserted", "سيئون")]),
        ("وصول نحو ألف مقاتل إلى العاصمة الليبية طرابلس", [("asserted", "Tripoli")]),
        ("ألوية العمالقة تدفع بمئات المقاتلين إلى جبهة حريب جنوب مأرب", [("asserted", "حريب")]),
        # "as part of a plan" is no plan to move; "ahead of an expected" response neither
        ("وصول اللواء 128 إلى مدينة سرت ضمن خطة التأمين", [("asserted", "Sirte")]),
        ("Golani units redeployed to Kiryat Shmona ahead of an expected response.",
         [("asserted", "Kiryat Shmona")]),
        # genitive plurals read back: до Олешок, до Кучурганів
        ("Ворог перекинув до Олешок кілька сотень піхотинців.", [("asserted", "Олешки")]),
        # hearsay and doubt
        ("My cousin in Kidal says the Wagner guys are back in town.", [("hedged", "Kidal")]),
        ('Rybar: "The 76th Air Assault Division is being moved to Tokmak." Haven’t seen anything independent yet.',
         [("hedged", "Tokmak")]),
        # moved by truck, at a town's entrance
        ("Их роту вчера перевезли под Токмак.", [("asserted", "Tokmak")]),
        ("Колонна десантников на въезде в Курск.", [("asserted", "Kursk")]),
    ],
)  # fmt: skip
def test_tags_titles_bases_plans_and_hearsay(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


def test_the_city_centre_is_the_geotag() -> None:
    text = "Truckloads of Russian soldiers rolling through the city centre right now."
    got = extract_claims(text, geo_place="Gyumri")
    assert [(c["stance"], c["location"]) for c in got] == [("asserted", "Gyumri")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "1,200 fighters" are men, "F-16 fighters" aircraft
        ("Some 1,200 fighters were transferred to the Manbij countryside.",
         [("asserted", "Manbij")]),
        ("Four F-16 fighters were moved to Incirlik.", []),
        # a brigade's press service, the Defence Forces and an operational command tell of
        # their own troops
        ("Близько 200 бійців бригади передислоковано на Харківщину, повідомила пресслужба "
         "бригади.", [("asserted", "Kharkiv Oblast")]),
        ("Підрозділи морської піхоти висадилися на Кінбурнській косі, — Сили оборони півдня.",
         [("asserted", "Kinburn Spit")]),
        ("ОК «Північ»: поблизу Сеньківки перекинуто додаткові підрозділи ТрО.",
         [("asserted", "Senkivka")]),
        # to send, in Ukrainian
        ("Франція може надіслати до Одеси кілька сотень інструкторів.",
         [("hypothetical", "Odesa")]),
    ],
)  # fmt: skip
def test_counted_fighters_own_press_services_and_sending(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "clip of" a quoted title; Royal Engineers; a husband, a son (uk) and "the third
        # assault" moved; "we were moved"
        ("That clip of 'Chinese troops in Minsk' is from the 2019 parade. Fake.",
         [("denied", "Minsk")]),
        ("Ministry of Defence: 120 Royal Engineers have been deployed to Estonia.",
         [("asserted", "Estonia")]),
        ("Мужа перекинули под Купянск, связи нет третий день.", [("asserted", "Kupiansk")]),
        ("Третю штурмову перекинули на Харківщину.", [("asserted", "Kharkiv Oblast")]),
        ("Нас перевели під Бахмут.", [("asserted", "Bakhmut")]),
        # "about two thousand" is no place; circulating photos; a town by its Arabic name; a
        # force that will return
        ("انتشار نحو ألفي عنصر في سنجار منذ صباح اليوم", [("asserted", "Sinjār")]),
        ("صور متداولة يُقال إنها لجنود مصريين في قاعدة مروي الجوية", [("hedged", "Merowe")]),
        ("ناشطون: قوات حفتر دخلت غدامس فجر اليوم", [("hedged", "Ghadames")]),
        ("هل ستعود القوات التركية إلى طرابلس إذا انهار وقف إطلاق النار؟",
         [("hypothetical", "Tripoli")]),
        # a match's lads, the away stand, a trilogy, a youth army's camp
        ("Gaffer rallied the troops and the lads have landed in Madrid ⚽️", []),
        ("Красно-белая армия высадилась в Казани! На гостевой будет тысячи три наших", []),
        ("أقرأ 'ثلاثية غرناطة'؛ مشهد دخول جنود قشتالة إلى غرناطة يوجع القلب", []),
        ("Отправили сына в лагерь «Юнармии» под Звенигородом.", []),
    ],
)  # fmt: skip
def test_everyday_posts_of_soldiers_families_and_fans(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quoted "story" called false; a name, then "near" where it lies
        ("The 'Polish mercenaries in Kherson' story is back. Never happened, zero evidence.",
         [("denied", "Kherson")]),
        ("Serbian troops massing in Raška near Kosovo, locals say.", [("hedged", "Raška")]),
        # tourists, interceptors, the Egyptian side of Rafah, Ukrainian slang for pushing in
        ("وصول أول فوج سياحي روسي إلى الغردقة بعد توقف دام أشهر", []),
        ("Second batch of Patriot interceptors arrived at the Rzeszów hub.", []),
        ("تقارير عن وصول قوة مصرية إضافية إلى الجانب المصري من رفح", [("hedged", "Rafah")]),
        ("А якщо росіяни знову полізуть на Сумщину?", [("hypothetical", "Sumy Oblast")]),
        # the Defence Forces in the locative tell of their own
        ("Перекидання бригади під Покровськ завершено, повідомили в Силах оборони.",
         [("asserted", "Pokrovsk")]),
    ],
)  # fmt: skip
def test_stories_near_tourists_interceptors_and_sides(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["stance"], c["location"]) for c in extract_claims(text)] == expected
