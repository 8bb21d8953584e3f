"""`extract_claims`: what is a claim and what is not, actors, places (gazetteer, watchlist,
geotag), evidence offsets into the original text, and bounded work on hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from services.classifier import claims, claims_text
from services.classifier.claims import MAX_CHARS, MAX_CLAIMS, PlaceSpan, extract_claims

pytestmark = pytest.mark.unit

CLAIMS_EVAL = Path(__file__).resolve().parents[1] / "data" / "claims_eval.jsonl"


@pytest.mark.parametrize(
    "text",
    [
        "The team arrived in Damascus ahead of Friday's qualifier.",
        "Our new release was deployed to production at 14:00 UTC.",
        "Germany sent 40 more Marder vehicles to Ukraine.",
        "Police were deployed to the protest outside parliament in Kyiv.",
        "The first shipment of Iranian pistachios arrived in Baghdad.",
        "Thousands of tourists arrived in Crimea for the summer season.",
        "A scout troop from Leeds arrived in Lebanon for a charity camp.",
        "UFC fighters arrived in Abu Dhabi for fight week.",
        "F-16 fighters were sent to Ukraine.",
        "Humanitarian aid convoy arrived in Gaza with 40 trucks of flour.",
        "Volunteers brought drones to soldiers near Bakhmut.",
        "Troops are being sent home from Kabul as the base closes.",
        "Our troops deserve better pay.",
        "The soldier's family moved to Kyiv last year.",
        "Soldiers' letters from Kherson moved readers to tears.",
        "Сборная России по футболу прибыла в Минск.",
        "Гуманитарный конвой прибыл в Газу.",
        "Туристы из Москвы прибыли в Крым.",
        "Волонтери привезли дрони бійцям під Бахмут.",
        "Німеччина передала Україні ще 20 танків Leopard.",
        "وصل المنتخب السوري إلى دمشق استعداداً للمباراة.",
        "وصلت قافلة مساعدات إنسانية إلى غزة.",
        "انتشرت قوات الشرطة في ساحة التحرير لتفريق المتظاهرين.",
        "نقل عدد من المقاتلين الجرحى إلى مستشفى في بيروت.",
        "تیم ملی فوتبال ایران وارد دوحه شد.",
        "نسخه جدید نرم‌افزار روی سرورهای تهران مستقر شد.",
        "نیروهای پلیس برای مقابله با معترضان در تهران مستقر شدند.",
        # a club's "army" of fans, a video game, a parade drill, a novel
        "Армія фанатів «Шахтаря» вже в Познані, до матчу три години!",
        "Dropped my whole airborne division on Odesa in HOI4 last night, the AI collapsed.",
        "У S.T.A.L.K.E.R. 2 загін «Свободи» заходить на Янтар.",
        "لشکر هواداران استقلال به اهواز رسید!",
        "Курсанты строевым шагом прошли по Красной площади.",
        "Just finished a novel about the Allied landing in Norway, brilliant.",
        "Дочитал роман о высадке десанта в Крыму в 43-м, тяжело читать.",
        # a club's "army" that lands in a city, with the match anywhere in the post
        "Красно-белая армия высадилась в Самаре! Завтра все на стадион.",
        "جنود الزمالك وصلوا القاهرة استعداداً لنهائي الكأس",
        "سپاه سرخ‌پوشان به اهواز رسید! فردا بازی حساس است",
        "وصول أول فوج من الحجاج إلى مكة",
        "جيش الذباب الإلكتروني وصل على تغريدتي",
        # troops pulling back from a place they held
        "Ukrainian marines have pulled back from Krynky, drone footage shows empty positions.",
        "Подразделения отошли от Часового Яра, на позициях никого.",
        # a group that sends arms, not its men
        "The IRGC sent more weapons to Syria last month.",
        "КСИР отправил в Ирак новую партию дронов.",
        "الحرس الثوري أرسل أسلحة إلى اليمن",
        "سپاه سلاح به سوریه فرستاد",
        "",
        "troops",
        "arrived in Homs",
    ],
)
def test_not_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "actor", "location"),
    [
        ("Around 300 Iranian troops arrived in Homs.", "Iranian troops", "Homs"),
        ("US Marines landed at Beirut airport.", "US Marines", "Beirut"),
        ("Iraqi militia convoy seen heading to Aleppo.", "Iraqi militia convoy", "Aleppo"),
        ("Wagner convoy seen near Homs.", "Wagner convoy", "Homs"),
        ("Soleimani arrived in Baghdad.", "Soleimani", "Baghdad"),
        ("Fighters were flown from Libya to Mali.", "Fighters", "Mali"),
        ("Российские военные прибыли в Сирию.", "Российские военные", "Syria"),
        ("Бойцы ЧВК Вагнер замечены в Бамако.", "Бойцы ЧВК Вагнер", "Bamako"),
        ("Сотни наемников прибыли в Дамаск из Ирака.", "наемников", "Damascus"),
        ("Українські війська зайшли в Курську область.", "Українські війська", "Kursk Oblast"),
        ("Чи відправить Польща свої війська в Україну?", "війська", "Ukraine"),
        ("وصلت قوات روسية إلى حمص.", "قوات روسية", "Homs"),
        ("سوف ترسل روسيا كتيبة إلى اللاذقية.", "كتيبة", "Latakia"),
        ("نیروهای روسی وارد سوریه شدند.", "نیروهای روسی", "Syria"),
        ("Troops moved towards the border.", "Troops", None),
        (
            "Ukraine's 47th Brigade was moved to Kursk region.",
            "Ukraine's 47th Brigade",
            "Kursk Oblast",
        ),
        ("58-я армия переброшена под Херсон.", "58-я армия", "Kherson"),
        ("أرسلت تركيا 3 آلاف جندي إلى شمال سوريا.", "جندي", "Syria"),
        ("سپاه هزار نیرو به مرز عراق اعزام کرد.", "سپاه", "Iraq"),
        ("Nearly 5,000 troops arrived in Russia's Kursk region.", "troops", "Kursk Oblast"),
        ("#Homs #Syria: militias redeployed to the city's outskirts.", "militias", "Homs"),
    ],
)
def test_actor_and_location(text: str, actor: str, location: str | None) -> None:
    (claim,) = extract_claims(text)
    assert (claim["actor"], claim["location"]) == (actor, location)
    assert claim["type"] == "troop_deployment"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Войска прибыли в Сирию.", "Syria"),
        ("Войска прибыли в Сирии.", "Syria"),
        ("Війська прибули до Сирії.", "Syria"),
        ("وصلت قوات إلى سوريا.", "Syria"),
        ("نیروها وارد سوریه شدند.", "Syria"),
        ("وصلت القوات للعراق.", "Iraq"),
        ("Сирийские войска вошли в Ливан.", "Lebanon"),
    ],
)
def test_gazetteer_inflection_and_scripts(text: str, location: str) -> None:
    assert [c["location"] for c in extract_claims(text)] == [location]


def test_watchlist_place_wins_over_the_gazetteer() -> None:
    text = "Russian troops arrived at Hmeimim air base near Latakia."
    start = text.index("Hmeimim")
    places = [PlaceSpan("Hmeimim Air Base", start, start + len("Hmeimim air base"))]
    assert [c["location"] for c in extract_claims(text, places)] == ["Hmeimim Air Base"]


def test_watchlist_place_offsets_survive_dropped_characters() -> None:
    text = "جنـــود روس وصلوا إلى قاعدة حميميم"
    start = text.index("حميميم")
    places = [PlaceSpan("Hmeimim Air Base", start, start + len("حميميم"))]
    assert [c["location"] for c in extract_claims(text, places)] == ["Hmeimim Air Base"]


@pytest.mark.parametrize(
    ("text", "geo", "location"),
    [
        ("Convoy of military trucks with soldiers arriving now!", "Izium", "Izium"),
        ("Soldiers arrived in Kherson this morning.", "Izium", "Kherson"),
        ("Soldiers arriving now!", None, None),
    ],
)
def test_geotag_counts_when_the_text_names_no_place(
    text: str, geo: str | None, location: str | None
) -> None:
    assert [c["location"] for c in extract_claims(text, geo_place=geo)] == [location]


@pytest.mark.parametrize(
    "text",
    [
        "Breaking. Around 300 Iranian troops arrived in Homs. More soon.",
        "U.S. troops landed at Erbil airport. Locals filmed it.",
        "\u200bРосс\u00adийские военные прибыли в Сирию!",
        "وصل نحو 300 جنـــدي إيراني إلى حمص. التفاصيل لاحقاً.",
        "نیروهای روسی وارد سوریه شدند؛ منابع محلی تأیید کردند.",
        "İstanbul: Türk askerleri. Turkish troops crossed into Syria.",
    ],
)
def test_evidence_offsets_point_into_the_original_text(text: str) -> None:
    (claim,) = extract_claims(text)
    assert text[claim["start"] : claim["end"]] == claim["evidence"]
    assert claim["evidence"].strip() == claim["evidence"]
    assert claim["actor"] in claim["evidence"]


def test_one_claim_per_sentence_in_text_order() -> None:
    text = (
        "Wagner mercenaries arrived in Bamako. The weather was fine. "
        "Moscow denied that paratroopers were sent to Niger."
    )
    claims = extract_claims(text)
    assert [(c["location"], c["stance"]) for c in claims] == [
        ("Bamako", "asserted"),
        ("Niger", "denied"),
    ]
    assert claims[0]["evidence"] == "Wagner mercenaries arrived in Bamako."
    assert claims[1]["start"] == text.index("Moscow")


def test_abbreviations_do_not_split_sentences() -> None:
    (claim,) = extract_claims("U.S. troops arrived in Iraq.")
    assert claim["evidence"] == "U.S. troops arrived in Iraq."


def test_claims_are_capped_per_post() -> None:
    text = " ".join(f"Troops arrived in Homs, wave {i}." for i in range(MAX_CLAIMS + 5))
    assert len(extract_claims(text)) == MAX_CLAIMS


def test_only_the_first_max_chars_are_read() -> None:
    text = "x" * MAX_CHARS + " Russian troops arrived in Homs."
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "troops arrived in Homs \ud800 and \udfff",
        "\u202eтроops\u202c arrived",
        "\ufeff" * 1000 + "Russian troops arrived in Homs.",
        "troops " * 5000 + "arrived",
        "." * 50_000,
        "arrived " * 10_000,
        "ي" * 50_000,
        "\u0651" * 50_000,
        "troops arrived " + "!" * 3980 + "a",
        "troops arrived " * 300,
        "troops sent " * 400,
        "military convoy arrived " * 200,
        "troops " + "1 000 " * 700 + "troops arrived in Homs",
        "troops arrived in " + "Homs Aleppo " * 400,
        "Войска прибыли в " + "Сирию " * 700,
        "قوات وصلت إلى " + "حلب " * 1000,
    ],
)
def test_hostile_input_is_bounded(text: str) -> None:
    started = time.process_time()
    claims = extract_claims(text)
    assert time.process_time() - started < 0.5
    for claim in claims:
        assert text[claim["start"] : claim["end"]] == claim["evidence"]


def test_lone_surrogates_keep_offsets() -> None:
    text = "\ud800\ud800 Russian troops arrived in Homs."
    (claim,) = extract_claims(text)
    assert claim["location"] == "Homs"
    assert claim["evidence"] == text[claim["start"] : claim["end"]]
    assert claim["start"] == 0  # a lone surrogate is a character like any other


@pytest.mark.parametrize(
    "text",
    [
        "The marine\u202fcorps landed in Homs.",  # narrow no-break space
        "The marine\u2009corps landed in Homs.",  # thin space
        "İDF entered Gaza.",  # İ lower-cases to two characters
    ],
)
def test_claims_survive_characters_the_prescan_once_missed(text: str) -> None:
    claims = extract_claims(text)
    assert [c["location"] for c in claims] == [text.split()[-1].rstrip(".")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Wagner fighters arrived\nin Homs and more troops arrived in Kursk.",
            [("Wagner fighters", None), ("troops", "Kursk")],
        ),
        (
            "Russian troops arrived.\nIn Homs, 300 soldiers were seen.",
            [("Russian troops", None), ("soldiers", "Homs")],
        ),
        # A presence word counts only where its own sentence names a place.
        (
            "Video of Russian troops in Homs. Russian troops in the news.",
            [("Russian troops", "Homs")],
        ),
    ],
)
def test_places_are_read_per_sentence(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(c["actor"], c["location"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("UFC fighters arrived in Abu Dhabi for fight week", 0),  # one sentence, a veto
        ("Russian troops arrived in Homs after the match", 1),  # "match" is no veto in English
        ("Российские военные прибыли в Хомс на матч", 0),
        ("Российские военные прибыли в Хомс. Матч отменили", 1),  # the veto is in another sentence
        ("وصلت قوات روسية إلى حمص للمباراة", 0),
        ("Российские военные прибыли в Хомс,матчи", 0),
        ("Российские военные прибыли в Хомс\u200bматч", 1),  # a dropped character joins the words
    ],
)
def test_a_veto_rules_out_its_own_sentence_only(text: str, claims: int) -> None:
    assert len(extract_claims(text)) == claims


@pytest.mark.parametrize("prescanned", [False, True])
@pytest.mark.parametrize(
    ("text", "locations"),
    [
        ("\ud800 Russian troops arrived in Homs", ["Homs"]),  # one sentence
        ("\udc00 UFC fighters arrived in Abu Dhabi for fight week", []),  # one sentence, a veto
        (
            "Russian troops arrived in Homs.\n\ud83d Wagner fighters were seen in Bamako.",
            ["Homs", "Bamako"],
        ),
    ],
)
def test_lone_surrogates_on_every_path(text: str, locations: list[str], prescanned: bool) -> None:
    claims = extract_claims(text, prescanned=prescanned)
    assert [c["location"] for c in claims] == locations
    assert all(c["evidence"] == text[c["start"] : c["end"]] for c in claims)


def test_sentences_the_kinds_of_their_trigger_words_rule_out_carry_no_claim() -> None:
    # `_may_claim` settles a sentence from the kinds of its trigger words before any other
    # work: every sentence it rules out, but for a veto word (which rules a sentence out by
    # itself), must be one that the full reading finds no claim in.
    texts = [orjson.loads(line)["text"] for line in CLAIMS_EVAL.read_bytes().splitlines()]
    texts += [
        "A convoy arrived in Homs.",  # a convoy with no military marker
        "An army convoy arrived in Homs.",
        "The convoy of tanks crossed into Syria. A convoy was seen.",
        "Troops are leaving Homs, photos show.",  # presence and withdrawal, no movement
        "Troops were seen leaving Homs.",
        "Troops arrived for the football tournament in Homs.",
    ]
    ruled_out = 0
    for text in texts:
        folded = claims_text.fold(text[:MAX_CHARS])
        found = claims._lexicon().find(folded.text)
        triggers = [h for h in found if h.kind in claims.TRIGGER_KINDS]
        details = claims._Details([h for h in found if h.kind not in claims.TRIGGER_KINDS])
        for start, end in claims_text.sentences(folded.text):
            hits = claims_text.within(triggers, start, end)
            kinds = {h.kind for h in hits}
            if "veto" in kinds or claims._may_claim(kinds):
                continue
            ruled_out += 1
            args = (text, folded, start, end, hits, details, "Somewhere", [])
            assert claims._sentence_claim(*args) == [], text[start:end]
    assert ruled_out > 100


@pytest.mark.parametrize(
    ("text", "location", "stance"),
    [
        # Actors: infantry, contingents, stormtroopers, mobilised men, Rosgvardia, units.
        ("Russian armour and infantry entered Kherson from the south.", "Kherson", "asserted"),
        ("A Pakistani contingent arrived in Yemen.", "Yemen", "asserted"),
        ("Наши штурмовики уже в Волчанске.", "Vovchansk", "asserted"),
        ("Тысяча мобилизованных доставлена эшелоном в Курск.", "Kursk", "asserted"),
        (
            "Ожидается, что в Калининград будут переброшены дополнительные части.",
            "Kaliningrad",
            "hypothetical",
        ),
        ("У Мелітополь завезли кілька сотень кадирівців.", "Melitopol", "asserted"),
        ("نحو 500 عنصر من الفرقة الرابعة انتقلوا إلى درعا", "Daraa", "asserted"),
        # Movements and sightings.
        ("Premature to talk about stationing a battalion in Lebanon.", "Lebanon", "hypothetical"),
        ("Saw a dozen US Marines at the airport in Kuwait this morning.", "Kuwait", "asserted"),
        ("The 3rd Assault Brigade is now in Kupiansk.", "Kupiansk", "asserted"),
        ("Говорят, ночью в Курск завезли несколько сотен военных.", "Kursk", "hedged"),
        ("Перші іноземні інструктори вже у Львові.", "Lviv", "asserted"),
        ("Генштаб: додаткові підрозділи переміщено до Запоріжжя.", "Zaporizhzhia", "asserted"),
        ("نیروهای آمریکایی در فرودگاه اربیل فرود آمدند.", "Erbil", "asserted"),
        ("ادعا شده که مستشاران نظامی ایرانی به صنعا رسیده‌اند.", "Sanaa", "hedged"),
        # Attribution and doubt in other words.
        (
            "IRGC advisers arrived in Sanaa last week, Israeli officials told reporters.",
            "Sanaa",
            "hedged",
        ),
        (
            "Північнокорейські військові помічені в Курській області — відео поки не верифіковані.",
            "Kursk Oblast",
            "hedged",
        ),
        (
            "Наступного тижня до Харкова мають перекинути ще одну бригаду.",
            "Kharkiv",
            "hypothetical",
        ),
        (
            "من المتوقع أن تصل كتيبة باكستانية إلى السعودية الأسبوع المقبل.",
            "Saudi Arabia",
            "hypothetical",
        ),
        ("Ознак перекидання російських військ до Чернігова не виявлено.", "Chernihiv", "denied"),
        ("Росіяни пишуть, що тисячі солдатів НАТО вже в Одесі. Доказів жодних.", "Odesa", "denied"),
    ],
)
def test_more_ways_to_say_it(text: str, location: str, stance: str) -> None:
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == [(location, stance)]


@pytest.mark.parametrize(
    "text",
    [
        # Portraits, speeches and videos of commanders are no deployment, nor are weapons moved
        # by a named force, nor residents hiding.
        "صور سليماني تملأ شوارع بغداد في ذكرى اغتياله.",
        "Soleimani's daughter gave a speech in Beirut today, full video below",
        "Силы Кудс перебросили новую партию дронов через Ирак.",
    ],
)
def test_media_of_a_named_man_is_no_claim(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "80 years ago today Soviet troops entered Berlin. #VictoryDay",
        "80 лет назад советские войска вошли в Прагу. Вечная память.",
        "In 1979 Soviet troops entered Afghanistan.",
        "در سال ۱۹۸۰ ارتش عراق وارد خرمشهر شد",
        "في ذكرى دخول القوات السورية إلى لبنان عام 1976",
    ],
)
def test_movements_told_as_history_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


def test_a_recent_year_is_no_history() -> None:
    assert len(extract_claims("In 2025 Russian troops arrived in Kursk.")) == 1


@pytest.mark.parametrize(
    ("text", "location", "stance"),
    [
        ("Around 200 US Marines touched down at Erbil this afternoon.", "Erbil", "asserted"),
        (
            "Per two local channels, North Korean soldiers have turned up in Kursk. Unverified.",
            "Kursk",
            "hedged",
        ),
        (
            "The Pentagon insists not a single American soldier has set foot in Gaza.",
            "Gaza",
            "denied",
        ),
        (
            "The Polish MoD called reports that its soldiers had crossed into Belarus 'pure fabrication'.",
            "Belarus",
            "denied",
        ),
        (
            "Говорить о вводе миротворцев в Приднестровье пока преждевременно.",
            "Transnistria",
            "hypothetical",
        ),
        ("Колонна с личным составом зашла в Белгород около пяти утра.", "Belgorod", "asserted"),
        ("Кадыровцы заехали в Суджу — видео на фоне администрации.", "Sudzha", "asserted"),
        ("Близько 2000 російських вояків прибули до Токмака.", "Tokmak", "asserted"),
        ("Чи введе Польща війська до Західної України?", "Ukraine", "hypothetical"),
        ("إذا انهارت الهدنة، فمن المرجح أن تُنقل وحدات إضافية إلى حلب.", "Aleppo", "hypothetical"),
        ("اگر آتش‌بس شکسته شود، یگان‌های بیشتری به حلب منتقل خواهند شد.", "Aleppo", "hypothetical"),
        (
            "هنوز تأیید مستقلی در دست نیست، اما یک منبع نظامی می‌گوید حدود ۲۰۰۰ نیروی کره شمالی به کورسک رسیده‌اند.",
            "Kursk",
            "hedged",
        ),
        # A denied claim stays one when the post dates what it shows.
        (
            "ویدیوی ورود نظامیان آمریکایی به بصره جعلی است و به رزمایش سال ۲۰۱۸ مربوط است.",
            "Basra",
            "denied",
        ),
    ],
)
def test_idioms_doubts_and_denials(text: str, location: str, stance: str) -> None:
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == [(location, stance)]


@pytest.mark.parametrize(
    "text",
    [
        "В мае 1945-го советские войска вошли в Берлин. Помним.",
        "در سال ۱۳۵۹ ارتش عراق وارد خرمشهر شد؛ یاد شهدا گرامی.",
        "انتشرت قوات مكافحة الشغب في ساحة التحرير مع تزايد أعداد المتظاهرين.",
    ],
)
def test_history_and_riot_police_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Israeli paratroopers crossed into Lebanon overnight, while the IDF denied reports "
            "that its troops had entered Syria.",
            [("Lebanon", "asserted"), ("Syria", "denied")],
        ),
        (
            "Reportedly 2,000 IRGC personnel moved into Deir ez-Zor, and dozens more were seen "
            "in Damascus.",
            [("Deir ez-Zor", "hedged"), ("Damascus", "hedged")],
        ),
        (
            "По данным ISW, сотни солдат КНДР уже в Курской области, ещё несколько тысяч могут "
            "направить в Донецк.",
            [("Kursk Oblast", "hedged"), ("Donetsk", "hypothetical")],
        ),
        (
            "وصل نحو 200 جندي روسي إلى القامشلي، فيما نفت موسكو إرسال قوات إلى منبج.",
            [("Qamishli", "asserted"), ("Manbij", "denied")],
        ),
        # One movement, whatever the commas: a place in a hashtag, a place without a verb, a
        # condition and its consequence.
        (
            "Наши штурмовики уже в Волчанске, зашли с севера 💪 #Харьковщина",
            [("Vovchansk", "asserted")],
        ),
        ("Troops arrived in Homs, not far from Hama.", [("Homs", "asserted")]),
        # a place the gazetteer lacks, named after a word of place, begins a clause too...
        (
            "Повстанцы утверждают, что армия перебросила в Краснолесье 500 солдат, а на "
            "следующей неделе собирается отправить подкрепление в Верхнеборск.",
            [("Краснолесье", "hedged"), ("Верхнеборск", "hypothetical")],
        ),
        (
            "انتشر الجيش في سنار، ومن المقرر إرسال تعزيزات إلى الدلنج الأسبوع المقبل",
            [("Sennar", "asserted"), ("الدلنج", "hypothetical")],
        ),
        # ...but a place right after the comma is the last one's country: one movement
        (
            "Around 150 soldiers arrived in Tapa, Estonia today to reinforce the battlegroup.",
            [("Tapa", "asserted")],
        ),
        (
            "اگر آمریکا سرباز به ونزوئلا بفرستد، روسیه واکنش نشان می‌دهد.",
            [("Venezuela", "hypothetical")],
        ),
    ],
)
def test_a_sentence_of_two_movements_gives_a_claim_per_clause(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a denial said again, of the same place or of none, is one claim
        (
            "Niger's MoD: reports that foreign instructors arrived in Agadez are fabrication. "
            "'No foreign soldier is in Agadez,' the spokesman said.",
            [("Agadez", "denied")],
        ),
        (
            "ستاد کل: خبر اعزام نیرو به سوریه را تکذیب می‌کنیم؛ هیچ نیرویی به این کشور اعزام "
            "نشده است.",
            [("Syria", "denied")],
        ),
        # but a denial of another place is another claim
        (
            "Troops arrived in Tartus. Reports that they were also sent to Latakia are fake.",
            [("Tartus", "asserted"), ("Latakia", "denied")],
        ),
    ],
)
def test_a_denial_said_again_is_one_claim(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == expected


@pytest.mark.parametrize(
    ("text", "location", "stance"),
    [
        ("В Курск за ночь перебросили несколько сотен срочников.", "Kursk", "asserted"),
        ("Никаких северокорейцев в Брянской области нет, это фейк.", "Bryansk Oblast", "denied"),
        ("هبوط طائرة شحن تقل عشرات المقاتلين في قاعدة تمنهنت", "تمنهنت", "asserted"),
        ("Belarusian SOF rolling into Hrodna right now", "Hrodna", "asserted"),
        ("اگه آمریکا نیرو بفرسته بحرین، همه چی عوض میشه", "Bahrain", "hypothetical"),
        ("Геолокували: російські десантники в Безсалівці", "Безсалівка", "asserted"),
        ("Геолокували: російські десантники в Бачівську", "Бачівськ", "asserted"),
        ("حدود ۳۰۰ نیروی طالبان به ولسوالی ماهیرود رسیدند.", "ماهیرود", "asserted"),
        # a headline's dash for "are"
        ("Российские военные советники — в Бамако. Первые кадры", "Bamako", "asserted"),
        ("Десантники 82-ї бригади — у Покровську", "Pokrovsk", "asserted"),
        # colloquial movements and presence
        ("گفته می‌شه یه گردان رفته خرمشهر", "Khorramshahr", "hedged"),
        ("Сьогодні в Ізюм зайшло багато військових", "Izium", "asserted"),
        ("Перекинута до Куп'янська 14-та ОМБр уже веде бої", "Kupiansk", "asserted"),
        ("يُقال إن الروس عادوا إلى مطار القامشلي", "Qamishli", "hedged"),
    ],
)
def test_more_ways_to_tell_of_troops(text: str, location: str, stance: str) -> None:
    claims = extract_claims(text)
    assert [(c["location"], c["stance"]) for c in claims] == [(location, stance)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # men and arms: the men are sent
        ("The IRGC sent troops and weapons to Syria.", [("Syria", "asserted")]),
        # a movement with no one who moves, right after a claim, to a new place: the same troops
        (
            "Сегодня в Тартус прибыл батальон морской пехоты. А вот слухи о переброске в Латакию "
            "— неправда.",
            [("Tartus", "asserted"), ("Latakia", "denied")],
        ),
        # the next group may go elsewhere
        (
            "Морпехи прибыли в Сирию на ротацию. Следующая группа, по слухам, может поехать в "
            "Ливию.",
            [("Syria", "asserted"), ("Libya", "hypothetical")],
        ),
        (
            "وصلت قوات إلى سرت اليوم، ومن المتوقع أن تتحرك غداً نحو مصراتة",
            [("Sirte", "asserted"), ("Misratah", "hypothetical")],
        ),
        (
            "نیروهای روس به لاذقیه رسیدند. قرار است گروه دوم ماه آینده به حماه برود.",
            [("Latakia", "asserted"), ("Hama", "hypothetical")],
        ),
        # but not a place the sentence names elsewhere (who says it, where they were not seen)
        (
            "Viral videos claim 3,000 troops have arrived in Somalia. Officials in Mogadishu say "
            "none have landed.",
            [("Somalia", "hedged")],
        ),
    ],
)
def test_arms_are_not_men_and_a_movement_after_a_claim_is_its_troops(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(c["location"], c["stance"]) for c in extract_claims(text)] == expected
