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
    "Central African Republic": (
        "Central African Republic", "إفريقيا الوسطى", "أفريقيا الوسطى", "центральноафриканск*",
        "آفریقای مرکزی",
    ),
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
    # the Golan's, not Morocco's Kenitra, which Arabic spells the same
    "Quneitra": ("Quneitra", "Al-Quneitra", "кунейтр*", "القنيطرة", "قنيطرة", "قنیطره"),
    "Ghadames": ("Ghadames", "гадамес*", "غدامس"),
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
    "Samarra": ("Samarra", "самарр*", "سامراء", "سامرا"),
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
    "Zaporizhzhia": (
        "Zaporizhzhia", "Zaporizhia", "Zaporozhye", "запорож*", "запоріж*", "запорізьк*",
        "زابوريجيا", "زاپوریژیا",
    ),
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
    "Dnipro": ("Dnipro", "днепр*", "дніпр*", "دنيبرو", "січеслав*", "сичеслав*"),
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
    "Sudzha": ("Sudzha", "суджа", "суджи", "судже", "суджу", "суджей", "суджі", "суджею", "سودجا"),
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
    "Tripoli": ("Tripoli", "триполи", "тріполі", "триполі", "طرابلس"),
    "Benghazi": ("Benghazi", "бенгази", "бенгазі", "بنغازي", "بنغازی"),
    "Khartoum": ("Khartoum", "хартум*", "الخرطوم", "خارطوم"),
    "Port Sudan": ("Port Sudan", "پورتسودان", "بورتسودان"),
    "Bangui": ("Bangui", "банги", "бангі", "بانغي", "بانگی"),
    "Niamey": ("Niamey", "ниамей", "ніамей", "نيامي"),
    "Caracas": ("Caracas", "каракас*", "كاراكاس", "کاراکاس"),
    "Kabul": ("Kabul", "кабул*", "كابول", "کابل"),
    # Bases, airfields, ports, border crossings, islands and small towns that deployment posts
    # name, with the spellings posts use (the towns among them too small for `places.tsv`)
    "Al-Tanf": (
        "Al-Tanf", "At-Tanf", "Tanf", "эт-танф*", "ат-танф*", "аль-танф*", "ет-танф*", "التنف",
        "تنف",
    ),
    "T4 Airbase": (
        "T4 airbase", "T-4 airbase", "T4 air base", "T-4 air base", "T4", "T-4", "Tiyas",
        "Tiyas airbase", "авиабаза т-4", "авиабазу т-4", "авиабазе т-4", "авіабаза т-4",
        "авіабазу т-4", "авіабазі т-4", "тияс*", "тіяс*", "التيفور", "مطار التيفور", "مطار تياس",
        "تیفور",
    ),
    "Kuweires": ("Kuweires", "Kweires", "Kuwayris", "кувейрис*", "кувейріс*", "كويرس", "کویرس"),
    "Shayrat": ("Shayrat", "Al-Shayrat", "шайрат*", "الشعيرات", "شعیرات"),
    "Menagh": ("Menagh", "Minakh", "менаг*", "менах*", "منغ", "مطار منغ"),
    "Rmeilan": ("Rmeilan", "Rmelan", "Rumeilan", "рмейлан*", "рмелан*", "رميلان", "رمیلان"),
    "Al-Shaddadi": ("Al-Shaddadi", "Shaddadi", "Shadadi", "шаддади", "шаддаді", "الشدادي", "شدادی"),
    "Al-Hol": ("Al-Hol", "al-Hawl", "аль-холь", "аль-хол", "الهول"),
    "Ain Issa": (
        "Ain Issa", "Ain Eissa", "айн-исса", "айн-иса", "айн-ісса", "عين عيسى", "عین عیسی",
    ),
    "Al-Sukhnah": ("Al-Sukhnah", "Sukhnah", "Sukhna", "сухне", "сухна", "السخنة", "سخنه"),
    "Conoco gas field": (
        "Conoco gas field", "Conoco field", "коноко", "حقل كونيكو", "كونيكو", "کونیکو",
    ),
    "Al-Omar oil field": (
        "Al-Omar oil field", "al-Omar field", "Omar oil field", "аль-омар", "حقل العمر",
    ),
    "Ain al-Asad": (
        "Ain al-Asad", "Ain al-Assad", "Al-Asad Airbase", "Ayn al-Asad", "айн-эль-асад",
        "айн аль-асад", "айн-аль-асад", "айн ель-асад", "عين الأسد", "عين الاسد", "عین الاسد",
    ),
    "Harir": ("Harir air base", "Harir airbase", "харир*", "قاعدة حرير"),
    "Jurf al-Sakhar": (
        "Jurf al-Sakhar", "Jurf al-Nasr", "джурф-эс-сахар", "джурф ас-сахар", "جرف الصخر",
        "جرف النصر",
    ),
    "Tower 22": ("Tower 22", "башня 22", "вежа 22", "البرج 22", "برج ۲۲"),
    "Ruwaished": ("Ruwaished", "Al-Ruwayshid", "Ruwayshid", "рувейшед*", "الرويشد", "رویشد"),
    "Al-Watiya": (
        "Al-Watiya", "Al Watiya", "Watiya", "Al-Wattiya", "аль-ватыя", "аль-ватия", "аль-ватия",
        "ватыя", "ватія", "الوطية", "وطیه",
    ),
    "Al-Jufra": ("Al-Jufra", "Jufra", "аль-джуфр*", "джуфр*", "الجفرة", "جفره"),
    "Mitiga": ("Mitiga", "Mitiga airport", "митиг*", "мітіг*", "معيتيقة", "معیتیقه"),
    "Al-Khadim": ("Al-Khadim", "Al-Khadim airbase", "аль-хадим", "الخادم", "قاعدة الخادم"),
    "Al-Qardabiya": ("Al-Qardabiya", "Gardabya", "Ghardabiya", "гардабия", "القرضابية"),
    "Ghat": ("ru:Гат", "uk:Гат", "غات"),
    "Al-Anad": ("Al-Anad", "Al Anad", "аль-анад", "العند", "قاعدة العند"),
    "Perim": ("Perim", "Mayun", "перим*", "ميون", "جزيرة ميون"),
    "Abd al-Kuri": ("Abd al-Kuri", "абд-эль-кури", "عبد الكوري"),
    "Abu Musa": ("Abu Musa", "ru:Абу-Муса", "أبو موسى", "ابوموسی", "ابو موسی"),
    "Greater Tunb": (
        "Greater Tunb", "Big Tunb", "большой томб", "большой тунб", "طنب الكبرى", "تنب بزرگ",
    ),
    "Lesser Tunb": (
        "Lesser Tunb", "Small Tunb", "малый томб", "малый тунб", "طنب الصغرى", "تنب کوچک",
    ),
    "Al Udeid": (
        "Al Udeid", "Al-Udeid", "аль-удейд", "эль-удейд", "العديد", "قاعدة العديد", "العدید",
    ),
    "Al Dhafra": ("Al Dhafra", "Al-Dhafra", "аль-дафра", "الظفرة", "الظفره"),
    "Kharg Island": (
        "Kharg Island", "Kharg", "ru:Харк", "uk:Харк", "جزيرة خرج", "خارک", "جزیره خارک",
    ),
    "Torkham": ("Torkham", "торхам*", "تورخم", "طورخم"),
    "Spin Boldak": (
        "Spin Boldak", "спин-булдак*", "спін-булдак*", "سپين بولدك", "سپین بولدک", "اسپین بولدک",
    ),
    "Islam Qala": (
        "Islam Qala", "Islam Qal'a", "ислам-кал*", "іслам-кал*", "إسلام قلعة", "اسلام قلعه",
    ),
    "Dogharoun": ("Dogharoun", "Dogharun", "догарун*", "دوغارون"),
    "Milak": ("Milak", "милак*", "میلک"),
    "Bagram": ("Bagram", "баграм*", "باغرام", "بگرام"),
    "Norduz": ("Norduz", "Nordooz", "Nurduz", "нурдуз*", "нордуз*", "نوردوز"),
    "Jolfa": ("Jolfa", "Julfa", "джульф*", "джолф*", "جلفا", "جولفا"),
    "Meghri": ("Meghri", "мегри", "мегрі", "مغري", "مغری"),
    "Agarak": ("Agarak", "агарак*", "آگاراک"),
    "Syunik": ("Syunik", "Zangezur", "сюник*", "сюнік*", "зангезур*", "سيونيك", "سیونیک", "زنگزور"),
    "Lachin": ("Lachin", "Lachin corridor", "лачин*", "лачін*", "لاتشين", "لاچین"),
    "Stepanakert": (
        "Stepanakert", "Khankendi", "степанакерт*", "ханкенди", "ханкенді", "ستيباناكيرت",
        "استپاناکرت", "خانكندي", "خانکندی", "خان کندی",
    ),
    "Sotk": ("Sotk", "сотк", "سوتک"),
    "Snake Island": (
        "Snake Island", "Zmiinyi Island", "Zmiinyi", "остров змеиный", "острова змеиный",
        "острове змеиный", "змеиный", "змеином", "змеиного", "острів зміїний", "зміїний",
        "зміїному", "зміїного", "جزيرة الأفعى", "جزیره مار",
    ),
    "Chornobaivka": ("Chornobaivka", "Chernobaevka", "чорнобаївк*", "чернобаевк*"),
    "Belbek": ("Belbek", "бельбек*", "بلبك", "بلبک"),
    "Kacha": ("Kacha airfield", "аэродром кача", "аэродроме кача", "аеродром кача"),
    "Shaykovka": ("Shaykovka", "шайковк*", "шайківк*"),
    "Khalino": ("Khalino", "халино", "халіно"),
    "Ashuluk": ("Ashuluk", "ашулук*"),
    "Kapustin Yar": (
        "Kapustin Yar", "капустин яр", "капустином яре", "капустина яра", "капустин яру",
        "капустиному яру",
    ),
    "Mulino": ("Mulino", "мулино", "мулине"),
    "Pogonovo": ("Pogonovo", "погоново", "погонове"),
    "Krynky": ("Krynky", "Krynki", "кринк*", "крынк*", "кринок", "крынок", "كرينكي", "کرینکی"),
    "Robotyne": ("Robotyne", "Rabotino", "роботин*", "работин*", "روبوتين", "روبوتینه"),
    "Vuhledar": ("Vuhledar", "Ugledar", "вугледар*", "угледар*", "فوغليدار", "ووهلدار"),
    "Chasiv Yar": (
        "Chasiv Yar", "Chasov Yar", "часів яр", "часового яру", "часовому яру", "часовим яром",
        "часов яр", "часова яра", "часового яра", "часовом яре", "часовым яром", "تشاسيف يار",
        "چاسیو یار",
    ),
    "Hola Prystan": (
        "Hola Prystan", "Golaya Pristan", "гола пристань", "голої пристані", "голій пристані",
        "голу пристань", "голою пристанню", "голая пристань", "голой пристани", "голую пристань",
    ),
    "Yunakivka": ("Yunakivka", "Yunakovka", "юнаківк*", "юнаковк*"),
    "Senkivka": ("Senkivka", "Senkovka", "сеньківк*", "сеньковк*"),
    "Kozinka": ("Kozinka", "козинк*"),
    "Hoptivka": ("Hoptivka", "hoptovka", "гоптівк*", "гоптовк*"),
    "Graivoron": ("Graivoron", "Hraivoron", "грайворон*"),
    "Glushkovo": ("Glushkovo", "Hlushkovo", "глушково", "глушкове"),
    "Tetkino": ("Tetkino", "Tyotkino", "тёткино", "теткино", "тьоткіно", "тєткіно"),
    "Machulishchy": ("Machulishchy", "Machulishchi", "мачулищ*", "мачуліщ*"),
    "Zyabrovka": ("Zyabrovka", "зябровк*", "зябрівк*"),
    "Obuz-Lesnovsky": ("Obuz-Lesnovsky", "обуз-лесновск*", "обуз-лісновськ*"),
    "Tapa": ("Tapa", "ru:Тапа", "uk:Тапа", "تاپا"),
    "Ādaži": ("Ādaži", "Adazi", "адажи", "адажі", "آداژی"),
    "Rukla": ("Rukla", "ru:Рукла", "uk:Рукла", "روکلا"),
    "Pabradė": ("Pabradė", "Pabrade", "пабраде", "پابراده"),
    "Rūdninkai": ("Rūdninkai", "Rudninkai", "руднинкай", "рудникай", "руднінкай"),
    "Orzysz": ("Orzysz", "ожиш*"),
    "Mihail Kogălniceanu": (
        "Mihail Kogălniceanu", "Mihail Kogalniceanu", "Kogalniceanu", "когэлничану", "когалничану",
        "когельничану",
    ),
    "Ämari": ("Ämari", "Amari air base", "эмари", "емарі"),
    "Souda Bay": ("Souda Bay", "бухта суда", "бухту суда", "бухті суда", "خليج سودا", "خلیج سودا"),
    "Gotland": ("Gotland", "готланд*", "غوتلاند", "گوتلند"),
    "Bornholm": ("Bornholm", "борнхольм*", "борнгольм*"),
    "Suwałki Gap": (
        "Suwałki Gap", "Suwalki Gap", "Suwałki corridor", "сувалкск*", "сувалкськ*", "ممر سووالكي",
    ),
    "Gao": ("ru:Гао", "uk:Гао", "غاو", "گائو"),
    "Ménaka": ("Ménaka", "Menaka", "менак*", "ميناكا", "مناکا"),
    "Tessalit": ("Tessalit", "тессалит*", "тессаліт*", "تساليت", "تسالیت"),
    "Tinzaouaten": (
        "Tinzaouaten", "Tin Zaouatene", "Tinzawaten", "тинзауатен*", "тінзауатен*", "تين زواتين",
        "تین‌زواتین",
    ),
    "Bordj Badji Mokhtar": (
        "Bordj Badji Mokhtar", "бордж-баджи-мохтар", "برج باجي مختار", "برج باجی مختار",
    ),
    "Babanusa": ("Babanusa", "бабануса", "бабанусе", "бабанусу", "بابنوسة", "بابنوسه"),
    "Al-Mujlad": ("Al-Mujlad", "El Muglad", "Muglad", "муглад*", "المجلد"),
    "Merowe": ("Merowe", "мерове", "мероэ", "مروي", "مروی"),
    "Wadi Seidna": ("Wadi Seidna", "вади-сейдна", "وادي سيدنا"),
    "Mocímboa da Praia": (
        "Mocímboa da Praia", "Mocimboa da Praia", "мосимбоа-да-прая", "мосімбоа-да-прая",
        "موسيمبوا دا برايا",
    ),
    "Camp Lemonnier": ("Camp Lemonnier", "кэмп-лемонье", "кемп-лемоньє", "معسكر ليمونير"),
    "Chisinau": (
        "Chisinau", "Chișinău", "Kishinev", "кишинев*", "кишинёв*", "кишинів", "кишинева",
        "кишиневі", "кишиневом", "كيشيناو", "کیشیناو",
    ),
    "Marjayoun": ("Marjayoun", "Marjeyoun", "марджаюн*", "мерджаюн*", "مرجعيون", "مرجعیون"),
    "Tarhuna": ("Tarhuna", "Tarhunah", "ru:Тархуна", "ترهونة", "ترهونه"),
    "Makhmur": ("Makhmur", "махмур*", "مخمور"),
    "Bara": ("ru:Бара", "uk:Бара", "بارا"),
    "Baranovichi": (
        "Baranovichi", "Baranavichy", "баранович*", "барановичі", "бараневич*", "бараневичі",
        "بارانوويچی", "بارانوویچی", "بارانوفيتشي",
    ),
    "Kordofan": ("Kordofan", "кордофан*", "كردفان", "کردفان"),
    "Shebaa Farms": ("Shebaa Farms", "Shebaa", "шебаа", "مزارع شبعا", "شبعا"),
    "Goris": ("Goris", "горис*", "гориса", "گوریس", "غوريس"),
    "Mirjaveh": ("Mirjaveh", "мирджаве", "میرجاوه", "ميرجاوه"),
    "Ochakiv": (
        "Ochakiv", "Ochakov", "очаків", "очакова", "очакові", "очаковом", "очаков*", "اوتشاكيف",
    ),
    "Akhalgori": ("Akhalgori", "ахалгори", "ахалгорі", "أخالغوري", "آخالگوری"),
    "Ochamchire": ("Ochamchire", "Ochamchira", "очамчир*", "أوتشامتشيري"),
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
    "Gulf of Oman": (
        "Gulf of Oman", "оманский залив", "оманском заливе", "خليج عمان", "دریای عمان",
    ),
    "Kerch Strait": (
        "Kerch Strait", "керченский пролив", "керченском проливе", "керченська протока",
    ),
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


# An adjective and the noun it names a place with ("Нова Каховка", "Кривой Рог"), declined
# together: per gender, the adjective's nominative endings, then its ending in each case
# (nominative, genitive, dative, accusative, instrumental, locative), and the noun's endings in
# the same cases by the noun's own ending ("" for a consonant; a second genitive such as Рогу
# is a case of its own). Ukrainian к, г, х turn to ц, з, с before the dative and locative і.
_CASES = tuple[str, ...]
_RU_ADJECTIVES: tuple[tuple[tuple[str, ...], _CASES], ...] = (
    (("ая", "яя"), ("ая", "ой", "ой", "ую", "ой", "ой")),
    (("ый", "ой"), ("ый", "ого", "ому", "ый", "ым", "ом")),
    (("ний",), ("ий", "его", "ему", "ий", "им", "ем")),
    (("ий",), ("ий", "ого", "ому", "ий", "им", "ом")),
    (("ое",), ("ое", "ого", "ому", "ое", "ым", "ом")),
)
_UK_ADJECTIVES: tuple[tuple[tuple[str, ...], _CASES], ...] = (
    (("ська", "цька", "зька", "на", "ва", "ла", "ра", "та"), ("а", "ої", "ій", "у", "ою", "ій")),
    (("ий",), ("ий", "ого", "ому", "ий", "им", "ому")),
    (("ське", "цьке", "не", "ве"), ("е", "ого", "ому", "е", "им", "ому")),
)
_RU_NOUNS: dict[str, _CASES] = {
    "ия": ("ия", "ии", "ии", "ию", "ией", "ии"),
    "а": ("а", "ы", "е", "у", "ой", "е"),
    "я": ("я", "и", "е", "ю", "ей", "е"),
    "ь": ("ь", "и", "и", "ь", "ью", "и"),
    "й": ("й", "я", "ю", "й", "ем", "е"),
    "о": ("о", "а", "у", "о", "ом", "е"),
    "е": ("е", "я", "ю", "е", "ем", "е"),
    "": ("", "а", "у", "", "ом", "е"),
}
_UK_NOUNS: dict[str, _CASES] = {
    "ія": ("ія", "ії", "ії", "ію", "ією", "ії"),
    "а": ("а", "и", "і", "у", "ою", "і"),
    "я": ("я", "і", "і", "ю", "ею", "і"),
    "ь": ("ь", "і", "і", "ь", "ю", "і"),
    "о": ("о", "а", "у", "о", "ом", "і"),
    "е": ("е", "я", "ю", "е", "ем", "і"),
    "": ("", "а", "у", "", "ом", "і"),
}
_UK_SOFTENED = {"к": "ц", "г": "з", "х": "с"}
_VELARS = frozenset("гкхжшчщ")
# First words of that shape that are nouns: they keep their form ("Республіка Індія").
_NOT_ADJECTIVES = frozenset({"держава", "країна", "гора", "сторона", "столиця"})


def _adjective_noun(nominative: str, ukrainian: bool) -> list[str]:
    """The case forms of a two-word name of an adjective and a noun, or nothing when the name
    is not of that shape."""
    words = nominative.split(" ")
    if len(words) != 2 or words[0].lower() in _NOT_ADJECTIVES:
        return []
    adjective, noun = words
    adjectives = _UK_ADJECTIVES if ukrainian else _RU_ADJECTIVES
    cases = next((c for endings, c in adjectives if adjective.endswith(endings)), None)
    if cases is None:
        return []
    stem = adjective[: len(adjective) - len(cases[0])]
    nouns = _UK_NOUNS if ukrainian else _RU_NOUNS
    tail = next(e for e in nouns if noun.endswith(e))
    noun_stem = noun[: len(noun) - len(tail)] if tail else noun
    # Ukrainian і of a closed last syllable is о in the other cases (Ріг: Рогу).
    bases = [noun_stem]
    if ukrainian and tail == "" and len(noun_stem) > 2 and noun_stem[-2] == "і":
        bases.append(noun_stem[:-2] + "о" + noun_stem[-1])
    forms = []
    for index, (adjective_ending, noun_ending) in enumerate(zip(cases, nouns[tail], strict=True)):
        if stem[-1:] in _VELARS and adjective_ending.startswith("ы"):
            adjective_ending = "и" + adjective_ending[1:]  # Царским, not Царскым
        for base in bases if index else bases[:1]:
            ending = noun_ending
            if base[-1:] in _VELARS and ending == "ы":
                ending = "и"  # Каховки
            elif ukrainian and ending == "і" and tail == "а" and base[-1:] in _UK_SOFTENED:
                base = base[:-1] + _UK_SOFTENED[base[-1]]
            elif ukrainian and ending.startswith("і") and base[-1:] in "аеєиіїоуюя'’":
                ending = "ї" + ending[1:]  # Кореї
            forms.append(f"{stem}{adjective_ending} {base}{ending}")
            if index == 1 and tail == "":
                # The second genitive of a consonant noun (Часового Яру, Кривого Рогу).
                forms.append(f"{stem}{adjective_ending} {base}у")
    return list(dict.fromkeys(forms))


def _decline(nominative: str, endings: dict[str, tuple[str, ...]]) -> Iterator[str]:
    ukrainian = endings is _UK_ENDINGS
    agreement = _agree(nominative, _UK_AGREEMENT if ukrainian else _RU_AGREEMENT)
    if agreement:
        yield from agreement
        return
    paired = _adjective_noun(nominative, ukrainian)
    if paired:
        yield from paired
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


def _cyrillic(text: str) -> bool:
    return all("\u0400" <= c <= "\u04ff" or c in " -'’" for c in text)


def _ukrainian(name: str) -> bool:
    """Whether a Cyrillic name of the data file, which says no language, reads as Ukrainian: by
    its letters, or by a feminine adjective's short ending (Нова, not Новая)."""
    first = name.split(" ")[0]
    return any(c in "іїєґ" for c in name) or (
        first.endswith(_UK_ADJECTIVES[0][0]) and not first.endswith(("ая", "яя"))
    )


def _spellings(spelling: str) -> Iterator[str]:
    if spelling.startswith("ru:"):
        yield from _decline(spelling[3:], _RU_ENDINGS)
    elif spelling.startswith("uk:"):
        yield from _decline(spelling[3:], _UK_ENDINGS)
    else:
        yield spelling
        if spelling.endswith("к*") and spelling[-3] not in "сц" and _cyrillic(spelling[:-1]):
            # A town in -ка, whose Ukrainian locative is in -ці (Костянтинівка: у Костянтинівці).
            yield spelling[:-2] + "ц*"
        if spelling[:3] in ("Al ", "El ", "Al-", "El-"):
            # "Al Mayadin" is written al-Mayadin as often, and the reverse.
            yield spelling[:2] + ("-" if spelling[2] == " " else " ") + spelling[3:]
        if spelling.startswith("ال"):
            # ل + ال is written لل (للعراق): the clitic rule alone cannot see it; spoken Arabic
            # writes على ال as عال (عالسويداء).
            yield "لل" + spelling[2:]
            yield "عال" + spelling[2:]
        elif " " in spelling and spelling[:1].islower() and _cyrillic(spelling):
            # A lower-case name of the data file: an adjective and its noun are declined together.
            yield from _adjective_noun(spelling, _ukrainian(spelling))[1:]


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
