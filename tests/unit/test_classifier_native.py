"""The C hot path (`services.classifier._native`) against its Python reference: `normalize` equals
`normalize_py`, `fold` equals the reference's text with its white space collapsed, the alias
automaton finds the hits ahocorasick_rs finds, `Matcher.find` equals `Matcher.find_py`, and the
claim detector folds alike (`lower_fold` and `lower_fold_py`) and its phrase sets find the same
hits (`PhraseSet.find` and `find_py`), text for text and offset for offset, on every character
of the Basic Multilingual Plane, on every text of the evaluation sets and the demo feed, and on
generated mixes of the characters and words the rules care about."""

from __future__ import annotations

from pathlib import Path

import ahocorasick_rs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from services.classifier import _native, claims, claims_text, counts, gazetteer, stance
from services.classifier.claims import trigger_phrases
from services.classifier.derived import matcher_entries
from services.classifier.engine import Engine
from services.classifier.matching import ALIAS, Match, Matcher, Pattern, compile_table
from services.classifier.text import normalize, normalize_py
from services.classifier.watchlist import load_watchlist

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def corpus() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        texts += [orjson.loads(x)["text"] for x in path.read_bytes().splitlines() if x.strip()]
    feed = (ROOT / "examples" / "demo-feed.jsonl").read_bytes().splitlines()
    texts += [orjson.loads(x)["text"] for x in feed if x.strip()]
    return texts


CORPUS = corpus()
ENGINE = Engine(load_watchlist(ROOT / "examples" / "watchlist.yaml"))
MATCHER: Matcher = ENGINE.matcher


def offsets(text: str, native: bool) -> tuple[str, list[int]]:
    nt = normalize(text) if native else normalize_py(text)
    return nt.norm, [nt.orig(i) for i in range(len(nt.norm) + 1)]


def test_every_bmp_character_folds_alike() -> None:
    for block in range(0, 0x10000, 512):
        chars = [chr(cp) for cp in range(block, block + 512)]
        for ch in chars:
            assert offsets(ch, True) == offsets(ch, False), hex(ord(ch))
        joined = "".join(chars)
        assert offsets(joined, True) == offsets(joined, False), hex(block)


def test_every_bmp_character_folds_alike_in_text_that_expands() -> None:
    # An expanding character (ß) sends the whole text character by character in Python.
    for block in range(0, 0x10000, 512):
        joined = "ß" + "".join(chr(cp) for cp in range(block, block + 512))
        assert offsets(joined, True) == offsets(joined, False), hex(block)


def test_cherokee_capitals_fold_to_themselves_next_to_an_expanding_character() -> None:
    # Cherokee case-folds to the capitals: Ᏽ stays Ᏽ (U+13F5) whether or not ẞ expands nearby.
    assert normalize_py("\u13f5").norm == normalize("\u13f5").norm == "\u13f5"
    assert normalize_py("\u13fd").norm == "\u13f5"
    assert normalize_py("\u13f5\u1e9e").norm == normalize("\u13f5\u1e9e").norm == "\u13f5ss"
    assert (
        offsets("\u13f5\u1e9e", False)
        == offsets("\u13f5\u1e9e", True)
        == ("\u13f5ss", [0, 1, 1, 2])
    )


def fold_py(text: str) -> str:
    return " ".join(normalize_py(text).norm.split())


def test_every_bmp_character_folds_alike_in_fold() -> None:
    """`fold` also collapses white space: every character alone, and between words and
    spaces, as the reference folds it (white space it makes or keeps, expansions, removals)."""
    for block in range(0, 0x10000, 512):
        for cp in range(block, block + 512):
            ch = chr(cp)
            for text in (ch, f" a{ch}b ", f"a {ch} b", f"{ch}{ch}\u3000{ch}"):
                assert _native.fold(text) == fold_py(text), hex(cp)


@pytest.mark.parametrize(
    "text",
    ["", " ", "\t\n ", "  Qassem   Soleimani ", "a\x1cb\x1f c", "Stra\u00dfe\u00a0 \u2003Ä",
     "\ufdfa x", "#\u200b@Soleimani", "\ud800 x \udfff", "\U0001d412\U0001d41e", "_a__b_"],
)  # fmt: skip
def test_fold_collapses_white_space_as_the_reference_does(text: str) -> None:
    assert _native.fold(text) == fold_py(text)


def test_every_corpus_text_normalises_and_matches_alike() -> None:
    assert len(CORPUS) > 1000
    for text in CORPUS:
        assert offsets(text, True) == offsets(text, False), text
        assert _native.fold(text) == fold_py(text), text
        assert MATCHER.find(text) == MATCHER.find_py(text), text


def test_matches_are_match_tuples() -> None:
    (m, *_) = MATCHER.find("Qassem Soleimani was seen in Homs")
    assert type(m) is Match
    assert m == Match(m.entity, m.alias, 0, 16, False)
    assert m.alias
    assert m.start == 0


def test_lone_surrogates_become_replacement_characters() -> None:
    text = "\ud800 Soleimani in Homs \udfff"
    nt = normalize(text)
    assert nt.norm[0] == "\ufffd"
    assert nt.norm[-1] == "\ufffd"
    assert len(nt.norm) == len(text)
    post = {"id": "x:1", "source": "x", "text": text, "created_at": ""}
    entities = ENGINE.classify(post)["entities"]
    assert [text[e["start"] : e["end"]] for e in entities] == ["Soleimani", "Homs"]


@pytest.mark.parametrize(
    "text",
    [
        "#x" + "Soleimani" * 300,
        "#x" + "HomsSoleimani1" * 100 + " bSoleimani #cHoms aHoms @dHoms",
        "abcSoleimani #SoleimaniHoms xHoms #yHomsSoleimani zHoms",
        "@x_HomsSoleimani #Ab" + "cd" * 50 + "Homs e" + "Homs" * 20,
        "#Homs" * 50 + " Homs" + "xHoms" * 10,
    ],
)
def test_every_camelcase_name_in_long_hashtags_is_found_alike(text: str) -> None:
    # The C path remembers the run of letters it read back for the last hit: a hashtag of
    # thousands of names used to be read back once per name.
    assert MATCHER.find(text) == MATCHER.find_py(text)


def test_a_hashtag_of_many_names_matches_each() -> None:
    text = "#x" + "Soleimani" * 2000
    starts = [m.start for m in MATCHER.find(text)]
    assert starts == list(range(2, len(text), 9))


@pytest.mark.parametrize(
    "text",
    [
        "Soleimani in HOMS and Homs",  # ASCII with capitals
        "Sole\u200bimani in Ho\u00adms",  # invisible characters inside ASCII words
        "\uff33\uff4f\uff4c\uff45\uff49\uff4d\uff41\uff4e\uff49 in \uff28\uff4f\uff4d\uff53",  # full width
        "SoleimaniВагнер HomsحمصHoms #WagnerСирия",  # runs that switch script mid-word
        "Вагнер\u200bСирия Сирии\u00ad ЧВК",  # a two-byte str with removals
        "سوریه\u200cی حمص\u0640 الحرس",  # Persian letters, a non-joiner and a tatweel
        "\u00b5 Soleimani Homs \u00c9",  # a Latin-1 str folding to a wider character
        "stra\u00dfe Soleimani Homs",  # a character that expands
        "Soleimani \ufffe\uffff Homs \uffff",  # the fast table's marks, as characters
        "Homs " * 200 + "Sole\u200bimani Homs",  # past the inline buffer, with a removal
        "Сирия " * 200 + "Сирии",  # past the inline buffer, two-byte
        "\U0001f600 Soleimani\u200b Homs",  # an astral str: character by character
    ],
)
def test_one_for_one_folds_normalise_and_match_alike(text: str) -> None:
    # Text whose characters each fold to one of its own kind, or are removed, is folded by a
    # table of its own width; anything else goes character by character.
    assert offsets(text, True) == offsets(text, False)
    assert MATCHER.scan(text) == MATCHER.scan_py(text)


def test_scan_reads_any_number_of_ending_sets_alike() -> None:
    # The C path reads each set of endings once for its automaton, up to a number of them; a set
    # past those, or one that holds a long ending, a wide character or something else than a
    # str, is looked up as a set.
    odd = [frozenset({"", "abcdef"}), frozenset({"", "中"}), frozenset({"", "s", 1})]
    sets = [frozenset({"", "s", f"x{chr(97 + i % 26)}"}) for i in range(60)] + odd
    keys = [f"wo{i}rd" for i in range(len(sets))]
    values = [
        (len(k), (Pattern(i, k, ALIAS, first),), False, 1 << (i % 3))
        for i, (k, first) in enumerate(zip(keys, sets, strict=True))
    ]
    matcher = Matcher.from_table(keys, values)
    words = [k + e for k in keys for e in ("", "s", "xa", "xb", "abcdef", "中", "q")]
    for start in range(0, len(words), 17):
        text = " ".join(words[start : start + 40])
        assert matcher.scan(text) == matcher.scan_py(text), text


def test_scan_takes_a_value_for_each_key() -> None:
    automaton = _native.Automaton(["homs", "idlib"])
    with pytest.raises(ValueError, match="each key"):
        _native.scan(automaton, "homs", [(4, (), False, 0)], frozenset(), frozenset(), Match)


# The automaton against ahocorasick_rs (overlapping, the same hits in the same order: the
# resolution breaks ties by hit order), on keys of several scripts and planes: Latin-1, BMP
# and astral characters, so texts and keys of each of the three kinds of str.
KEY_CHARS = "abcdefghijklmnoprstuvwxyz é-жяіبيی中\U0001d412\U0001f600"
TEXT_CHARS = KEY_CHARS + "qÅЖك\U0001f601\ufffd"


def reference_hits(keys: list[str], text: str) -> list[tuple[int, int, int]]:
    if not keys:
        return []
    automaton = ahocorasick_rs.AhoCorasick(
        keys, implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )
    hits: list[tuple[int, int, int]] = automaton.find_matches_as_indexes(text, overlapping=True)
    return hits


@st.composite
def keys_and_texts(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    alphabet = draw(st.sampled_from([KEY_CHARS, KEY_CHARS[:3] + KEY_CHARS[-2:], "ab"]))
    words = st.text(alphabet, min_size=1, max_size=7)
    keys = draw(st.lists(words, max_size=40))
    # Prefixes and suffixes of other keys, and the same key twice.
    for key in draw(st.lists(st.sampled_from(keys), max_size=8)) if keys else []:
        cut = draw(st.integers(1, len(key)))
        keys.append(draw(st.sampled_from([key[:cut], key[-cut:], key])))
    pieces = st.one_of(st.text(TEXT_CHARS, max_size=6), *([st.sampled_from(keys)] if keys else []))
    texts = draw(st.lists(st.lists(pieces, max_size=12).map("".join), min_size=1, max_size=4))
    return keys, texts


# A small automaton has a row by class for every state; with none but the root's, every other
# step searches a state's children and falls back down its failure links.
DENSE = [{}, {"dense_cells": 0}, {"dense_cells": 60}]


@settings(max_examples=600, derandomize=True, deadline=None)
@given(keys_and_texts())
def test_the_automaton_finds_what_ahocorasick_rs_finds(case: tuple[list[str], list[str]]) -> None:
    keys, texts = case
    for dense in DENSE:
        automaton = _native.Automaton(keys, **dense)
        assert automaton.keys == len(keys)
        for text in texts:
            assert automaton.hits(text) == reference_hits(keys, text), (keys, text, dense)


def test_the_automaton_steps_through_wide_states() -> None:
    """A state with many children (the root has a row by class, the others sorted arrays
    searched by halves once they are long) and long chains of failure links."""
    letters = "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщъыьэюя"
    keys = [f"{x}{y}" for x in "as" for y in letters] + ["s" + letters, letters[::-1], "a" * 9]
    texts = [" ".join(keys), "".join(keys), letters[::-1] * 3, "a" * 40 + "sz", "s" + letters]
    for dense in DENSE:
        automaton = _native.Automaton(keys, **dense)
        for text in texts:
            hits = automaton.hits(text)
            assert hits == reference_hits(keys, text)
            assert hits
        assert {k for k, _, _ in automaton.hits(" ".join(keys))} == set(range(len(keys)))


def test_the_automaton_of_more_classes_than_a_flat_table_holds_finds_alike() -> None:
    # A search of a two-byte str reads the class of a character off one flat table of 16 bits
    # a character, unless the keys have more distinct characters than that holds.
    bmp = [chr(cp) for cp in range(0x20, 0x10000) if not 0xD800 <= cp < 0xE000]
    keys = bmp + [chr(cp) for cp in range(0x1F000, 0x1F000 + 2100)] + ["жя", "\u4e2d\u6587"]
    automaton = _native.Automaton(keys)
    for text in ["жя кот \u4e2d\u6587", "a\u0416\uffff\u4e2d", "жя \U0001f600 \u4e2d\u6587"]:
        assert automaton.hits(text) == reference_hits(keys, text)


def test_the_automaton_of_no_keys_finds_nothing() -> None:
    assert _native.Automaton([]).hits("anything at all \U0001f600") == []


def test_the_automaton_takes_no_empty_key() -> None:
    # ahocorasick_rs refuses one too: it would match at every position.
    with pytest.raises(ValueError, match="empty"):
        _native.Automaton(["homs", ""])


def test_the_automaton_finds_every_key_of_the_watchlist_as_ahocorasick_rs() -> None:
    keys, _ = compile_table(matcher_entries(ENGINE.watchlist), trigger_phrases())
    reference = ahocorasick_rs.AhoCorasick(
        keys, implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )
    norms = [normalize(text).norm for text in CORPUS]
    expected = [reference.find_matches_as_indexes(norm, overlapping=True) for norm in norms]
    assert sum(map(len, expected)) > len(CORPUS)
    for dense in DENSE:
        automaton = _native.Automaton(keys, **dense)
        assert [automaton.hits(norm) for norm in norms] == expected


# Characters the rules look at: cases, marks, invisible characters, hashtags, handles, Arabic
# proclitics and letter variants, Cyrillic endings; and words of the demo watchlist.
PIECES = st.sampled_from(
    list("aZ _#@'’-.\n0")
    + list("éÉßİﬁＳ𝐒😀")
    + list("ЁёСирийЇїаиуюеяої")
    + list("يیىكکأإآةـًّ٣۳والب")
    + ["\u200b", "\u200c", "\u200d", "\u00ad", "\u202e", "\ufeff", "\ud800"]
    + [
        "Soleimani", "Qassem", "IRGC", "Wagner", "Вагнер", "ЧВК", "Сирия", "Сирии", "Сирію",
        "Homs", "حمص", "سوريا", "سوریه", "الحرس", "الثوري", "Quds", "Force", "Kursk", "Курск",
        "Курской", "области", "#", "@", "Hmeimim", "Хмеймим", "сил", "российские", "военных",
    ]
)  # fmt: skip


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_generated_mixes_normalise_and_match_alike(sample: str) -> None:
    assert offsets(sample, True) == offsets(sample, False)
    assert _native.fold(sample) == fold_py(sample)
    assert MATCHER.find(sample) == MATCHER.find_py(sample)


@settings(max_examples=800, derandomize=True, deadline=None)
@given(st.lists(PIECES, max_size=12).map(" ".join))
def test_generated_phrases_match_alike(sample: str) -> None:
    assert MATCHER.find(sample) == MATCHER.find_py(sample)


def detector_sees_a_claim_shape(text: str) -> bool:
    """What the claim detector itself decides on folded text, after its first look."""
    head = text[: claims.MAX_CHARS]
    kinds = {h.kind for h in claims._lexicon().find(claims_text.fold(head).text)}
    return claims._claim_shaped(kinds)


def scan_is_claim_shaped(text: str) -> bool:
    _, bits = MATCHER.scan(text)
    assert MATCHER.scan_py(text)[1] == bits
    return bits & claims.CLAIM_SHAPED == claims.CLAIM_SHAPED


def test_the_shared_pass_never_misses_a_claim_shaped_post() -> None:
    """The engine skips claim extraction unless its one pass found both kinds of word: that
    pass must see every post the detector would read (a superset, never less)."""
    shaped = 0
    for text in CORPUS:
        if detector_sees_a_claim_shape(text):
            shaped += 1
            assert scan_is_claim_shaped(text), text
    assert shaped > 300


CLAIM_PIECES = st.sampled_from(
    [
        " ", "\u200c", "\u200b", "ـ", "ً", "\n", ".", "Ё", "ё", "’", "'", "İ",
        "troops", "Troops", "arrived", "deployed", "convoy", "military", "were seen in",
        "Военные", "прибыли", "войска", "переброшены", "колонна", "бойцы", "помічені",
        "військові", "прибули", "قوات", "وصلت", "أرسلت", "إرسال", "نیروهای", "نیرو", "های",
        "دیده", "شد", "شدند", "وارد", "سپاه", "اعزام", "سرباز", "ان", "kadyrov's", "men",
        "kadyrov’s", "nothing", "Syria", "Сирию", "سوريا",
    ]
)  # fmt: skip


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(CLAIM_PIECES, max_size=14).map("".join))
def test_the_shared_pass_sees_every_claim_shape_in_generated_text(sample: str) -> None:
    if detector_sees_a_claim_shape(sample):
        assert scan_is_claim_shaped(sample)


@settings(max_examples=800, derandomize=True, deadline=None)
@given(st.lists(CLAIM_PIECES, max_size=10).map(" ".join))
def test_the_shared_pass_sees_every_claim_shape_in_generated_phrases(sample: str) -> None:
    if detector_sees_a_claim_shape(sample):
        assert scan_is_claim_shaped(sample)


# Every phrase set the claim detector reads folded text with.
PHRASE_SETS = {
    "lexicon": claims._lexicon(),
    "vetoes": claims._vetoes(),
    "cues": stance._cues(),
    "counts": counts._phrases(),
    "gazetteer": gazetteer.gazetteer(),
}


def claim_head(text: str) -> str:
    return text[: claims.MAX_CHARS]


def assert_phrases_alike(text: str) -> None:
    head = claim_head(text)
    folded = claims_text.fold(head).text
    for name, phrases in PHRASE_SETS.items():
        hits = phrases.find(folded)
        assert hits == phrases.find_py(folded), (name, text)
        assert all(type(h) is claims_text.Hit for h in hits)
        assert phrases.any(folded) is bool(hits), (name, text)
    lexicon = PHRASE_SETS["lexicon"]
    for start, end in claims_text.sentences(folded):
        assert lexicon.find(folded, start, end) == lexicon.find_py(folded, start, end), text
    assert claims_text.lower_fold(text) == claims_text.lower_fold_py(text), text
    assert claims_text.fold_lowered(text) == claims_text.lower_fold_py(text)[1], text


def test_every_character_lower_cases_and_folds_alike_for_claims() -> None:
    for block in range(0, 0x10000, 512):
        chars = "".join(chr(cp) for cp in range(block, block + 512))
        for ch in chars:
            assert claims_text.lower_fold(ch) == claims_text.lower_fold_py(ch), hex(ord(ch))
        # In an ASCII text "`" stays, in another it is an apostrophe; İ lower-cases to two.
        for text in (chars, "`a" + chars, chars + "İ`"):
            expected = claims_text.lower_fold_py(text)
            assert claims_text.lower_fold(text) == expected, hex(block)
            assert claims_text.fold_lowered(text) == expected[1], hex(block)
    for cp in range(0x10000, 0x110000, 101):
        text = f"`{chr(cp)}İ"
        assert claims_text.lower_fold(text) == claims_text.lower_fold_py(text), hex(cp)
        assert claims_text.fold_lowered(text) == claims_text.lower_fold_py(text)[1], hex(cp)


@pytest.mark.parametrize(
    "text",
    ["ΟΔΟΣ ΣΙΣ", "Σ", "İSTANBUL ΣΑΣ", "K`", "КАЗАНЬ\u200b", "تعزيزات\u0640", "\ud800 Troops"],
)
def test_claim_fold_keeps_the_lower_case_of_python(text: str) -> None:
    # A capital sigma lower-cases by its place in the word (ς at the end): Python does it.
    raw, folded = claims_text.lower_fold(text)
    assert (raw, folded) == claims_text.lower_fold_py(text)
    assert claims_text.fold_lowered(text) == folded
    assert len(raw) == len(text)


def test_every_character_is_a_digit_alike_for_counts() -> None:
    for block in range(0, 0x10000, 512):
        chars = "".join(chr(cp) for cp in range(block, block + 512))
        for i, ch in enumerate(chars):
            assert counts.has_digit(ch, 0, 1) is counts.has_digit_py(ch, 0, 1), hex(ord(ch))
            # Every window edge, in a text of each width (Latin-1, two and four bytes).
            for text in (f"a{ch}b", f"ж{ch}b", f"\U0001f600{ch}b"):
                for start, end in ((0, 3), (1, 2), (0, 1), (2, 3), (2, 1), (-5, 9)):
                    got = counts.has_digit(text, start, end)
                    assert got is counts.has_digit_py(text, start, end), (hex(block + i), start)
    for cp in (*range(0x10000, 0x110000, 97), 0x1D7CE, 0x1D7D8, 0x1E950):
        text = f"x{chr(cp)}"
        assert counts.has_digit(text, 0, 2) is counts.has_digit_py(text, 0, 2), hex(cp)


def test_every_character_is_in_a_set_alike_for_claims() -> None:
    sets = {
        "arabic": claims_text.ARABIC_SCRIPT,
        "marks": claims_text.char_table(".!?؟;؛…\n"),
        "latin-1": claims_text.char_table("\x00é\xff"),
        "edges": claims_text.char_table("\u0100\u01ff\uffff"),
    }
    for name, table in sets.items():
        for block in range(0, 0x10000, 512):
            chars = "".join(chr(cp) for cp in range(block, block + 512))
            for i, ch in enumerate(chars):
                # Every window edge, in a text of each width (Latin-1, two and four bytes).
                for text in (f"a{ch}b", f"ж{ch}b", f"\U0001f600{ch}b"):
                    for start, end in ((0, 3), (1, 2), (0, 1), (2, 3), (2, 1), (-5, 9)):
                        got = claims_text.has_any(text, table, start, end)
                        expected = claims_text.has_any_py(text, table, start, end)
                        assert got is expected, (name, hex(block + i), start)
        for cp in range(0x10000, 0x110000, 97):
            text = f"x{chr(cp)}"
            assert claims_text.has_any(text, table) is claims_text.has_any_py(text, table), hex(cp)


@given(st.text(max_size=40), st.text(max_size=6), st.integers(-3, 45), st.integers(-3, 45))
@settings(max_examples=300, deadline=None)
def test_has_any_is_its_python_reference(text: str, chars: str, start: int, end: int) -> None:
    table = claims_text.char_table(ch for ch in chars if ord(ch) < 0x10000)
    got = claims_text.has_any(text, table, start, end)
    assert got is claims_text.has_any_py(text, table, start, end)


def test_every_corpus_text_finds_claim_phrases_alike() -> None:
    for text in CORPUS:
        assert_phrases_alike(text)


def test_phrase_hits_keep_their_clitic_and_order() -> None:
    lexicon = PHRASE_SETS["lexicon"]
    folded = claims_text.fold("وللقوات battalions arrived; سترسل الكتيبة").text
    hits = lexicon.find(folded)
    assert hits == lexicon.find_py(folded)
    assert any(h.clitic == "ولل" for h in hits)
    assert any(h.clitic == "س" for h in hits)
    assert [(h.start, -h.end) for h in hits] == sorted((h.start, -h.end) for h in hits)


def test_phrases_reject_hits_outside_the_text() -> None:
    with pytest.raises(ValueError, match="outside"):
        _native.phrases("app", [(0, 0, 9)], [()], 0, 3, frozenset(), claims_text.Hit)


PHRASE_PIECES = st.sampled_from(
    [
        " ", ".", "\n", "\u200c", "\u200b", "ـ", "ʼ", "’", "'", "ё", "Ё", "İ", "7", "-",
        "و", "ال", "لل", "س", "ب", "ي", "ی", "ك", "ک",
        "app", "apps", "appear", "band", "abandon", "scout", "police", "матч", "матчи",
        "пол", "ицию", "بیمارستان", "مستشفى", "تیم", "تيم", "فوتبال", "ها", "ملي",
        "reportedly", "not", "300", "battalion", "companies of", "тысяч", "هزار", "Homs",
        "Сирию", "سوريا", "حمص",
    ]
)  # fmt: skip


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(st.one_of(PHRASE_PIECES, CLAIM_PIECES), max_size=16).map("".join))
def test_generated_mixes_find_claim_phrases_alike(sample: str) -> None:
    assert_phrases_alike(sample)


@settings(max_examples=800, derandomize=True, deadline=None)
@given(st.lists(st.one_of(PHRASE_PIECES, CLAIM_PIECES), max_size=10).map(" ".join))
def test_generated_phrases_find_claim_phrases_alike(sample: str) -> None:
    assert_phrases_alike(sample)


def test_the_quick_look_for_vetoes_changes_no_claim() -> None:
    """The engine skips the look for a veto before the full scan when its pass saw no veto
    word; the full scan finds vetoes anyway, so the claims are the same, and the pass sees
    every veto the quick look would (a superset, so the shortcut is never lost)."""
    vetoed = 0
    for text in CORPUS:
        found = claims.extract_claims(text)
        assert claims.extract_claims(text, veto_seen=False) == found, text
        if claims._vetoes().find(claims_text.fold(claim_head(text)).text):
            vetoed += 1
            assert MATCHER.scan(text)[1] & claims.VETO_BIT, text
    assert vetoed > 50
