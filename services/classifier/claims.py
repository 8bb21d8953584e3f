"""Troop-deployment claims: who (troops, units, named groups or commanders) moved where, how
many, and whether the post asserts, hedges, denies or only imagines it, in English, Russian,
Ukrainian, Arabic and Persian. The no-claim path is one lower-casing and folding pass and one
pass of an Aho-Corasick automaton of actor and movement words over the raw text: a post needs both
before any other work. Then the folded text is split into sentences; a sentence with both
kinds of word and no veto word (sport, software, police, hospital...) is read for places
(`gazetteer`, the caller's watchlist places, or the post's geotag when the text names none),
stance cues (`stance`) and counts (`counts`), and gives at most one claim, or one per clause
when it tells of two movements (`_clauses`). The work per post is bounded:
only the first `MAX_CHARS` characters are read, at most `MAX_CLAIMS` claims are returned, at
most `MAX_SENTENCE_HITS` actor and movement words are weighed per sentence, and every regular
expression runs in linear time. Offsets point into the original text. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from operator import itemgetter
from typing import Any, NamedTuple

from services.classifier import _native
from services.classifier.claims_text import (
    ARABIC_SCRIPT,
    DROPPED_KIND,
    Folded,
    Hit,
    PhraseSet,
    Prescan,
    char_table,
    fold_lowered,
    fold_phrase,
    has_any,
    is_arabic_script,
    longest,
    lower_fold,
    one_sentence,
    sentences,
    within,
)
from services.classifier.counts import (
    PHRASE_KINDS,
    UNIT_WORDS,
    Quantity,
    count_entries,
    has_digit,
    quantities,
)
from services.classifier.gazetteer import COUNTRIES, place_entries
from services.classifier.stance import (
    ASSERTED,
    CUE_KINDS,
    DENIAL,
    DENIED,
    HEDGED,
    HYPOTHETICAL,
    TELLING,
    cue_entries,
    neighbour_stance,
    stance,
)
from services.classifier.text import is_cyrillic

MAX_CHARS = 4000  # a claim worth alerting on is stated early; longer posts are cut here
MAX_CLAIMS = 8
MAX_SENTENCE_HITS = 32  # actor and movement words weighed per sentence (pairing is quadratic)
ACTOR_MOTION_GAP = 120  # folded chars between an actor and its movement verb
COUNT_REACH = 40  # a count must end this close before its actor ("some 300 Iranian troops")


class PlaceSpan(NamedTuple):
    """A watchlist location entity found in the text by the caller. A named tuple rather than a
    frozen dataclass: the engine makes one per location it matches, on the hot path."""

    name: str  # canonical place name (a watchlist location entity's name)
    start: int  # offsets into the ORIGINAL text
    end: int


# Military personnel and units. `*` marks a stem (inflection), see `PhraseSet`.
_ACTORS = (
    # English
    "troop*", "soldier*", "marines", "marine corps", "paratrooper*", "fighters", "militia*",
    "militiamen", "mercenar*", "adviser*", "advisor*", "instructors", "battalion*", "brigade*",
    "regiment*", "platoon*", "reinforcements", "special forces", "forces", "army", "armies",
    "armed forces", "military police", "military personnel", "peacekeeper*", "servicemen",
    "service members", "servicemembers", "national guard", "guardsmen", "commandos",
    "spetsnaz", "wagner", "wagnerites", "africa corps", "irgc", "quds force", "idf", "pmf",
    "kadyrovites", "kadyrov's men", "akhmat", "fatemiyoun", "zainabiyoun", "vdv", "storm-z",
    "gunmen", "armed men", "sof", "north koreans", "army engineers", "military engineers",
    "combat engineers", "sappers", "jihadists", "insurgents", "rebels", "conscripts", "reservists",
    "recruits",
    "infantry", "infantrymen", "contingent*", "rosgvardia", "rosgvardiya", "stormtroopers",
    "military observers", "legion", "legionnaires", "personnel", "units", "division*",
    "airborne", "border guards", "the russians", "the americans", "the iranians",
    "the turks", "the israelis", "peshmerga", "taliban", "corps", "second group", "another group",
    "next group", "second batch",
    # Russian
    "войска", "войск", "войскам", "войсками", "войсках", "военные", "военных", "военными",
    "военнослужащ*", "солдат*", "бойцы", "бойцов", "бойцами", "боец", "боевик*", "наемник*",
    "десантник*", "десант", "морпех*", "морской пехоты", "морская пехота", "морскую пехоту",
    "батальон*", "бригад*", "полк", "полка", "полки", "полков", "рота", "роту", "роты",
    "взвод*", "дивизи*", "подкреплени*", "подразделени*", "резервы", "резервов", "спецназ*",
    "вдв", "чвк", "ксир", "пограничник*", "вагнер*", "кадыровц*", "ахмат*", "миротворц*",
    "инструктор*", "советник*",
    "армия", "армии", "армию", "всу", "оккупант*", "силовики", "призывник*", "военная полиция",
    "военной полиции", "военную полицию", "військова поліція", "військової поліції",
    "штурмовик*", "мобилизованн*", "мобик*", "контрактник*", "росгвард*", "контингент*",
    "миротворческ*", "части", "частей", "пехотинц*", "вторая группа", "вторую группу",
    "следующая группа", "следующую группу", "другая группа", "натовц*", "легион*",
    "еще одна группа", "еще одну группу", "дополнительные силы", "свежие силы",
    "штурмовые группы", "штурмовых групп", "личный состав", "отряд*", "срочник*", "десанта",
    "десантом", "сапер*", "сапёр*", "военные инженеры", "военных инженеров",
    "северокорейц*", "пешмерг*", "белорусы", "белорусов", "талибы", "талибов", "корпус",
    "корпуса",
    "личного состава", "личным составом",
    # Ukrainian
    "війська", "військ", "військами", "військах", "військові", "військових", "військовими",
    "військовослужбов*", "бійці", "бійців", "бійцями", "боєць", "бойовик*", "найманц*",
    "найманець", "морпіх*", "морської піхоти", "морська піхота", "батальйон*", "роти",
    "дивізі*", "підрозділ*", "резерви", "резервів", "спецпризначен*", "окупант*", "орки",
    "орків", "зсу", "вагнерівц*", "кадировц*", "радник*", "інструктор*", "строковик*",
    "особовий склад", "особового складу", "армія", "армії", "армію", "мобік*", "мобілізован*",
    "кадирівц*", "росгвардійц*", "частини", "росіяни", "росіян", "вояк*", "піхотинц*", "квір",
    "прикордонник*", "ссо",
    "наступна група", "наступну групу", "друга група", "другу групу", "натівц*", "легіон*",
    "ще одна група", "ще одну групу", "додаткові сили", "свіжі сили", "штурмові групи",
    "штурмових груп", "загін", "загони", "загонів", "загонами", "північнокорейц*", "десанту",
    "десантів", "сапер*", "військові інженери", "білоруси", "білорусів", "таліби", "талібів",
    # Arabic
    "قوات*", "جنود*", "جندي*", "مقاتل*", "مرتزق*",
    "ميليشي*", "مليشي*", "عناصر", "كتيبة", "كتائب", "لواء", "فوج", "تعزيزات", "مستشار*",
    "الجيش", "جيش", "الحرس الثوري", "فيلق القدس", "الحشد الشعبي", "فاغنر", "فاجنر",
    "المارينز", "مظليين", "مظليون", "كوماندوز", "مجندين", "مجندون", "عنصر", "الفرقة", "فرقة",
    "قوة عسكرية", "عنصرا", "وحدات", "وحدة", "العسكريين", "عسكريين", "عسكريون",
    "الشرطة العسكرية", "حرس الحدود", "الروس", "الأمريكان", "الأمريكيين", "الأمريكيون", "الإيرانيون",
    "الإيرانيين", "الأتراك", "دفعة ثانية", "الدفعة الثانية", "دفعة أخرى", "دفعة جديدة",
    "المجموعة الثانية", "عساكر", "العساكر", "طلائع", "القوة المشتركة", "قوة مشتركة", "فصائل",
    "الفصائل", "قوة",
    "الكوريين الشماليين", "الكوريون الشماليون", "البيشمركة", "بيشمركة", "أطقم", "مشاة البحرية",
    "مشاة", "عسكريا", "عسكرياً",
    # Persian
    "نیرو", "نیروها", "نیروهای", "نیروی", "نیرویی", "نیروهایی", "نظامی", "سرباز*", "رزمنده*",
    "رزمندگان", "تیپ", "گردان",
    "لشکر", "شبه نظامی*", "شبه نظامیان", "نظامیان", "تفنگدار*", "چترباز*", "ارتش", "واگنر",
    "فاطمیون", "زینبیون", "حشد الشعبی", "پیشمرگه*", "طالبان", "عسکرها", "عسکرهای", "سپاه", "یگان*",
    "تکاور*", "روس ها", "آمریکایی ها",
    "امریکایی ها", "گروه دوم", "گروه بعدی", "گروه دیگری", "گروهی دیگر", "صدها نظامی",
    "هزاران نظامی", "ده ها نظامی", "دهها نظامی",
    "officers", "офицер*", "офіцер*", "الدعامة", "الحشد", "ضباط", "افسر*",
    "своих", "своїх",
    "мотострелк*", "мотострелков*", "мотопехот*", "танкист*", "артиллерист*", "гвардейц*",
    "ополченц*", "мотострільц*", "мотопіхот*", "танкіст*", "артилерист*", "гвардійц*",
    "нацгвардійц*", "rsf", "janjaweed", "gunners", "artillerymen", "tank crews",
    "air-defence crews", "air defence crews", "air-defense crews", "air defense crews", "الجنجويد",
    "جنجويد", "مدافع حرم", "مدافعان حرم",
    "их часть", "нашу часть", "его часть", "їхню частину", "нашу частину", "його частину",
    "نیروهایش", "نیروهایشان", "نیروهایمان", "نیروهاشون", "گردانش", "گردانشان", "گردانشون",
    "سربازانش", "سربازانشان",
    "الدعم السريع", "پشتیبانی سریع",
    "brother's unit", "son's unit", "husband's unit", "his unit", "my unit", "our unit",
    "their unit", "یگانشون", "یگانشان", "یگانمون", "یگانم",
    "یگانش", "вкс",
    "royal engineers", "bundeswehr", "мужа", "сина", "штурмова", "штурмову", "штурмовая",
    "штурмовую", "داداشمو", "داداشم",
)  # fmt: skip

# "The boys" of a unit named by its number or its name in quotation marks ("The boys from the
# 47th", «Парни из «Пятнашки»», «Хлопці з 3-ї штурмової»), and "our boys": soldiers.
_BOYS = (
    "our boys",
    *(
        f"{boys} {mark}*"
        for boys in ("the boys from the", "the lads from the", "boys from the", "парни из",
                     "ребята из", "пацаны из", "хлопці з", "хлопці із", "хлопцы с")
        for mark in ("«", '"', *"123456789")
    ),
)  # fmt: skip

# A soldier's own word of being moved, "we" and the verb in one phrase: the pronoun is the
# actor (`_actors` cuts the hit to it), the verb the movement ("Нас перекинули под Куп'янськ",
# "اعزام شدیم اهواز").
_WE_MOVED = tuple(
    (fold_phrase(phrase), fold_phrase(phrase).index(fold_phrase(we)), len(fold_phrase(we)))
    for phrase, we in (
        ("нас перекинули", "нас"), ("нас перебросили", "нас"), ("нас отправили", "нас"),
        ("нас направили", "нас"), ("нас відправили", "нас"), ("нас кинули", "нас"),
        ("we were deployed", "we"), ("we were sent", "we"), ("we got sent", "we"),
        ("we've been deployed", "we"), ("we've been sent", "we"), ("اعزام شدیم", "شدیم"),
        ("нас перевели", "нас"), ("нас перекинуто", "нас"),
        ("ما را فرستادند", "ما"),
    )
)  # fmt: skip

_WE_VERBS = frozenset(fold_phrase(w) for w in ("شدیم", "رفتیم", "رسیدیم"))

# Named commanders: their own movement is a deployment claim.
_COMMANDERS = (
    "soleimani", "suleimani", "qaani", "ghaani", "prigozhin", "utkin", "kadyrov", "surovikin",
    "gerasimov", "сулеймани", "каани", "пригожин*", "уткин*", "суровикин*", "герасимов*",
    "сулеймані", "суровікін*", "سليماني", "قاآني", "سلیمانی", "قاآنی",
)  # fmt: skip

# A convoy or column is military only with a marker near it (not "an aid convoy").
_WEAK_ACTORS = (
    "convoy", "convoys", "column", "columns", "колонна", "колонну", "колонны", "колона", "колону",
    "колони", "رتل",
    "أرتال", "ستون", "ستونی", "ستون های",
)  # fmt: skip
_MARKERS = (
    "military", "army", "armored", "armoured", "armour", "armor", "tank*", "enemy", "военн*",
    "техник*", "вражеск*", "техні*", "ворож*",
    "бронетехник*", "танк*", "військов*", "бронетехнік*", "عسكري*", "مدرع*", "نظامی",
    "زرهی", "تانک*", "личным составом", "личного состава", "особовим складом",
)  # fmt: skip

# Moving to, arriving in, being sent, crossing into, landing at, being seen in, being present in.
_MOTIONS = (
    # English
    "arriv*", "deploy*", "redeploy*", "sent", "send", "sending", "sends", "dispatch*", "flown",
    "flew", "airlift*", "bussed", "bused", "trucked", "ferried", "transferr*", "transfer",
    "relocat*", "moved", "moving", "move", "moves", "crossed", "crossing", "cross", "entered",
    "entering", "enter", "enters", "landed", "landing", "land", "disembark*", "spotted", "seen",
    "sighted", "photographed", "filmed", "observed", "stationed", "positioned", "massing",
    "massed", "amass*", "heading to", "heading towards", "headed to", "en route", "rolled into",
    "roll into", "poured into", "pouring into", "reinforc*",
    "returning to", "return to", "returned to", "returns to", "advancing", "stationing",
    "go through", "going through", "went through", "passing through", "heading", "headed",
    "head to", "shown up", "showed up", "show up", "moved up", "turned up", "turn up",
    "turning up", "touched down", "touch down", "set foot", "boots on the ground",
    "go to", "goes to", "went to", "gone to", "wound its way", "made their way", "marched",
    "marching", "march into", "coming ashore", "came ashore", "come ashore", "dug in",
    "resurfaced", "reappeared", "re-emerged", "surfaced", "fly", "flies", "flying", "posted near",
    "posted along",
    "shifted", "coming off", "came off", "rotated back", "rotated into", "rotating", "pushed into",
    "pushing into",
    "pushes into", "moved in", "rushed", "rolling into", "rolls into",
    "making their way", "make their way", "dropped anchor", "anchored off", "docked",
    "pulled into", "pulled in", "rotation of", "reached",
    "taken up positions", "took up positions", "take up positions", "заняли позиции",
    "зайняли позиції", "выведена на позиции", "выведены на позиции", "выведен на позиции",
    "выведено на позиции", "виведено на позиції", "виведена на позиції", "виведені на позиції",
    # Russian
    "прибы*", "перебро*", "перебрас*", "развернут*", "разверн*", "развертыван*", "разверты*",
    "размест*", "размещ*", "направ*", "отправ*", "передислоц*", "вошли", "вошла", "вошел",
    "войдут", "войдет", "войти", "входили", "входят", "вход", "зашли", "зайдут", "заходили",
    "зашел", "заходят", "заходит", "пересек*", "высадил*", "высадк*", "замечен*", "замечали",
    "заметили",
    "сфотографирован*", "засняли", "видели", "появил*", "стяг*", "стянут*", "сосредоточ*",
    "прилетел*", "переправ*", "возвраща*", "движ*", "двига*", "выдвин*",
    "выдвига*", "ввод*", "ввести", "введ*", "ввел*", "зашла", "заехал*", "въехал*", "дошел",
    "дошёл", "дошли", "завез*", "завоз*", "свез*", "своз*", "доставлен*", "доставил*",
    "доставля*", "перемещ*", "появлени*", "вылетел*", "заезжа*", "высажен*", "высажива*",
    "вернул*", "стянул*", "прибыти*", "высадятся", "высадится", "окопал*", "закрепил*",
    "приземлил*", "выгружал*", "выгрузил*", "разгрузил*", "уехал*",
    "заходим", "отправит", "направит", "перебросит", "прошла колонна", "прошли колонны",
    "прошла через", "прошли через", "ушли на фронт", "отправились", "выехали", "перевели",
    "переведен*", "послал*", "пошлет", "пошлёт", "пошлют", "послать", "перебазир*",
    "подтян*", "подтяг*", "нарисовались", "нарисовался", "сошли", "зашло", "поехать", "поедут",
    "поедет", "кинут на", "кинут под", "бросили в",
    "бросили на", "бросили под", "уже под",
    "нарисовалась",
    # Ukrainian
    "прибу*", "перекин*", "перекид*", "розгорн*", "розгорта*", "розміщ*", "розміст*",
    "відправ*", "передислок*", "зайшли", "зайшла", "зайшов", "заходить", "зайдуть",
    "заходили", "заходять", "зайде", "увійшли", "ввійшли", "увійдуть", "перетн*", "перетин*",
    "висадил*", "помічен*", "помітили", "сфотографован*", "з'явил*", "стягу*", "стягн*",
    "зосеред*", "прилетіл*", "введен*", "повертаю*", "руха*", "заводять",
    "завели", "заводить", "завез*", "завоз*", "звез*", "звоз*", "доставлен*", "доставил*",
    "переміщ*", "ввели", "ввела",
    "висуваю*", "вилетіл*", "закріпил*", "окопал*", "висадк*", "заходимо", "відправить",
    "пішли на фронт", "поїхали на фронт", "вирушил*", "пройшла колона", "пройшла через",
    "заїжджа*", "заїхал*", "висадж*", "повернул*", "прибутт*", "перебазов*", "вхід",
    "повернувся", "повернулася", "вивантаж*", "розвантаж*", "поїхал*",
    "підтягн*", "підтягу*", "поява", "появу", "появи", "появою", "зійшли", "зайшло", "поїхати",
    "поїдуть", "поїде", "кинуть на", "кинуть під",
    "кинули на", "кинули під", "кинули в", "кинули до", "вже під",
    # Arabic
    "وصل", "وصلت", "وصلوا", "وصول", "يصل", "تصل", "يصلون", "انتشار", "انتشر*", "نشر",
    "ينشر", "تنشر", "أرسل*", "إرسال", "يرسل", "ترسل", "نرسل", "بعث", "بعثت", "بعثوا", "بعثنا",
    "يبعث", "تبعث", "يبعثون", "دخل*", "دخول",
    "يدخل", "تدخل", "يدخلون", "عبروا", "عبرت", "نقل", "نقلت", "ينقل", "تنقل", "تمركز*",
    "حشد", "حشدت", "شوهد*", "رصد", "هبط*", "توجه*", "انتقل*", "يتدفق*", "تتدفق*", "تدفق*",
    "يتقدم", "تتقدم", "تقدم*", "تحرك*", "يتحرك*",
    "إنزال", "نزلت", "حطوا", "حطت", "وصولا", "يتوجه*", "تتوجه*", "سيتوجه*", "ستتوجه*",
    "ينتقل*", "تنتقل*", "سينتقل*", "ستنتقل*", "يتجولون", "يتجول", "ينتشر*", "تنتشر*",
    "أدخل*", "أنزل*", "نزلوا", "نزول", "نقلوا", "ينقلون", "تلتحق", "يلتحق", "التحق*", "تحصنوا",
    "يدفعون", "يدفع", "تدفع", "دفعت", "دفع", "تتحرك", "ستتحرك", "سيتحرك", "عادوا", "هبوط",
    "داخل على", "داخلين على",
    "داخلة", "داخلين", "حشود", "رست", "دخولها", "دخولهم", "وصولها", "وصولهم", "تفوت", "فاتت",
    # Persian
    "وارد", "ورود", "اعزام", "مستقر", "منتقل", "رسیدند", "رسید", "فرستاد*", "فرست*", "بفرست*",
    "ارسال", "انتقال*", "دیده شد*", "دیده شده", "عبور", "بازگشت*", "سفر", "جابجا*", "جابه جا*",
    "پیاده شد*", "گسیل", "حرکت", "فرود آمد*", "رسیده*", "برده شد*", "دیده می شوند",
    "دیده می شود", "بروند", "آورده اند", "آوردند", "برمی گرداند", "بازمی گرداند", "استقرار",
    "بیایند", "بیاید", "می آیند", "آمده اند", "رفته", "رفته است", "رفته اند", "برود", "برن",
    "میره سمت", "می رود سمت", "رفت سمت", "رفتند سمت",
    "میرن سمت", "آوردن", "نشستند", "آمدند", "اومدن", "میارن", "برگشتن", "برگشتند", "رسیدن",
    "خواهد رفت", "خواهند رفت", "رفتند",
    "закинул*", "закинут*", "فات", "رد شد", "رد میشه", "رد می شه",
    "довезли", "довезено", "завезли", "завезено",
    "to order", "will order", "сели", "يتجه", "سيتجه", "تتجه", "ستتجه", "اتجه", "اتجهت", "о заходе",
    "про заходження", "заходження",
    "выгружаются", "выгружались", "вивантажуються", "вивантажувалися", "توغلت", "توغل", "يتوغل",
    "تتوغل", "توغلوا",
    "заводили", "завели", "заводят", "перевезли", "перевезено", "перевозят", "thrown at",
    "thrown into", "rolling through", "rolled through", "двинет", "двинул", "двинули", "двинуть",
    "надіслати", "надішле", "надіслала", "надіслали", "прислать", "прислали", "пришлют",
    "تعود", "ستعود", "يعود", "سيعود",
    "полізуть", "полезут", "лізуть", "лезут", "offloaded", "offloading",
)  # fmt: skip

# Being somewhere, shown somewhere, or not being there: a claim only with a place named.
_PRESENCE = (
    "fighting in", "present in", "presence", "show", "shows", "showing", "video of",
    "were in", "are in", "is in", "was in", "are now in", "are already in", "were never in",
    "are not in", "aren't in", "weren't in", "is not in", "isn't in", "into", "station",
    "находятся",
    "is now in", "is already in", "are still in", "is still in", "now in", "saw", "all over",
    "back in", "again in", "снова в", "снова на", "опять в", "знову в", "знову на", "في شوارع",
    "در خیابان های",
    "видел",
    "видела", "бачив", "бачила", "бачили", "вже в", "вже у", "вже на",
    "находится",
    "находились",
    "footage of", "photos of", "there are no", "присутстви*", "уже в", "уже на", "на фото",
    "на видео", "нет", "нету", "перебува*", "присутн*", "на відео", "немає", "нема", "وجود",
    "توجد", "يوجد", "تظهر", "يظهر", "حضور", "نیست", "نشان می دهد", "نشان میدهد", "ما في",
    "مافي",
    "geolocated", "геолоцирован*", "геолокували", "геолоковано", "геолокація", "геолокация",
    # a headline's dash for "are" ("Российские военные советники — в Бамако"), and its footage
    "— в", "— во", "— у", "— на", "— под", "— під", "— біля", "— возле", "– в", "– у", "– на",
    "first footage", "первые кадры", "перші кадри", "перші фото", "первые фото", "sign of",
    "signs of", "признаков", "ознак",
    "نخستین تصاویر", "اولین تصاویر", "بالصور", "بالفيديو", "صور يزعم", "صور قيل", "صورا قيل",
    "صور يقال", "فيديو يظهر", "фото, на яких", "фото, на которых", "видео, на котором",
    "відео, на якому", "кадри, на яких", "кадры, на которых", "фото, якобы", "видео, якобы",
    "фото, нібито", "відео, нібито", "фото, які", "фото, которые", "відео, яке", "видео, которое",
    "кадри, які", "кадры, которые", "on the ground in", "now near", "are near", "داخل",
    "стоїть у", "стоїть в", "стоять у", "стоять в", "стоит в", "стоят в", "стоит у", "стоят у",
    "фіксуємо", "фиксируем", "з'являться", "з’являться", "появятся", "з'явилися", "з’явилися",
    "появились",
    "свіжі кадри", "свежие кадры", "геолокацію підтверджено", "геолокация подтверждена",
    "стоит под", "стоят под", "стоїть під", "стоять під", "стоят возле", "стоять біля",
    "стоит возле", "стоїть біля",
    "на въезде в", "на в'їзді в", "на в’їзді в", "на в'їзді до", "на в’їзді до",
    "at the entrance to",
    "صورا يزعم", "صورا يقال", "صورا قيل",
    "صور متداولة", "صورا متداولة", "فيديو متداول", "مقطع متداول",
)  # fmt: skip

# A clip's quoted title is a claim of presence, whose stance the rest of the post gives ("Видео
# «вагнеровцев в Триполи» ... Фейк", "The 'Russian mercenaries in Goma' clip is a scene from a
# film"): the media word and the mark that opens the title after it, or the mark that closes it
# and the media word after it (`_TITLE_BEFORE`: the title, and its place, come first).
_MEDIA = (
    "clip of", "video of", "footage of", "photo of", "photos of",
    "видео", "відео", "фото", "ролик", "кадры", "кадри", "video", "clip", "footage", "photo",
    "photos", "videos", "فيديو", "مقطع", "ویدیوی", "ویدئوی", "فیلم",
)  # fmt: skip
_QUOTES_OPEN = ("«", '"', "“", "'")
_QUOTES_CLOSE = ("'", '"', "”", "’", "»")
_TITLE_AFTER = tuple(f"{m} {q}*" for m in _MEDIA for q in _QUOTES_OPEN)
_TITLE_BEFORE = tuple(
    f"*{q} {m}" for m in ("clip", "video", "footage", "photo", "photos", "videos", "story")
    for q in _QUOTES_CLOSE
)  # fmt: skip

# "Here", "in the city": a place only by the post's geotag ("Soldiers all over the city since
# this morning", "У нас в городе полно военных"), so a presence word only in a geotagged post.
_HERE = (
    "here", "in the city", "all over the city", "all over town", "in town", "in our city",
    "in our town", "around town", "into the city", "into town", "в город", "в місто",
    "город полон", "місто повне", "المدينة مليئة",
    "у місто", "إلى المدينة", "به شهر", "здесь", "тут", "в городе", "по городу", "в нашем городе",
    "в місті", "у місті", "по місту", "в нашому місті", "у нашому місті", "هنا", "في المدينة",
    "شوارع المدينة", "في مدينتنا", "اینجا", "در شهر", "خیابان های شهر", "شهر پر از",
    "the city centre", "the city center", "через город", "через місто",
)  # fmt: skip

# Civilians' names for troops that deny being troops, in quotation marks ('volunteers',
# «отпускники», «будівельники», "سياح"): an actor only when quoted (see `_actors`). The stock
# euphemisms need no quotation marks.
_DISGUISED = (
    "volunteers", "tourists", "vacationers", "holidaymakers", "builders", "construction workers",
    "miners", "tractor drivers", "отпускник*", "турист*", "добровольц*", "строител*",
    "шахтер*", "тракторист*", "волонтер*", "відпускник*", "туристи", "туристів", "добровольці",
    "добровольців", "будівельник*", "волонтери", "волонтерів", "سياح", "السياح", "عمال",
    "متطوعين", "متطوعون", "المتطوعين", "گردشگران", "گردشگر", "توریست*", "داوطلبان",
    "کارگران",
    "музыкант*", "музикант*", "оркестрант*",
)  # fmt: skip
_EUPHEMISMS = (
    "little green men", "polite people", "вежливые люди", "вежливых людей", "зеленые человечки",
    "зеленых человечков", "ихтамнет*", "зелені чоловічки", "ввічливі люди", "їхтамнєт*",
)  # fmt: skip
# "Ours" at the head of a sentence is the poster's side's troops ("Наші вже в Кринках").
_OURS = ("наши", "наші")
# People counted: troops only after a number ("roughly 1,500 men", "около 800 человек").
_MEN = ("men", "человек", "осіб")
_COUNTED_BEFORE = frozenset(
    {"hundreds", "thousands", "dozens", "сотни", "тысячи", "десятки", "тысяч", "сотен",
     "сотні", "тисячі", "тисяч", "сотень"}
)  # fmt: skip
_QUOTES = frozenset("\"'«»“”„‘")
# What may undo a veto word: quotation marks (a quoted «отпускники»), or an actor whose name holds
# one (الشرطة العسكرية): with neither, a one-sentence post with a veto word is settled at once.
# The marks are looked for in one pass (`has_any`), the names as substrings, one `in` each:
# several times cheaper than one regular expression of their alternation, which has no first
# character for the engine to skip ahead to.
_QUOTE_TABLE = char_table(_QUOTES)
_UNVETO = tuple(
    fold_phrase(p)
    for p in (
        "الشرطة العسكرية", "військова поліція", "військової поліції", "military police",
        "قاعدة الخادم",  # (Al-Khadim air base: its "servant" is no veto)
    )
)  # fmt: skip

# Leaving a place: a sentence that only shows troops somewhere is no claim when they leave it.
_WITHDRAWALS = (
    "leaving", "left", "leave", "withdraw*", "pulled out", "pull out", "pulling out", "retreat*",
    "pulled back", "pull back", "pulling back", "fell back", "отошл*", "отвел*", "отведен*",
    "покинул*", "покида*", "вывод", "выведен*", "вывел*", "отступ*", "залиши*", "залишає*",
    "відійш*", "відступ*", "виведен*", "انسحاب", "انسحب*", "غادر*", "عقب نشینی", "خروج", "ترک",
    "pullout", "pull-out", "drawdown",
)  # fmt: skip

# A sentence with one of these is not about a deployment: sport, ceremony, the wounded going
# to hospital, soldiers going home, and the senses of "army"/"advisers" that are not military.
_VETO = (
    "ufc", "mma", "boxing", "boxer*", "fight week", "fight night", "bout", "tournament",
    "championship", "football", "soccer", "national team", "olympi*", "band", "orchestra",
    "parade", "opera", "lawyers", "biologist*", "wounded", "hospital", "sent home",
    "returned home", "came home", "come home", "going home", "families", "salvation army",
    "army of", "financial advis*", "tax advis*", "investment advis*", "legal advis*",
    "police forces", "market forces", "fallen soldiers", "app", "apps", "software",
    "release", "server*", "production", "cloud", "version", "hotfix", "refugees", "приложени*",
    "сервер*",
    "обновлени*", "беженц*", "застосун*", "оновлен*", "біженц*", "تطبيق", "خوادم", "خادم",
    "لاجئ*", "النزال", "نزال", "الحلبة", "حلبة", "ملاكمة", "نرم افزار", "سرور*", "اپلیکیشن",
    "پناهجو*", "scout*", "boy scouts", "girl scouts",
    "скаут*", "силы полиции", "поліці*", "قوات الشرطة", "الشرطة", "شرطة", "نیروهای پلیس",
    "پلیس", "مقاتلات",
    "оркестр*", "парад*", "футбол*", "сборн*", "турнир*", "чемпионат*", "матч*", "олимпи*",
    "ранен*", "госпитал*", "больниц*", "домой", "семьи", "армия ботов", "армия фанатов",
    "опера", "оперу", "оперы", "опері", "оперн*", "афиш*", "афіш*", "концерт*", "спектакл*",
    "вистав*", "concert*", "tickets", "билеты", "квитки", "ботов",
    "збірн*", "турнір*", "поранен*", "шпитал*", "лікарн*", "додому", "родин*", "армія ботів",
    "ботів", "олімпі*",
    "منتخب", "المنتخب", "مباراة", "بطولة", "لاعب*", "اللاعب*", "كشاف*", "الكشاف*", "جرحى",
    "الجرحى", "مستشفى", "منازل*", "جيش من", "سياح", "السياح",
    "تیم", "فوتبال", "بازیکن*", "پیشاهنگ*", "مجروح*", "بیمارستان", "خانه", "ارتش سایبری",
    "سایبری", "گردشگر*", "on leave", "отдых*", "отпуск*", "відпочин*", "відпустк*", "مرخصی",
    "police", "film crew", "film set", "movie", "съёмочн*", "съемочн*", "знімальн*", "сериал",
    "сериала", "серіал*", "فيلم", "مسلسل", "فیلم", "سریال", "كول أوف ديوتي", "کال آف دیوتی",
    "مهمونا", "مهمون*", "مهمان*",
    "red cross", "red crescent", "красный крест", "красного креста", "червоний хрест",
    "червоного хреста", "الصليب الأحمر", "الهلال الأحمر", "هلال احمر", "صلیب سرخ",
    "locust*", "саранч*", "сарана", "ملخ*", "الجراد", "جراد", "дачн*", "грядк*", "огород*",
    "riot police", "омон*", "مكافحة الشغب", "crowd control", "کنترل تجمع", "ضد شورش",
    # games
    "call of duty", "warzone", "gameplay", "video game", "videogame", "видеоигр*", "в игре",
    "відеогр*", "в грі", "لعبة", "بازی ویدیویی", "بازی کامپیوتری", "arma", "war thunder",
    "steam", "патч", "патче", "патчі", "патчу", "stalker", "s.t.a.l.k.e.r", "сталкер*", "hoi4",
    "hearts of iron", "pubg", "بوبجي", "ببجي", "clash of clans", "کلش", "پابجی",
    # fans: a club's "army" or "troops" of supporters
    # a parade: marching drill on a square
    "строевым шагом", "стройовим кроком", "red square", "красной площади", "червоній площі",
    "fans", "supporters", "travelling army", "traveling army", "away end", "uefa",
    "europa league", "champions league", "ultras", "ультрас",
    "стадион*", "стадіон*", "трибун*", "лига чемпионов", "лига европы", "лига конференций",
    "ліга чемпіонів", "ліга європи", "ліга конференцій", "hell let loose",
    "الألتراس", "الالتراس", "фанат*", "болельщик*",
    "уболівальник*", "مشجع*", "المشجعين", "هوادار*",
    # pilgrims, and the "army" of trolls
    "pilgrims", "паломник*", "прочан*", "الحجاج", "حجاج", "المعتمرين", "زوار", "الزوار",
    "زائران", "الذباب الإلكتروني", "الذباب الالكتروني", "جيش الذباب",
    # a novel, a book reread
    "novel", "novels", "reread*", "re-read*", "перечитыва*", "перечитал*", "перечиту*",
    "дочитал*", "дочитав*", "роман о", "роман об", "роман про", "книгу о", "книгу про",
    "в 41-м", "в 42-м", "в 43-м", "в 44-м", "в 45-м", "у 41-му", "у 42-му", "у 43-му",
    "у 44-му", "у 45-му",
    "перечитав*", "روایة", "الرواية",
    # the world wars
    "world war", "wwii", "ww2", "второй мировой", "вторая мировая", "великой отечественной",
    "великая отечественная", "другої світової", "друга світова", "الحرب العالمية",
    "جنگ جهانی",
    # back from exercises or from service: home, not deployed
    "after exercises", "after the exercise", "after the drills", "после учений", "из армии",
    "після навчань", "з армії", "بعد المناورات", "پس از رزمایش",
    # a commander's image, not the commander: posters, portraits, billboards, murals
    "poster*", "portrait*", "billboard*", "mural*", "плакат*", "портрет*", "билборд*",
    "білборд*", "баннер*", "банер*", "لافتة", "لافتات", "جدارية", "جداريات", "ملصق*",
    "پوستر*", "بیلبورد*", "دیوارنگاره*", "نقاشی دیواری",
    # memories
    "i remember", "remember when", "помню", "пам'ятаю", "أتذكر", "یادم", "یادش بخیر",
    # history: an anniversary or a movement years ago is no early sign of anything
    "years ago", "anniversary", "victory day", "лет назад", "годовщин*", "день победы",
    "років тому", "річниц*", "день перемоги", "ذكرى", "الذكرى", "سال پیش", "سال قبل", "سالگرد",
    "врачей", "врачи", "лікарів", "лікарі", "doctors", "أطباء", "پزشکان", "أقرأ", "اقرأ",
    "в арме", "в арму", "арма 3",
    "quarter-final", "semi-final", "quarterfinal", "semifinal", "полуфинал*", "четвертьфинал*",
    "півфінал*", "чвертьфінал*", "نصف النهائي", "ربع النهائي", "tarkov", "тарков*",
    "ucl", "#ucl",
    "год назад", "года назад", "рік тому", "роки тому",
    "⚽", "⚽️",
    "юнарми*",
    "فوج سياحي", "سياحي", "interceptors", "interceptor missiles",
)  # fmt: skip

# Words after which a military noun is the receiver of something, not a mover ("aid to troops").
_RECIPIENT_BEFORE = frozenset({"to", "for", "для", "к", "ко", "إلى", "الی"})
_SOURCE_BEFORE = frozenset(
    {"from", "из", "з", "із", "зі", "من", "از", "из-под", "з-під", "із-під", "leaving", "left",
     "departing", "departed"}
)  # fmt: skip
_DESTINATION_BEFORE = frozenset(
    {"to", "into", "in", "at", "near", "towards", "toward", "on", "inside", "в", "во", "на", "под",
     "к", "до", "у", "під", "біля", "الی", "فی", "نحو", "داخل", "به", "در", "وارد", "سمت"}
)  # fmt: skip
_STOP_MODIFIERS = frozenset(
    {"the", "a", "an", "our", "their", "its", "his", "her", "video", "photos", "photo",
     "unconfirmed", "reportedly", "allegedly", "breaking", "more", "new", "some", "about",
     "around", "several", "and", "of", "that", "any", "no", "why", "will", "if", "свои", "своих",
     "наши", "наших", "свої", "своїх", "наші", "эти", "ці", "все", "всі"}
)  # fmt: skip
_ADJECTIVE_ENDINGS = (
    "ие", "ые", "ий", "ый", "ой", "ая", "ое", "ую", "их", "ых", "ого", "ому", "ими", "ыми",
    "кі", "ні", "ські", "цькі", "ій", "ої",
)  # fmt: skip
_ORDINAL = re.compile(r"\d{1,4}(?:st|nd|rd|th|-?[а-яіїє]{1,3})")
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "i", "an", "ch")
_NISBA_ENDINGS = ("ی", "یة", "یه", "یون", "یین", "یان")


@cache
def _prescan() -> Prescan:
    return Prescan(_trigger_entries())


@cache
def _lexicon() -> PhraseSet:
    """Every phrase the detector reads in folded text, in one automaton: actor and movement
    words and the words that rule a sentence out (vetoes, leaving, military markers), by which
    a sentence is judged before anything else is read, and the details read in a sentence that
    may carry a claim (places, stance cues, count phrases)."""
    return PhraseSet(lexicon_entries())


def lexicon_entries() -> list[tuple[str, str, Any]]:
    """The (pattern, kind, value) of every phrase of `_lexicon`."""
    entries = _trigger_entries()
    entries += [(p, "veto", None) for p in _VETO]
    entries += [(p, "marker", None) for p in _MARKERS]
    entries += [(p, "withdrawal", None) for p in _WITHDRAWALS]
    for kind, phrases in _DISCOURSE.items():
        entries += [(p, kind, None) for p in phrases]
    return entries + place_entries() + cue_entries() + count_entries()


# Words read in the sentences around a claim (`_follow_ups`) and in its own (`_own_statement`,
# sarcasm), found in the same pass as the rest.
_DISCOURSE: dict[str, tuple[str, ...]] = {}


# The kinds of `_lexicon` a sentence is judged by; the others are its details.
TRIGGER_KINDS = frozenset(
    {
        "actor", "commander", "weak", "disguised", "ours", "men", "motion", "presence", "here",
        "veto", "marker", "withdrawal",
    }
)  # fmt: skip


@cache
def _vetoes() -> PhraseSet:
    return PhraseSet([(p, "veto", None) for p in _VETO])


def _trigger_entries() -> list[tuple[str, str, object]]:
    entries: list[tuple[str, str, object]] = []
    entries += [(p, "actor", None) for p in _ACTORS]
    entries += [(p, "actor", None) for p, _ in UNIT_WORDS if " " not in p]
    entries += [(p, "commander", None) for p in _COMMANDERS]
    entries += [(p, "weak", None) for p in _WEAK_ACTORS]
    entries += [(p, "motion", None) for p in _MOTIONS]
    entries += [(p, "presence", None) for p in _PRESENCE]
    entries += [(p, "presence", _TITLE_AFTER) for p in _TITLE_AFTER]
    entries += [(p, "presence", _TITLE_BEFORE) for p in _TITLE_BEFORE]
    entries += [(p, "here", None) for p in _HERE]
    entries += [(p, "disguised", None) for p in _DISGUISED]
    entries += [(p, "actor", None) for p in _EUPHEMISMS]
    entries += [(p, "actor", None) for p in _BOYS]
    entries += [(p, "actor", (at, size)) for p, at, size in _WE_MOVED]
    entries += [(p, "ours", None) for p in _OURS]
    entries += [(p, "men", None) for p in _MEN]
    return entries


# A caller that scans the post anyway (the engine's alias automaton) can take the prescan's
# phrases into its own pass: each phrase with the bit of its family. A post is claim-shaped when
# both bits are present; `extract_claims(..., prescanned=True)` then skips its own first look.
# The veto words ride along with a bit of their own: without it, `veto_seen=False` skips the
# quick look for a veto before folding (a shortcut only: the full scan finds vetoes anyway).
MOVING_BIT, ACTING_BIT, VETO_BIT = 1, 2, 4
CLAIM_SHAPED = MOVING_BIT | ACTING_BIT


def trigger_phrases() -> list[tuple[str, int]]:
    """The prescan's phrases and the veto words (`*` marks kept), each with the bit of its
    family."""
    out = []
    for pattern, kind, _ in _trigger_entries():
        bit = MOVING_BIT if kind in _MOVING else ACTING_BIT if kind in _ACTING else 0
        if bit:
            out.append((pattern, bit))
    out += [(pattern, VETO_BIT) for pattern in _VETO]
    return out


def prepare() -> None:
    """Build the automata an engine's posts read (about a third of a second), so that the first
    post scored does not pay for it: call when an engine is built, off the hot path. Not the
    prescan's: the engine's own pass carries its words (`trigger_phrases`), so only a caller
    of `extract_claims` without `prescanned` builds it, on its first post; it holds every
    spelling of each word that folding merges, tens of thousands of keys."""
    _lexicon()
    _vetoes()


def extract_claims(
    text: str,
    places: Sequence[PlaceSpan] = (),
    geo_place: str | None = None,
    *,
    prescanned: bool = False,
    veto_seen: bool = True,
) -> list[dict[str, Any]]:
    """Troop-deployment claims in `text`, one per sentence (or clause) that carries one, in text
    order.
    `places` are watchlist locations the caller already found (original offsets); `geo_place`
    is the post's geotag, used when the text names no place. `prescanned`: the caller's own
    pass over `trigger_phrases()` found the post claim-shaped, so the prescan is skipped;
    `veto_seen`: that pass saw a veto word (the same claims either way, found faster)."""
    # The automata read code points as they lie: lone surrogates (valid in JSON escapes) are
    # characters like any other, and stay in the evidence.
    return _extract(text, text[:MAX_CHARS], places, geo_place, prescanned, veto_seen)


def _extract(
    text: str,
    head: str,
    places: Sequence[PlaceSpan],
    geo_place: str | None,
    prescanned: bool,
    veto_seen: bool,
) -> list[dict[str, Any]]:
    # Lower-cased (a letter lower-cased to two, İ, keeps the first: offsets stay) and folded
    # in one pass: the raw text answers the prescan, the folded one the rest.
    if prescanned:
        folded = fold_lowered(head)
    else:
        raw, folded = lower_fold(head)
        # The cheap path, taken by most posts: one automaton pass over raw text.
        kinds = _prescan().kinds(raw)
        if DROPPED_KIND not in kinds and not _claim_shaped(kinds):
            return []
    # A post of one sentence with a veto word carries no claim (sport, police, hospital): often
    # enough to settle it with the small automaton of the veto words, before the full scan.
    ftext = folded.text
    single = one_sentence(ftext)
    if (
        veto_seen
        and single
        and _vetoes().any(ftext)
        and not has_any(ftext, _QUOTE_TABLE)
        and not any(map(ftext.__contains__, _UNVETO))
    ):
        return []
    found = _lexicon().find(ftext)
    triggers: list[Hit] = []
    others: list[Hit] = []
    for hit in found:
        (triggers if hit[2] in TRIGGER_KINDS else others).append(hit)
    if _QUOTING in ftext:
        # Persian "به نقل از" ("quoting") carries the Arabic verb of transfer, نقل: no movement
        triggers = [h for h in triggers if not _quoting(ftext, h)]
    kinds = {h[2] for h in triggers}
    if "veto" in kinds and kinds & {"disguised", "actor"}:
        triggers = _unveiled(ftext, triggers, others)
        kinds = {h[2] for h in triggers}
    if not _claim_shaped(kinds):
        return []
    # Each sentence is judged on its trigger words alone first: most stop here.
    spans = sentences(ftext, single)
    if _native.astral(ftext) or has_any(ftext, _BMP_EMOJI):
        spans = _emoji_ends(text, folded, spans, triggers)
    if len(spans) == 1:
        # One sentence holds every hit: only white space is trimmed, and no phrase starts or
        # ends with it.
        if "veto" in kinds:
            triggers = _title_unvetoed(ftext, triggers, *spans[0])
            kinds = {h.kind for h in triggers}
        if not _may_claim(kinds):
            return []
        candidates = [(0, spans[0][0], spans[0][1], triggers)]
    else:
        candidates = []
        for index, (s_start, s_end) in enumerate(spans):
            hits = within(triggers, s_start, s_end)
            sentence_kinds = {h.kind for h in hits}
            if "veto" in sentence_kinds:
                hits = _title_unvetoed(ftext, hits, s_start, s_end)
                sentence_kinds = {h.kind for h in hits}
            if _may_claim(sentence_kinds):
                candidates.append((index, s_start, s_end, hits))
        if not candidates:
            return []
    watched = [
        Hit(folded.from_original(p.start), folded.from_original(p.end), "place", p.name)
        for p in places
        if p.start < MAX_CHARS
    ]
    details = _Details(others, ftext)
    claims: list[dict[str, Any]] = []
    claimed: list[int] = []  # the index in `spans` of each claim's sentence
    scopes: list[tuple[int, int]] = []  # each claim's clause, in folded offsets
    for index, s_start, s_end, hits in candidates:
        before: dict[str, Any] | None = None
        for scope, scope_hits in _clauses(
            ftext, s_start, s_end, hits, details, watched, text, folded
        ):
            for claim in _sentence_claim(
                text, folded, s_start, s_end, scope_hits, details, geo_place, watched, scope
            ):
                if (
                    before is not None
                    and before["stance"] == HEDGED
                    and claim["stance"] == ASSERTED
                    and details.first("official", *scope) is None
                ):
                    # "Reportedly 2,000 IRGC personnel moved into Deir ez-Zor, and dozens more
                    # were seen in Damascus": the source of the sentence's first claim is the
                    # second's.
                    claim["stance"] = HEDGED
                before = claim
                claims.append(claim)
                claimed.append(index)
                scopes.append(scope)
                if len(claims) == MAX_CLAIMS:
                    break
            if len(claims) == MAX_CLAIMS:
                break
        if len(claims) == MAX_CLAIMS:
            break
    if not claims:
        return claims
    present = details.kinds()
    if len(spans) > 1 or "retraction" in present:
        claims, claimed = _follow_ups(
            text, folded, spans, triggers, details, geo_place, watched, claims, claimed, scopes
        )
    if len(spans) > 1 and claims:
        _neighbour_stances(ftext, spans, claims, claimed, details, text, folded)
        if _THREAD_OPEN.match(ftext):
            _thread_source(ftext, spans, claims, claimed, details)
        if geo_place is None:
            _place_before(spans, claims, claimed, details, watched)
    if geo_place is None and any(c["location"] is None for c in claims):
        _place_tagged(ftext, claims, others, watched)
    if claims and "confirmation" in present:
        _confirmed_by_the_poster(folded, spans, claims, claimed, details)
    if claims and "#" in ftext and details.hashtag_denial(ftext):
        # "... Це відео з навчань 2021 року. #фейк": the post calls itself out.
        for claim in claims:
            if claim["stance"] in (ASSERTED, HEDGED):
                claim["stance"] = DENIED
    if len(claims) > 1:
        claims = _restated(claims)
    if claims and "sport" in present:
        claims = [c for c in claims if not _fans(c)]
    if claims and ("game" in present or "book" in present):
        # "Кто вечером в Тарков? Высаживаемся на «Берег»": a game's, all of it; and a novel's
        return []
    if claims and ("own_eyes" in present or "correspondent" in present):
        _seen_by_the_poster(folded, claims, details)
    return claims


# The poster's own eyes, or its own correspondent's when it saw them: what they saw is no one
# else's report (what a correspondent says, though, is reported: "Our correspondent in Kharkiv
# says ...").
# (Read in the same pass as the rest, as kinds of `_DISCOURSE`.)
_OWN_EYES = (
    "i saw", "we saw", "i can confirm", "we can confirm", "confirm myself", "сам видел",
    "сама видела", "своими глазами", "сам бачив", "сама бачила", "на власні очі", "بعيني",
    "بعيوني", "خودم دیدم", "با چشم خودم",
    "снял наш корреспондент", "снимал наш корреспондент", "зняв наш кореспондент",
    "filmed by our correspondent", "our correspondent filmed",
)  # fmt: skip
_CORRESPONDENTS = (
    "our correspondent", "our reporter", "our stringer", "наш корреспондент", "наш кореспондент",
    "مراسلنا", "خبرنگار ما",
)  # fmt: skip
# (looked for in a claim's sentence only when it names a correspondent: common words)
_SAW = tuple(
    fold_phrase(p)
    for p in ("saw", "seen", "видел", "бачив", "бачила", "бачили", "شاهد", "رأى", "دیده", "دید")
)  # fmt: skip


def _place_tagged(
    text: str, claims: list[dict[str, Any]], others: list[Hit], watched: list[Hit]
) -> None:
    """A claim that names no place takes the first place the post names as a hashtag ("...
    прибыл на базу. Фото в комментариях 👇 #Тартус"; "#Камышлы #Сирия")."""
    tagged = next(
        (
            h
            for h in (*watched, *others)
            if h.kind == "place" and h.start > 0 and text[h.start - 1] == "#"
        ),
        None,
    )
    if tagged is not None:
        for claim in claims:
            if claim["location"] is None:
                claim["location"] = str(tagged.value)


# The negators right before a confirmation that take it back («пока не подтверждаем»).
_NOT_CONFIRMING = frozenset(fold_phrase(w) for w in ("не", "ні", "not", "لا", "نمی", "نه"))


def _confirmed_by_the_poster(
    folded: Folded,
    spans: list[tuple[int, int]],
    claims: list[dict[str, Any]],
    claimed: list[int],
    details: _Details,
) -> None:
    """A hedged claim that the poster confirms after it, in its own sentence or at the head of
    the next one when that sentence has no claim of its own, is asserted ("Earlier we cited a single
    source saying Turkish commandos had been flown to Misrata. We can now confirm it: ...");
    not a confirmation that belongs to a later claim ("... وصول مئات المقاتلين إلى الحديدة.
    ومن جهتنا نؤكد دخول رتل ... إلى الخوخة"), nor a negated one («Сами пока не подтверждаем»)."""
    text = folded.text
    starts = [folded.from_original(c["start"]) for c in claims]
    for n, (claim, index) in enumerate(zip(claims, claimed, strict=True)):
        if claim["stance"] != HEDGED:
            continue
        end = spans[index][1]
        if index + 1 < len(spans) and index + 1 not in claimed:
            # (at the head of the next sentence: "Сегодня подтверждаем: ...")
            end = min(spans[index + 1][1], spans[index + 1][0] + 60)
        if n + 1 < len(claims):
            end = min(end, starts[n + 1])
        hit = details.first("confirmation", starts[n], end)
        if hit is not None and not _NOT_CONFIRMING.intersection(
            text[max(0, hit.start - 8) : hit.start].split()[-1:]
        ):
            claim["stance"] = ASSERTED


def _seen_by_the_poster(folded: Folded, claims: list[dict[str, Any]], details: _Details) -> None:
    """A hedged claim whose own sentence says the poster or its correspondent saw it is
    asserted ("За словами «Гаюна», колона заїхала в Брест. А в Пінську їх учора бачив наш
    кореспондент": the second is the channel's own)."""
    for claim in claims:
        if claim["stance"] == HEDGED:
            start = folded.from_original(claim["start"])
            end = folded.from_original(claim["end"])
            if details.first("own_eyes", start, end) or (
                details.first("correspondent", start, end)
                and any(map(folded.text[start:end].__contains__, _SAW))
            ):
                claim["stance"] = ASSERTED


# An "army" or its "soldiers" that a club's fans call themselves.
_FAN_ARMIES = frozenset(
    fold_phrase(w)
    for w in (
        "army", "армия", "армія", "جيش", "جنود", "سپاه", "لشکر", "ارتش", "سربازان", "كتيبة",
    )
)  # fmt: skip


def _fans(claim: dict[str, Any]) -> bool:
    """Whether a claim's actor is an "army" by name, which in a post about sport is a club's
    fans ("Красно-белая армия высадилась в Казани! Завтра все на стадион")."""
    return not _FAN_ARMIES.isdisjoint(fold_phrase(str(claim["actor"])).split())


def _restated(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`claims` less a denial that only says again the one before it, of the same place or of
    none ("... are pure fabrication. 'No foreign soldier is in Agadez,' he said."; "Жодних
    іноземних військ у Львові немає"; "هیچ نیروی ایرانی به این کشور اعزام نشده است")."""
    out = [claims[0]]
    for claim in claims[1:]:
        last = out[-1]
        if (
            claim["stance"] == DENIED
            and last["stance"] == DENIED
            and claim.get("location") in (None, last.get("location"))
        ):
            continue
        out.append(claim)
    return out


# What the poster takes back ("CORRECTION: earlier we said the marines went to Cyprus"): a claim
# in such a clause is no claim; the next sentence, or clause, says where they really went.
_RETRACTIONS = (
    "earlier we said", "earlier we reported", "earlier we wrote", "earlier we posted",
    "earlier i said", "earlier i reported", "previously we said", "previously we reported",
    "initially we reported", "we earlier reported", "we earlier said", "we previously reported",
    "we previously said", "we had earlier reported", "ранее мы писали", "ранее мы сообщали",
    "ранее мы утверждали", "раньше мы писали", "мы ранее писали", "мы ранее сообщали",
    "мы раньше писали", "раніше ми писали", "раніше ми повідомляли", "ми раніше писали",
    "ми раніше повідомляли", "попередньо ми повідомляли", "ذكرنا سابقا", "أشرنا سابقا",
    "نشرنا سابقا", "قلنا سابقا", "أوردنا سابقا", "سبق أن ذكرنا", "سبق أن نشرنا", "سبق وذكرنا",
    "پیش‌تر نوشتیم", "پیشتر نوشتیم", "قبلا نوشتیم", "پیش‌تر گفتیم", "قبلا گفتیم",
    "قبلا گزارش دادیم", "پیش‌تر گزارش دادیم",
)  # fmt: skip
# A sentence that says where they really went, without a verb ("Насправді — до Миколаєва.").
_ACTUALLY = (
    "actually", "in fact", "in reality", "на самом деле", "в действительности", "насправді",
    "фактично", "والصحيح", "الصحيح", "في الواقع", "در واقع", "درواقع", "در حقیقت",
)  # fmt: skip
# Words that stand for troops named in the sentence before ("Морпехи высадились на Новой Земле.
# Информация об их переброске под Мурманск — вброс.").
_PRONOUNS = (
    "they", "them", "their", "we", "они", "их", "им", "ими", "них", "ними", "ее", "мы", "вони",
    "їх", "їхн*", "їм", "її", "ми", "منها", "منهم", "بعضهم", "بعضها", "أنها", "أنهم", "ایشان",
    "آنان", "آنها",
)  # fmt: skip


def _follow_ups(
    text: str,
    folded: Folded,
    spans: list[tuple[int, int]],
    triggers: list[Hit],
    details: _Details,
    geo_place: str | None,
    watched: list[Hit],
    claims: list[dict[str, Any]],
    claimed: list[int],
    scopes: list[tuple[int, int]],
) -> tuple[list[dict[str, Any]], list[int]]:
    """`claims` (with the index of each one's sentence) with the claims of the sentences right
    after them that tell of the same troops by a pronoun ("They actually landed in Beirut";
    "часть из них уже замечена в Судже"), which take the first claim's actor; less the claims
    the poster takes back (`_RETRACTIONS`), whose correction is asserted even without a verb
    ("Насправді — до Миколаєва.")."""
    ftext = folded.text
    taken = set(claimed)
    out: list[tuple[int, dict[str, Any]]] = []
    for claim, index, scope in zip(claims, claimed, scopes, strict=True):
        retracted = (
            details.first("retraction", *scope) is not None
            and details.first("confirmation", scope[1], len(ftext)) is None
        )
        if not retracted:
            out.append((index, claim))
        after = index + 1
        if after >= len(spans) or after in taken:
            continue
        s_start, s_end = spans[after]
        hits = within(triggers, s_start, s_end)
        kinds = {h.kind for h in hits}
        if kinds & {"veto", "withdrawal"}:
            continue
        found: list[dict[str, Any]] = []
        goals: set[Any] = set()
        pronoun = details.first("pronoun", s_start, s_end)
        motion = next((h for h in hits if h.kind == "motion"), None)
        if pronoun is not None and kinds & _MOVING:
            actor = Hit(pronoun.start, pronoun.end, "actor", None)
        elif motion is not None and not kinds & _ACTING and not retracted:
            # A movement with no one who moves, right after a claim, to a place named right
            # after it, is the same troops' ("... прибыл батальон морской пехоты. А вот слухи о
            # переброске в Хмеймим — неправда."; not "Officials in Mogadishu say none landed").
            actor = Hit(motion.start, motion.start, "actor", None)
            goals = {
                p.value
                for p in details.read(s_start, s_end, watched)[0]
                if 0 <= p.start - motion.end <= _GOAL_REACH
                # (or, the verb last in Persian, right before it after به: "به طوزخورماتو هم
                # اعزام خواهند شد")
                or (0 <= motion.start - p.end <= _GOAL_REACH and _word_before(ftext, p) == "به")
            }
        else:
            actor = None
        if actor is not None:
            found = _sentence_claim(
                text, folded, s_start, s_end, sorted([*hits, actor]), details, geo_place, watched
            )
            found = [
                c
                for c in found
                if c["location"] is not None and (pronoun is not None or c["location"] in goals)
            ]
        elif retracted and details.first("actually", s_start, s_end) is not None:
            places = details.read(s_start, s_end, watched)[0]
            place = next((p for p in places if _word_before(ftext, p) in _DESTINATION_BEFORE), None)
            if place is not None:
                o_start, o_end = folded.to_original(s_start, s_end)
                found = [
                    claim
                    | {
                        "location": str(place.value),
                        "stance": ASSERTED,
                        "evidence": text[o_start:o_end],
                        "start": o_start,
                        "end": o_end,
                    }
                ]
        for new in found:
            if new["location"] == claim["location"] and not retracted:
                continue
            new["actor"] = claim["actor"]
            if retracted and new["stance"] == DENIED:
                new["stance"] = ASSERTED  # "Это не так — её перебросили в Запорожье"
            out.append((after, new))
            taken.add(after)
    out.sort(key=lambda x: x[1]["start"])
    return [c for _, c in out][:MAX_CLAIMS], [i for i, _ in out][:MAX_CLAIMS]


NEXT_WORDS = 12  # a sentence after a claim's this short may deny or doubt it
_OBJECT_REACH = 40  # folded chars after a verb of sending that may name what is sent
# Verbs of sending (folded stems): their object may be arms rather than men.
_SENDING = tuple(
    fold_phrase(w)
    for w in (
        "send", "sent", "dispatch", "ship", "deliver", "transfer", "отправ", "направ", "перебро",
        "перебра", "перекин", "перекид", "відправ", "أرسل", "ارسل", "إرسال", "ارسال", "يرسل",
        "ترسل", "نقل", "ينقل", "تنقل", "فرست", "انتقال", "منتقل", "اعزام",
    )
)  # fmt: skip
_GOAL_REACH = 16  # folded chars from a movement word to the place it goes to ("о переброске в ")
BEFORE_WORDS = 4  # a sentence before a claim's this short may doubt it ("Unverified.")
_DENYING_HEADLINE = 2  # ... and one shorter than this may deny it ("فبركة جديدة..")


def _neighbour_stances(
    text: str,
    spans: list[tuple[int, int]],
    claims: list[dict[str, Any]],
    claimed: list[int],
    details: _Details,
    original: str,
    folded: Folded,
) -> None:
    """A short sentence right after a claim's, with no claim of its own, that denies it in its
    own words ("Troops arrived in Homs. Moscow denies it.") makes the claim denied, and one
    that doubts it ("Unconfirmed.") makes an asserted claim hedged, as does a very short doubt
    right before it ("Unverified. Troops spotted in Bamako."); a denial right before it denies
    it only as a headline of a word or two ("FAKE. Troops spotted in Bamako.")."""
    taken = set(claimed)
    previous: dict[str, Any] | None = None
    for claim, index in zip(claims, claimed, strict=True):
        said = None
        after = index + 1
        if after < len(spans) and after not in taken:
            said = _neighbour(text, spans[after], details, NEXT_WORDS, claim["location"])
            if said is not None and _elsewhere(original, folded, spans[after], claim["location"]):
                said = None  # "А чутки про десант у Голій Пристані — вигадка."
        before = index - 1
        if said is None and before >= 0 and before not in taken:
            said = _neighbour(text, spans[before], details, BEFORE_WORDS, claim["location"])
            if said == DENIED:
                if text.count(" ", *spans[before]) >= _DENYING_HEADLINE:
                    said = None  # a denial before the claim denies it only as a headline
            elif said != HEDGED:
                said = None
        if (
            said is None
            and previous is not None
            and previous["stance"] == HEDGED
            and _ADDING.match(text, spans[index][0])
        ):
            # "1/ According to partisans, a battalion moved to Melitopol. 2/ In addition, 400
            # troops arrived in Berdiansk": the source of the first claim is the second's too.
            said = HEDGED
        if said == DENIED or (said == HEDGED and claim["stance"] == ASSERTED):
            claim["stance"] = said
        previous = claim


# A thread's numbered parts: "1/ ... 2/ ...", in any digits.
_THREAD_OPEN = re.compile(r"\s*[1١۱]\s*/")
_THREAD_NEXT = re.compile(r"(?<!\S)[2٢۲]\s*/")


def _place_before(
    spans: list[tuple[int, int]],
    claims: list[dict[str, Any]],
    claimed: list[int],
    details: _Details,
    watched: list[Hit],
) -> None:
    """A claim that names no place takes the last one named in the sentence right before it,
    when that sentence carries no claim of its own ("I live just outside Rzeszów ... Anyway,
    yesterday about 300 American paratroopers turned up at the airport"; "1/ The Il-76 landed
    at Bamako airport. 2/ About 100 men of the Africa Corps got off")."""
    for claim, index in zip(claims, claimed, strict=True):
        if claim["location"] is not None or index == 0 or index - 1 in claimed:
            continue
        places = details.read(*spans[index - 1], watched)[0]
        if places:
            claim["location"] = str(places[-1].value)


def _thread_source(
    text: str,
    spans: list[tuple[int, int]],
    claims: list[dict[str, Any]],
    claimed: list[int],
    details: _Details,
) -> None:
    """A thread whose first part names a source and tells no movement of its own ("1/
    According to Ukrainian intelligence, ... 2/ 300 fighters were bussed to Al-Mayadin"):
    its source is the later parts' too, so their asserted claims are hedged."""
    second = _THREAD_NEXT.search(text)
    if second is None or any(spans[i][0] < second.start() for i in claimed):
        return
    cues = details.read(0, second.start(), [])[1]
    if stance(text, 0, second.start(), found_cues=cues) != HEDGED:
        return
    for claim in claims:
        if claim["stance"] == ASSERTED:
            claim["stance"] = HEDGED


def _elsewhere(original: str, folded: Folded, span: tuple[int, int], location: str | None) -> bool:
    """Whether the sentence `span` names, after a word of place, a place the gazetteer lacks
    that is not the claim's `location`: it is about troops somewhere else."""
    start, end = span
    o_start = folded.to_original(start, start)[0]
    head = original[o_start : o_start + 4].split(" ", 1)[0]
    if head[:1].isupper() and head.lower() in _PLACE_WORDS:
        # "В Баку эту информацию не подтвердили": where the speaker is
        start += len(head) + 1
    other = _unknown_place(original, folded, start, end, Hit(start, start, "motion", None), (0, 0))
    return other is not None and other != location


# A sentence that opens with one of these is about something else.
_ELSEWHERE = re.compile(
    r"(?:separately|meanwhile|elsewhere|also|in other news|тем временем|между тем|также"
    r"|кроме того|отдельно|тим часом|також|крім того|окремо|في الأثناء|في غضون ذلك"
    r"|من جهة أخرى|كما|همچنین|در همین حال|از سوی دیگر)\b"
)


# A short sentence that answers a claim with a no.
_NO = re.compile(fold_phrase(r"(?:no|nope|нет|ні|لا|نه)(?:[,.!—–-]|\s+(?:не|not|لم|نه)\s)"))


# A claim's sentence that opens by adding to the one before (after a thread's "2/").
_ADDING = re.compile(
    r"(?:\d+/\s*)?(?:in addition|additionally|moreover|also|кроме того|также|крім того|також"
    r"|كما|همچنین)\b"
)


def _neighbour(
    text: str, span: tuple[int, int], details: _Details, words: int, location: str | None
) -> str | None:
    """What the sentence `span` says of a claim at `location` beside it (`neighbour_stance`):
    nothing when it is long, opens on another topic, or is about troops in another place
    ("Marines landed in Crimea. The report of a move to Kursk is fake."; "Minsk calls it fake"
    still denies)."""
    start, end = span
    if text.count(" ", start, end) >= words or _ELSEWHERE.match(text, start):
        return None
    if _NO.match(text, start) is not None:
        return DENIED  # "Ні, не зайшли."
    places, cues, _ = details.read(start, end, [])
    if any(
        str(p.value) != location
        and _word_before(text, p) in _DESTINATION_BEFORE
        # "В Баку эту информацию не подтвердили": where the speaker is, not where troops went
        and text.count(" ", start, p.start) > 1
        and not _where_sources_are(text, p)
        for p in places
    ):
        return None
    return neighbour_stance(cues)


# Pictographs and flags (and the variation selector after one), which posts end a sentence with
# as often as with a full stop: "... заходят в Суджу 🇷🇺 А местные говорят ...".
_EMOJI_RUN = re.compile(
    "[\u2600-\u27bf\U0001f000-\U0001faff][\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]*(?=\\s)"
)
_BMP_EMOJI = char_table(map(chr, range(0x2600, 0x27C0)))
_EMOJI_GAP = 8  # a sentence before an emoji has this many characters at least


def _emoji_ends(
    original: str, folded: Folded, spans: list[tuple[int, int]], triggers: list[Hit]
) -> list[tuple[int, int]]:
    """`spans` split after a run of emoji that follows a word and comes before a capital letter
    of the original text (not before a hashtag, nor a lower-case word that goes on with the
    sentence: "Наші вже в Кринках 🇺🇦 морпіхи закріпились"); not a sentence with a veto word,
    which rules out all of it ("Arsenal's troops have landed in Madrid 🔴⚪ Champions League
    night tomorrow!")."""
    text = folded.text
    out: list[tuple[int, int]] = []
    for start, end in spans:
        begin = start
        if any(h.kind == "veto" and start <= h.start < end for h in triggers):
            out.append((start, end))
            continue
        for m in _EMOJI_RUN.finditer(text, start, end):
            after = m.end()
            while after < end and text[after].isspace():
                after += 1
            if after >= end or m.start() - begin < _EMOJI_GAP or text[m.start() - 1] != " ":
                continue
            head = original[folded.to_original(after, after + 1)[0]]
            if not head.isupper():
                continue
            out.append((begin, m.end()))
            begin = after
        out.append((begin, end))
    return out


def _claim_shaped(kinds: set[str]) -> bool:
    return bool(kinds & _MOVING) and bool(kinds & _ACTING)


def _may_claim(kinds: set[str]) -> bool:
    """Whether a sentence with trigger words of these kinds may carry a claim, as far as the
    kinds alone say (what `_sentence_claim` would find, without its work): no veto word; an
    actor word, or a convoy with a military marker (a convoy alone is never military); and a
    movement or presence word."""
    if "veto" in kinds or not kinds & _MOVING:
        return False
    return bool(kinds & _STRONG) or ("weak" in kinds and "marker" in kinds)


_MOVING = frozenset({"motion", "presence", "here"})
_ACTING = frozenset({"actor", "commander", "weak", "disguised", "ours", "men"})
_STRONG = frozenset({"actor", "commander", "disguised", "ours", "men"})


class _Details:
    """Places, stance cues and counts of the sentences that may carry a claim, from the hits of
    the scan that found their trigger words."""

    __slots__ = ("_hits", "_kinds", "_quoted", "_text")

    def __init__(self, hits: list[Hit], text: str = "") -> None:
        self._hits = hits
        self._kinds: set[str] | None = None
        self._text = text
        self._quoted: bool | None = None

    @property
    def quoted(self) -> bool:
        """Whether the post has a quotation mark (a clip's title may stand in it: `_in_title`),
        looked for once, when a claim asks."""
        if self._quoted is None:
            self._quoted = has_any(self._text, _QUOTE_TABLE)
        return self._quoted

    def kinds(self) -> set[str]:
        """The kinds of hit anywhere in the post (collected once)."""
        if self._kinds is None:
            self._kinds = {h.kind for h in self._hits}
        return self._kinds

    def names_a_place(self) -> bool:
        return any(h.kind == "place" for h in self._hits)

    def first(self, kind: str, start: int, end: int) -> Hit | None:
        """The first hit of `kind` in `start:end`."""
        for hit in self._hits:
            if hit.kind == kind and start <= hit.start and hit.end <= end:
                return hit
        return None

    def hashtag_denial(self, text: str) -> bool:
        """Whether a hashtag of the post denies in its own words (#fake, #фейк, #دروغ)."""
        return any(
            h.value == DENIAL and h.start > 0 and text[h.start - 1] == "#" for h in self._hits
        )

    def read(
        self, start: int, end: int, watched: list[Hit]
    ) -> tuple[list[Hit], list[Hit], list[Hit]]:
        """The places (watchlist places first, then gazetteer places they do not overlap), cues
        and counts of the sentence `start:end`."""
        found: tuple[list[Hit], ...] = ([], [], [], [])  # places, cues, counts, other
        for hit in self._hits:
            if start <= hit.start and hit.end <= end:
                found[_FAMILY.get(hit.kind, 3)].append(hit)
        places, cues, counts = longest(found[0]), found[1], found[2]
        if watched:
            mine = within(watched, start, end)
            if mine:
                known = [
                    h
                    for h in places
                    # The caller's watchlist places win over the built-in name for the same words.
                    if not any(w.start < h.end and h.start < w.end for w in mine)
                ]
                places = sorted(mine + known, key=_START)
        return places, longest(cues), longest(counts)


# The list `_Details.read` puts a hit of each kind in.
_FAMILY = {"place": 0} | dict.fromkeys(CUE_KINDS, 1) | dict.fromkeys(PHRASE_KINDS, 2)


_START = itemgetter(0)


# A year of the past century or the 2010s after "in" (in 1945, в 1979 году, در سال ۱۹۸۰, عام
# 1973): a movement told as history. The year is looked for first (a scan for its first
# digits), the word before it only then. Each alternative opens on its own first digits, so the
# regular expression engine skips ahead to them (alternatives opening on a group are tried at
# every offset).
_DIGIT = "[0-9۰-۹٠-٩]"
_PAST_YEAR = re.compile(
    "|".join(
        [f"{century}{_DIGIT}{{2}}" for century in ("19", "۱۹", "١٩", "13", "۱۳")]
        + [f"{century}[01۰۱٠١]{_DIGIT}" for century in ("20", "۲۰", "٢٠")]
    )
)
_YEAR_BEFORE = frozenset({"in", "from", "в", "у", "سال", "عام", "سنة"})
# The words before a solar-hijri year: "year" and the months (شهریور ۱۳۲۰).
_SOLAR_BEFORE = frozenset(
    {"سال", "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
     "دی", "بهمن", "اسفند"}
)  # fmt: skip


def _history(text: str, start: int, end: int) -> bool:
    """Whether the sentence tells of a past year: one of the 1900s anywhere (в мае 1945-го),
    one of 2000-2019 after "in" or "from" (in 2014, عام 2019) or as "a" year's (a 2019 drill),
    a solar-hijri one (1300s) after سال."""
    if not has_digit(text, start, end):
        return False
    for m in _PAST_YEAR.finditer(text, start, end):
        if text[m.start() - 1 : m.start()].isdigit() or text[m.end() : m.end() + 1].isdigit():
            continue
        digits = m.group()
        before = text[max(start, m.start() - 8) : m.start()].split()
        word = before[-1] if before else ""
        if digits[1] in "3۳":
            if word in _SOLAR_BEFORE:
                return True
        elif digits[1] in "9۹٩" or word in _YEAR_BEFORE:
            return True
        elif word == "a" and text[m.end() : m.end() + 1] == " ":
            return True  # "from a 2019 NATO drill" (not "a 2000-strong force")
    return False


# Direct speech ending in its source, the Russian and Ukrainian way ("...прибули до Донецька,
# — рух «Жовта стрічка»"): the claim is that source's.
_SPEECH = re.compile(r",\s*[—–]\s*\w")


# A comma or semicolon and the white space after it, or a separate و ("and"): written to open
# on one class of characters, which the regular expression engine skips ahead to, where an
# alternation of the two would be tried at every offset.
_CLAUSE_BREAK = re.compile(r"[,;،؛\s](?:(?<=[,;،؛])\s+|(?<=\s)و\s)")
_BREAK_TABLE = char_table(",;،؛و")  # what every break holds
_CARRIED = _ACTING | {"marker"}


def _clauses(
    text: str,
    s_start: int,
    s_end: int,
    hits: list[Hit],
    details: _Details,
    watched: list[Hit],
    original: str,
    folded: Folded,
) -> list[tuple[tuple[int, int], list[Hit]]]:
    """The clauses of a sentence that may each carry a claim, with their trigger words: a part
    between commas or semicolons with a verb of movement and a place of its own (not a hashtag;
    a place the gazetteer lacks, named after a word of place, counts: "перебросила в Лашо ..., а
    ... собирается отправить подкрепление в Мьявади") begins a clause
    ("Paratroopers crossed into Lebanon, while the IDF denied its troops entered Syria"; "300
    десантников прибыли в Джанкой, а сообщения об их переброске в Херсон опровергли"), the other
    parts join the clause before them. A clause that names no one who moves takes the words
    of the clause before it ("... and dozens more were seen in Damascus"). Most sentences are
    one clause, told by their movement words alone."""
    whole = [((s_start, s_end), hits)]
    moving = [h for h in hits if h.kind in _MOVING]
    if len(moving) < 2:
        return whole
    if not has_any(text, _BREAK_TABLE, s_start, s_end):
        return whole  # most sentences: no comma, semicolon or و to break at
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(text, s_start, s_end)]
    if not cuts:
        return whole
    places = details.read(s_start, s_end, watched)[0]
    bounds = [s_start, *cuts, s_end]
    groups: list[list[Any]] = []
    # Where the parts that open with "and", "а", "while" after a claim's clause began: the
    # next clause's, if one follows ("вошли в Плёхово, а 155-я, по неподтверждённым данным,
    # переброшена под Курахово": the doubt is the second movement's).
    opened: int | None = None
    for a, b in pairwise(bounds):
        moves = [h.kind for h in moving if a <= h.start and h.end <= b]
        named = any(
            a <= p.start and p.end <= b and text[p.start - 1 : p.start] != "#" for p in places
        ) or (bool(moves) and _names_unknown_place(original, folded, a, b))
        # A part that opens with a place is the last place's region or country ("arrived in
        # Tapa, Estonia today"), not a clause of its own.
        part = text[a:b]
        apposition = any(p.start == a + len(part) - len(part.lstrip()) for p in places)
        if named and "motion" in moves and groups and groups[-1][2] and not apposition:
            if opened is not None:
                groups[-1][1] = opened
                a = opened
            groups.append([a, b, True])
            opened = None
        elif groups:
            # (a part after a cut at و opens with it: "... رسید و به گفته فرمانده، ...")
            after_and = text.endswith("و ", a - 2, a)
            if (
                opened is None
                and groups[-1][2]
                and not moves
                and (after_and or _opens_clause(part))
            ):
                opened = a
            groups[-1][1] = b
            groups[-1][2] = groups[-1][2] or (named and bool(moves))
        else:
            groups.append([a, b, named and bool(moves)])
    if len(groups) < 2:
        return whole
    out: list[tuple[tuple[int, int], list[Hit]]] = []
    for c_start, c_end, _ in groups:
        mine = within(hits, c_start, c_end)
        if not any(h.kind in _ACTING for h in mine):
            mine = [h for h in hits if h.kind in _CARRIED and h.end <= c_start] + mine
        out.append(((c_start, c_end), mine))
    return out


# The words that open a clause of its own after a comma.
_CLAUSE_OPENERS = frozenset(
    {"and", "while", "whereas", "but", "а", "и", "но", "і", "й", "та", "але", "و", "ولكن", "لكن",
     "بينما", "اما", "ولی", "وَ", "أما", "فيما"}
)  # fmt: skip


def _opens_clause(part: str) -> bool:
    """Whether a part of a sentence opens with a word that begins a clause of its own."""
    words = part.split(None, 1)
    return bool(words) and words[0].strip(",;،؛") in _CLAUSE_OPENERS


def _sentence_claim(
    text: str,
    folded: Folded,
    s_start: int,
    s_end: int,
    hits: list[Hit],
    details: _Details,
    geo_place: str | None,
    watched: list[Hit],
    scope: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """The claim of the sentence `s_start:s_end`, or of its clause `scope`, whose places,
    cues, count and evidence are read in that clause only, and one more for each later stop of
    the same troops the clause names (`_stops`)."""
    c_start, c_end = (s_start, s_end) if scope is None else scope
    hits = hits[: 2 * MAX_SENTENCE_HITS]
    ftext = folded.text
    # A sentence of a past year carries a claim only when it denies one: "The video of US troops
    # in Beirut is fake, it is from a 2019 exercise", "... were NOT deployed to Qusayr, that clip
    # is from 2013" (known once the stance is).
    historic = _history(ftext, s_start, s_end) and not _denies(ftext, s_start, s_end, details)
    actors = _actors(ftext, hits, c_start)
    if not actors:
        return []
    actors = actors[:MAX_SENTENCE_HITS]
    # A presence word counts only in a sentence that names a place, which takes reading the
    # details; without a pair even when it counts, the sentence carries no claim. Nor does it
    # count in a sentence of leaving.
    # "Here" and "in the city" are a place only by the post's geotag.
    here = geo_place is not None and not watched and not details.names_a_place()
    moving = [h for h in hits if h[2] in _MOVING and (here or h[2] != "here")]
    presence = len(moving) - sum(h[2] == "motion" for h in moving)
    if presence and any(h[2] == "withdrawal" for h in hits):
        moving = [h for h in moving if h[2] == "motion"]
        presence = 0
    pair = _pair(actors, moving)
    if pair is None:
        return []
    sentence_places, cues, counts = details.read(c_start, c_end, watched)
    actor, motion = pair
    span = _actor_span(ftext, actor, actors, s_start, s_end)
    modified = _with_modifiers(text, folded, span, s_start, s_end)
    # A name the gazetteer lacks, looked for once a clause (`_unknown_place`); `_UNLOOKED` until.
    unknown: str | None = _UNLOOKED
    if presence and not sentence_places:
        # "Наши уже в Работино": a name the gazetteer lacks is a place for a presence word too.
        unknown = _unknown_place(text, folded, c_start, c_end, motion, modified)
        if unknown is not None:
            presence = 0
            moving = [h for h in moving if h.kind != "here" or here]
    if len(moving) > MAX_SENTENCE_HITS or (presence and not sentence_places):
        # Else the movement words are the ones just paired, and so is the pair.
        motions = [h for h in moving if h.kind == "motion" or sentence_places or h.kind == "here"]
        pair = _pair(actors, motions[:MAX_SENTENCE_HITS])
        if pair is None:
            return []
        if pair != (actor, motion):
            actor, motion = pair
            span = _actor_span(ftext, actor, actors, s_start, s_end)
            modified = _with_modifiers(text, folded, span, s_start, s_end)
            unknown = _UNLOOKED
    destination = _location(ftext, sentence_places, motion, modified)
    if (
        actor.kind in ("actor", "commander")
        and actor.end <= motion.start
        and ftext.startswith(_SENDING, motion.start)
    ):
        # What the group sends is arms, not its men, unless other men are named with them: the
        # words right after the verb ("IRGC sent weapons to Syria", "отправил в Ирак партию
        # дронов"), or, the verb last, those between the group and the place ("سپاه سلاح به
        # سوریه فرستاد").
        if destination is None or destination.start >= motion.end:
            start, end = motion.end, min(c_end, motion.end + _OBJECT_REACH)
        else:
            start, end = actor.end, destination.start
        if details.first("equipment", start, end) is not None and not any(
            h.kind == "actor" and start <= h.start < end for h in actors
        ):
            return []
    negated = destination is not None and (
        _negated(ftext, destination) or _owner(ftext, destination, modified)
    )
    if destination is not None and (
        negated
        or _subject(ftext, destination, motion)
        or _word_before(ftext, destination) in _SOURCE_BEFORE
    ):
        # "Russia has moved 5,000 troops to the Orikhiv area": a name the gazetteer lacks
        # is likelier the goal than the country that moves them or where they come from; a
        # place they did not go to is none ("وليس إلى قاعدة حرير").
        if unknown is _UNLOOKED:
            unknown = _unknown_place(text, folded, c_start, c_end, motion, modified)
        location: str | None = unknown or (None if negated else str(destination.value))
        destination = None if unknown or negated else destination
    else:
        location = None if destination is None else str(destination.value)
    if destination is not None and (
        _word_before(ftext, destination) in _IN_BEFORE
        or (
            is_arabic_script(ftext[destination.start])
            and (
                (
                    _word_before(ftext, destination) not in _DESTINATION_BEFORE
                    and not destination.clitic
                )
                or ftext.endswith(_BORDER, 0, destination.start)  # به مرز سوریه در القائم
            )
        )
    ):
        # "به گفته منابع محلی در هرات، ... به اسلام‌قلعه اعزام شده‌اند", "وصول دفعة من القوات
        # السعودية إلى المهرة": in Arabic script, a place said with "in" or with no word of
        # place gives way to a goal the clause sends them to by name.
        goal = _goal(text, *folded.to_original(c_start, c_end))
        if goal is not None:
            g_start, g_end = folded.from_original(goal[1]), folded.from_original(goal[2])
            if not (g_start < destination.end and destination.start < g_end):
                # The goal's own place, or the one its word governs (في أحياء الفاشر).
                known = [p for p in sentence_places if p.start < g_end + 2 and g_start < p.end]
                destination = known[0] if known else None
                location = goal[0] if destination is None else str(destination.value)
    if destination is not None and not is_arabic_script(ftext[destination.start]):
        d_start, _ = folded.to_original(destination.start, destination.end)
        facility = _facility(text, folded.to_original(c_start, c_end)[0], d_start)
        if facility is not None:
            # "at the T4 air base in Homs province": the base, not its province.
            location, destination = facility, None
        elif (apposed := _apposed(text, d_start)) is not None and not any(
            p.start < folded.from_original(apposed[2]) and folded.from_original(apposed[1]) < p.end
            for p in sentence_places
        ):
            # "in Hays, south of Hodeidah", "to positions outside Rutba, Anbar": the name the
            # gazetteer lacks, with where it lies after it.
            location, destination = apposed[0], None
        elif str(destination.value).endswith(_REGION_WORDS) and (
            named := _unknown_goal(text, folded, destination.start, motion, sentence_places)
        ):
            # "зайшли в Кіндратівку на Сумщині": the town the gazetteer lacks, in its region
            location, destination = named, None
        elif _word_before(ftext, destination) not in _DESTINATION_BEFORE and not destination.clitic:
            # "направит ли Москва в Сюник", "expect Algeria to send troops up to Tinzaouaten":
            # a place said without a word of place (a tag, a subject) gives way to a name the
            # gazetteer lacks that the movement goes to.
            named = _unknown_goal(text, folded, c_end, motion, sentence_places)
            if named is not None:
                location, destination = named, None
    if location is None and here:
        location = geo_place
    if location is None:
        if unknown is _UNLOOKED:
            unknown = _unknown_place(text, folded, c_start, c_end, motion, modified)
        location = unknown
    if location is None and (actor.kind in _PLACED or motion.kind != "motion"):
        # "Наши ребята видели их": ours and counted men move only somewhere named, and being
        # somewhere is no claim when the only place is the troops' own (Псковская дивизия).
        return []
    count = _count(ftext, span, actors, (c_start, c_end), counts)
    o_start, o_end = folded.to_original(c_start, c_end)
    a_start, a_end = folded.to_original(*modified)
    claim_stance = stance(
        ftext,
        c_start,
        c_end,
        future=motion.future_clitic,
        found_cues=cues,
        verb=motion.end if motion.kind in ("motion", "here") else None,
    )
    if claim_stance == ASSERTED and _SPEECH.search(ftext, motion.end, c_end):
        claim_stance = HEDGED
    if claim_stance == HEDGED and _own_statement(ftext, c_start, c_end, cues, modified, details):
        claim_stance = ASSERTED
    if claim_stance == ASSERTED and _told_by_another(
        text, folded, s_start, s_end, details, modified
    ):
        claim_stance = HEDGED
    sarcasm = details.first("sarcasm", s_start, s_end)
    if actor.kind != "disguised" and sarcasm is not None and sarcasm.start == s_start:
        # "Oh yes, 50,000 Polish soldiers secretly marched into Lviv 🙄": mocked, not told
        # (quoted 'volunteers' mock a cover story and tell of troops: asserted).
        claim_stance = DENIED
    if (motion.value is _TITLE_AFTER or motion.value is _TITLE_BEFORE) or (
        details.quoted
        and (
            _in_title(ftext, motion.start, motion.end, s_start, s_end)
            or (
                destination is not None
                and _in_title(ftext, destination.start, destination.end, s_start, s_end)
            )
        )
    ):
        # A clip's title ('Kadyrovites arriving in Belgorod', «Вагнер высаживается в Бенгази»):
        # what the post says of the clip is the claim's stance, wherever it says it; untold, the
        # title is the clip's claim, not the poster's.
        if _clip_debunked(ftext, details):
            claim_stance = DENIED
        elif claim_stance == ASSERTED:
            claim_stance = HEDGED
    if historic and claim_stance != DENIED:
        return []
    claim = {
        "type": "troop_deployment",
        "actor": text[a_start:a_end],
        "count": None if count is None else {"min": count.low, "max": count.high},
        "location": location,
        "stance": claim_stance,
        "evidence": text[o_start:o_end],
        "start": o_start,
        "end": o_end,
    }
    if destination is None or len(sentence_places) < 2:
        return [claim]
    stops = _stops(ftext, destination, sentence_places)
    return [claim | {"location": str(stop.value)} for stop in stops] if stops else [claim]


# What tells that a place after a claim's is the same troops' next stop ("seen in Sevastopol in
# the morning, in Yevpatoria in the evening"; "في الشدادي صباحاً، ثم في الهول مساءً"): a time of
# day or a "then" between the two places.
_NEXT_STOP = frozenset(
    fold_phrase(w)
    for w in (
        "then", "later", "morning", "afternoon", "evening", "tonight", "today", "yesterday",
        "утром", "днем", "вечером", "ночью", "сегодня", "вчера", "потом", "затем", "позже",
        "позднее", "зранку", "вранці", "уранці", "вдень", "ввечері", "увечері", "вночі", "сьогодні",
        "вчора", "потім", "пізніше", "згодом", "ثم", "صباحا", "ظهرا", "مساء", "ليلا", "اليوم",
        "امس", "لاحقا", "بعدها", "صبح", "ظهر", "عصر", "شب", "امروز", "دیروز", "سپس", "بعد",
        "بعدا",
    )
)  # fmt: skip
_NEGATING = frozenset(
    fold_phrase(w)
    for w in ("not", "no", "never", "не", "ни", "ні", "لا", "ليس", "وليس", "لم", "نه")
)
_STOP_GAP = 48  # folded chars between one stop's place and the next's


_UNLOOKED = "\x00"  # `_sentence_claim`'s mark for a name not yet looked for


def _stops(text: str, destination: Hit, places: list[Hit]) -> list[Hit]:
    """The claim's `destination` and the other places of its sentence that are the same troops'
    stops before or after it, in text order, or nothing when there are none: each stop right
    after a word of place ("in", "в", "في", "در"), with a time of day or a "then" between it and
    the one before, and no negation ("in Homs, not Hama")."""
    at = places.index(destination)
    first = at
    while first > 0 and _next_stop(text, places[first - 1], places[first]):
        first -= 1
    last = at
    while last + 1 < len(places) and _next_stop(text, places[last], places[last + 1]):
        last += 1
    if first == last:
        return []
    out: list[Hit] = []
    for place in places[first : last + 1]:
        if not out or place.value != out[-1].value:
            out.append(place)
    return out if len(out) > 1 else []


def _next_stop(text: str, one: Hit, other: Hit) -> bool:
    """Whether the place `other` is the next stop after `one` (see `_stops`)."""
    if other.start < one.end:
        return False
    gap = text[one.end : other.start]
    if len(gap) > _STOP_GAP or any(c in gap for c in ".!?\n"):
        return False
    words = {w.strip(",;:—–-()") for w in gap.split()}
    if words & _NEGATING or not words & _NEXT_STOP or words & _SAYING:
        return False  # (nor where the one who says it is: "پسرخاله‌ام که در اهواز است می‌گوید")
    marked = _word_before(text, one) in _DESTINATION_BEFORE or one.clitic in ("ب", "ل")
    then = _word_before(text, other) in _DESTINATION_BEFORE or other.clitic in ("ب", "ل")
    return marked and then


def _actors(text: str, hits: list[Hit], first: int = 0) -> list[Hit]:
    """The actor words of `hits` (a sentence's) that name who moves: not a possessor, a
    convoy only with a military word near it (looked for once a sentence), and by the word
    before it and its ending (`_actor_word`)."""
    actors: list[Hit] = []
    near: list[int] | None = None
    n = len(text)
    for hit in hits:
        start, end, kind = hit[0], hit[1], hit[2]
        if kind not in _ACTING:
            continue
        while end < n and (text[end].isalnum() or text[end] in "'-"):
            end += 1
        word = text[start:end]
        if kind == "disguised":
            # 'volunteers': the closing mark is no possessive apostrophe here
            if _quoted(text, start, end):
                actors.append(hit)
            continue
        if kind == "ours":
            if not text[first:start].strip(_LEADING):
                actors.append(hit)
            continue
        if kind == "men":
            before = text[max(first, start - 16) : start].split()
            if before and (any(c.isdigit() for c in before[-1]) or before[-1] in _COUNTED_BEFORE):
                actors.append(hit)
            continue
        if hit[3].__class__ is tuple:
            # "нас перекинули": the pronoun of the phrase is the actor
            at, size = hit[3]
            actors.append(hit._replace(start=start + at, end=start + at + size))
            continue
        if kind != "commander" and word.endswith(("'", "'s")):
            continue  # a possessor ("soldiers' letters", "the soldier's family"), not a mover
        if kind == "weak":
            if near is None:
                near = [h[0] for h in hits if h[2] in _NEAR_WEAK]
            if any(abs(s - start) <= 40 for s in near):
                actors.append(hit)
        elif _actor_word(text, start, word):
            actors.append(hit)
    return actors


_LEADING = " \t\n,.:;!?-—–\"'«»“”#🇺🇦"


_QUOTING = fold_phrase("به نقل از")


def _quoting(text: str, hit: Hit) -> bool:
    """Whether `hit` is the نقل of Persian "به نقل از" ("quoting")."""
    return hit.kind == "motion" and text.startswith(_QUOTING, hit.start - 3)


def _unveiled(text: str, triggers: list[Hit], others: list[Hit]) -> list[Hit]:
    """`triggers` less the veto words that are a quoted civilian name for troops («отпускники»,
    «گردشگران» in quotation marks are not holidaymakers or tourists), part of a longer actor's
    name (the police of الشرطة العسكرية, military police) or of a place's (قاعدة الخادم), or a
    clip's word before its quoted title (فیلم «ورود نیروهای روس به باکو» is a clip, no film
    crew's)."""
    quoted = [
        h
        for h in triggers
        if (h.kind == "actor" and h.end - h.start > 8)
        or h.value is _TITLE_AFTER  # (the film of فیلم «...» is a clip's, not a film crew's)
        or h.value is _TITLE_BEFORE
    ]
    # ... and a place's name that holds one (the servant of قاعدة الخادم, Al-Khadim air base)
    quoted += [h for h in others if h.kind == "place" and h.end - h.start > 6]
    for h in triggers:
        if h.kind == "disguised":
            end = _word_end(text, h.end, len(text))
            if _quoted(text, h.start, end):
                quoted.append(h)
    return [
        h
        for h in triggers
        if h.kind != "veto"
        or not any(q.start <= h.start and h.end <= q.end and q != h for q in quoted)
    ]


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the word `start:end` stands in quotation marks ('volunteers', «отпускники»; a
    closing ' read into the word, as `_word_end` reads it, is the mark, not a possessive)."""
    if end > start and text[end - 1] == "'":
        end -= 1
    return start > 0 and end < len(text) and text[start - 1] in _QUOTES and text[end] in _QUOTES


def _actor_word(text: str, start: int, word: str) -> bool:
    """Whether an actor word (not a convoy) at `start` names who moves, by the word before it
    and its ending."""
    before = text[max(0, start - 12) : start].split()
    last = before[-1] if before else ""
    if last in _RECIPIENT_BEFORE:
        return False
    # Slavic dative plural (бійцям, солдатам) names who receives, not who moves.
    if word.endswith(("ам", "ям")) and len(word) > 5 and not is_arabic_script(word[:1]):
        return False
    # "F-16 fighters", "Su-35 fighters": aircraft, not people.
    return not (
        last
        and word.startswith("fighter")
        and any(c.isdigit() for c in last)
        and any(c.isalpha() for c in last)  # (a model, F-16; "1,200 fighters" are men)
    )


_NEAR_WEAK = frozenset({"marker", "actor", "commander"})  # what makes a convoy military


def _pair(actors: list[Hit], motions: list[Hit]) -> tuple[Hit, Hit] | None:
    """The first actor with a movement word close enough (the nearest, the first of the
    nearest), and that movement word."""
    for actor in actors:
        a_start, a_end = actor[0], actor[1]
        best: Hit | None = None
        best_gap = ACTOR_MOTION_GAP + 1
        for motion in motions:
            if motion[0] >= a_end:
                gap = motion[0] - a_end
            elif motion[1] <= a_start:
                gap = a_start - motion[1]
            else:
                continue  # the two overlap
            if gap < best_gap:
                best, best_gap = motion, gap
        if best is not None:
            return actor, best
    return None


def _actor_span(
    text: str, first: Hit, actors: list[Hit], s_start: int, s_end: int
) -> tuple[int, int]:
    """The actor hit extended over the actor words that directly follow it ("militia convoy",
    "бойцы ЧВК Вагнер")."""
    start, end = first.start, _word_end(text, first.end, s_end)
    for hit in actors:
        if hit.start >= end and text[end : hit.start].strip() == "":
            end = _word_end(text, hit.end, s_end)
    return start, end


def _word_end(text: str, end: int, limit: int) -> int:
    while end < limit and (text[end].isalnum() or text[end] in "'-"):
        end += 1
    return end


# What no Arabic adjective opens with: a preposition or a conjunction written on its article.
_NOT_ADJECTIVE_OPENINGS = ("بال", "لل", "فال", "كال", "وال", "وبال")


def _with_modifiers(
    original: str, folded: Folded, span: tuple[int, int], s_start: int, s_end: int
) -> tuple[int, int]:
    """Widen the actor span over the words that say whose it is: "Iranian troops", "российские
    военные" (words before), "نیروهای روسی", "قوات روسية" (words after, in Arabic script)."""
    text = folded.text
    start, end = span
    if is_arabic_script(text[start : start + 1]):
        for _ in range(2):
            nxt = _next_word(text, end, s_end)
            if nxt is None or not nxt[2].endswith(_NISBA_ENDINGS) or len(nxt[2]) < 4:
                break
            if nxt[2].startswith(_NOT_ADJECTIVE_OPENINGS):
                break  # "جندي روسي بالقامشلي": a preposition on it, a place, no adjective
            end = nxt[1]
        return start, end
    for _ in range(2):
        prev = _prev_word(text, start, s_start)
        if prev is None:
            break
        w_start, _w_end, word = prev
        if word in _STOP_MODIFIERS:
            break
        # "47th Brigade", "58-я армия" (an ordinal starts with a digit: no regex for words)
        ordinal = word[:1].isdigit() and _ORDINAL.fullmatch(word) is not None
        if not word.isalpha() and "'" not in word and not ordinal:
            break
        o_start, _ = folded.to_original(w_start, w_start + 1)
        o_word = original[o_start : o_start + len(word)]
        # Every sentence starts with a capital: there, only acronyms and demonyms count.
        capitalised = o_word[:1].isupper() and (
            w_start > s_start
            or o_word.isupper()
            or word.endswith(_DEMONYM_ENDINGS)
            or word.endswith("'s")
        )
        slavic_adjective = word.endswith(_ADJECTIVE_ENDINGS) and not word.isascii()
        if not (capitalised or ordinal or slavic_adjective):
            break
        if capitalised:
            # "перебросим в Брест батальон", "підтягнув до Роботиного резерви": a name after a
            # word of place is where, not whose
            before = _prev_word(text, w_start, s_start)
            if before is not None and before[2] in _DESTINATION_BEFORE:
                break
        start = w_start
    return start, end


def _prev_word(text: str, start: int, limit: int) -> tuple[int, int, str] | None:
    end = start
    while end > limit and text[end - 1] == " ":
        end -= 1
    if end == start:
        return None  # punctuation, not a space, separates: no modifier there
    begin = end
    while begin > limit and (text[begin - 1].isalnum() or text[begin - 1] in "'-"):
        begin -= 1
    return (begin, end, text[begin:end]) if begin < end else None


def _next_word(text: str, end: int, limit: int) -> tuple[int, int, str] | None:
    begin = end
    while begin < limit and text[begin] == " ":
        begin += 1
    if begin == end:
        return None
    stop = begin
    while stop < limit and text[stop].isalnum():
        stop += 1
    return (begin, stop, text[begin:stop]) if stop > begin else None


def _denies(text: str, start: int, end: int, details: _Details) -> bool:
    return neighbour_stance(details.read(start, end, [])[1]) == DENIED


# Quotation marks around a title: the closing mark of each opening one.
_CLOSING = {"«": "»", "“": "”", "„": "“", '"': '"', "'": "'", "‘": "’"}
# What names a clip by its title, before or after it.
_CLIP_WORDS = re.compile(
    "|".join(
        map(
            re.escape,
            sorted(
                {fold_phrase(w) for w in _MEDIA}
                | {fold_phrase(w) for w in (
                    "captioned", "titled", "caption", "title", "под названием", "с подписью",
                    "з підписом", "під назвою", "заголовком", "بعنوان", "عنوان", "تحت عنوان",
                    "кадры", "кадри", "footage", "ролике", "ролику", "видеоролик", "відеоролик",
                    "الفيديو", "فيديو", "المقطع", "ویدیو", "ویدئو", "ویدیویی", "ویدئویی", "فیلمی",
                    "story",
                )},
                key=len,
                reverse=True,
            ),
        )
    )
)  # fmt: skip


def _in_title(text: str, at: int, stop: int, start: int, end: int) -> bool:
    """Whether `text[at:stop]` stands inside a clip's quoted title in the sentence `start:end`:
    inside quotation marks, with a word for a clip or a title before the opening mark or after
    the closing one. (A movement word that is the clip's word next to the title's mark, of
    `_TITLE_AFTER` or `_TITLE_BEFORE`, is in one as well.)"""
    if not has_any(text, _QUOTE_TABLE, start, at):
        return False  # most sentences: no quotation mark before it
    # The nearest mark before it: an opening one (not an apostrophe inside a word).
    opening, mark = -1, ""
    for c in _CLOSING:
        i = text.rfind(c, start, at)
        while i > start and c in "'\"" and text[i - 1].isalnum():
            i = text.rfind(c, start, i)
        if i > opening:
            opening, mark = i, c
    if opening < 0 or any(text.find(c, opening + 1, at) >= 0 for c in "»”’"):
        return False
    if mark in "'\"" and text.count(mark, start, opening) % 2:
        return False  # the closing mark of an earlier quotation
    close = text.find(_CLOSING[mark], stop, end)
    while close > 0 and mark == "'" and close + 1 < end and text[close + 1].isalnum():
        close = text.find("'", close + 1, end)  # an apostrophe ('s), not the mark
    if close < 0:
        return False
    return (
        _CLIP_WORDS.search(text, max(start, opening - 48), opening) is not None
        or _CLIP_WORDS.search(text, close + 1, min(end, close + 40)) is not None
    )


def _title_unvetoed(text: str, hits: list[Hit], start: int, end: int) -> list[Hit]:
    """A sentence's trigger words less the veto words outside a clip's quoted title that a
    movement word stands in: the title's claim is what the sentence judges ('That video of
    "Akhmat fighters arriving in Belgorod" is from a 2022 parade in Grozny.'). Most sentences
    with a veto word have no quotation mark: their words as they are."""
    if not has_any(text, _QUOTE_TABLE, start, end) or not any(
        (h.kind in _MOVING or h.kind in _ACTING) and _in_title(text, h.start, h.end, start, end)
        for h in hits
    ):
        return hits
    return [h for h in hits if h.kind != "veto" or _in_title(text, h.start, h.end, start, end)]


def _clip_debunked(text: str, details: _Details) -> bool:
    """Whether the post calls a clip false or old: a denial anywhere in it, a word of old
    footage, or a past year."""
    n = len(text)
    return (
        _denies(text, 0, n, details)
        or details.first("old_clip", 0, n) is not None
        or _history(text, 0, n)
    )


def _location(text: str, candidates: list[Hit], motion: Hit, actor: tuple[int, int]) -> Hit | None:
    """The destination. Places after a destination word ("to", "into", "в", "до", "إلى", "به")
    come first, then other places after the movement word, then places before it; a source
    ("from Iraq", "из Ливии") only when nothing else is named."""
    usable = [p for p in candidates if not (p.start < actor[1] and actor[0] < p.end)]
    if not usable:
        return None

    def rank(place: Hit) -> tuple[int, bool, int]:
        word = _word_before(text, place)
        if word in _SOURCE_BEFORE or _where_sources_are(text, place):
            return 4, False, place.start
        if _subject(text, place, motion) or _owner(text, place, actor):
            return 5, False, place.start
        if _negated(text, place) or _allegiance(text, place):
            return 6, False, place.start
        # (a title's place lies before the media word that follows the title)
        after = (place.start >= motion.start) != (motion.value is _TITLE_BEFORE)
        possessive = text.startswith("'s", place.end)  # "Russia's Kursk region": Kursk
        if (not possessive and word in _DESTINATION_BEFORE) or place.clitic in ("ب", "ل", "لل"):
            return (0 if after else 1), False, abs(place.start - motion.start)
        # Unmarked places: the city or region before the country ("#Homs #Syria: ... redeployed").
        country = str(place.value) in COUNTRIES
        return (2, country, place.start) if after else (3, country, motion.start - place.start)

    return min(usable, key=rank)


# What a place before them is the subject of ("Russia has moved 5,000 troops", "Warsaw says"),
# and what a place after them belongs to ("Минобороны России: ..."): no destination.
_SUBJECT_AUX = frozenset({"has", "have", "had", "is", "are", "was", "were", "will", "would"})
_SAYS = frozenset(
    {"says", "said", "claims", "claimed", "denies", "denied", "reports", "reported",
     "announced", "announces", "confirms", "confirmed", "заявил", "заявила", "заявили",
     "сообщил", "сообщила", "сообщили", "опроверг", "опровергли", "подтвердил", "подтвердили",
     "заявив", "повідомив", "повідомила", "повідомили", "спростував",
     "спростувала", "спростували", "підтвердив", "підтвердили", "plans", "wants", "intends",
     "will", "планирует", "намерена", "намерен", "хочет", "планує", "має", "хоче"}
)  # fmt: skip
# (and the words of one who tells, which no stop lies across: see `_next_stop`)
_SAYING = _SAYS | frozenset(
    fold_phrase(w)
    for w in ("говорит", "каже", "кажуть", "говорят", "يقول", "تقول", "قال", "قالت", "گوید",
              "میگوید", "میگه", "گفت")
)  # fmt: skip
_OWNER_BEFORE = frozenset({"минобороны", "міноборони", "mod", "генштаб", "генштаба"})
_IN_WORDS = frozenset({"in", "в", "во", "у"})
_OFFICIALS_AFTER = frozenset(
    {"mod", "ministry", "army", "defence", "defense", "military", "government", "president",
     "forces", "navy", "opposition", "foreign"}
)  # fmt: skip


def _subject(text: str, place: Hit, motion: Hit) -> bool:
    """Whether `place` is who moves or speaks, or whose ministry speaks, not where they go."""
    word = _word_before(text, place)
    after = text[place.end : place.end + 24].split()
    if after and (
        after[0] in _SAYS or (after[0] == "'s" and after[1:2] and after[1] in _OFFICIALS_AFTER)
    ):
        return True  # "в Тбилиси опровергли", "Japan's MoD plans"
    if word in _IN_WORDS and place.start > motion.end:
        before = text[max(0, place.start - 40) : place.start].split()
        if len(before) > 1 and before[-2].strip(",") in _SAYS:
            return True  # "— неправда, заявили в Сухуме", "the ministry said in Kyiv"
    if word in _DESTINATION_BEFORE:
        return False
    if word in _OWNER_BEFORE:
        return True
    if place.start > motion.start or is_arabic_script(text[place.start]):
        return False  # Arabic and Persian put the verb last: a place before it may be its goal
    after = text[place.end : place.end + 24].split()
    while after and after[0] in _SUBJECT_AUX:
        after.pop(0)
    if after and after[0].startswith(":"):
        return True  # "Sudan: RSF fighters have been seen in En Nahud": a dateline
    if not after or not after[0][:1].isalnum():
        return False
    return after[0] in _SAYS or text.startswith(after[0], motion.start)


# "..., وليس إلى قاعدة حرير", "а не в Бенгази", "not to Cyprus": a place denied.
_NEGATING_BEFORE = frozenset(
    fold_phrase(w) for w in ("not", "не", "ні", "ليس", "وليس", "لا", "نه", "без")
)


def _owner(text: str, place: Hit, actor: tuple[int, int]) -> bool:
    """Whether `place` right after the actor in Arabic script is whose army it is ("نیروهای ارتش
    پاکستان در مرز تفتان", "قوات باكستان"), not where it goes: not after a noun with the
    article, which a verb's object follows ("دخلت القوات التركية منبج")."""
    if (
        place.clitic
        or text.startswith(("لل", "ب", "ل"), place.start)
        or not (is_arabic_script(text[place.start]) and 0 <= place.start - actor[1] <= 1)
    ):
        return False  # "وصلت القوات للعراق": to Iraq
    last = text[text.rfind(" ", 0, actor[1]) + 1 : actor[1]]
    # (nor after a verb's "we": "اعزام شدیم اهواز", "we were dispatched to Ahvaz")
    return not last.startswith(("ال", "وال", "فال", "بال")) and last not in _WE_VERBS


# Who tells of it, before "in" and the place where they are ("local sources in Deir ez-Zor",
# "Источники в Ливии: ...", "مصادر في حلب"): that place is no goal.
_SOURCE_WORDS = frozenset(
    fold_phrase(w)
    for w in (
        "sources", "source", "officials", "residents", "locals", "activists", "источники",
        "источник", "джерела", "джерело", "жители", "мешканці", "مصادر", "مصدر", "ناشطون",
        "منابع", "منبع",
    )
)  # fmt: skip
_SOURCE_IN = frozenset({"in", "в", "у", "في", "در"})


def _words_before(text: str, place: Hit) -> list[str]:
    """The words of the 30 characters before `place`, up to its joined clitic ("الموالية
    لتركيا": the word before the clitic)."""
    start = place.start - len(place.clitic)
    return text[max(0, start - 30) : start].split()


def _where_sources_are(text: str, place: Hit) -> bool:
    before = _words_before(text, place)
    return len(before) > 1 and before[-1] in _SOURCE_IN and before[-2] in _SOURCE_WORDS


# Whom troops are loyal to or backed by ("الفصائل الموالية لتركيا", "forces loyal to Turkey"):
# no destination.
_LOYAL_BEFORE = frozenset(
    fold_phrase(w)
    for w in (
        "الموالية", "الموالي", "الموالين", "الموالون", "موالية", "موالين", "التابعة",
        "التابعين", "المدعومة", "المدعومين", "وابسته", "طرفدار",
    )
)  # fmt: skip
_LOYAL_TWO_BEFORE = frozenset({"loyal to", "allied to", "backed by", "лояльные к"})


def _allegiance(text: str, place: Hit) -> bool:
    """Whether `place` is whom the troops are loyal to, not where they go."""
    before = _words_before(text, place)
    if not before:
        return False
    return before[-1] in _LOYAL_BEFORE or " ".join(before[-2:]) in _LOYAL_TWO_BEFORE


def _negated(text: str, place: Hit) -> bool:
    """Whether a negator stands right before `place`, or before its word of place ("not
    Hama", "а не в Бенгази"), not before a verb ("не заходили в Белгородскую область")."""
    before = text[max(0, place.start - 40) : place.start].split()
    while before and (before[-1].endswith("'s") or before[-1] in _TRANSPARENT):
        before.pop()
    if before and before[-1] in _DESTINATION_BEFORE:
        before.pop()
    return bool(before) and before[-1].strip(",") in _NEGATING_BEFORE


def _word_before(text: str, place: Hit) -> str:
    before = text[max(0, place.start - 40) : place.start].split()
    # "in Russia's Kursk region", "into the north of Syria", "إلى شمال سوريا", "به مرز عراق":
    # possessives, articles and directions stand between the preposition and the place.
    while before and (before[-1].endswith("'s") or before[-1] in _TRANSPARENT):
        before.pop()
    return before[-1] if before else ""


_TRANSPARENT = frozenset(
    {"західної", "східної", "північної", "південної", "западной", "восточной", "северной",
     "южной", "the", "of", "north", "south", "east", "west", "northern", "southern", "eastern",
     "western", "central", "border", "outskirts", "region", "area", "front", "direction",
     "фронт", "район", "района", "районе", "направление", "направлении", "напрямок",
     "напрямку", "جبهة", "جبهه", "محور", "منطقة", "منطقه", "قاعدة", "مطار", "بلدة", "قرية",
     "مدينة", "جزيرة", "ميناء", "پایگاه", "فرودگاه", "شهر", "روستای", "جزیره", "بندر", "base",
     "airbase", "airport", "town", "village", "city", "island", "port", "база", "базу", "базе",
     "аэродром", "город", "село", "поселок", "остров", "місто", "селище", "острів", "аеродром",
     "север", "юг", "восток", "запад",
     "северную", "южную", "восточную", "западную", "границу", "окраины", "північ", "південь",
     "схід", "захід", "кордон", "شمال", "جنوب", "شرق", "غرب", "وسط", "ریف", "حدود", "الحدود",
     "مرز", "مرکز"}
)  # fmt: skip


# A capitalised name after a word of place that the gazetteer does not know ("entered
# Verbove", "вошли в Синьковку", "на острів Зміїний"): the village, island or base itself.
_PLACE_WORDS = (
    "into", "in", "to", "at", "on", "near", "towards", "entered", "entering", "reached",
    "reaching", "around", "outside", "в", "во", "на", "под", "до", "у", "к", "під", "біля",
    "поблизу", "возле",
)  # fmt: skip


def _word_alternation(words: Sequence[str]) -> str:
    """`(?<![\\w-])(?:word|...)`, written so that the regular expression engine skips ahead to
    the first letters the words begin with instead of trying the alternation at every offset:
    grouped by first letter (in their order within a group, so the same one matches), the
    look-behind after that letter."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return (
        "(?:"
        + "|".join(
            f"{re.escape(c)}(?<![\\w-]{re.escape(c)})(?:{'|'.join(rest)})"
            for c, rest in groups.items()
        )
        + ")"
    )


_UNKNOWN_PLACE = re.compile(
    # (at a sentence's head too: "В Тоцкое прибыли", "Into Verbove")
    _word_alternation([*_PLACE_WORDS, *(w.capitalize() for w in _PLACE_WORDS)])
    + r"\s+(?:the\s+)?(?:(?:острів|острові|острове|остров|island|село|селе|селі|селище|селищі"
    r"|с\.|смт|пгт|посёлок|поселок"
    r"|поселке|посёлке|город|городе|місто|місті|район|района|районе|районі|области|області"
    r"|окрестностях|околицях|авиабазу|авиабазе|авиабаза|авіабазу|авіабазі|авіабаза|базу|базе"
    r"|базі)\s+)?"
    r"([A-ZА-ЯЁІЇЄҐ][^\W\d_]*(?:[-'’ʼ][^\W\d_]+)*(?: (?:[A-ZА-ЯЁІЇЄҐ][^\W\d_]+|Bay|Яр|Яру"
    r"|(?:al|el|as|ad|ar|an|at|az)-[A-Z][^\W\d_]+)){0,2})"
)
# What every match of it holds: the name's capital right after white space. A search for that
# alone skips ahead to the capitals, which are few, and settles most clauses before it runs.
_CAPITAL = "[A-ZА-ЯЁІЇЄҐ]"
_NAME_AFTER_SPACE = re.compile(_CAPITAL + r"(?<=\s.)")
# Its capitals, for a look in one pass that settles the clauses with none (Arabic script).
_CAPITALS = char_table(re.findall(_CAPITAL, "".join(map(chr, range(0x10000)))))
_NOT_PLACES = frozenset(
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
     "Friday", "Saturday", "Sunday", "The", "This", "That", "These", "Those", "Their", "His",
     "Her", "Our", "Its", "A", "An", "Telegram", "Twitter", "TikTok", "Facebook", "Reddit",
     "Bluesky", "Mastodon", "YouTube", "Instagram", "WhatsApp", "Signal", "Google", "Maps",
     "Это", "Эти", "Этот", "Наши", "Наші", "Но", "Тот", "Той", "Ці", "Цей", "Мы", "Ми",
     "Силах", "Силы", "Сили", "Минобороны", "Міноборони", "Генштабе", "Генштабі", "Кремле",
     "Кремлі", "Пентагоне", "Пентагоні"}
)  # fmt: skip
_VOWELS = frozenset("аеёиоуыэюяіїє")
# The base form of a Slavic name the gazetteer lacks, by the case the word before it asks for
# and the name's ending: (ending, what replaces it), the first that fits, each ending after a
# consonant unless it is in `_ANY_STEM`. Only what the ending says for sure enough: a
# feminine's accusative (в Синьковку -> Синьковка, под Кременную -> Кременная); a genitive
# after до, біля, возле (до Аль-Каима -> Аль-Каим, до Абу-Кемаля -> Абу-Кемаль, до Метули ->
# Метула, до Вугледару -> Вугледар); a locative plural (в Кринках -> Кринки), a Ukrainian
# neuter's locative (у Сватовому -> Сватове), a Russian locative after ск, цк, к and р
# (в Ейске -> Ейск, в Каховке -> Каховка, в Ехегнадзоре -> Ехегнадзор); an instrumental after
# под, під (под Угледаром -> Угледар). Anything else stays as the post writes it: a
# nominative after в or на (в Світле, на Сватово) above all.
_ANY_STEM = frozenset({"ую", "юю", "ому", "ах", "ом", "ой", "ою", "ске", "цке", "ке", "ре", "ии"})
# Ukrainian only: a neuter's locative and genitive (у Сватовому, до Рівного: Russian leaves
# these as written), a masculine in -ів whose o comes back in the genitive (до Оріхова ->
# Оріхів; Russian's до Ростова -> Ростов).
_UKRAINIAN_ONLY = frozenset({"ому", "ого", "ова"})
_BASE_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "accusative": (
        ("ую", "ая"), ("юю", "яя"), ("ому", "е"), ("ах", "и"), ("ске", "ск"), ("цке", "цк"),
        ("ке", "ка"), ("ре", "р"), ("ську", "ськ"), ("цьку", "цьк"), ("ці", "ка"), ("зі", "га"),
        ("у", "а"), ("ю", "я"),
    ),
    "genitive": (
        ("ого", "е"), ("ова", "ів"), ("ії", "ія"), ("ии", "ия"), ("ів", "и"), ("ок", "ки"),
        ("а", ""), ("я", "ь"), ("и", "а"), ("ы", "а"), ("і", "а"), ("у", ""),
    ),
    "instrumental": (
        ("ую", "ая"), ("юю", "яя"), ("ом", ""), ("ою", "а"), ("ой", "а"), ("у", "а"),
    ),
}  # fmt: skip
_CASE_AFTER = {
    "в": "accusative", "во": "accusative", "на": "accusative", "у": "accusative",
    "до": "genitive", "біля": "genitive", "поблизу": "genitive", "возле": "genitive",
    "под": "instrumental", "під": "instrumental",
}  # fmt: skip
_AREA_NOUNS = frozenset(
    {"района", "районе", "районі", "области", "області", "окрестностях", "околицях"}
)
_UKRAINIAN_LETTERS = char_table("іїєґІЇЄҐ")


def _unknown_place(
    original: str, folded: Folded, c_start: int, c_end: int, motion: Hit, actor: tuple[int, int]
) -> str | None:
    """The first capitalised name after a word of place in the clause, after its movement word
    when one follows it (Latin and Cyrillic script: Arabic script has no capitals), in its
    base form when a Slavic accusative ending says so (в Синьковку -> Синьковка)."""
    o_start, o_end = folded.to_original(c_start, c_end)
    m_start, m_end = folded.to_original(motion.start, motion.end)
    a_start, a_end = folded.to_original(*actor)
    best: re.Match[str] | None = None
    # Most clauses have no capital right after white space, so no name after a word of place.
    named = (
        has_any(original, _CAPITALS, o_start, o_end)
        and _NAME_AFTER_SPACE.search(original, o_start, o_end) is not None
    )
    for m in _UNKNOWN_PLACE.finditer(original, o_start, o_end) if named else ():
        name = m.group(1)
        if (
            name.split()[0] in _NOT_PLACES
            or name.isupper()
            or name.endswith(("'", "’", "'s", "’s", "ian", "ean", "ese", "ish"))
            or (m.start(1) < a_end and a_start < m.end(1))
        ):
            continue
        if best is None or (best.start() < m_start <= m.start()):
            best = m
        if m.start() >= m_start:
            break
    if best is None:
        found = (
            _named_after_noun(original, o_start, o_end, a_start, a_end)
            or _destination_word(original, max(o_start, m_start), o_end)
            # The goal lies around the verb that sends them there, the movement word.
            or _destination_by_verb(
                original, max(o_start, m_start - _VERB_REACH), min(o_end, m_end + _VERB_REACH)
            )
        )
        # (a name the gazetteer knows after all, as "from the Kursk front" names it, is no
        # place it lacks: the known place's own rank decides)
        return None if found is None or _place_named(found) is not None else found
    district = _DISTRICT_AFTER.match(original, best.end(1))
    if district is not None and best.group(1).endswith(_DISTRICT_ADJECTIVES):
        # "в Суджанский район": the district by its name, "Суджанский район"
        return f"{_adjective_nominative(best.group(1))} {district.group(1)}"
    return _base_form(original, best, o_start, o_end)


# A district named by an adjective before "район" in any case (в Суджанский район, в
# Глушковском районе): the adjective's nominative, then the noun's.
_DISTRICT_AFTER = re.compile(r"\s+(район|округ)(?:а|е|у|ом|і)?\b")
_DISTRICT_ADJECTIVES = (
    "ский", "ского", "скому", "ском", "ским", "ський", "ського", "ському", "ським",
    "цкий", "цкого", "цком", "цький", "цького", "цькому",
)  # fmt: skip


def _adjective_nominative(word: str) -> str:
    """A masculine adjective in -ский/-ський in any case, in the nominative."""
    for ending in ("ого", "ому", "ом", "им"):
        if word.endswith(ending):
            return word[: -len(ending)] + "ий"
    return word


def _base_form(original: str, found: re.Match[str], o_start: int, o_end: int) -> str:
    """The name of a match of `_UNKNOWN_PLACE` in the clause `original[o_start:o_end]`, in its
    base form where the case its word of place asks for and its ending say it."""
    name = found.group(1).rstrip("'’ʼ-")
    if not is_cyrillic(name[0]):
        return name
    if " " in name:
        return _two_word_base(original, found, name, o_start, o_end)
    known = _known_place(name)
    if known is not None:
        return known
    if len(name) < 5:
        return name
    words = found.group(0).lower().split()
    # "в районе Аль-Каима": a noun of area before the name puts it in the genitive.
    case = "genitive" if words[1] in _AREA_NOUNS else _CASE_AFTER.get(words[0])
    if case is None:
        return name
    return _case_base(original, name, case, o_start, o_end)


def _two_word_base(original: str, found: re.Match[str], name: str, o_start: int, o_end: int) -> str:
    """A two-word Cyrillic name, an adjective and its noun, in the nominative (біля Великої
    Новосілки → Велика Новосілка, в Залізному Порту → Залізний Порт, на Великую Новосёлку →
    Великая Новосёлка); else as written."""
    first, _, noun = name.partition(" ")
    if " " in noun or len(noun) < 3:
        return name
    ukrainian = has_any(original, _UKRAINIAN_LETTERS, o_start, o_end)
    found_case = next(
        (
            (ending, feminine)
            for ending, feminine in _ADJECTIVE_CASES[ukrainian]
            if first.endswith(ending) and len(first) - len(ending) >= 3
        ),
        None,
    )
    if found_case is None:
        return name
    stem, feminine = first[: -len(found_case[0])], found_case[1]
    if feminine:
        case = _CASE_AFTER.get(found.group(0).split()[0].lower(), "genitive")
        base = _case_base(original, noun, case, o_start, o_end)
        return f"{stem}{'а' if ukrainian else 'ая'} {base}"
    # masculine: the noun's case ending off (Порту, Порті, Порта, Портом → Порт)
    for ending in ("ом", "ем", "у", "ю", "і", "е", "а", "я"):
        if noun.endswith(ending) and len(noun) - len(ending) >= 3:
            noun = noun[: -len(ending)]
            break
    hard = ukrainian or stem[-1] in "гкхжшчщ"
    return f"{stem}{'ий' if hard else 'ый'} {noun}"


# An adjective's case endings, Ukrainian (True) or Russian (False), longest first, and whether
# they are feminine (else masculine: the noun's gender, whose nominative is then built).
_ADJECTIVE_CASES: dict[bool, tuple[tuple[str, bool], ...]] = {
    True: (("ого", False), ("ому", False), ("ої", True), ("ій", True), ("ою", True), ("ім", False),
           ("у", True)),
    False: (("ой", True), ("ую", True), ("ого", False), ("ому", False), ("ом", False),
            ("ым", False), ("им", False)),
}  # fmt: skip


def _case_base(original: str, name: str, case: str, o_start: int, o_end: int) -> str:
    """One Cyrillic word in `case`, in its base form where its ending says it."""
    ukrainian: bool | None = None  # looked for once, when an ending asks
    for ending, base in _BASE_ENDINGS[case]:
        if not name.endswith(ending):
            continue
        if ending == "ке" and name[-3:-2] in _VOWELS:
            # "у Глибоке": a neuter's nominative (Глибоке, Широке), not a locative in -ке
            if ukrainian is None:
                ukrainian = has_any(original, _UKRAINIAN_LETTERS, o_start, o_end)
            if ukrainian:
                return name
        if ending in _UKRAINIAN_ONLY:
            if ukrainian is None:
                ukrainian = has_any(original, _UKRAINIAN_LETTERS, o_start, o_end)
            if not ukrainian:
                # Russian: a masculine's genitive in -ова is read by the ending after it; an
                # adjective's case is left as written.
                if ending == "ова":
                    continue
                return name
        if ending in _ANY_STEM or name[-len(ending) - 1] not in _VOWELS:
            return name[: -len(ending)] + base
    return name


# Case endings and what they replace in the nominative, tried on a name the gazetteer does not
# know as written: a town the data file lists in the nominative alone (в Сирте: Сирт, у Литві:
# Литва, в районе Лиды: Лида).
_LEMMA_ENDINGS = (
    ("ові", ""), ("ом", ""), ("ем", "ь"), ("ой", "а"), ("ою", "а"), ("ей", "я"), ("ею", "я"),
    ("ці", "ка"), ("ке", "ка"), ("зі", "га"), ("ах", "и"), ("ах", "ы"), ("е", ""), ("е", "а"),
    ("и", "а"), ("ы", "а"), ("і", "а"), ("і", ""), ("у", ""), ("у", "а"), ("ю", "я"), ("а", ""),
    ("я", "ь"),
)  # fmt: skip


def _known_place(name: str) -> str | None:
    """The gazetteer's name for a one-word Cyrillic `name` in some case: as written, or with a
    case ending put back to the nominative's."""
    candidates = [name] + [
        name[: -len(ending)] + base
        for ending, base in _LEMMA_ENDINGS
        if name.endswith(ending) and len(name) - len(ending) >= 3
    ]
    for candidate in candidates:
        known = _place_named(candidate)
        if known is not None:
            return known
    return None


def _place_named(name: str) -> str | None:
    """The gazetteer's name for `name` as written, when the whole of it is a place it knows."""
    key = fold_lowered(name).text
    for hit in _lexicon().find_longest(key):
        if hit.kind == "place" and hit.start == 0 and hit.end == len(key):
            return str(hit.value)
    return None


# Words before "to" that make it no goal.
_NOT_GOAL_BEFORE = frozenset({"according", "thanks", "due", "next", "close", "similar", "said"})
# The words of place that say where a movement goes.
_GOAL_WORDS = frozenset({"to", "into", "towards", "в", "во", "на", "до", "к", "у"})


def _unknown_goal(
    original: str, folded: Folded, c_end: int, motion: Hit, places: list[Hit]
) -> str | None:
    """A capitalised name the gazetteer lacks right after a word of place that says where a
    movement goes, from the movement word to `c_end` (folded offsets), in its base
    form; not a name of `places` nor one with a possessive."""
    # From the movement word's start: it may hold the word of place ("pushes troops into").
    m_start, _ = folded.to_original(motion.start, motion.end)
    _, o_end = folded.to_original(c_end, c_end)
    if not has_any(original, _CAPITALS, m_start, o_end):
        return None
    for m in _UNKNOWN_PLACE.finditer(original, m_start, o_end):
        words = m.group(0).split()
        name = m.group(1)
        if words[0].lower() not in _GOAL_WORDS or _not_a_name(name) or "'" in name or "’" in name:
            continue
        before = original[max(0, m.start() - 12) : m.start()].split()
        if before and before[-1].lower() in _NOT_GOAL_BEFORE:
            continue  # "according to Yevgeny Prigozhin"
        start, end = folded.from_original(m.start(1)), folded.from_original(m.end(1))
        if any(p.start < end and start < p.end for p in places):
            return None  # a place the gazetteer knows after all
        return _base_form(original, m, m_start, o_end)
    return None


def _not_a_name(name: str) -> bool:
    """Whether a capitalised name after a word of place is no place's: a month, a weekday, a
    platform, an acronym, a demonym or a possessive."""
    return (
        name.split()[0] in _NOT_PLACES
        or name.isupper()
        or name.endswith(("'", "’", "'s", "’s", "ian", "ean", "ese", "ish"))
    )


def _names_unknown_place(original: str, folded: Folded, start: int, end: int) -> bool:
    """Whether the part `start:end` of a sentence (folded offsets) names a place the gazetteer
    lacks: a capitalised name after a word of place (`_unknown_place`), a name after a noun of
    place in Arabic script, or a word after an Arabic preposition of destination (إلى الدلنج)."""
    o_start, o_end = folded.to_original(start, end)
    if has_any(original, _CAPITALS, o_start, o_end):
        for m in _UNKNOWN_PLACE.finditer(original, o_start, o_end):
            name = m.group(1)
            if not (
                name.split()[0] in _NOT_PLACES
                or name.isupper()
                or name.endswith(("'", "’", "'s", "’s", "ian", "ean", "ese", "ish"))
            ):
                return True
    return (
        _destination_word(original, o_start, o_end, named=False) is not None
        or _named_after_noun(original, o_start, o_end, -1, -1) is not None
    )


def _not_there(original: str, start: int) -> bool:
    """Whether a negation stands in the two words before `start` ("وليس إلى قاعدة حرير"):
    the place after it is where they did not go."""
    return not _NEGATING_BEFORE.isdisjoint(
        fold_phrase(original[max(0, start - 16) : start]).split()[-2:]
    )


def _destination_word(original: str, start: int, end: int, named: bool = True) -> str | None:
    """The word after an Arabic preposition of destination in `original[start:end]` (إرسال
    تعزيزات إلى الدلنج), when it is no common word: a place the gazetteer lacks. With `named`
    False, a common word of place too (إلى المدينة, "to the city"): a destination all the same."""
    if not has_any(original, ARABIC_SCRIPT, start, end):
        return None
    for m in _ARABIC_DESTINATION.finditer(original, start, end):
        name = m.group(1)
        if name in _NOT_DESTINATIONS and (named or name in _NOT_PLACE_WORDS):
            continue
        if named and name in _NOT_NAMES:
            continue
        if _not_there(original, m.start()):
            continue
        return name
    return None


# Arabic script has no capitals: a town, village, base, island or airport the gazetteer lacks is
# the word after the noun that says what it is (بلدة الأتارب, قاعدة الشدادي, جزیره خارک), two
# words when the first begins a compound name (عين الأسد, تل رفعت). Not after "city" (مدينة,
# شهر), which adjectives follow as often as names.
_ARABIC_PLACE_NOUNS = (
    "بلدة", "قرية", "قاعدة", "جزيرة", "مطار", "مخيم", "ناحية", "بلدات", "معبر", "مديرية",
    "مدينة", "جبهة",
)  # fmt: skip
_PERSIAN_PLACE_NOUNS = ("روستای", "پایگاه", "جزیره", "فرودگاه", "شهرستان", "بندر", "ولسوالی")
# The first words of compound names (عين الأسد, تل رفعت, کوه ...): the name is two words.
_COMPOUND_HEADS = "عين|تل|دير|رأس|راس|جسر|أبو|ابو|بئر|سد|کوه|جبل|بيت|بیت"
_PLACE_NOUN = re.compile(
    rf"(?<![\w\u0600-\u06ff])(?:[وب]?(?:{'|'.join(_ARABIC_PLACE_NOUNS)})"
    rf"|{'|'.join(_PERSIAN_PLACE_NOUNS)})\s+"
    rf"((?:(?:{_COMPOUND_HEADS})\s+)?[\u0620-\u064a\u066e-\u06d3\u0670\u200c]+)"
)
_PLACE_NOUNS = _ARABIC_PLACE_NOUNS + _PERSIAN_PLACE_NOUNS


# Persian puts the verb last: the word between به (or سمت, "towards") and a verb of sending or
# arriving, or between وارد ("entering") and شد, is where they go (به جلفا اعزام شدند, وارد
# تلعفر شدند), and the word after سمت a verb of going comes before (میره سمت سرخس).
_PERSIAN_WORD = "[\u0620-\u064a\u066e-\u06d3][\u0620-\u064a\u066e-\u06d3\u200c]+"
_PERSIAN_NAME = rf"((?:(?:{_COMPOUND_HEADS})\s+)?{_PERSIAN_WORD})"
_PERSIAN_DESTINATION = re.compile(
    "(?<![\u0600-\u06ff\u200c])(?:"
    r"(?:به\s+(?:سمت\s+|طرف\s+)?|سمت\s+)"
    r"(?:منطقه\s+(?:مرزی\s+)?|شهر\s+|مرز\s+|بندر\s+|پایگاه\s+|فرودگاه\s+|روستای\s+)?"
    # (and where that place lies, before the verb: به الحدیده در غرب یمن منتقل کرد)
    rf"{_PERSIAN_NAME}(?:\s+در\s+(?P<where>{_PERSIAN_WORD})(?:\s+{_PERSIAN_WORD}){{0,3}}?)?\s+"
    "(?:اعزام|منتقل|گسیل|فرستاد|رسید|رفت|حرکت|مستقر|روانه|سرازیر)"
    rf"|وارد\s+(?:منطقه\s+|شهر\s+|بندر\s+)?{_PERSIAN_NAME}\s+(?:شد|شده|می\u200cشوند|میشن|شدن)"
    r"|(?:میره|میرن|می\u200cرود|می\u200cروند|رفتند|رفت)\s+(?:به\s+)?(?:سمت|طرف)\s+"
    rf"{_PERSIAN_NAME}"
    # a movement's noun and its goal, then where the goal lies (ورود ده‌ها مدافع حرم به نبل در
    # شمال حلب)
    rf"|(?:ورود|اعزام|انتقال|استقرار)(?:\s+{_PERSIAN_WORD}){{0,4}}?\s+به\s+{_PERSIAN_NAME}"
    r"(?=\s+در\s)"
    r"|در\s+(?:مرز|منطقه(?:\s+مرزی)?|شهر|بندر|روستای|پایگاه)\s+"
    rf"{_PERSIAN_NAME}\s+(?:مستقر|حضور|دیده|مشاهده)"
    ")"
)
_NAME_GROUPS = tuple(
    i
    for i in range(1, _PERSIAN_DESTINATION.groups + 1)
    if i != _PERSIAN_DESTINATION.groupindex["where"]
)
# The verbs `_PERSIAN_DESTINATION` reads (one of them is in every match), and the stems of
# `_ARABIC_DEPLOYED_IN`'s.
_PERSIAN_GOAL_VERBS = (
    "اعزام", "منتقل", "گسیل", "فرستاد", "رسید", "رفت", "حرکت", "مستقر", "روانه", "سرازیر",
    "وارد", "میره", "میرن", "می\u200cرو", "حضور", "دیده", "مشاهده", "ورود", "انتقال", "استقرار",
)  # fmt: skip
_DEPLOYMENT_STEMS = ("تشر", "تشار", "تمركز", "تموضع", "نشر")
# How far from the movement word a goal's pattern is read, in characters.
_VERB_REACH = 64
# Arabic: the place after في that a verb of deployment governs (انتشر الجيش السوري في تل رفعت).
_ARABIC_DEPLOYED_IN = re.compile(
    r"(?<![\u0600-\u06ff])[وف]?(?:انتشر|انتشرت|انتشار|تنتشر|ينتشر|تمركز|تمركزت|تتمركز|يتمركز"
    r"|تموضع|تموضعت|انتشرت|نشر|نشرت)(?:\s+[\u0600-\u06ff]+){0,3}?\s+في\s+"
    rf"(?:(?:{'|'.join(_ARABIC_PLACE_NOUNS)})\s+)?"
    rf"((?:(?:{_COMPOUND_HEADS})\s+)?[\u0620-\u064a\u066e-\u06d3]{{3,}})"
)
# Words there that are no place's name (به منطقه اعزام شدند, "were sent to the area").
_NOT_PERSIAN_PLACES = frozenset(
    {"منطقه", "مناطق", "مرز", "مرزها", "مرزهای", "جبهه", "جبهه‌ها", "شهر", "کشور", "آنجا",
     "اینجا", "داخل", "خارج", "محل", "سوی", "سمت", "طرف", "کمک", "جنگ", "پایگاه", "پایگاه‌های",
     "خط", "مقابله", "میدان", "روستا", "روستاها", "ماموریت", "مأموریت", "این", "آن", "همین"}
)  # fmt: skip


def _destination_by_verb(original: str, start: int, end: int) -> str | None:
    """The place a Persian clause sends its troops to by `_PERSIAN_DESTINATION`, when it is no
    common word: a place the gazetteer lacks."""
    found = _goal_by_verb(original, start, end)
    return None if found is None else found[0]


def _goal_by_verb(original: str, start: int, end: int) -> tuple[str, int, int] | None:
    """`_destination_by_verb`'s name, with its span."""
    if not has_any(original, ARABIC_SCRIPT, start, end):
        return None
    clause = original[start:end]
    # Each pattern needs one of its verbs: most clauses have none, and no pattern runs.
    persian = any(map(clause.__contains__, _PERSIAN_GOAL_VERBS))
    for m in _PERSIAN_DESTINATION.finditer(original, start, end) if persian else ():
        # (the name's group of the alternative that matched; "where" is where it lies)
        group = next(i for i in _NAME_GROUPS if m.group(i) is not None)
        name = m.group(group)
        if name in _NOT_PERSIAN_PLACES or name in _NOT_NAMES or _not_there(original, m.start()):
            continue
        where = m.group("where")
        if where and "مرز" in original[m.start() : m.start(group)]:
            # a border in a place (به مرز عربستان در صعده): the place is the goal
            if where in _NOT_PERSIAN_PLACES or where in _NOT_NAMES:
                continue
            return where, m.start("where"), m.end("where")
        return name, m.start(group), m.end(group)
    if "في" in clause and any(map(clause.__contains__, _DEPLOYMENT_STEMS)):
        return _first_name(_ARABIC_DEPLOYED_IN, original, start, end)
    return None


def _first_name(
    pattern: re.Pattern[str], original: str, start: int, end: int
) -> tuple[str, int, int] | None:
    """The first name `pattern` (its group 1) finds in `original[start:end]` that is a place's
    name (not a common word of place, nor one after a negation), with its span."""
    for m in pattern.finditer(original, start, end):
        name = m.group(1)
        if name in _NOT_DESTINATIONS or name in _NOT_NAMES or _not_there(original, m.start()):
            continue
        return name, m.start(1), m.end(1)
    return None


# A base or an airfield named before the place it lies in ("at the T4 air base in Homs province",
# "al-Watiya air base in western Libya", "на авиабазе Кувейрис под Алеппо", "на авиабазу
# Аль-Джуфра в Ливии"): its name, up to the word before that place.
_FACILITY = re.compile(
    r"(?<![\w-])(?P<latin>(?:(?:al|el|as|ash|at|ad|ar|an)-)?[A-Z0-9][\w'’-]*"
    r"(?:\s[A-Z0-9][\w'’-]*)?)"
    r"(?=\s+(?i:air\s*base|air\s*field|airport|naval\s+base|military\s+base|base)\b)"
    r"|(?<![\w-])(?:авиабаз[аеу]|аэродром[аеу]?|авіабаз[аиуі]|аеродром[аiуі]?|баз[аеуі])\s+"
    r"«?(?P<cyrillic>[А-ЯЁІЇЄҐ][\w'’-]*(?:[\s-][А-ЯЁІЇЄҐ][\w'’-]*)?)»?"
)
# What every match of it holds, in lower case.
_FACILITY_WORDS = ("base", "airport", "field", "баз", "аэродром", "аеродром")
# What may stand between such a name and the place it lies in.
_FACILITY_GAP = re.compile(
    r"\s+(?i:(?:air\s*base|air\s*field|airport|naval\s+base|military\s+base|base)\s+)?"
    r"(?:in|near|outside|of|под|в|во|у|біля|поблизу|около|возле|близ)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central|northern|southern|eastern|western)\s+)?"
)


# The last words of a region's canonical name.
_REGION_WORDS = (" Oblast", " Governorate", " Province", " Region", " Krai", " Raion", " District")
# A capitalised name after a word of place, then a comma and where it lies: the known place
# after it (`_apposed`).
_APPOSED = re.compile(
    r"(?<![\w-])(?:in|into|to|at|near|outside|around|towards?)\s+(?:the\s+)?"
    r"([A-Z][\w'’-]*(?:[\s-][A-Z][\w'’-]*)?)(?:,\s+|\s+(?=near\s))"
    r"(?:(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of|near|outside"
    r"|in)\s+)?(?:the\s+)?$"
)


def _apposed(original: str, at: int) -> tuple[str, int, int] | None:
    """The name before the place at `at` (original offsets) that it is where that name lies in:
    "Hays" in "in Hays, south of Hodeidah"; not a month, an acronym or a demonym."""
    if at < 2 or original[at - 2 : at] not in (", ", "f ", "r ", "e ", "n "):
        return None  # most places: no comma, "of", "near", "outside" or "in" right before
    m = _APPOSED.search(original, max(0, at - 64), at)
    if m is None or _not_a_name(m.group(1)):
        return None
    return m.group(1), m.start(1), m.end(1)


def _facility(original: str, start: int, at: int) -> str | None:
    """The name of a base or an airfield that lies in the place at `at` (original offsets),
    named right before it in the clause that starts at `start`, or None."""
    window = max(start, at - 64)
    before = original[window:at].lower()
    if not any(map(before.__contains__, _FACILITY_WORDS)):
        return None  # most places: no base named before them
    for m in _FACILITY.finditer(original, window, at):
        gap = _FACILITY_GAP.match(original, m.end(), at)
        if gap is None or gap.end() != at:
            continue
        name = m.group("latin") or m.group("cyrillic")
        if name.split()[0] in _NOT_PLACES or (name.isupper() and name.isalpha()):
            continue
        if name.endswith(("ian", "ean", "ese", "ish", "'s", "’s")):
            continue
        return name
    return None


_BORDER = fold_phrase("مرز ")
# The words before a place that say only where they are (Arabic script), which a goal named in
# the same clause outranks (`_goal`).
_IN_BEFORE = frozenset({"در", "فی"})


def _goal(original: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The place an Arabic-script clause `original[start:end]` sends its troops to by name,
    with its span: the word after إلى or نحو, or the Persian goal of `_goal_by_verb`."""
    found = _goal_by_verb(original, start, end)
    if found is not None:
        return found
    clause = original[start:end]
    if "لى" not in clause and "نحو" not in clause and "باتجاه" not in clause:
        return None  # no إلى, الى, نحو or باتجاه
    return _first_name(_ARABIC_DESTINATION, original, start, end)


# A word after an Arabic preposition of destination, which a place the gazetteer lacks may be.
# After a noun of place (قاعدة، معسكر), the name that follows it; two words when the first begins
# a compound name (عين الأسد).
_ARABIC_DESTINATION = re.compile(
    r"(?<![\u0600-\u06ff])(?:إلى|الى|نحو|باتجاه)\s+"
    rf"(?:(?:{'|'.join((*_ARABIC_PLACE_NOUNS, 'معسكر'))})\s+)?"
    rf"((?:(?:{_COMPOUND_HEADS})\s+)?[\u0620-\u064a\u066e-\u06d3]{{3,}})"
)
# Words after such a preposition that are no place at all.
_NOT_PLACE_WORDS = frozenset(
    {"جانب", "حين", "ذلك", "هذا", "هذه", "أن", "ان", "حد", "أي", "اي", "الآن", "الان", "درجة",
     "مستوى", "مزيد", "المزيد", "أكثر", "عام", "العام", "سنة", "مئة", "مائة", "مئتي", "مئات",
     "ألفي", "الفي", "ألفين", "الفين", "الواجهة", "الجانب",
     "عشرات", "عشرين", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين"}
)  # fmt: skip
# And those that are no place's name: where, but not a name of it.
_NOT_DESTINATIONS = _NOT_PLACE_WORDS | frozenset(
    {"الخارج", "الداخل", "الأمام", "الخلف", "الوراء", "الحدود", "حدود", "الجبهة", "جبهة", "الجبهات", "الخطوط", "المنطقة", "منطقة", "البلاد",
     "مواقع", "المواقع", "قواعد", "الأراضي", "الاراضي", "أراضي", "اراضي", "أراضيه", "اراضيه",
     "أراضيها", "اراضيها", "المعسكر", "المطار", "الميدان", "الشمال", "الجنوب", "الشرق", "الغرب",
     "خط", "خطوط", "الساحل", "الريف", "ريف", "المدن", "مدن", "القرى", "قرى", "مدينة", "معسكر",
     "أحياء", "احياء", "الأحياء", "الاحياء", "حي", "شوارع", "الشوارع", "شارع", "محيط", "جبهات",
     "أحيائها", "أحيائه", "شوارعها", "أطرافها", "محيطها", "ضواحيها", "داخلها", "الشريط",
     "العاصمة",
     "ميناء", "مقاطعة", "محافظة", "ولاية", "إقليم", "اقليم", "أطراف", "اطراف", "ضواحي", "وسط",
     "شمال", "جنوب", "شرق", "غرب", "داخل", "مركز", "مناطق", "المناطق", "بلدات", "نقاط", "مقرات",
     "ثكنات", "ألف", "الف", "آلاف", "الاف", "عدة", "عدد", "كل", "بعض", "جميع", "مختلف",
     *_ARABIC_PLACE_NOUNS}
)  # fmt: skip


_NOT_NAMES = frozenset(
    {"المدينة", "البلدة", "القرية", "القاعدة", "الجزيرة", "المطار", "العسكرية", "الجوية",
     "الحدودية", "الرئيسية", "الساحلية", "الشمالية", "الجنوبية", "الشرقية", "الغربية",
     "نظامی", "هوایی", "مرزی", "دریایی", "زمینی", "نیروی", "ما", "های", "هایی", "را", "در",
     "به", "از", "و", "كبيرة", "صغيرة", "قريبة", "بعيدة", "حدودية", "ساحلية", "جديدة", "أخرى",
     "اخرى", "مجاورة", "رئيسية", "محاصرة", "استراتيجية"}
)  # fmt: skip


def _named_after_noun(original: str, start: int, end: int, a_start: int, a_end: int) -> str | None:
    """The first name after a noun of place in `original[start:end]` (`_PLACE_NOUN`)."""
    # That expression tries its look-behind at every offset: first a pass for a letter of the
    # Arabic block, which every noun is written in, then a look for the nouns themselves.
    if not has_any(original, ARABIC_SCRIPT, start, end):
        return None  # a clause in Latin or Cyrillic script
    clause = original[start:end]
    if not any(map(clause.__contains__, _PLACE_NOUNS)):
        return None  # most clauses in Arabic script
    for m in _PLACE_NOUN.finditer(original, start, end):
        name = m.group(1)
        if name in _NOT_NAMES or name.split()[-1] in _NOT_NAMES or len(name) < 3:
            continue
        if m.start(1) < a_end and a_start < m.end(1):
            continue
        if _not_there(original, m.start()):
            continue
        return name
    return None


# Words that open a post as a header, not a source ("BREAKING:", "Уточнение:", "عاجل:").
_HEADERS = frozenset(
    fold_phrase(w)
    for w in (
        "breaking", "update", "updated", "urgent", "correction", "confirmed", "geolocated",
        "spotted", "video", "photo", "photos", "footage", "thread", "watch", "map", "now", "live",
        "new", "today", "tonight", "latest", "exclusive", "alert", "fake", "osint", "срочно",
        "молния", "уточнение", "поправка", "фото", "видео", "відео", "терміново", "увага",
        "важно", "важливо", "сейчас", "зараз", "عاجل", "فوري", "تصحيح", "فيديو", "صور",
        "официально", "офіційно", "officially", "رسميا", "новости", "новини", "news", "can",
        "فوری", "اصلاحیه", "ویدیو", "تصاویر", "خبر", "from", "the", "a", "of", "update from",
    )
)  # fmt: skip
_LABEL_WORDS = 6


def _told_by_another(
    original: str,
    folded: Folded,
    s_start: int,
    s_end: int,
    details: _Details,
    actor: tuple[int, int],
) -> bool:
    """Whether the sentence opens with its source and a colon ("Niger state TV: ...", "LRT:
    ...", "المرصد السوري: ...", "Генштаб: ворог перекинув..."): a label that names an outlet,
    a monitor or activists (`_SOURCES`) or someone by a capitalised name, not a header
    ("BREAKING:", "Boots on the ground:"), not a dateline (a place, "#Homs:"), and not an army
    or ministry telling of its own troops ("UK MoD:", "ارتش:"; of the enemy's it is a source)."""
    text = folded.text
    colon = text.find(": ", s_start, min(len(text), s_start + 60))
    if colon < 0 or colon >= actor[0]:
        return False
    words = [w.strip("#@.,()") for w in text[s_start:colon].split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    if not words or len(words) > _LABEL_WORDS or words[0].lstrip("⚡️🔴❗🚨") in _HEADERS:
        return False
    if any(w.isdigit() for w in words) or "/" in text[s_start:colon]:
        return False  # a time or a thread's number
    o_start, o_end = folded.to_original(s_start, colon)
    label = list(original[o_start:o_end])
    for p in details.read(s_start, colon, [])[0]:
        p_start, p_end = folded.to_original(p.start, p.end)
        label[p_start - o_start : p_end - o_start] = " " * (p_end - p_start)
    named = "".join(label).split()  # the label less its places
    if not any(c.isalpha() for w in named for c in w):
        return False  # a dateline
    if details.first("official", s_start, colon) is not None:
        # The enemy of its own sentence ("Минобороны: ... . По данным разведки, противник
        # ..." tells of its own troops first).
        return details.first("enemy", s_start, min(s_end, actor[1] + 60)) is not None
    if details.first("source", s_start, colon) is not None:
        return True
    # A name: a capitalised word after the first (the first is capitalised anyway), or an
    # acronym (LRT, AFP).
    first = o_start + len(original[o_start:o_end]) - len(original[o_start:o_end].lstrip())
    return any(w[:1].isupper() for w in named if not original.startswith(w, first)) or (
        len(named[0]) > 1 and named[0].isupper() and named[0].isalpha()
    )


# A sentence that opens mocking what it tells.
_SARCASM = (
    "oh yes", "oh, yes", "oh sure", "oh, sure", "oh yeah", "oh, yeah", "oh right", "oh, right",
    "yeah right", "yeah, right", "sure, sure", "ага, конечно", "ага конечно", "ну да, конечно",
    "ну да конечно", "ну конечно", "ага, звісно", "ага звісно", "ну звісно", "ну так, звісно",
    "طبعا طبعا", "اكيد اكيد", "آره حتما", "البته که",
)  # fmt: skip
_PLACED = frozenset({"ours", "men"})


# Who speaks for an army, and who an army speaks of when it is the other side.
_OFFICIALS = (
    "ministry", "the ministry", "ispr", "embassy", "army", "idf", "посольство", "посольства",
    "вооруженные силы", "збройні сили", "командование", "السفارة", "وزارة الدفاع", "الجيش",
    "قيادة", "وزارت دفاع", "ارتش", "روابط عمومی", "سفارت", "минобороны", "министерство обороны",
    "министерства обороны", "міноборони",
    "міністерство оборони", "міністерства оборони", "генштаб*", "пресс-служб*", "прес-служб*",
    "командовани*", "командуванн*", "бундесвер*", "росгварди*", "нацгварди*",
    "ministry of defence", "ministry of defense", "defence ministry", "defense ministry", "mod",
    "pentagon", "дпсу", "госпогранслужб*", "держприкордонслужб*", "погранслужб*",
    "прикордонна служба", "border guard service", "border service", "штаб группировки",
    "штабе группировки", "штаб угруповання", "штабі угруповання",
    "оперативне командування", "оперативного командування", "оперативное командование",
    "пресслужб*", "сили оборони", "силы обороны", "ок «*",
    "силах оборони", "сил оборони",
)  # fmt: skip
# Who tells of others' troops: an outlet, a monitor, activists.
_SOURCES = (
    "tv", "media", "channel", "channels", "agency", "outlet", "newspaper", "monitor", "activist*",
    "observatory", "сми", "тв", "канал*", "агентств*", "издани*", "телеграм*", "паблик*", "змі",
    "видання", "телеканал*", "الإعلام", "إعلام", "وسائل", "قناة", "وكالة", "صحيفة", "شبكة",
    "المرصد", "ناشطون", "ناشطين", "رسانه*", "خبرگزاری", "شبکه", "روزنامه", "تلویزیون", "فعال",
    "فعالان",
)  # fmt: skip
_ENEMIES = (
    "противник*", "враг*", "ворог*", "окупант*", "оккупант*", "рашист*", "росіян*", "всу",
    "боевик*", "enemy", "العدو", "دشمن",
)  # fmt: skip


def _own_statement(
    text: str, start: int, end: int, cues: list[Hit], actor: tuple[int, int], details: _Details
) -> bool:
    """Whether a claim hedged only by a word of telling ("сообщает", "повідомив", ", — source")
    is an army's or ministry's own announcement of its own troops, which is asserted: an
    official speaks in the clause, or someone of troops he calls his or ours, no cue but
    telling hedges it, no enemy is named, and a country the official names (Міноборони
    Румунії) is the actor's (Румунські військові) when the actor has one."""
    official = details.first("official", start, end)
    if official is None and not _possessed(text, actor[0]):
        return False
    if details.first("enemy", start, end) is not None:
        return False
    introduced = False
    for hit in within(cues, start, end):
        if hit.kind == HEDGED and hit.value != TELLING:
            if (
                official is not None
                and actor[1] <= hit.start
                and 0 <= official.start - hit.end <= 24
            ):
                introduced = True  # "according to the Turkish defence ministry", بحسب بيان
                continue
            return False
        if hit.kind in (DENIED, HYPOTHETICAL):
            return False
    if introduced:
        # An official that a source word names, after the troops: its own troops only when it
        # is of their nation ("Turkish special forces ..., according to the Turkish defence
        # ministry"; "القوات الخاصة التركية ... بحسب بيان وزارة الدفاع التركية").
        assert official is not None
        return _same_nation(text, official, actor, start)
    if official is None or official.start <= actor[0]:
        # "Бундесвер повідомив: до Рукли прибули ...", "Кадыров заявил, что его бойцы уже в
        # Курске"
        return True
    # "..., — Міноборони Румунії": the source's country must be the troops', when the troops
    # have one ("Румунські військові"; of "російські військові" it tells as a source); troops
    # named by their unit alone are the official's own ("Военнослужащие 103-й бригады ...,
    # сообщает Минобороны Беларуси").
    words = text[max(start, actor[0] - 30) : actor[1]].split()
    nationals = [
        w for w in words if w.endswith(_NATIONAL_ENDINGS) and not w.startswith(_NOT_NATIONAL)
    ]
    # A country that moves them is their nation too ("Росія перекинула ..., — Генштаб ЗСУ").
    nationals += [
        text[p.start : p.end]
        for p in details.read(start, actor[1], [])[0]
        if str(p.value) in COUNTRIES
    ]
    if not nationals:
        return True
    country = text[official.end : official.end + 24].split()[:1]
    if not country or len(country[0]) < 5:
        return False
    return any(w[:4] == country[0][:4] for w in nationals)


# Who speaks of troops as his or ours: the troops are the speaker's own.
_POSSESSIVES = frozenset(
    {"его", "свои", "своих", "наши", "наших", "його", "свої", "своїх", "наші", "our", "his",
     "its", "their"}
)  # fmt: skip


def _possessed(text: str, at: int) -> bool:
    """Whether a possessive of the speaker's stands right before the actor at `at`."""
    words = text[max(0, at - 12) : at].split()
    return bool(words) and words[-1] in _POSSESSIVES


# The endings of a Slavic adjective of a nation (российские, румунські, американских), and the
# adjectives in them that name no nation (морской, десантный...).
_NATIONAL_ENDINGS = (
    "ские", "ских", "ский", "ская", "ской", "ские", "ського", "ські", "ських", "ський", "ська",
    "цкие", "цких", "цкий", "цькі", "цьких",
)  # fmt: skip
_NOT_NATIONAL = ("морск", "морськ", "десант", "штурм", "воздушн", "повітрян", "инженер", "інженер")

# The endings of a nation's word in English, Arabic, Russian and Ukrainian (Turkish, Iranian,
# التركية, турецкие), to compare the troops' with an official's.
_NATION_ENDINGS = tuple(
    fold_phrase(e) for e in ("ish", "ian", "ese", "an", "i", "ية", "ي", *_NATIONAL_ENDINGS)
)


_AL = fold_phrase("ال")


def _same_nation(text: str, official: Hit, actor: tuple[int, int], start: int) -> bool:
    """Whether the nation named next to an official (the word before it or after it) is named
    with the troops too, within the words before the actor's end."""
    near = text[max(start, actor[0] - 30) : min(actor[1] + 30, official.start)].split()
    own = [w.removeprefix(_AL) for w in near if len(w) > 4 and w.endswith(_NATION_ENDINGS)]
    before = text[max(0, official.start - 24) : official.start].split()[-1:]
    after = text[official.end : official.end + 24].split()[:1]
    theirs = [w.strip(".,;:!?()«»\"'").removeprefix(_AL) for w in (*before, *after)]
    return any(
        w[:4] == t[:4] for w in own for t in theirs if len(t) > 4 and t.endswith(_NATION_ENDINGS)
    )


def _named_unit(text: str, actor: Hit) -> bool:
    """ "the 3rd Mechanized Brigade", "تیپ ۶۵": a unit's name, not an amount of troops."""
    before = text[max(0, actor.start - 24) : actor.start].split()[-2:]
    after = text[actor.end : actor.end + 6].split()[:1]
    return any(w in ("of", "the") or any(c.isdigit() for c in w) for w in before + after)


def _count(
    text: str,
    span: tuple[int, int],
    actors: list[Hit],
    sentence: tuple[int, int],
    phrases: list[Hit],
) -> Quantity | None:
    """The quantity attached to the actor ("300 Iranian troops", "a battalion"), else to another
    actor of the same sentence ("the army sent two battalions")."""
    if not phrases and not has_digit(text, *sentence):
        return None
    spans = [span] + [
        (a.start, _word_end(text, a.end, len(text)))
        for a in actors
        if a.start >= span[1] and not _named_unit(text, a)
    ]
    for start, end in spans:
        window = max(sentence[0], start - COUNT_REACH)
        # A quantity may run past the actor word ("12 battalion tactical groups"), so read to
        # the sentence end and keep what starts before the actor ends.
        found = [
            q
            for q in quantities(text, window, min(sentence[1], end + COUNT_REACH), phrases)
            if q.start < end and q.end > start - COUNT_REACH
        ]
        if found:
            return found[-1]
    return None


# Arms and supplies: what a group sends that is no troops ("The IRGC sent weapons to Syria").
_EQUIPMENT = (
    "weapons", "weapon", "arms", "ammunition", "ammo", "munitions", "missiles", "missile",
    "rockets", "drones", "drone", "shells", "supplies", "оружие", "оружия", "боеприпас*",
    "снаряд*", "ракеты", "ракет", "дроны", "дронов", "беспилотник*", "зброю", "зброї", "зброя",
    "боєприпас*", "ракети", "дрони", "дронів", "безпілотник*", "أسلحة", "اسلحة", "سلاح",
    "السلاح", "الأسلحة", "ذخائر", "ذخيرة", "صواريخ", "مسيرات", "طائرات مسيرة", "تسلیحات",
    "مهمات", "موشک", "موشک ها", "پهپاد", "پهپادها", "تجهیزات",
)  # fmt: skip

# Sport anywhere in a post: its "army" that lands in a city is a club's fans ("Красно-белая армия
# высадилась в Казани! Завтра все на стадион"; "جنود الأهلي وصلوا ... لنهائي أفريقيا").
_SPORT = (
    "stadium", "league", "derby", "ultras", "fans", "supporters", "стадион*",
    "стадіон*", "матч*", "лига", "лиги", "лигу", "ліга", "ліги", "лігу", "фанат*", "болельщик*",
    "уболівальник*", "трибун*", "ملعب", "الملعب", "مباراة", "المباراة", "الدوري", "نهائي",
    "لنهائي", "ورزشگاه", "لیگ", "بازی حساس", "هوادار*", "⚽", "الأهلي", "الزمالك", "الوداد",
    "پرسپولیس", "بازی داره", "بازی دارد",
    "на гостевой", "гостевой сектор", "гостевую трибуну", "на гостьовій",
)  # fmt: skip

# Games named anywhere in a post make all its landings a game's.
_GAMES = (
    "call of duty", "warzone", "arma", "в арме", "war thunder", "hearts of iron", "hoi4", "pubg",
    "tarkov", "тарков*", "stalker", "s.t.a.l.k.e.r", "сталкер*", "clash of clans", "کلش",
    "كول أوف ديوتي", "کال آف دیوتی", "بوبجي", "ببجي", "پابجی",
    "dayz", "day z", "chernarus", "чернарус*",
)  # fmt: skip

# The poster confirming, now, what it reported on someone's word ("We can now confirm it",
# «Сегодня подтверждаем», «Тепер підтверджуємо», "مراسلنا هناك يؤكد الآن", "خبرنگار ما ... تأیید
# کرد"): the claim it confirms is asserted, and an "earlier we wrote" before it is no retraction.
_CONFIRMATIONS = (
    "we can now confirm", "can now confirm", "we now confirm", "now confirmed by our",
    "we can confirm it", "подтверждаем", "теперь подтверждаем", "сегодня подтверждаем",
    "підтверджуємо", "тепер підтверджуємо", "сьогодні підтверджуємо", "يؤكد الآن", "نؤكد الآن",
    "نؤكد", "ونؤكد", "تؤكد الآن", "این خبر را تأیید کرد", "این خبر را تایید کرد", "تأیید می کنیم",
    "تایید می کنیم", "تأیید میکنیم", "تایید میکنیم",
)  # fmt: skip

# What says a clip is old footage (`_clip_debunked`).
_OLD_CLIPS = (
    "years old", "year old", "is old", "old video", "old footage", "old clip", "recycled",
    "давности", "старое видео", "старый ролик", "старые кадры", "старое", "старе відео",
    "старі кадри", "давнє відео", "давнини", "قديم", "قديمة", "قدیمی", "قدیمیه", "مال سال",
)  # fmt: skip

# A novel's or a memoir's scenes, read and retold: no claim in the post.
_BOOKS = (
    "novel", "novels", "the chapter where", "the chapters where", "chapter where",
    "chapters where", "в романе", "у романі", "роман «", "романі «", "глава, где", "главу, где",
    "розділ, де", "той розділ", "رواية", "الرواية", "في رواية", "در رمان", "این رمان", "رمان «",
    "فصلی که",
    "ثلاثية", "trilogy", "трилогия", "трилогію",
)  # fmt: skip

_DISCOURSE.update(
    own_eyes=_OWN_EYES,
    correspondent=_CORRESPONDENTS,
    game=_GAMES,
    book=_BOOKS,
    old_clip=_OLD_CLIPS,
    confirmation=_CONFIRMATIONS,
    sport=_SPORT,
    equipment=_EQUIPMENT,
    retraction=_RETRACTIONS,
    actually=_ACTUALLY,
    pronoun=_PRONOUNS,
    sarcasm=_SARCASM,
    official=_OFFICIALS,
    source=_SOURCES,
    enemy=_ENEMIES,
)
