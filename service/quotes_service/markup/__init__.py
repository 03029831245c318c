"""HTML documents: what a reader sees of a page, with an exact way back into its source.

    page = read_html(source)            # parse once: the visible text, its source map, the embedded posts
    engine.extract(page.text, embedded_posts=page.posts)
    page.visible.source_span(b, e)      # a span of the visible text -> its range of the HTML source

The parser is justhtml (the WHATWG HTML parsing algorithm, in pure Python, with the source offset of every
node); visible.py decides what counts as text, alignment.py places every character in the source, embeds.py
reads embedded posts from their markup.
"""
from __future__ import annotations

from dataclasses import dataclass

from justhtml.dom import Node
from justhtml.parser.engine import ParseEngine, compile_raw_engine_plan

from ..engine.embedded_posts import EmbeddedPost
from . import embeds
from .visible import VisibleText, read


@dataclass
class HtmlDocument:
    visible: VisibleText
    posts: list[EmbeddedPost]

    @property
    def text(self) -> str:
        return self.visible.text


def read_html(source: str) -> HtmlDocument:
    """Parse an HTML page or fragment (never fails: any string is HTML to a browser)."""
    document = parse(source)
    found = embeds.find_embeds(document)
    visible = read(source, document, embeds.watched(found))
    return HtmlDocument(visible, embeds.posts(found, visible))


__all__ = ["HtmlDocument", "VisibleText", "read_html"]


def parse(source: str) -> Node:
    """The document tree, every node with the source offset where it starts, unsanitised, scripting on (so
    <noscript> is raw text, as in a browser). justhtml's JustHTML() front door, asked for node locations, also
    tracks tag spans, and with them keeps bogus markup (`<![CDATA[` outside svg and math, a `<!DOCTYPE>` inside
    the body, a tag cut off by the end) as text for its escaping sanitizer; the parse engine it wraps, called
    with locations alone, follows the standard: such markup is a comment, or dropped. A byte-order mark is not
    read (visible.read counts offsets after it)."""
    source = source.removeprefix("\ufeff")
    engine = ParseEngine(source, fragment=False, scripting_enabled=True, plan=compile_raw_engine_plan(False, True),
                         track_node_locations=True, track_tag_spans=False)
    return engine.parse()
