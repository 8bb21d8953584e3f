"""Text cleaning shared by every source: HTML to text (links and hashtags kept as text, block
elements as line breaks), entities decoded, control and zero-width characters removed,
whitespace normalised. Pure functions."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "pre",
    }
)
_SKIP_TAGS = frozenset({"script", "style", "template", "head"})
_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES_RE = re.compile(r"\s*\n\s*(\n\s*)*")
# Zero-width characters, soft hyphens and bidi controls/marks are kept out of analysts' alerts
# and of matching. The zero-width joiner stays only where it builds an emoji sequence.
_INVISIBLE = dict.fromkeys(
    [
        0x200B, 0x200C, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x061C,
        *range(0x202A, 0x202F), *range(0x2066, 0x206A),
    ]
)  # fmt: skip
_ZWJ_RE = re.compile("\u200d(?![\U0001f000-\U0001faff\u2600-\u27bf\u2640\u2642\u2695])")
# C0/C1 controls (but tab and newline), lone surrogates, private use.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<br/>` is one line break, not the two a start and an end tag would make.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            return
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, cleaned with `clean_text`."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return clean_text("".join(parser.parts))


def clean_text(text: str) -> str:
    """Decode stray entities, drop control/zero-width/bidi characters, normalise whitespace
    (spaces folded, at most one blank line), NFC."""
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    text = _CONTROL_RE.sub("", text)
    if "\u200d" in text:
        text = _ZWJ_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _NEWLINES_RE.sub(lambda m: "\n\n" if m.group(0).count("\n") > 1 else "\n", text)
    return unicodedata.normalize("NFC", text.strip())
