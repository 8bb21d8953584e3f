"""The classifier's offline commands: `fieldwatch classify` (post.v1 JSONL in, one result per
line out, in order; a bad line gives an error object with its line number and the run goes on),
`fieldwatch explain` (matches, claims and score reasons of one text, evidence highlighted), and
the watchlist warnings that `fieldwatch check` prints.

Post text is hostile: `explain` prints it with control and bidi characters escaped, so a post
cannot rewrite the analyst's terminal, and lone surrogates escaped, so that it can be printed."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from services.runtime.errors import ConfigError


def add_parsers(sub: Any) -> None:
    """Register `classify` and `explain` on the `fieldwatch` sub-command parser."""
    classify = sub.add_parser("classify", help="score post.v1 JSONL offline")
    classify.add_argument("--watchlist", type=Path, required=True)
    classify.add_argument("--input", default="-", help="post.v1 JSONL file, or - (stdin)")
    classify.add_argument("--output", default="-", help="output JSONL file, or - (stdout)")
    classify.set_defaults(func=classify_command)
    explain = sub.add_parser("explain", help="show matches, claims and score reasons of a text")
    explain.add_argument("--watchlist", type=Path, required=True)
    explain.add_argument("text")
    explain.set_defaults(func=explain_command)


def _engine(path: Path) -> Any:
    from services.classifier.engine import Engine
    from services.classifier.watchlist import load_watchlist

    return Engine(load_watchlist(path))


def classify_command(args: argparse.Namespace) -> int:
    try:
        engine = _engine(args.watchlist)
    except ConfigError as exc:
        print(f"fieldwatch classify: invalid watchlist:\n{exc}", file=sys.stderr)
        return 2
    src: IO[bytes] = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115
    dst: IO[bytes] = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")  # noqa: SIM115
    try:
        for out in classify_lines(engine, src):
            dst.write(out)
        dst.flush()
    finally:
        if src is not sys.stdin.buffer:
            src.close()
        if dst is not sys.stdout.buffer:
            dst.close()
    return 0


def classify_lines(engine: Any, lines: Iterable[bytes]) -> Iterable[bytes]:
    """One JSON line out per line in: the scored post, or `{"line", "error"}`."""
    from services.runtime.errors import PoisonMessage
    from services.runtime.messages import dumps, loads, validate_post

    for number, raw in enumerate(lines, 1):
        try:
            if not raw.strip():
                raise PoisonMessage("undecodable", "empty line")
            post = validate_post(loads(raw))
            out = engine.classify(post)
        except PoisonMessage as exc:
            error: dict[str, Any] = {"line": number, "error": exc.detail}
            yield dumps(error) + b"\n"
            continue
        yield dumps(out) + b"\n"


def explain_command(args: argparse.Namespace) -> int:
    try:
        engine = _engine(args.watchlist)
    except ConfigError as exc:
        print(f"fieldwatch explain: invalid watchlist:\n{exc}", file=sys.stderr)
        return 2
    color = sys.stdout.isatty()
    sys.stdout.write(explain(engine, args.text, color=color))
    return 0


def explain(engine: Any, text: str, *, color: bool = False) -> str:
    """The report `fieldwatch explain` prints."""
    post = {"id": "explain:1", "source": "explain", "text": text, "created_at": ""}
    scored = engine.classify(post)
    spans = [(e["start"], e["end"]) for e in scored["entities"] if "field" not in e]
    claim_spans = [(c["start"], c["end"]) for c in scored["claims"]]
    lines = [f"score {scored['score']:.4f}", "", "text:", "  " + highlight(text, spans, color)]
    lines += ["", f"entities ({len(scored['entities'])}):"]
    for e in scored["entities"]:
        lines.append(
            f"  {e['id']} ({e['kind']}) {safe(e['text'])!r} at {e['start']}-{e['end']}"
            f" via alias {safe(e['alias'])!r}"
            + (" [ambiguous, confirmed]" if e.get("ambiguous") else "")
        )
    lines += ["", f"claims ({len(scored['claims'])}):"]
    for c in scored["claims"]:
        count = c.get("count")
        count_s = "?" if not count else f"{count['min']}-{count['max']}"
        lines.append(
            f"  {c['stance']} {c['type']}: actor={safe(str(c.get('actor')))}"
            f" count={count_s} location={safe(str(c.get('location')))}"
        )
        lines.append("    " + highlight(c.get("evidence", ""), [], color))
    if claim_spans:
        lines += ["", "claim evidence in the text:", "  " + highlight(text, claim_spans, color)]
    lines += ["", "reasons:"]
    lines += [f"  {r}" for r in scored["reasons"]] or ["  (nothing matched)"]
    return "\n".join(lines) + "\n"


def safe(text: str) -> str:
    """`text` with control, format (bidi, zero-width) and line characters made visible, and
    lone surrogates (JSON escapes, or bytes of an argument that is not UTF-8), which no output
    stream can encode."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def highlight(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """`text` with the spans marked: reverse video on a terminal, [[...]] otherwise."""
    on, off = ("\x1b[7m", "\x1b[0m") if color else ("[[", "]]")
    out = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += [safe(text[pos:start]), on, safe(text[start:end]), off]
        pos = end
    out.append(safe(text[pos:]))
    return "".join(out)


def watchlist_notes(doc: Any) -> tuple[str, list[str]]:
    """For `fieldwatch check`: the summary of a valid watchlist and its warnings."""
    from services.classifier.watchlist import watchlist_from_document

    wl = watchlist_from_document(doc)
    return f"{len(wl.entities)} entities", [f"warning: {w}" for w in wl.warnings]
