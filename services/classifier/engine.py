"""The pure classification core: a post in, a `scored-post.v1` out. No I/O.

`Engine(watchlist)` builds the alias automaton once per watchlist version (off the hot path);
`classify(post)` normalises the text once, finds the watchlisted entities (text and media alt
texts; with the spellings `derived` adds, a place's ambiguous alias after a preposition of
place, less the namesakes `derived` drops and the entities an exclude term rules out), hands
the places it found to the claim extractor, and scores the result with reasons."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from services.classifier.claims import (
    CLAIM_SHAPED,
    VETO_BIT,
    PlaceSpan,
    extract_claims,
    trigger_phrases,
)
from services.classifier.claims import prepare as prepare_claims
from services.classifier.derived import (
    ANIMAL_BIT,
    ANIMAL_TRIGGERS,
    EXCLUDE_BIT,
    HEAD_BIT,
    HEAD_TRIGGERS,
    PERSON,
    PLACE,
    PLACE_BIT,
    Kind,
    after_locative,
    drop_acronyms_of_others,
    drop_handle_parts,
    drop_namesakes,
    entity_kinds,
    matcher_entries,
    place_entries,
)
from services.classifier.matching import (
    ALIAS,
    Match,
    Matcher,
    compile_alias,
    compile_table,
    gc_paused,
)
from services.classifier.score import ClaimHit, EntityHit, score
from services.classifier.skeleton import Skeletons
from services.classifier.text import DASHES, fold
from services.classifier.typos import TYPO_BITS, Typos, anchors_of, long_names
from services.classifier.watchlist import Entity, Watchlist

CLASSIFIER_VERSION = "0.2.0"
# A scored post lists at most this many matches, so that a hostile post ("IRGC IRGC ...", 100,000
# characters) cannot make a record larger than the broker takes: every entity found keeps its
# first match, then the rest in order, and `entities_omitted` counts what was left out. The
# score and the reasons count every entity.
MAX_LISTED_MATCHES = 200


class Engine:
    """Built once per watchlist version, then `classify` is pure and reentrant."""

    def __init__(
        self,
        watchlist: Watchlist,
        *,
        claims: Callable[[str, Sequence[PlaceSpan], str | None], list[dict[str, Any]]] = (
            extract_claims
        ),
    ) -> None:
        builtin = claims is extract_claims
        with gc_paused():
            # The claim detector's first look (are there both military and movement words?)
            # rides on the alias automaton's pass: one scan of each post, not two.
            self._build(watchlist, trigger_phrases() if builtin else ())
            if builtin:
                prepare_claims()  # build the claim automata now, not on the first post scored
        self._extract_claims = claims
        self._claims = self._builtin_claims if builtin else self._other_claims
        # The trigger bits a post needs before claims are looked for (none for other detectors).
        self._shaped = CLAIM_SHAPED if builtin else 0

    def _build(self, watchlist: Watchlist, triggers: Sequence[tuple[str, int]] = ()) -> None:
        self.watchlist = watchlist
        self.version = watchlist.version
        # Exclude terms: matched like aliases by a matcher of their own, which runs only on a
        # post where the main pass saw one of its keys.
        excludes = [
            (i, term, ALIAS) for i, e in enumerate(watchlist.entities) for term in e.exclude
        ]
        self._exclusions = Matcher(excludes) if excludes else None
        exclude_keys = {
            key for i, term, role in excludes for key, _ in compile_alias(term, i, role)
        }
        # Ambiguous aliases of places, looked for after a preposition of place ("в Мали") by a
        # matcher of their own, only in a post where the main pass saw one of their keys.
        places = place_entries(watchlist)
        self._places = Matcher(places) if places else None
        place_keys = {key for i, alias, role in places for key in _place_keys(alias, i, role)}
        entries = matcher_entries(watchlist)
        # Long names one edit away from a listed one, looked for only in a post where the main
        # pass saw the first or last letters of one (their anchors).
        names = long_names(entries)
        anchors = anchors_of(names)
        # Listed names in other spellings and scripts, by their consonants (`skeleton.py`).
        skeletons = Skeletons(watchlist, entries)
        self._skeletons = skeletons if skeletons else None
        keys, values = compile_table(
            entries,
            (
                *triggers,
                *HEAD_TRIGGERS,
                *ANIMAL_TRIGGERS,
                *((key, EXCLUDE_BIT) for key in sorted(exclude_keys)),
                *((key, PLACE_BIT) for key in sorted(place_keys)),
                *anchors,
            ),
        )
        # The entries go before the automaton is built, the moment of the build's peak RSS,
        # and the index of long names comes after it.
        del entries
        self.matcher = Matcher.from_table(keys, values)
        del keys
        self._typos = Typos(names) if anchors else None
        self._scan = self.matcher.scan
        self._parents = _parents(watchlist)
        self._specific = _specific_names(watchlist)
        self._kinds = entity_kinds(watchlist)
        self._entities = watchlist.entities
        # Per entity its hit (strength and reason line), made the first time a post names it:
        # most entities of a large watchlist are never named between two reloads.
        self._hits: list[EntityHit | None] = [None] * len(watchlist.entities)
        # Per entity: its name when it is a location (a claim's place), else None.
        self._place_names = tuple(
            e.name if e.kind == "location" else None for e in watchlist.entities
        )
        # Normalised names and aliases of watched locations, to place a claim's location.
        self._watched_places: dict[str, str] = {}
        for e in watchlist.entities:
            if e.kind == "location":
                # The name is most often one of the aliases too: folded once.
                for name in e.aliases if e.name in e.aliases else (e.name, *e.aliases):
                    self._watched_places.setdefault(fold(name), e.name)

    def find(self, text: str) -> list[Match]:
        return self._matches(text)[0]

    def _matches(self, text: str) -> tuple[list[Match], int]:
        """The entity matches less the namesakes, and the trigger bits of the same pass."""
        matches, bits = self._scan(text)
        if bits & PLACE_BIT and self._places is not None:
            matches = self._add_places(text, matches)
        if bits & TYPO_BITS and self._typos is not None and self._typos.wanted(bits, matches):
            typos = self._typos.find(text, matches)
            if typos:
                matches = sorted([*matches, *typos], key=lambda m: m.start)
        skeletons = self._skeletons
        if skeletons is not None:
            found = skeletons.find(text, matches)
            if found:
                matches = sorted([*matches, *found], key=lambda m: m.start)
        if matches and self._parents:
            matches = self._with_parents(text, matches)
        if matches:
            kinds = self._kinds
            # The matches before the namesakes go: an exclude term around or beside one of them
            # is that match's other sense even when a namesake rule has already dropped it
            # (Pasdaran Avenue), not a word about the whole post.
            found = matches
            matches = drop_namesakes(
                text, matches, kinds, bool(bits & HEAD_BIT), bool(bits & ANIMAL_BIT)
            )
            if "@" in text:
                matches = drop_handle_parts(text, matches, kinds)
            if "(" in text:
                matches = drop_acronyms_of_others(text, matches)
            if bits & EXCLUDE_BIT and self._exclusions is not None:
                exclusions = self._exclusions.find(text)
                if exclusions:
                    matches = _exclude(text, matches, found, exclusions, kinds, self._specific)
        return matches, bits

    def _with_parents(self, text: str, matches: list[Match]) -> list[Match]:
        """`matches` with a match of the parent named at the head of a hyphenated alias (the
        IRGC in IRGC-QF), over the text before the hyphen."""
        parents = self._parents
        out: list[Match] | None = None
        for m in matches:
            parent = parents.get((m.entity, m.alias))
            if parent is None:
                continue
            hyphen = next((i for i in range(m.start + 1, m.end) if text[i] in _HYPHENS), -1)
            if hyphen < 0:
                continue
            if out is None:
                out = list(matches)
            out.append(Match(parent[0], parent[1], m.start, hyphen))
        return matches if out is None else sorted(out, key=lambda m: (m.start, -m.end))

    def _add_places(self, text: str, matches: list[Match]) -> list[Match]:
        """`matches` with the ambiguous aliases of places found after a preposition of place,
        where no match already covers them, in order."""
        assert self._places is not None
        extra = [
            m._replace(ambiguous=True)
            for m in self._places.find(text)
            if after_locative(text, m)
            and not any(o.start < m.end and m.start < o.end for o in matches)
        ]
        if not extra:
            return matches
        return sorted([*matches, *extra], key=lambda m: m.start)

    def classify(self, post: dict[str, Any]) -> dict[str, Any]:
        text: str = post["text"]
        matches, bits = self._matches(text)
        shaped = bits & self._shaped == self._shaped
        media = post.get("media")
        geo = post.get("geo")
        claims: list[dict[str, Any]] | None = None
        if not matches and not media and not geo:
            # The common case on a busy feed: nothing watched in the post, so no places for
            # the claims and no geotag; the claims found here are the post's claims.
            claims = self._claims(text, (), None, bits) if shaped else []
            if not claims:
                return {
                    **post,
                    "score": 0.0,
                    "entities": [],
                    "claims": claims,
                    "reasons": [],
                    "watchlist_version": self.version,
                    "classifier_version": CLASSIFIER_VERSION,
                }
        entities_ = self._entities
        out_entities = [self._entity(m, entities_[m.entity], text) for m in matches]
        seen = dict.fromkeys([m.entity for m in matches])
        place_names = self._place_names
        places = [
            PlaceSpan(name, m.start, m.end)
            for m in matches
            if (name := place_names[m.entity]) is not None
        ]
        media = media or ()
        for index, item in enumerate(media):
            alt = item.get("alt") if isinstance(item, dict) else None
            if alt:
                for m in self.find(alt):
                    entry = self._entity(m, entities_[m.entity], alt)
                    entry["field"] = "media_alt"
                    entry["media"] = index
                    out_entities.append(entry)
                    seen.setdefault(m.entity)
        geo = geo if isinstance(geo, dict) else {}
        geo_place = geo.get("place")
        if claims is None:
            claims = self._claims(text, places, geo_place, bits) if shaped else []

        geo_watched = None
        if geo_place:
            for m in self.find(geo_place):
                if entities_[m.entity].kind == "location":
                    geo_watched = entities_[m.entity].name
                    break
        if seen or claims or geo_watched is not None:
            hits = self._hits
            claim_hits = [self._claim_hit(c, matches) for c in claims] if claims else ()
            value, reasons = score(
                [hits[i] or self._hit(i) for i in seen],
                claim_hits,
                geotag=geo.get("kind") == "geotag",
                geo_watched=geo_watched,
                media=len(media),
            )
        else:
            value, reasons = 0.0, []
        scored = {
            **post,
            "score": value,
            "entities": out_entities,
            "claims": claims,
            "reasons": reasons,
            "watchlist_version": self.version,
            "classifier_version": CLASSIFIER_VERSION,
        }
        if len(out_entities) > MAX_LISTED_MATCHES:
            scored["entities"] = listed = _bounded(out_entities)
            scored["entities_omitted"] = len(out_entities) - len(listed)
        return scored

    def _hit(self, entity: int) -> EntityHit:
        e = self._entities[entity]
        hit = self._hits[entity] = EntityHit(e.name, e.kind, e.weight)
        return hit

    def _builtin_claims(
        self, text: str, places: Sequence[PlaceSpan], geo_place: str | None, bits: int
    ) -> list[dict[str, Any]]:
        # The main pass stands in for the detector's first look, and for its look for vetoes.
        return extract_claims(
            text, places, geo_place, prescanned=True, veto_seen=bool(bits & VETO_BIT)
        )

    def _other_claims(
        self, text: str, places: Sequence[PlaceSpan], geo_place: str | None, bits: int
    ) -> list[dict[str, Any]]:
        return self._extract_claims(text, places, geo_place)

    def _entity(self, m: Match, entity: Entity, source: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": entity.id,
            "kind": entity.kind,
            "alias": m.alias,
            "start": m.start,
            "end": m.end,
            "text": source[m.start : m.end],
        }
        if entity.tags:
            out["tags"] = list(entity.tags)
        if m.ambiguous:
            out["ambiguous"] = True
        return out

    def _claim_hit(self, claim: dict[str, Any], matches: list[Match]) -> ClaimHit:
        location = claim.get("location")
        watched = False
        if isinstance(location, str) and fold(location) in self._watched_places:
            watched = True
        else:
            start, end = claim.get("start", 0), claim.get("end", 0)
            entities_ = self._entities
            watched = any(
                entities_[m.entity].kind == "location" and start <= m.start and m.end <= end
                for m in matches
            )
        return ClaimHit(str(claim.get("stance", "asserted")), location, watched)


# The hyphen and the dashes that normalise to it.
_HYPHENS = frozenset("-" + DASHES)


def _parents(watchlist: Watchlist) -> dict[tuple[int, str], tuple[int, str]]:
    """(entity, alias) -> (other entity, its alias) for an alias whose head before a hyphen is
    another entity's alias: "IRGC-QF", an alias of the Quds Force, names the IRGC as well. Not
    without the hyphen: سپاه inside سپاه قدس is a word of the unit's name."""
    hyphenated = [(i, a) for i, e in enumerate(watchlist.entities) for a in e.aliases if "-" in a]
    if not hyphenated:
        return {}  # no alias to fold: the usual large watchlist of names
    plain: dict[str, tuple[int, str]] = {}
    for i, e in enumerate(watchlist.entities):
        for alias in e.aliases:
            plain.setdefault(fold(alias), (i, alias))
    out: dict[tuple[int, str], tuple[int, str]] = {}
    for i, alias in hyphenated:
        head, _, _ = alias.partition("-")
        parent = plain.get(fold(head)) if head.strip() == head else None
        if parent is not None and parent[0] != i:
            out[(i, alias)] = parent
    return out


def _exclude(
    text: str,
    matches: list[Match],
    found: list[Match],
    exclusions: list[Match],
    kinds: tuple[Kind, ...],
    specific: frozenset[tuple[int, str]] = frozenset(),
) -> list[Match]:
    """`matches` less those an entity's exclude terms rule out. A term around a match, or right
    beside it, is that match's other sense (the Damascus Gate, Turkish Hizbullah, Ukrainian
    paratroopers, Африканский корпус Роммеля): only the matches it covers or touches go, and the
    entity's other names in the post stay (VDV beside Ukrainian paratroopers). `found` are the
    matches before the namesake rules, which tell such a term from one elsewhere. A term
    elsewhere says what the whole post is about (hummus, a poet): every match of the entity
    goes, but a person's full name, which is theirs whatever else the post says (Qaani the poet
    beside Esmail Qaani), a name of several words with one of the entity's context terms in it
    (`specific`: ЧВК Вагнер beside the composer's Валькирия; not Африканский корпус, Rommel's
    too) or that sets its first word against the term's (North Korean troops beside "South
    Korean"), and a place named right after a preposition of place, which is where the post is (a
    falafel shop في حمص, "in Homs") or opens the post as its dateline ("حمص: ..."), and a match
    the post sets against the term with a "but" or "а" between them (`_contrasted`)."""
    topical: dict[int, list[Match]] = {}
    local: list[Match] = []
    for x in exclusions:
        if any(m.entity == x.entity and _beside(text, x, m) for m in found):
            local.append(x)
        else:
            topical.setdefault(x.entity, []).append(x)
    return [
        m
        for m in matches
        if not any(
            x.entity == m.entity and (_beside(text, x, m) or _same_sense(text, x, m, kinds))
            for x in local
        )
        and (
            m.entity not in topical
            or all(_contrasted(text, x, m) for x in topical[m.entity])
            or (kinds[m.entity].code == PERSON and not m.ambiguous and " " in m.alias)
            or (m.entity, m.alias) in specific
            or (kinds[m.entity].code == PLACE and (after_locative(text, m) or _dateline(text, m)))
        )
    ]


def _same_sense(text: str, x: Match, m: Match, kinds: tuple[Kind, ...]) -> bool:
    """Whether the exclude term `x`, beside another match of the entity, also rules out `m`,
    an ambiguous alias elsewhere in the post: the post is about the other sense (an orchestra
    playing Wagner's overture: the orchestra is not the group's nickname), unless it sets the
    two against each other or names a place after a preposition of place ("عجز مالي" beside
    "في مالي")."""
    return (
        m.ambiguous
        and not _contrasted(text, x, m)
        and not (kinds[m.entity].code == PLACE and (after_locative(text, m) or _dateline(text, m)))
    )


def _dateline(text: str, m: Match) -> bool:
    """Whether the place match `m` opens the post as its dateline ("Дамаск: ...", "حمص: ...",
    "Homs update: ..."): where the news is from, whatever else the post is about."""
    return not text[: m.start].strip(" #\u200e\u200f") and _DATELINE.match(text, m.end) is not None


# What may stand between a dateline's place and its colon: a word or two ("update", "latest").
_DATELINE = re.compile(r" ?(?:[^\W\d_]+ ?){0,2}:")


# A conjunction that sets one thing against another ("Фатимиды строили Каир, а «Фатемиюн» —
# блиндажи", "الفاطميون بنوا القاهرة، أما «فاطميون» اليوم..."): the two senses, told apart.
# A change of topic does the same ("IRGC Navy drills near Bandar Abbas; Sepahan fans meanwhile
# furious about the ref").
_CONTRAST = re.compile(
    r"[,;—–]\s*(?:а|але|но|однако|однак)\s|\b(?:but|whereas|while|meanwhile|separately)\b"
    r"|(?<!\w)(?:أما|بينما|فيما|في المقابل|في الأثناء|اما|ولی|در حالی که|در همین حال"
    r"|тем временем|тим часом|при этом|водночас|одновременно|отдельно|окремо)(?!\w)",
    re.IGNORECASE,
)


def _contrasted(text: str, x: Match, m: Match) -> bool:
    """Whether a contrasting conjunction stands between the exclude term `x` and the match
    `m`, in either order: the post names both senses and tells them apart."""
    a, b = (x.end, m.start) if x.end <= m.start else (m.end, x.start)
    return a < b and _CONTRAST.search(text, a, b) is not None


def _specific_names(watchlist: Watchlist) -> frozenset[tuple[int, str]]:
    """(entity, alias) of every alias of several words with a word of one of the entity's
    context terms in it (ЧВК Вагнер, Wagner PMC, Russian Africa Corps), or that sets its first
    word against an exclude term's before the same words ("North Korean troops" and the
    exclude term "South Korean", "Russian paratroopers" and "Ukrainian paratroopers"): a name
    that says which sense it is, whatever else the post is about."""
    out: set[tuple[int, str]] = set()
    for i, e in enumerate(watchlist.entities):
        if not e.exclude:
            continue
        context = {w for term in e.context for w in fold(term).split()}
        others = [words for words in (fold(t).split() for t in e.exclude) if len(words) > 1]
        for alias in e.aliases:
            words = fold(alias).split()
            if len(words) > 1 and (
                context.intersection(words) or any(_contrasts(words, o) for o in others)
            ):
                out.add((i, alias))
    return frozenset(out)


def _contrasts(words: list[str], other: list[str]) -> bool:
    """Whether a name's first word differs from another's and the other's next words follow
    it in the name (north korean troops, south korean)."""
    rest = other[1:]
    return words[0] != other[0] and words[1 : 1 + len(rest)] == rest


# What may stand between a match and an exclude term right beside it: spaces, quotation marks,
# a possessive ending ("Rommel's Afrika Korps"), the Arabic vowel marks a match leaves after
# its last letter (حِزْبَ اللَّهِ هُمُ).
_MARKS = "".join(map(chr, range(0x64B, 0x653)))
_BESIDE_GAP = frozenset(' \u00a0\u200c"«»“”„' + _MARKS)
_POSSESSIVE = ("'s", "’s")


def _beside(text: str, x: Match, m: Match) -> bool:
    """Whether the exclude term `x` covers the match `m` or touches it (a gap of two characters
    at most, spaces or quotation marks, after a possessive ending or Arabic vowel marks)."""
    if x.start <= m.start and m.end <= x.end:
        return True
    if x.end <= m.start:
        gap = text[x.end : m.start]
    elif m.end <= x.start:
        gap = text[m.end : x.start]
    else:
        return True  # overlapping
    if gap.startswith(_POSSESSIVE):
        gap = gap[2:]
    return len(gap.strip(_MARKS)) <= 2 and all(c in _BESIDE_GAP for c in gap)


def _place_keys(alias: str, entity: int, role: int) -> list[str]:
    """Trigger keys for a place's ambiguous alias: every automaton key of it, or, for a key too
    short to be told apart from common words as a substring (a Cyrillic stem of three letters,
    "мал" of Мали), the alias itself."""
    whole = fold(alias)
    return [key if len(key) >= 4 else whole for key, _ in compile_alias(alias, entity, role)]


def _bounded(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most `MAX_LISTED_MATCHES` of `entities`, in their order: each entity's first match
    first (as many entities as fit), then the other matches from the start."""
    keep: set[int] = set()
    firsts: set[str] = set()
    for n, e in enumerate(entities):
        if e["id"] not in firsts:
            firsts.add(e["id"])
            keep.add(n)
            if len(keep) == MAX_LISTED_MATCHES:
                break
    for n in range(len(entities)):
        if len(keep) == MAX_LISTED_MATCHES:
            break
        keep.add(n)
    return [e for n, e in enumerate(entities) if n in keep]
