"""The stance of a claim: asserted, hedged, denied or hypothetical, from cue phrases in the
sentence that carries it (English, Russian, Ukrainian, Arabic, Persian). A denial outranks a
hypothetical, which outranks a hedge: "the ministry denied reports that troops will be sent" is a
denial, "reports say Russia plans to send troops" is hypothetical. Longer cues win over the
shorter ones inside them ("not yet confirmed" is a hedge, not a denial; "не исключено" is
hypothetical, not a negation). Two cues need context: English "may" is a month after "in"/"of"
or next to a number, and Arabic "قد" is only "may" before a present-tense verb. Pure."""

from __future__ import annotations

from functools import cache

from services.classifier.claims_text import Hit, PhraseSet, within

ASSERTED = "asserted"
HEDGED = "hedged"
DENIED = "denied"
HYPOTHETICAL = "hypothetical"
STANCES = (ASSERTED, HEDGED, DENIED, HYPOTHETICAL)

_HEDGED = (
    # English
    "reportedly", "reported*", "report", "reports", "allegedly", "alleged*", "purport*",
    "unconfirmed", "unverified", "according to", "per", "sources", "source", "said to", "claims",
    "claimed", "claim", "rumor*", "rumour*", "apparently", "appears", "appear to", "seemingly",
    "likely", "probably", "not yet confirmed", "could not be verified", "cannot be verified",
    "could not be independently verified", "no hard evidence", "no evidence yet",
    "no confirmation", "locals", "residents", "eyewitness*", "witnesses", "it is believed",
    "believed to", "told us", "is said", "are said", "correspondent*", "not clear",
    "unclear", "not known", "unknown", "it is not clear", "it's not clear",
    # Russian
    "якобы", "по данным", "по информации", "по сведениям", "по словам", "сообщает*", "сообщают",
    "сообщил*", "сообщени*", "сообщается", "пишут", "пишет", "источник*", "очевидц*",
    "неподтвержд*", "предположительно", "вероятно", "судя по", "как утверждают", "утвержда*",
    "говорят", "по слухам", "слухи", "военкор*", "корреспондент*", "кореспондент*", "неясно", "не ясно",
    "непонятно", "незрозуміло",
    # Ukrainian
    "нібито", "за даними", "за інформацією", "за словами", "повідомля*", "повідоми*",
    "повідомлен*", "пишуть", "пише", "джерел*", "очевидц*", "непідтвердж*", "ймовірно",
    "імовірно", "кажуть", "за чутками", "чутки",
    # Arabic
    "يزعم", "تزعم", "زعم*", "مزعوم*", "حسب", "وفق", "وفقا", "نقلا عن", "تقارير", "تقرير",
    "أفادت", "أفاد", "مصادر", "مصدر", "يقال", "غير مؤكد*", "لم يتم التأكد", "على ما يبدو",
    "ادعاء*", "ادعت", "ادعى", "يبدو", "شهود عيان", "شائعات", "مراسل*", "غير واضح", "غير معروف",
    # Persian
    "گزارش*", "ادعا*", "ظاهرا", "احتمالا", "منابع", "منبع", "طبق", "بنابر", "بنا بر",
    "به نقل از", "تایید نشده", "تأیید نشده", "گفته می شود", "گفته میشود", "شاهدان",
    "به نظر می رسد", "شایعه*", "خبرنگار*", "مشخص نیست", "معلوم نیست",
)  # fmt: skip

_DENIED = (
    "denied", "denies", "deny", "denying", "denial", "dismiss*", "reject*", "refute*",
    "debunked", "fake", "false", "hoax", "no evidence", "never", "not", "*n't", "no", "none",
    "baseless", "untrue", "misinformation", "disinformation",
    "опроверг*", "опровержени*", "фейк*", "отрица*", "не", "нет", "никак*", "никогда",
    "ни одного", "ложь", "ложн*", "вброс*", "неправда", "не подтвержда*", "дезинформаци*",
    "спростува*", "запереч*", "немає", "ніколи", "жодн*", "неправд*", "не підтверджу*",
    "брехня", "дезінформаці*",
    "نفى", "نفت", "ينفي", "تنفي", "نفي", "تكذيب", "كذب", "مفبرك*", "مزيف*", "كاذب*",
    "لا توجد", "لا يوجد", "لم", "لن", "ليس", "ليست", "عدم", "غير صحيح", "لا صحة", "عار عن الصحة",
    "تکذیب", "رد کرد", "رد کردند", "رد شد", "جعلی", "دروغ*", "هیچ", "نیست", "نشده", "نشدند",
    "نشد", "نکرده", "نکرد", "نرفته", "نفرستاده", "نفرستاد", "ندارد",
)  # fmt: skip

_HYPOTHETICAL = (
    "will", "would", "could", "might", "should", "shall", "plans", "plan to", "planning",
    "intends", "intend*", "considering", "consider*", "ready to", "prepared to", "threaten*",
    "if", "unless", "whether", "going to", "expected to", "set to", "premature", "possible",
    "possibly", "perhaps", "maybe", "potential*", "*?*", "expected", "expects", "is set to",
    "планир*", "план", "намерен*", "намерева*", "может", "могут", "мог", "могли", "бы", "б",
    "будет", "будут", "если", "не исключено", "не исключает", "готов*", "собира*",
    "преждевременно", "рассматрива*", "возможн*", "угрожа*", "ли", "неужели", "ожида*",
    "планує", "плану*", "має намір", "намір*", "може", "можуть", "міг", "би", "буде", "будуть",
    "якщо", "не виключено", "не виключає", "збира*", "передчасно", "розгляда*", "можлив*", "чи",
    "очіку*",
    "سوف", "هل", "إذا", "اذا", "لو", "ربما", "يعتزم", "تعتزم", "تخطط", "يخطط", "خطة",
    "من السابق لأوانه", "محتمل*", "احتمال", "يمكن", "مستعد*", "تهدد", "يهدد", "*؟*",
    "المتوقع", "يتوقع", "تتوقع", "متوقع",
    "خواهد", "خواهند", "اگر", "آیا", "قصد", "برنامه", "ممکن", "شاید", "زودهنگام", "زود است",
    "میتواند", "می تواند", "می توانند", "تصمیم", "در نظر دارد", "انتظار می رود",
    "انتظار میرود", "قرار است",
)  # fmt: skip

# Phrases that contain a cue word but carry no stance ("not only", "no more than 300").
_NEUTRAL = (
    "not only", "no more than", "no fewer than", "no less than", "не только", "не более",
    "не менее", "не лише", "не тільки", "не більше", "не менше", "ни много ни мало",
)  # fmt: skip

_MONTH_CONTEXT = frozenset(
    {"in", "of", "since", "early", "late", "mid", "until", "from", "by", "on"}
)
_PRESENT_PREFIXES = ("ی", "ت", "ن")


CUE_KINDS = frozenset({HEDGED, DENIED, HYPOTHETICAL, "neutral", "may", "qad"})


@cache
def _cues() -> PhraseSet:
    return PhraseSet(cue_entries())


def cue_entries() -> list[tuple[str, str, object]]:
    """The cue phrases, for a caller that scans once for several purposes."""
    entries: list[tuple[str, str, object]] = []
    entries += [(p, HEDGED, None) for p in _HEDGED]
    entries += [(p, DENIED, None) for p in _DENIED]
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
    text: str, start: int, end: int, *, future: bool = False, found_cues: list[Hit] | None = None
) -> str:
    """The stance of a claim carried by folded `text[start:end]`; `future` when the claim's
    verb itself is marked future (Arabic سـ). `found_cues` as in `cues`."""
    kinds = {_kind(text, hit, start, end) for hit in _phrases(text, start, end, found_cues)}
    if DENIED in kinds:
        return DENIED
    if HYPOTHETICAL in kinds or future:
        return HYPOTHETICAL
    if HEDGED in kinds:
        return HEDGED
    return ASSERTED


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
