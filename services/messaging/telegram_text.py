"""Message text as Telegram will accept it: plain, HTML or Markdown in, Telegram HTML out,
split into parts of at most 4096 characters on line boundaries.

Telegram's HTML knows a few tags and rejects a message with any other tag, an unclosed tag or a
bare `<` or `&`. HTML that does not fit is sent escaped, as text, so it never makes a message fail.
Markdown is parsed by markdown-it-py and rendered into that subset.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from markdown_it import MarkdownIt

LIMIT = 4096
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.ok = False
        allowed_attrs = {"a": {"href"}, "span": {"class"}, "code": {"class"}}.get(tag, set())
        if any(name not in allowed_attrs for name, _ in attrs):
            self.ok = False
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.ok = False
        else:
            self.stack.pop()


def is_telegram_html(text: str) -> bool:
    """True when Telegram's HTML parse mode will accept `text` as it is."""
    if re.search(r"<(?![a-zA-Z/])", text):
        return False
    for match in re.finditer("&", text):
        if not _ENTITY.match(text, match.start()):
            return False
    checker = _Checker()
    try:
        checker.feed(text)
        checker.close()
    except AssertionError:
        return False
    return checker.ok and not checker.stack and not checker.rawdata


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def markdown_to_html(text: str) -> str:
    """CommonMark (with ~~strike~~) rendered into Telegram's HTML subset."""
    out: list[str] = []
    lists: list[list[int]] = []

    def inline(children: list) -> None:  # type: ignore[type-arg]
        for token in children:
            kind = token.type
            if kind == "text":
                out.append(escape(token.content, quote=False))
            elif kind in ("softbreak", "hardbreak"):
                out.append("\n")
            elif kind == "code_inline":
                out.append(f"<code>{escape(token.content, quote=False)}</code>")
            elif kind in (
                "strong_open",
                "strong_close",
                "em_open",
                "em_close",
                "s_open",
                "s_close",
            ):
                tag = {"strong": "b", "em": "i", "s": "s"}[kind.rsplit("_", 1)[0]]
                out.append(f"<{tag}>" if kind.endswith("open") else f"</{tag}>")
            elif kind == "link_open":
                href = str(token.attrs.get("href", ""))
                out.append(f'<a href="{escape(href)}">')
            elif kind == "link_close":
                out.append("</a>")
            elif kind == "image":
                out.append(escape(token.content or str(token.attrs.get("src", "")), quote=False))
            else:
                out.append(escape(token.content, quote=False))

    for token in _markdown.parse(text):
        kind = token.type
        if kind == "inline":
            inline(token.children or [])
        elif kind == "heading_open":
            out.append("<b>")
        elif kind == "heading_close":
            out.append("</b>\n\n")
        elif kind == "paragraph_close":
            out.append("\n" if lists else "\n\n")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(
                [0 if kind == "bullet_list_open" else int(token.attrs.get("start", 1) or 1)]
            )
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                out.append("\n")
        elif kind == "list_item_open":
            counter = lists[-1]
            indent = "  " * (len(lists) - 1)
            if counter[0]:
                out.append(f"{indent}{counter[0]}. ")
                counter[0] += 1
            else:
                out.append(f"{indent}• ")
        elif kind in ("fence", "code_block"):
            out.append(f"<pre>{escape(token.content.rstrip(chr(10)), quote=False)}</pre>\n\n")
        elif kind == "blockquote_open":
            out.append("<blockquote>")
        elif kind == "blockquote_close":
            while out and out[-1] in ("\n", "\n\n"):
                out.pop()
            out.append("</blockquote>\n\n")
        elif kind == "hr":
            out.append("——————\n\n")
    return "".join(out).strip()


def render(text: str, fmt: str, title: str = "") -> str:
    """Telegram HTML for a message body in `fmt` (plain, html or markdown), with its title."""
    if fmt == "markdown":
        body = markdown_to_html(text)
    elif fmt == "html" and is_telegram_html(text):
        body = text
    else:
        body = escape(text, quote=False)
    return f"<b>{escape(title, quote=False)}</b>\n{body}" if title else body


def split(html: str, limit: int = LIMIT) -> list[str]:
    """Parts of at most `limit` characters, cut at line ends.

    Tags open at a cut (and a line too long on its own) are closed and reopened around it.
    """
    if len(html) <= limit:
        return [html]
    parts: list[str] = []
    current = ""
    for line in html.splitlines(keepends=True):
        if len(current) + len(line) <= limit:
            current += line
            continue
        if current:
            parts.extend(_flush(current, limit))
            current = ""
        current = line
    if current:
        parts.extend(_flush(current, limit))
    return [p for p in (part.strip("\n") for part in parts) if p]


_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def _name_of(tag: str) -> str:
    match = _TAG.match(tag)
    return match.group(2) if match else ""


def _open_tags(html: str) -> list[str]:
    stack: list[str] = []
    for match in _TAG.finditer(html):
        if match.group(1):
            if stack:
                stack.pop()
        else:
            stack.append(match.group(0))
    return stack


def _flush(chunk: str, limit: int) -> list[str]:
    """Cut a chunk into valid pieces of at most `limit` characters."""
    pieces: list[str] = []
    carry: list[str] = []
    while chunk:
        prefix = "".join(carry)
        room = limit - len(prefix) - 64  # room for the closing tags
        cut = len(chunk) if len(prefix) + len(chunk) <= limit else max(1, room)
        piece = chunk[:cut]
        # Never cut inside a tag or an entity.
        last_open = piece.rfind("<")
        if last_open > piece.rfind(">"):
            piece = piece[:last_open] or piece
        last_amp = piece.rfind("&")
        if last_amp > piece.rfind(";"):
            piece = piece[:last_amp] or piece
        chunk = chunk[len(piece) :]
        body = prefix + piece
        carry = _open_tags(body)
        closing = "".join(f"</{_name_of(tag)}>" for tag in reversed(carry))
        pieces.append(body + closing)
    return pieces
