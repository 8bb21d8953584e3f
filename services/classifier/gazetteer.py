"""Built-in gazetteer for claim locations: countries, major cities and regions (administrative
ones, and a few others such as Donbas, Siberia or Darfur) of the conflicts analysts follow, in
English, Russian, Ukrainian, Arabic and Persian spellings. Russian and Ukrainian country names
are declined by rule (Сирия -> Сирии, Сирию, Сирией); city names are listed as stems (`курск*`
covers Курска, Курском), which is safe because the adjective of a city names the same place.
Country stems are not used: "сирийские" is Syrian, not Syria. Arabic names that take the article
also match after the joined preposition (للعراق).

Beyond these hand-written places, `places.tsv` (written by scripts/make_gazetteer.py from GeoNames
and ISO 3166; the file's header says which data and under which licence) adds every country, the
towns of 15,000 people and more in the regions analysts follow (300,000 elsewhere) and the
first-level regions of those countries (kind `region`: "Kursk Oblast", "Idlib Governorate",
"Khuzestan", with Курская область, Курщина, محافظة إدلب, استان خوزستان), in the same notation.
A Russian or Ukrainian name of adjectives and a region noun (область, край, округ, республика)
declines them together (Курской области, Курську область). The longest phrase wins, so
"Курской области" names the oblast, not the town whose stem (`курск*`) it begins with. A
hand-written place keeps priority: a spelling it has is never taken from the file. The file is
read once: its countries at import (for `COUNTRIES`), all of it on the first `place_entries()`.
Pure apart from reading that file."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from services.classifier.claims_text import PhraseSet, fold_phrase

DATA_FILE = Path(__file__).with_name("places.tsv")

# fmt: off
# canonical name -> spellings. `ru:`/`uk:` spellings are nominatives to decline; `*` marks a stem.
_PLACES: dict[str, tuple[str, ...]] = {
    # Countries and territories
    "Syria": ("Syria", "ru:Сирия", "uk:Сирія", "سوريا", "سورية", "سوریه"),
    "Lebanon": ("Lebanon", "ru:Ливан", "uk:Ліван", "لبنان"),
    "Iraq": ("Iraq", "ru:Ирак", "uk:Ірак", "العراق", "عراق"),
    "Iran": ("Iran", "ru:Иран", "uk:Іран", "إيران", "ایران"),
    "Israel": ("Israel", "ru:Израиль", "uk:Ізраїль", "إسرائيل", "اسرائیل"),
    "Gaza": ("Gaza", "Gaza Strip", "ru:Газа", "сектор газа", "uk:Газа", "غزة", "غزه"),
    "West Bank": ("West Bank", "западный берег", "західний берег", "الضفة الغربية", "کرانه باختری"),
    "Yemen": ("Yemen", "ru:Йемен", "uk:Ємен", "اليمن", "یمن"),
    "Jordan": ("Jordan", "ru:Иордания", "uk:Йорданія", "الأردن", "اردن"),
    "Kuwait": ("Kuwait", "ru:Кувейт", "uk:Кувейт", "الكويت", "کویت"),
    "Egypt": ("Egypt", "ru:Египет", "uk:Єгипет", "مصر"),
    "Sinai": ("Sinai", "синай*", "سيناء", "سینا"),
    "Turkey": ("Turkey", "Türkiye", "ru:Турция", "uk:Туреччина", "تركيا", "ترکیه"),
    "Saudi Arabia": ("Saudi Arabia", "ru:Саудовская Аравия", "السعودية", "عربستان"),
    "Qatar": ("Qatar", "ru:Катар", "uk:Катар", "قطر"),
    "Afghanistan": ("Afghanistan", "ru:Афганистан", "uk:Афганістан", "أفغانستان", "افغانستان"),
    "Armenia": ("Armenia", "ru:Армения", "uk:Вірменія", "أرمينيا", "ارمنستان"),
    "Azerbaijan": ("Azerbaijan", "ru:Азербайджан", "uk:Азербайджан", "أذربيجان", "آذربایجان"),
    "Ukraine": ("Ukraine", "ru:Украина", "uk:Україна", "أوكرانيا", "اوکراین"),
    "Russia": ("Russia", "ru:Россия", "uk:Росія", "روسيا", "روسیه"),
    "Belarus": (
        "Belarus", "ru:Беларусь", "ru:Белоруссия", "uk:Білорусь", "بيلاروسيا", "بلاروس",
    ),
    "Moldova": ("Moldova", "ru:Молдавия", "ru:Молдова", "uk:Молдова", "مولدوفا", "مولداوی"),
    "Transnistria": ("Transnistria", "приднестров*", "придністров*", "ترانسنيستريا"),
    "Poland": ("Poland", "ru:Польша", "uk:Польща", "بولندا", "لهستان"),
    "Kazakhstan": ("Kazakhstan", "ru:Казахстан", "uk:Казахстан", "كازاخستان", "قزاقستان"),
    "Georgia": ("ru:Грузия", "uk:Грузія", "جورجيا", "گرجستان"),
    "Libya": ("Libya", "ru:Ливия", "uk:Лівія", "ليبيا", "لیبی"),
    "Mali": ("Mali", "мали", "малі", "مالي", "مالی"),
    "Niger": ("Niger", "ru:Нигер", "uk:Нігер", "النيجر", "نیجر"),
    "Burkina Faso": ("Burkina Faso", "буркина-фасо", "буркіна-фасо", "بوركينا فاسو", "بورکینافاسو"),
    "Central African Republic": ("Central African Republic", "إفريقيا الوسطى"),
    "Somalia": ("Somalia", "сомали", "сомалі", "الصومال", "سومالی"),
    "Sudan": ("Sudan", "ru:Судан", "uk:Судан", "السودان", "سودان"),
    "Venezuela": ("Venezuela", "ru:Венесуэла", "uk:Венесуела", "فنزويلا", "ونزوئلا"),
    "Cuba": ("Cuba", "ru:Куба", "uk:Куба", "كوبا", "کوبا"),
    "Nicaragua": ("Nicaragua", "никарагуа", "нікарагуа", "نيكاراغوا", "نیکاراگوئه"),
    "Myanmar": ("Myanmar", "Burma", "мьянм*", "м'янм*", "ميانمار", "میانمار"),
    "DR Congo": ("Congo", "DRC", "DR Congo", "конго", "الكونغو", "کنگو"),
    "Rwanda": ("Rwanda", "руанд*", "رواندا"),
    "Ethiopia": ("Ethiopia", "ru:Эфиопия", "uk:Ефіопія", "إثيوبيا", "اتیوپی"),
    "Mozambique": ("Mozambique", "мозамбик*", "мозамбік*", "موزمبيق", "موزامبیک"),
    "Serbia": ("Serbia", "ru:Сербия", "uk:Сербія", "صربيا", "صربستان"),
    "Kosovo": ("Kosovo", "косово", "كوسوفو", "کوزوو"),
    "Taiwan": ("Taiwan", "ru:Тайвань", "uk:Тайвань", "تايوان", "تایوان"),
    "Abkhazia": ("Abkhazia", "ru:Абхазия", "uk:Абхазія", "أبخازيا", "آبخازیا"),
    "North Korea": ("North Korea", "DPRK", "КНДР", "كوريا الشمالية", "کره شمالی"),
    # Syria
    "Damascus": ("Damascus", "дамаск*", "دمشق"),
    "Aleppo": ("Aleppo", "алеппо", "халеб*", "حلب"),
    "Homs": ("Homs", "хомс*", "حمص"),
    "Hama": ("Hama", "حماة", "حماه"),
    "Idlib": ("Idlib", "идлиб*", "ідліб*", "إدلب", "ادلب"),
    "Latakia": ("Latakia", "латаки*", "латакі*", "اللاذقية", "لاذقیه"),
    "Tartus": ("Tartus", "тартус*", "طرطوس"),
    "Deir ez-Zor": (
        "Deir ez-Zor", "Deir ez Zor", "Deir Ezzor", "Deir al-Zour", "дейр-эз-зор*", "дейр-ез-зор*",
        "دير الزور", "ديرالزور", "دیرالزور",
    ),
    "Raqqa": ("Raqqa", "ракк*", "الرقة", "رقه"),
    "Palmyra": ("Palmyra", "пальмир*", "пальмір*", "تدمر"),
    "Daraa": ("Daraa", "дараа", "درعا"),
    "Qusayr": ("Qusayr", "Al-Qusayr", "кусейр*", "القصير", "قصیر"),
    "Manbij": ("Manbij", "манбидж*", "манбідж*", "منبج"),
    "Qamishli": ("Qamishli", "камышлы", "камишли", "القامشلي", "قامشلی"),
    "Kobani": ("Kobani", "Kobane", "кобани", "кобане", "كوباني", "کوبانی", "عين العرب"),
    "Hmeimim": ("Hmeimim", "Khmeimim", "хмеймим*", "хмеймім*", "حميميم", "حمیمیم"),
    "Al-Bukamal": ("Al-Bukamal", "Abu Kamal", "Albukamal", "абу-кемаль", "البوكمال", "بوکمال"),
    # Lebanon, Iraq, Iran, Yemen, Israel and Palestine, Jordan, Gulf
    "Beirut": ("Beirut", "бейрут*", "بيروت", "بیروت"),
    "Baghdad": ("Baghdad", "багдад*", "بغداد"),
    "Mosul": ("Mosul", "мосул*", "الموصل", "موصل"),
    "Basra": ("Basra", "басра", "басру", "басре", "البصرة", "بصره"),
    "Erbil": ("Erbil", "эрбиль", "ербіль", "أربيل", "اربیل"),
    "Kirkuk": ("Kirkuk", "киркук*", "кіркук*", "كركوك", "کرکوک"),
    "Tehran": ("Tehran", "тегеран*", "طهران", "تهران"),
    "Khorramshahr": ("Khorramshahr", "خرمشهر"),
    "Sanaa": ("Sanaa", "Sana'a", "сана", "صنعاء", "صنعا"),
    "Hodeidah": ("Hodeidah", "Hudaydah", "ходейд*", "الحديدة", "حدیده"),
    "Aden": ("Aden", "аден*", "عدن"),
    "Rafah": ("Rafah", "рафах*", "رفح"),
    "Khan Younis": ("Khan Younis", "хан-юнис*", "خان يونس", "خان یونس"),
    "Jerusalem": ("Jerusalem", "иерусалим*", "єрусалим*", "القدس", "اورشلیم"),
    "Golan": ("Golan", "Golan Heights", "голан*", "الجولان", "جولان"),
    "Doha": ("Doha", "доха", "доху", "الدوحة", "دوحه"),
    # Ukraine
    "Kyiv": ("Kyiv", "Kiev", "киев*", "київ*", "києв*", "كييف", "کییف", "کیف"),
    "Kharkiv": ("Kharkiv", "Kharkov", "харьков*", "харків*", "харков*", "خاركيف", "خارکیف"),
    "Donetsk": ("Donetsk", "донецк*", "донецьк*", "دونيتسك", "دونتسک"),
    "Luhansk": ("Luhansk", "Lugansk", "луганск*", "луганськ*", "لوغانسك", "لوهانسک"),
    "Zaporizhzhia": ("Zaporizhzhia", "Zaporizhia", "Zaporozhye", "запорож*", "запоріж*", "запорізьк*", "زابوريجيا", "زاپوریژیا"),
    "Kherson": ("Kherson", "херсон*", "خيرسون", "خرسون"),
    "Crimea": ("Crimea", "крым*", "крим*", "القرم", "شبه جزيرة القرم", "کریمه"),
    "Sevastopol": ("Sevastopol", "севастопол*", "سيفاستوبول", "سواستوپل"),
    "Mariupol": ("Mariupol", "мариупол*", "маріупол*", "ماريوبول", "ماریوپل"),
    "Bakhmut": ("Bakhmut", "бахмут*", "باخموت"),
    "Avdiivka": ("Avdiivka", "авдеевк*", "авдіївк*", "أفدييفكا", "آودیوکا"),
    "Pokrovsk": ("Pokrovsk", "покровск*", "покровськ*", "بوكروفسك", "پوکروفسک"),
    "Vovchansk": ("Vovchansk", "Volchansk", "волчанск*", "вовчанськ*"),
    "Melitopol": ("Melitopol", "мелитопол*", "мелітопол*", "ميليتوبول", "ملیتوپل"),
    "Odesa": ("Odesa", "Odessa", "одес*", "أوديسا", "اودسا"),
    "Mykolaiv": ("Mykolaiv", "Nikolaev", "николаев*", "миколаїв*", "миколаєв*"),
    "Dnipro": ("Dnipro", "днепр*", "дніпр*", "دنيبرو"),
    "Lviv": ("Lviv", "львов*", "львів*", "لفيف", "لویو"),
    "Volyn": ("Volyn", "волын*", "волин*"),
    "Kinburn Spit": ("Kinburn Spit", "Kinburn", "кинбурн*", "кінбурн*"),
    # Russia and Belarus
    "Izium": ("Izium", "Izyum", "изюм*", "ізюм*"),
    "Sloviansk": ("Sloviansk", "Slavyansk", "славянск*", "слов'янськ*"),
    "Chernihiv": ("Chernihiv", "Chernigov", "чернигов*", "чернігів*", "чернігов*"),
    "Hostomel": ("Hostomel", "Gostomel", "гостомел*", "гостомел*"),
    "Enerhodar": ("Enerhodar", "энергодар*", "енергодар*"),
    "Kursk": ("Kursk", "курск*", "курськ*", "كورسك", "کورسک"),
    "Belgorod": ("Belgorod", "белгород*", "бєлгород*", "بيلغورود", "بلگورود"),
    "Bryansk": ("Bryansk", "брянск*", "брянськ*", "بريانسك", "بریانسک"),
    "Moscow": ("Moscow", "ru:Москва", "uk:Москва", "موسكو", "مسکو"),
    "Sumy": (
        "Sumy", "сумы", "сум", "суми", "сумах", "сумск*", "сумськ*", "سومي", "سومی",
    ),
    "Kramatorsk": ("Kramatorsk", "краматорск*", "краматорськ*", "كراماتورسك", "کراماتورسک"),
    "Kupiansk": ("Kupiansk", "Kupyansk", "купянск*", "куп'янськ*", "كوبيانسك", "کوپیانسک"),
    "Sudzha": ("Sudzha", "суджа", "суджи", "судже", "суджу", "суджей", "سودجا"),
    "Tokmak": ("Tokmak", "токмак*", "توكماك"),
    "Brest": ("Brest", "брест*", "брестск*", "бреста"),
    "Grozny": (
        "Grozny", "грозный", "грозного", "грозном", "грозному", "грозний", "грозного", "غروزني",
        "گروزنی",
    ),
    "Chechnya": ("Chechnya", "ru:Чечня", "uk:Чечня", "الشيشان", "چچن"),
    "Kaliningrad": ("Kaliningrad", "калининград*", "калінінград*", "كالينينغراد", "کالینینگراد"),
    "Minsk": ("Minsk", "минск*", "мінськ*", "مينسك", "مینسک"),
    # Africa, Latin America, Asia
    "Bamako": ("Bamako", "бамако", "باماكو", "باماکو"),
    "Tripoli": ("Tripoli", "триполи", "тріполі", "طرابلس"),
    "Benghazi": ("Benghazi", "бенгази", "бенгазі", "بنغازي", "بنغازی"),
    "Khartoum": ("Khartoum", "хартум*", "الخرطوم", "خارطوم"),
    "Bangui": ("Bangui", "банги", "бангі", "بانغي", "بانگی"),
    "Niamey": ("Niamey", "ниамей", "ніамей", "نيامي"),
    "Caracas": ("Caracas", "каракас*", "كاراكاس", "کاراکاس"),
    "Kabul": ("Kabul", "кабул*", "كابول", "کابل"),
    # Regions that are no administrative unit, or span several (the oblasts, provinces and
    # governorates are in `places.tsv`)
    "Donbas": ("Donbas", "Donbass", "донбас*", "دونباس"),
    "Siberia": ("Siberia", "ru:Сибирь", "uk:Сибір", "سيبيريا", "سیبری"),
    "Karabakh": (
        "Karabakh", "Nagorno-Karabakh", "Artsakh", "карабах*", "арцах*", "كاراباخ", "قره‌باغ",
        "قره باغ",
    ),
    "Kashmir": ("Kashmir", "кашмир*", "кашмір*", "كشمير", "کشمیر"),
    "Ladakh": ("Ladakh", "ладакх*", "لداخ"),
    "Novaya Zemlya": (
        "Novaya Zemlya", "новая земля", "новой земли", "новую землю", "новой землей",
        "нова земля", "нової землі", "нову землю", "نوفايا زيمليا",
    ),
    "Sahel": ("Sahel", "сахел*", "сахель", "сахеля", "منطقة الساحل"),
    "Galilee": ("Galilee", "галиле*", "галіле*", "الجليل"),
    "Kurdistan": ("Kurdistan", "курдистан*", "курдістан*", "كردستان", "کردستان", "كوردستان"),
    "Balochistan": ("Balochistan", "Baluchistan", "белуджистан*", "بلوچستان", "بلوشستان"),
    "Darfur": ("Darfur", "дарфур*", "دارفور"),
    "Tigray": ("Tigray", "тыграй*", "тиграй*", "تيغراي", "تیگرای"),
    "Cyrenaica": ("Cyrenaica", "киренаик*", "кіренаїк*", "برقة"),
    "Fezzan": ("Fezzan", "феццан*", "фецан*", "فزان"),
    # Seas, gulfs and straits that fleets and marines are sent to (Russian and Ukrainian
    # adjective-noun names written out case by case)
    "Persian Gulf": (
        "Persian Gulf", "Arabian Gulf", "персидский залив", "персидского залива",
        "персидском заливе", "персидским заливом", "перська затока", "перської затоки",
        "перській затоці", "перську затоку", "الخليج العربي", "الخليج الفارسي", "خلیج فارس",
    ),
    "Red Sea": (
        "Red Sea", "красное море", "красного моря", "красном море", "красным морем",
        "червоне море", "червоного моря", "червоному морі", "البحر الأحمر", "دریای سرخ",
    ),
    "Black Sea": (
        "Black Sea", "черное море", "черного моря", "черном море", "черным морем",
        "чорне море", "чорного моря", "чорному морі", "чорним морем", "البحر الأسود",
        "دریای سیاه",
    ),
    "Mediterranean": (
        "Mediterranean", "средиземное море", "средиземного моря", "средиземном море",
        "середземне море", "середземного моря", "середземному морі", "البحر المتوسط",
        "البحر الأبيض المتوسط", "دریای مدیترانه",
    ),
    "Baltic Sea": (
        "Baltic Sea", "балтийское море", "балтийского моря", "балтийском море",
        "балтійське море", "балтійського моря", "балтійському морі", "بحر البلطيق",
        "دریای بالتیک",
    ),
    "Sea of Azov": (
        "Sea of Azov", "азовское море", "азовского моря", "азовском море", "азовське море",
        "азовського моря", "азовському морі", "بحر آزوف", "دریای آزوف",
    ),
    "Caspian Sea": (
        "Caspian Sea", "каспийское море", "каспийского моря", "каспийском море",
        "каспійське море", "каспійського моря", "каспійському морі", "بحر قزوين", "دریای خزر",
    ),
    "Gulf of Aden": ("Gulf of Aden", "аденский залив", "аденском заливе", "خليج عدن", "خلیج عدن"),
    "Strait of Hormuz": (
        "Strait of Hormuz", "ормузский пролив", "ормузском проливе", "ормузька протока",
        "مضيق هرمز", "تنگه هرمز",
    ),
    "Bab el-Mandeb": ("Bab el-Mandeb", "баб-эль-мандеб*", "باب المندب"),
    "Arabian Sea": ("Arabian Sea", "аравийское море", "аравийском море", "بحر العرب", "دریای عرب"),
    "Gulf of Oman": ("Gulf of Oman", "оманский залив", "оманском заливе", "خليج عمان", "دریای عمان"),
    "Kerch Strait": ("Kerch Strait", "керченский пролив", "керченском проливе", "керченська протока"),
}
# fmt: on

# Names above down to "North Korea" are countries and territories; the rest cities and regions.
HAND_COUNTRIES = frozenset(list(_PLACES)[: list(_PLACES).index("North Korea") + 1])


def _rows(countries_only: bool = False) -> Iterator[tuple[str, str, str, int, tuple[str, ...]]]:
    with DATA_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            name, kind, code, population, spellings = line.rstrip("\n").split("\t")
            if countries_only and kind != "country":
                return  # the file lists its countries first
            yield name, kind, code, int(population), tuple(spellings.split("|"))


def data_places() -> list[tuple[str, str, str, int, tuple[str, ...]]]:
    """Every row of `places.tsv`, most populous first (countries before towns)."""
    return list(_rows())


# Every country, for ranking a claim's places (a town before its country).
COUNTRIES = HAND_COUNTRIES | frozenset(row[0] for row in _rows(countries_only=True))

# Endings added to a nominative, by the ending it has. Approximate on purpose: an extra form
# that is not a word costs nothing, a missing one loses a claim's location.
_RU_ENDINGS = {
    "ия": ("ия", "ии", "ию", "ией"),
    "ья": ("ья", "ьи", "ью", "ьей"),
    "а": ("а", "ы", "и", "е", "у", "ой"),
    "ь": ("ь", "и", "ью", "я", "ю", "е", "ем"),
    "я": ("я", "и", "е", "ю", "ей"),
    "": ("", "а", "у", "е", "ом"),
}
_UK_ENDINGS = {
    "ія": ("ія", "ії", "ію", "ією"),
    "а": ("а", "и", "і", "у", "ою"),
    "ь": ("ь", "і", "ю", "ем", "я"),
    "я": ("я", "і", "ю", "ею"),
    "": ("", "а", "у", "і", "ом", "е"),
}


# Adjective and noun declined together, case by case ("Курская область": Курской области,
# Курскую область): the adjective's nominative ending, then the pairs of endings of each case.
_Agreement = dict[str, tuple[str, tuple[tuple[str, str], ...]]]
_RU_AGREEMENT: _Agreement = {
    "область": ("ая", (("ая", "ь"), ("ой", "и"), ("ую", "ь"), ("ой", "ью"))),
    "республика": ("ая", (("ая", "а"), ("ой", "и"), ("ую", "у"), ("ой", "е"), ("ой", "ой"))),
    "край": ("ий", (("ий", "й"), ("ого", "я"), ("ому", "ю"), ("ом", "е"), ("им", "ем"))),
    "округ": ("ий", (("ий", ""), ("ого", "а"), ("ому", "у"), ("ом", "е"), ("им", "ом"))),
}
_UK_AGREEMENT: _Agreement = {
    "область": ("а", (("а", "ь"), ("ої", "і"), ("ій", "і"), ("у", "ь"), ("ою", "ю"))),
    "республіка": ("а", (("а", "ка"), ("ої", "ки"), ("ій", "ці"), ("у", "ку"), ("ою", "кою"))),
    "край": ("ий", (("ий", "й"), ("ого", "ю"), ("ому", "ю"), ("ому", "ї"), ("им", "єм"))),
    "округ": ("ий", (("ий", ""), ("ого", "у"), ("ому", "у"), ("ому", "і"), ("им", "ом"))),
}
# The noun's unchanging part, to which each case's noun ending is added.
_NOUN_STEMS = {"область": "област", "республика": "республик", "республіка": "республі",
               "край": "кра", "округ": "округ"}  # fmt: skip


def _agree(nominative: str, table: _Agreement) -> list[str]:
    """The case forms of adjectives before a noun of `table` ("Ханты-Мансийский автономный
    округ"), or nothing when the name is not of that shape."""
    *adjectives, noun = nominative.split(" ")
    if not adjectives or noun.lower() not in table:
        return []
    ending, cases = table[noun.lower()]
    stems = []
    for word in adjectives:
        # Russian "ый" declines as "ий" with ы for и ("автономный": автономным).
        hard = ending == "ий" and word.endswith("ый")
        if not (word.endswith(ending) or hard):
            return []
        stems.append((word[: len(word) - len(ending)], hard))
    stem = noun[: len(_NOUN_STEMS[noun.lower()])]
    forms = []
    for adjective_ending, noun_ending in cases:
        words = [
            s
            + (
                "ы" + adjective_ending[1:]
                if hard and adjective_ending[0] == "и"
                else adjective_ending
            )
            for s, hard in stems
        ]
        forms.append(" ".join([*words, stem + noun_ending]))
    return list(dict.fromkeys(forms))


def _decline(nominative: str, endings: dict[str, tuple[str, ...]]) -> Iterator[str]:
    agreement = _agree(nominative, _RU_AGREEMENT if endings is _RU_ENDINGS else _UK_AGREEMENT)
    if agreement:
        yield from agreement
        return
    head, _, last = nominative.rpartition(" ")
    prefix = f"{head} " if head else ""
    # Two-word names ("Саудовская Аравия") decline only the noun; the adjective keeps its form.
    for ending, forms in endings.items():
        if last.endswith(ending):
            stem = last[: len(last) - len(ending)] if ending else last
            for form in forms:
                yield prefix + stem + form
            return


def _spellings(spelling: str) -> Iterator[str]:
    if spelling.startswith("ru:"):
        yield from _decline(spelling[3:], _RU_ENDINGS)
    elif spelling.startswith("uk:"):
        yield from _decline(spelling[3:], _UK_ENDINGS)
    else:
        yield spelling
        if spelling.startswith("ال"):
            # ل + ال is written لل (للعراق): the clitic rule alone cannot see it.
            yield "لل" + spelling[2:]


@cache
def gazetteer() -> PhraseSet:
    """The compiled gazetteer (built once, on first use)."""
    return PhraseSet(place_entries())


def place_entries() -> list[tuple[str, str, object]]:
    """Every spelling as a phrase of kind `place` whose value is the canonical name: the
    hand-written places, then those of `places.tsv` with the spellings no place before them has
    (after folding)."""
    return list(_place_entries())


@cache
def _place_entries() -> tuple[tuple[str, str, object], ...]:
    entries: list[tuple[str, str, object]] = [
        (form, "place", name)
        for name, spellings in _PLACES.items()
        for spelling in spellings
        for form in _spellings(spelling)
    ]
    taken = {fold_phrase(form.strip("*")) for form, _, _ in entries}
    for name, _, _, _, spellings in _rows():
        for spelling in spellings:
            for form in _spellings(spelling):
                key = fold_phrase(form.strip("*"))
                if key and key not in taken:
                    taken.add(key)
                    entries.append((form, "place", name))
    return tuple(entries)
