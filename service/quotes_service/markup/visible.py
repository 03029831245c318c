"""What a reader sees of an HTML page: its text, a line per block, each character with the source range it came
from, so that spans found in the text map back onto the markup.

- Block elements (p, h1-h6, li, blockquote, div, td, ...) and <br> break lines; the engine reads a line as a
  paragraph. Runs of line breaks count once: an empty line is no paragraph.
- Inline elements (a, em, span, ...) do not break words. White space collapses as CSS `white-space: normal`
  shows it (a run is one space, none at the start or end of a line), except in pre, listing, plaintext, xmp
  and textarea, where spaces stay and each line break counts.
- Not read: head (title, meta), script, style, noscript, template, comments, form controls (select, textarea,
  button, datalist), embedded media and graphics (iframe, object, video, audio, canvas, svg, math), the
  content of a closed <details> but its summary, and hidden elements: the `hidden` attribute or an inline
  style display:none or visibility:hidden. aria-hidden="true" is read: it hides from screen readers, not from
  the screen (news pages put it on visible bylines and icons). Style sheets are not applied.
- <q> shows its quotation marks (“ ” outside, ‘ ’ inside another q), as a browser does.

Every character of the text has a source range [begin, end): a letter its own character, “ the whole
`&ldquo;`, a collapsed space the first white-space character of its run. A line break and the marks of <q>
are not in the source: their range is empty, where they stand.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field

from justhtml.dom import Element, Node, Template, Text

from .alignment import Alignment, align

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre",
    "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp",
})
NOT_READ = frozenset({
    "head", "script", "style", "noscript", "template", "iframe", "noembed", "noframes", "object", "embed",
    "video", "audio", "canvas", "svg", "math", "select", "datalist", "textarea", "button", "input", "img",
})
PREFORMATTED = frozenset({"pre", "listing", "plaintext", "xmp", "textarea"})
# Elements whose text the tokenizer reads without character references.
RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"})
WHITE_SPACE = "\t\n\f\r "
QUOTE_MARKS = (("\u201c", "\u201d"), ("\u2018", "\u2019"))
OPENING_MARKS = "".join(opening for opening, _ in QUOTE_MARKS)


@dataclass
class VisibleText:
    """The text a reader sees, and for each of its characters the source range it came from."""

    source: str
    text: str
    begins: list[int]
    ends: list[int]
    # visible [begin, end) of the elements the caller asked about (see `read`); absent when nothing of it shows
    ranges: dict[int, tuple[int, int]] = field(default_factory=dict)

    def source_span(self, begin: int, end: int) -> tuple[int, int]:
        """The source range of the visible characters [begin, end): from the first one's source to the end of
        the last one's, with whatever markup lies between."""
        if end > begin:
            return self.begins[begin], self.ends[end - 1]
        at = self.begins[begin] if begin < len(self.begins) else len(self.source)
        return at, at

    def visible_span(self, begin: int, end: int) -> tuple[int, int]:
        """The visible characters that a source range [begin, end) holds (the inverse of source_span). Of the
        characters that take no source (line breaks, the marks of <q>), an opening mark at its start is in,
        a line break or an opening mark at its end is not."""
        first, last = bisect_right(self.ends, begin), bisect_right(self.ends, end)
        while first > 0 and self._empty(first - 1) and self.begins[first - 1] == begin and \
                self.text[first - 1] in OPENING_MARKS:
            first -= 1
        while last > first and self._empty(last - 1) and self.text[last - 1] in OPENING_MARKS + "\n":
            last -= 1
        return first, max(first, last)

    def _empty(self, index: int) -> bool:
        return self.begins[index] == self.ends[index]


class _Lines:
    """Visible characters as they are written, white space and line breaks settled lazily: a space or a break
    is written only when a visible character follows it."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.begins: list[int] = []
        self.ends: list[int] = []
        self.space: tuple[int, int] | None = None
        self.line_break = False
        self.opened: list[int] = []  # watched elements waiting for their first character

    def char(self, c: str, begin: int, end: int) -> int:
        if self.chars:
            if begin < self.begins[-1]:
                self.line_break = True  # the parser moved text (out of a table): no line runs backwards
            if self.line_break:
                self._put("\n", begin, begin)
            elif self.space is not None:
                self._put(" ", *self.space)
        self.line_break, self.space = False, None
        return self._put(c, begin, end)

    def white_space(self, begin: int, end: int) -> None:
        if self.chars and not self.line_break and self.space is None:
            self.space = (begin, end)

    def brk(self) -> None:
        self.line_break, self.space = True, None

    def _put(self, c: str, begin: int, end: int) -> int:
        self.chars.append(c)
        self.begins.append(begin)
        self.ends.append(end)
        return len(self.chars) - 1


def read(source: str, document: Node, watch: Collection[int] = ()) -> VisibleText:
    """The visible text of a parsed `document` (justhtml, with node locations) of `source`. `watch`: id()s of
    elements whose visible range to record in VisibleText.ranges."""
    base = 1 if source.startswith("\ufeff") else 0  # the parser reads the source without its byte-order mark
    texts = _text_nodes(document)
    aligned: dict[int, Alignment] = {}  # id(text node) -> where its characters lie

    def alignment(node: Text) -> Alignment:
        key = id(node)
        if key not in aligned:
            aligned[key] = Alignment()  # a guard: a node never skips itself
            start = node.origin_offset
            if start is not None:
                raw = node.parent is not None and node.parent.name in RAW_TEXT
                aligned[key] = align(source, start + base, node.data or "", not raw, skip_text)
        return aligned[key]

    def skip_text(i: int) -> int | None:
        other = texts.get(i - base)
        if other is None:
            return None
        found = alignment(other)
        return found.ends[-1] if found.placed else None

    lines = _Lines()
    ranges: dict[int, tuple[int, int]] = {}
    starts: dict[int, int] = {}
    # the walk, without recursion (pages nest deep): (node, inside pre, depth of q, leaving)
    stack: list[tuple[Node, bool, int, bool]] = [(document, False, 0, False)]
    while stack:
        node, pre, quotes, leaving = stack.pop()
        if leaving:
            _leave(node, quotes, lines, watch, starts, ranges)
        elif isinstance(node, Text):
            _write_text(node, alignment(node), pre, lines, starts)
        elif not isinstance(node, Element):  # the document; comments, doctypes and the like show nothing
            if node.name in ("#document", "#document-fragment"):
                stack.extend((child, pre, quotes, False) for child in reversed(node.children or []))
        elif node.name == "br":
            lines.brk()
        elif not (node.namespace not in (None, "html") or node.name in NOT_READ or isinstance(node, Template)
                  or _hidden(node)):
            _enter(node, quotes, lines, watch, starts, base)
            children = node.children or []
            if node.name == "details" and "open" not in node.attrs:
                children = [c for c in children if isinstance(c, Element) and c.name == "summary"]
            inner = (pre or node.name in PREFORMATTED, quotes + (node.name == "q"))
            stack.append((node, pre, quotes, True))
            stack.extend((child, *inner, False) for child in reversed(children))
    return VisibleText(source, "".join(lines.chars), lines.begins, lines.ends, ranges)


def _enter(node: Element, quotes: int, lines: _Lines, watch: Collection[int], starts: dict[int, int],
           base: int) -> None:
    if node.name in BLOCKS:
        lines.brk()
    if id(node) in watch:
        lines.opened.append(id(node))
    if node.name == "q":
        at = node.origin_offset + base if node.origin_offset is not None else (lines.ends[-1] if lines.ends else 0)
        index = lines.char(QUOTE_MARKS[min(quotes, 1)][0], at, at)
        _opened(lines, starts, index)


def _leave(node: Node, quotes: int, lines: _Lines, watch: Collection[int], starts: dict[int, int],
           ranges: dict[int, tuple[int, int]]) -> None:
    if node.name == "q" and lines.ends:
        at = lines.space[1] if lines.space is not None else lines.ends[-1]
        lines.char(QUOTE_MARKS[min(quotes, 1)][1], at, at)
    if node.name in BLOCKS:
        lines.brk()
    key = id(node)
    if key in watch:
        if key in lines.opened:
            lines.opened.remove(key)
        if key in starts:
            ranges[key] = (starts[key], len(lines.chars))


def _write_text(node: Text, alignment: Alignment, pre: bool, lines: _Lines, starts: dict[int, int]) -> None:
    begins, ends = alignment.begins, alignment.ends
    jumps = set(alignment.jumps)  # a new line where the text jumps over other text: each line a run of the source
    data = node.data or ""
    for k in range(alignment.placed):
        if k in jumps:
            lines.brk()
        c = data[k]
        if c in WHITE_SPACE:
            if not pre:
                lines.white_space(begins[k], ends[k])
                continue
            if c == "\n":
                lines.brk()
                continue
        index = lines.char(c, begins[k], ends[k])
        if lines.opened:
            _opened(lines, starts, index)


def _opened(lines: _Lines, starts: dict[int, int], index: int) -> None:
    for key in lines.opened:
        starts[key] = index
    lines.opened.clear()


def _text_nodes(document: Node) -> dict[int, Text]:
    """Every text node of the document, read or not, by the source offset where it starts."""
    found: dict[int, Text] = {}
    stack: list[Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, Text):
            if node.origin_offset is not None:
                found.setdefault(node.origin_offset, node)
            continue
        if isinstance(node, Template) and node.template_content is not None:
            stack.append(node.template_content)
        stack.extend(node.children or [])
    return found


def _hidden(node: Element) -> bool:
    attrs = node.attrs
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    if not style:
        return False
    for declaration in style.split(";"):
        prop, _, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip().lower()
        if (prop == "display" and value.startswith("none")) or \
                (prop == "visibility" and value.startswith(("hidden", "collapse"))):
            return True
    return False
