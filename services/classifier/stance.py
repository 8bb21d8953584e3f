"""The stance of a claim: asserted, hedged, denied or hypothetical, from cue phrases in the
sentence that carries it (English, Russian, Ukrainian, Arabic, Persian). A denial outranks a
hypothetical, which outranks a hedge: "the ministry denied reports that troops will be sent" is a
denial, "reports say Russia plans to send troops" is hypothetical. Longer cues win over the
shorter ones inside them ("not yet confirmed" is a hedge, not a denial; "не исключено" is
hypothetical, not a negation). Two cues need context: English "may" is a month after "in"/"of"
or next to a number, and Arabic "قد" is only "may" before a present-tense verb. Pure."""

from __future__ import annotations

import re
from functools import cache

from services.classifier.claims_text import Hit, PhraseSet, within

ASSERTED = "asserted"
HEDGED = "hedged"
DENIED = "denied"
HYPOTHETICAL = "hypothetical"
STANCES = (ASSERTED, HEDGED, DENIED, HYPOTHETICAL)

_HEDGED = (
    # English
    "reported*", "report", "reports", "according to", "per", "sources", "source", "said to",
    "claims", "claimed",
    "claim", "apparently", "appears", "appear to", "seemingly", "likely", "probably", "locals",
    "residents", "eyewitness*", "witnesses", "it is believed", "believed to", "told us",
    "told reporters", "officials say", "officials said", "officials told", "intelligence",
    "gur", "isw", "tell reporters", "tells reporters", "officials tell", "tell us", "tells us",
    "it looks like", "looks like", "seems", "if confirmed", "if true", "if accurate",
    "if you believe", "intel", "supposedly", "accounts say", "accounts are saying",
    "accounts claim",
    "accounts report", "my cousin says",
    "cousin says", "friend says", "brother says", "cousin told me", "friend told me",
    "if correct", "if the geolocation holds", "if the geolocation holds up", "not sure",
    "not sure if", "not sure whether", "не уверен, что", "не знаю, правда ли",
    "citing", "cites", "state tv", "state media", "activists", "observatory", "subscriber*",
    "follower sent", "a reader", "не уверен", "ссылаясь", "подписчик*", "правозащитник*",
    "is said", "are said", "correspondent*", "not clear", "unclear", "not known", "unknown",
    "it is not clear", "it's not clear", "hearing that", "heard that", "i'm hearing",
    "we're hearing", "активист*", "активіст*",
    # Russian
    "по данным", "по информации", "по сведениям", "по словам", "сообщени*", "сообщается", "пишут",
    "пишет", "источник*", "очевидц*",
    "предположительно", "вероятно", "судя по", "как утверждают", "утвержда*", "говорят",
    "военкор*", "корреспондент*", "кореспондент*", "неясно", "не ясно", "непонятно", "писали",
    "писал", "разведк*", "гур", "телеграм*", "предполага*", "если подтвердится",
    "если это правда", "если это так", "говорит", "говорил", "звонил", "рассказал", "рассказывает",
    "незрозуміло",
    # Ukrainian
    "за даними", "за інформацією", "за словами", "повідомлен*",
    "пишуть", "пише", "джерел*", "очевидц*", "ймовірно", "імовірно", "кажуть", "писали",
    "речник*", "розвідк*", "каже", "гур", "телеграм*", "припуска*", "якщо підтвердиться",
    "не впевнен*", "посилаючись", "підписник*", "правозахисник*", "стверджу*", "як стверджує",
    "якщо це правда", "якщо це так",
    # Arabic
    "حسب", "وفق", "وفقا", "نقلا عن", "تقارير", "تقرير", "أفادت", "أفاد", "ذكرت", "مصادر", "مصدر",
    "يقال", "على ما يبدو", "ادعاء*", "ادعت", "ادعى", "يبدو", "شهود عيان", "مراسل*",
    "غير واضح", "غير معروف", "إذا صح", "إن صح", "ان صح", "إن صحت", "إذا صحت", "ناشطون",
    "ناشطين", "المرصد", "استخبارات", "الاستخبارات", "قال مسؤول", "قال مسؤولون", "لست متأكدا",
    "عن مسؤولين", "عن مسؤول", "عن مصادر", "عن مصدر",
    # Persian
    "گزارش*", "ادعا*", "ظاهرا", "احتمالا", "منابع", "منبع", "طبق", "بنابر", "بنا بر",
    "به نقل از", "گفته می شود", "گفته میشود", "شاهدان", "به نظر می رسد", "خبرنگار*",
    "مشخص نیست", "معلوم نیست", "نوشته اند", "نوشته‌اند", "به گفته", "مدعی", "اگر درست باشد",
    "اگر صحت داشته باشد", "اگر تایید شود", "سرویس اطلاعاتی", "سازمان اطلاعات",
    "مطمئن نیستم", "فعالان", "گفته میشه", "گفته می شه", "میگن", "می گن",
    "يقول", "تقول", "يقولون", "می گوید", "میگوید", "میگه", "می گه", "reuters", "رويترز", "رویترز",
    "afp", "خبرگزاری فرانسه",
    "my cousin in", "my brother in", "my friend in", "my uncle in", "my sister in", "a friend in",
)  # fmt: skip

# Words of telling: a hedge when someone else tells, none when an army tells of its own troops
# ("Росгвардия сообщает: батальон направлен в Донецк"; see the claim detector).
_TELLING = (
    "сообщает*", "сообщают", "сообщил*", "повідомля*", "повідоми*", "заявил*", "заявля*",
    "заяви*",
)  # fmt: skip

# Hedges that doubt the claim in their own words: a short sentence of them next to a claim's
# hedges that claim too ("Troops arrived in Homs. Unconfirmed.").
_DOUBTS = (
    "reportedly", "allegedly", "alleged*", "purport*", "unconfirmed", "unverified", "rumor*",
    "rumour*", "not yet confirmed", "not confirmed", "not been confirmed",
    "not independently confirmed", "yet to be confirmed", "not verified", "not been verified",
    "not independently verified", "yet to be verified", "could not be verified",
    "cannot be verified", "could not be independently verified", "unable to verify",
    "cannot verify", "can't verify", "could not verify", "couldn't verify", "cannot confirm",
    "can't confirm", "could not confirm", "couldn't confirm", "did not confirm",
    "didn't confirm", "has not confirmed", "hasn't confirmed", "have not confirmed",
    "haven't confirmed", "no hard evidence", "no evidence yet", "no confirmation",
    "якобы", "неподтвержд*", "не подтвержден*", "по слухам", "слухи", "не верифицирован*",
    "не проверен*",
    "нібито", "непідтвердж*", "не підтверджен*", "за чутками", "чутки", "не верифікован*",
    "неперевірен*", "непроверенн*", "channels", "local channels", "каналы", "канали", "паблики",
    "пабліки",
    "неверифікован*", "не перевірен*",
    "يزعم", "تزعم", "زعم*", "مزعوم*", "غير مؤكد*", "لم يتم التأكد", "شائعات",
    "تایید نشده", "تأیید نشده", "شایعه*", "در دست نیست", "تأیید مستقل*", "تایید مستقل*",
    "لم يتسن", "لم نتمكن من التحقق", "لا يمكن التحقق", "تعذر التحقق",
    "none of this is confirmed", "none of it is confirmed", "none of this has been confirmed",
    "none of this is verified", "nothing is confirmed yet", "nothing confirmed yet",
    "пока без подтверждения", "поки без підтвердження", "ничего не подтверждено",
    "нічого не підтверджено", "لم نتمكن من تأكيد", "لم نتمكن بعد من تأكيد", "لم يتسن تأكيد",
    "لم يتم تأكيد", "هنوز تأیید نشده", "هنوز تایید نشده",
    "haven't seen anything independent", "nothing independent", "no independent confirmation",
)  # fmt: skip

# Denials that say so in their own words: they deny the claim wherever they stand, and a short
# sentence of them after a claim's denies that claim ("Troops arrived in Homs. Moscow denies it.").
_DENIALS = (
    "denied", "denies", "deny", "denying", "denial", "dismiss*", "reject*", "refute*",
    "debunked", "fake", "false", "hoax", "no evidence", "baseless", "untrue", "not true",
    "isn't true", "not the case", "misinformation", "disinformation", "none have", "none has",
    "none had", "none were", "no proof", "fabricat*", "garbage", "nonsense", "bullshit",
    "rubbish", "stop sharing", "not accurate", "inaccurate", "are wrong", "is wrong",
    "was wrong", "were wrong", "incorrect", "чушь", "бред", "ерунд*",
    "чепух*", "вранье", "назвали провокацией", "назвал провокацией", "маячн*", "нісенітниц*",
    "назвали провокацією", "هراء", "خزعبلات", "چرند*", "مزخرف*", "بی اساس", "نادرست",
    "صحت ندارد", "رد می کنیم", "رد می کند", "رد کرده", "сфабрикова*", "вигадк*", "вигада*",
    "опроверг*", "опровержени*", "фейк*", "отрица*", "ложь", "ложью", "ложн*", "вброс*", "неправда",
    "не соответству*", "дезинформаци*", "доказательств нет", "нет доказательств",
    "никаких доказательств", "никаких подтверждений",
    "спростува*", "спростову*", "запереч*", "неправд*", "брехня", "не відповіда*",
    "дезінформаці*", "доказів жодних", "жодних доказів", "немає доказів", "доказів немає",
    "نفى", "نفت", "ينفي", "تنفي", "نفي", "تكذيب", "كذب", "مفبرك*", "فبركة", "مزيف*", "كاذب*",
    "غير صحيح", "لا صحة", "عار عن الصحة", "لا دليل", "لا يوجد دليل", "no sign", "نفته", "نفاه",
    "نفتها", "نفاها",
    "ما في ولا", "مافي ولا", "ما في أي", "ما في اي", "ما فيه ولا",
    "تکذیب", "رد کرد", "رد کردند", "جعلی", "دروغ*", "فیک", "فیکه",
    "уткой", "газетная утка", "вкид", "вкидом", "вкиди",
    "ساختگی", "ساختگیه",
    "zero evidence", "never happened", "did not happen", "didn't happen",
)  # fmt: skip

# Other words of denial, which deny the claim of their own sentence only.
_DENIED = (
    "none", "no sign of", "no signs of", "zero sign of", "zero signs of", "not a single", "нет",
    "никак*", "ни одного", "не подтвержда*",
    "не обнаружен*", "не зафиксирован*", "немає", "жодн*", "не підтверджу*", "не виявлен*",
    "не виявили", "не зафіксован*", "не фіксуємо", "не фиксируем", "не спостерігаємо",
    "не наблюдаем",
    "لا توجد", "لا يوجد", "لا وجود",
    "هیچ", "نیست", "نشده", "نشدند", "نشد", "نکرده", "نکرد", "نرفته", "نفرستاده", "نفرستاد",
    "ندارد",
)  # fmt: skip

# Bare negators, which deny a movement only when they come before its verb ("troops were not
# sent", "войска не прибыли", "لم تصل قوات"); after it they negate something else ("arrived in
# Homs, not Hama", "deployed to Kursk, not far from the border", "прибыли в Хомс, а не в Хаму").
# Persian negates the verb itself (اعزام نشدند), so its negators are in `_DENIED`.
_NEGATORS = (
    "not", "*n't", "no", "never", "не", "никогда", "ніколи", "لم", "لن", "ليس", "ليست", "عدم",
)  # fmt: skip

_HYPOTHETICAL = (
    "will", "would", "could", "might", "should", "shall", "plans", "plan to", "planning to",
    "is planning", "are planning", "if necessary", "if needed", "next year",
    "intends", "intend*", "considering", "consider*", "ready to", "prepared to", "threaten*",
    "if", "unless", "whether", "going to", "expected to", "set to", "premature", "possible",
    "possibly", "perhaps", "maybe", "potential*", "*?*", "expected", "expects", "is set to",
    "next week", "next month", "is due to", "are due to", "due to be", "due to have",
    "планир*", "план", "намерен*", "намерева*", "может", "могут", "мог", "могли", "бы", "б",
    "будет", "будут", "если", "не исключено", "не исключает", "готов*", "собира*",
    "преждевременно", "рассматрива*", "возможн*", "угрожа*", "ли", "неужели", "ожида*",
    "на следующей неделе", "в ближайшие", "в случае необходимости", "при необходимости",
    "прибудет", "прибудут", "отправится", "отправятся", "направится", "направятся",
    "перебросят", "отправят", "направят", "разместят", "введут", "отправит", "направит",
    "перебросит", "разместит", "в следующем году", "пошлет", "пошлёт", "пошлют",
    "планує", "плану*", "має намір", "намір*", "може", "можуть", "міг", "би", "буде", "будуть",
    "якщо", "не виключено", "не виключає", "збира*", "передчасно", "зарано", "рано говорить",
    "розгляда*", "можлив*", "чи",
    "очіку*", "наступного тижня", "найближчим часом", "мають перекинути", "має прибути",
    "мають прибути", "у разі потреби", "в разі потреби", "за потреби", "прибуде", "прибудуть",
    "відправиться", "вирушить", "перекинуть", "відправлять", "направлять", "розмістять",
    "відправить", "розмістить", "перекине", "наступного року",
    "підтягнуть",
    "سوف", "هل", "إذا", "اذا", "لو", "ربما", "يعتزم", "تعتزم", "تخطط", "يخطط", "خطة",
    "من السابق لأوانه", "من المبكر", "محتمل*", "احتمال", "يمكن", "مستعد*", "تهدد", "يهدد", "*؟*",
    "المتوقع", "يتوقع", "تتوقع", "متوقع", "الأسبوع المقبل", "من المقرر", "سابق لأوانه",
    "إذا لزم الأمر", "عند الضرورة", "الشهر المقبل", "العام المقبل",
    "خواهد", "خواهند", "اگر", "اگه", "آیا", "قصد", "برنامه", "ممکن", "شاید", "زودهنگام", "زود است",
    "میتواند", "می تواند", "می توانند", "تصمیم", "در نظر دارد", "انتظار می رود",
    "انتظار میرود", "قرار است", "هفته آینده", "در صورت", "ماه آینده", "سال آینده",
    "خواهد شد", "می فرستد", "می فرستند",
    "weighing", "is weighing", "mulls", "mulling", "обсуждается", "обсуждают", "обговорюється",
    "обговорюють", "تدرس", "يدرس", "بررسی می کند", "در حال بررسی",
    "next stage", "in the next phase", "на следующем этапе", "на наступному етапі",
    "في المرحلة المقبلة", "في المرحلة التالية", "در مرحله بعد", "مرحله بعد",
)  # fmt: skip

# Phrases that contain a cue word but carry no stance ("not only", "no more than 300").
_NEUTRAL = (
    "not only", "no more than", "no fewer than", "no less than", "not surprisingly",
    "no surprise", "no wonder", "no doubt", "not for the first time", "не только", "не более",
    "не менее", "не лише", "не тільки", "не більше", "не менше", "ни много ни мало",
    "не впервые", "не секрет", "нет сомнений", "сомнений нет", "не вперше", "как писали",
    "як писали", "as some accounts said", "as reported earlier", "كما أشيع", "won't hesitate",
    "will not hesitate", "لن نتردد", "لن يتردد", "لن تتردد",
    "for a possible", "for possible", "ahead of a possible", "hasn't commented",
    "has not commented", "haven't commented", "have not commented", "не комментирует",
    "не коментує", "не коментують", "لم يعلق", "لم تعلق", "لم يصدر أي تعليق",
    "или нет", "чи ні", "or not",
    "ahead of an expected", "ahead of expected", "in anticipation of", "ضمن خطة",
    "связи нет", "нет связи", "зв'язку немає", "зв’язку немає", "немає зв'язку", "немає зв’язку",
    "нема зв'язку",
)  # fmt: skip

_MONTH_CONTEXT = frozenset(
    {"in", "of", "since", "early", "late", "mid", "until", "from", "by", "on"}
)
_PRESENT_PREFIXES = ("ی", "ت", "ن")


CUE_KINDS = frozenset({HEDGED, DENIED, HYPOTHETICAL, "neutral", "may", "qad"})
# The values of cue phrases that say more than their kind (the rest have None).
DOUBT, DENIAL, NEGATOR, TELLING = "doubt", "denial", "negator", "telling"
NEGATED = "neutral"  # what a negator after the verb gives


def neighbour_stance(cues: list[Hit]) -> str | None:
    """What a sentence next to a claim's, with no claim of its own and these cues, says of that
    claim: denied when it denies in its own words ("Moscow denies it.", "Это фейк.", "وزارة
    الدفاع نفت ذلك."), hedged when it doubts ("Unconfirmed.", "Не подтверждено."), else None."""
    values = {hit.value for hit in cues}
    if DENIAL in values:
        return DENIED
    if DOUBT in values:
        return HEDGED
    return None


@cache
def _cues() -> PhraseSet:
    return PhraseSet(cue_entries())


def cue_entries() -> list[tuple[str, str, object]]:
    """The cue phrases, for a caller that scans once for several purposes."""
    entries: list[tuple[str, str, object]] = []
    entries += [(p, HEDGED, None) for p in _HEDGED]
    entries += [(p, HEDGED, DOUBT) for p in _DOUBTS]
    entries += [(p, HEDGED, TELLING) for p in _TELLING]
    entries += [(p, DENIED, DENIAL) for p in _DENIALS]
    entries += [(p, DENIED, None) for p in _DENIED]
    entries += [(p, DENIED, NEGATOR) for p in _NEGATORS]
    entries += [(p, HYPOTHETICAL, None) for p in _HYPOTHETICAL]
    entries += [(p, "neutral", None) for p in _NEUTRAL]
    entries += [("may", "may", None), ("قد", "qad", None)]
    return entries


def cues(text: str, start: int, end: int, found_cues: list[Hit] | None = None) -> list[Hit]:
    """Stance cues in folded `text[start:end]` (after context rules), in order. `found_cues`
    are the cue phrases of the whole text (leftmost-longest, kinds in `CUE_KINDS`) when the
    caller already has them."""
    found = []
    for hit in _phrases(text, start, end, found_cues):
        kind = _kind(text, hit, start, end)
        if kind != "neutral":
            found.append(Hit(hit.start, hit.end, kind, None))
    return found


def stance(
    text: str,
    start: int,
    end: int,
    *,
    future: bool = False,
    found_cues: list[Hit] | None = None,
    verb: int | None = None,
) -> str:
    """The stance of a claim carried by folded `text[start:end]`; `future` when the claim's
    verb itself is marked future (Arabic سـ). `found_cues` as in `cues`. `verb`: where the
    claim's movement verb ends, when a verb carries it: a bare negator after it, or before a
    colon before it ("Наші теж не сиділи: 3-тя штурмова вже зайшла ..."), negates something
    else."""
    kinds = {
        NEGATED
        if hit.value == NEGATOR
        and (
            (verb is not None and (hit.start >= verb or ":" in text[hit.end : verb]))
            or _contrast(text, hit, end, verb)
        )
        else _kind(text, hit, start, end)
        for hit in _phrases(text, start, end, found_cues)
    }
    if DENIED in kinds:
        return DENIED
    if HYPOTHETICAL in kinds or future:
        return HYPOTHETICAL
    if HEDGED in kinds:
        return HEDGED
    return ASSERTED


# "Не Купянск, а Сватово", "not Hama but Homs", "ليس حماة بل حمص", "نه حما بلکه حمص": the
# negator picks one place over another and denies nothing.
_CONTRAST = re.compile(r"(?:\s+[^\s,.;:!?]+){1,3},?\s+(?:а|but|بل|بلکه)\s")


def _contrast(text: str, hit: Hit, end: int, verb: int | None) -> bool:
    """Whether the negator `hit` opens a contrast of places before the verb ("не Купянск, а
    Сватово — туда перебросили"), not one after it ("не прибыли в Сирию, а остались")."""
    m = _CONTRAST.match(text, hit.end, end)
    return m is not None and (verb is None or not hit.end < verb <= m.end())


def _phrases(text: str, start: int, end: int, found_cues: list[Hit] | None) -> list[Hit]:
    if found_cues is None:
        return _cues().find_longest(text, start, end)
    return within(found_cues, start, end)


def _kind(text: str, hit: Hit, start: int, end: int) -> str:
    """The stance a cue phrase gives, after the context rules ("neutral" for none)."""
    kind = hit.kind
    if kind == "may":
        return HYPOTHETICAL if _modal_may(text, hit, start, end) else "neutral"
    if kind == "qad":
        return (
            HYPOTHETICAL
            if text[hit.end + 1 : hit.end + 2].startswith(_PRESENT_PREFIXES)
            else "neutral"
        )
    return kind


def _modal_may(text: str, hit: Hit, start: int, end: int) -> bool:
    before = text[max(start, hit.start - 8) : hit.start].split()
    if before and (before[-1] in _MONTH_CONTEXT or before[-1].isdigit()):
        return False
    after = text[hit.end : min(end, hit.end + 4)].strip()
    return not (after[:1].isdigit())
