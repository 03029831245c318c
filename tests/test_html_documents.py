"""HTML documents through the one request path (api.extract): the seed article as a CMS saves it, random
documents built from real paragraphs, inline tags, references and embeds, offsets in every encoding, errors."""
from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_DIR, SEED_NAME
from quotes.v1 import quote_service_pb2 as pb
from quotes_service import api
from quotes_service.markup import read_html

ENCODINGS = {"utf32": pb.ENCODING_TYPE_UTF32, "utf16": pb.ENCODING_TYPE_UTF16, "utf8": pb.ENCODING_TYPE_UTF8}
CODECS = {"utf32": None, "utf16": "utf-16-le", "utf8": "utf-8"}


@pytest.fixture(scope="module")
def seed_html() -> str:
    return (SEED_DIR / f"{SEED_NAME}.html").read_text("utf-8")


@pytest.fixture(scope="module")
def seed_as_text(engine, seed_text) -> pb.ExtractQuotesResponse:
    return extract(engine, seed_text, html=False, publisher="RT")


def extract(engine, text: str, html: bool, encoding: str = "utf32", publisher: str = "") -> pb.ExtractQuotesResponse:
    content_type = pb.CONTENT_TYPE_HTML if html else pb.CONTENT_TYPE_UNSPECIFIED
    return api.extract(engine, pb.ExtractQuotesRequest(
        document=pb.Document(text=text, publisher=publisher, content_type=content_type),
        encoding_type=ENCODINGS[encoding], include_tokens=True))


def spans(response: pb.ExtractQuotesResponse) -> Iterator[tuple[str, pb.TextSpan]]:
    """Every TextSpan of a response, named, in a fixed order."""
    for q in response.quotes:
        yield f"{q.id}.content", q.content
        if q.HasField("cue"):
            yield f"{q.id}.cue", q.cue
        if q.speaker.HasField("mention"):
            yield f"{q.id}.speaker", q.speaker.mention
        if q.outlet.HasField("mention"):
            yield f"{q.id}.outlet", q.outlet.mention
    for i, entity in enumerate(response.entities):
        for j, mention in enumerate(entity.mentions):
            yield f"entity{i}.{j}", mention
    for i, sentence in enumerate(response.sentences):
        yield f"sentence{i}", sentence.text
        for j, token in enumerate(sentence.tokens):
            yield f"sentence{i}.token{j}", token.text
    for i, paragraph in enumerate(response.paragraphs):
        yield f"paragraph{i}", paragraph.text


def source_of(source: str, span: pb.TextSpan, encoding: str) -> str:
    """What the caller slices out of its own copy of the HTML with the span's offsets."""
    codec = CODECS[encoding]
    if codec is None:
        return source[span.begin_offset:span.end_offset]
    width = 2 if encoding == "utf16" else 1
    return source.encode(codec)[span.begin_offset * width:span.end_offset * width].decode(codec)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_seed_article_as_a_cms_saves_it(engine, seed_as_text, seed_gold, seed_html, encoding):
    as_text = seed_as_text
    as_html = extract(engine, seed_html, html=True, encoding=encoding, publisher="RT")
    assert len(as_html.quotes) == len(seed_gold) == 14
    for t, h in zip(as_text.quotes, as_html.quotes, strict=True):
        assert (h.type, h.speaker.name, h.speaker.kind, h.outlet.name, h.outlet.handle, h.outlet.evidence) == \
            (t.type, t.speaker.name, t.speaker.kind, t.outlet.name, t.outlet.handle, t.outlet.evidence)
    gold = {g["content"]: g for g in seed_gold}
    for q in as_html.quotes:
        assert q.speaker.name == gold[q.content.content]["speaker"]
    post = next(q for q in as_html.quotes if q.outlet.evidence == pb.OUTLET_EVIDENCE_EMBEDDED_POST)
    assert (post.outlet.name, post.outlet.handle, post.speaker.name) == ("RT", "@RT_com", "Vladimir Putin")
    text_spans, html_spans = list(spans(as_text)), list(spans(as_html))
    assert [name for name, _ in text_spans] == [name for name, _ in html_spans]
    for (name, t), (_, h) in zip(text_spans, html_spans):
        assert h.content == t.content, name
        markup = source_of(seed_html, h, encoding)
        assert read_html(markup).text == h.content, (name, markup)
    said = next(q for q in as_html.quotes if q.content.content.startswith("the collapse"))
    assert source_of(seed_html, said.content, encoding) == "the collapse of the regime was <em>not</em> a defeat for Russia"


def test_offsets_in_utf16_are_what_javascript_counts(engine):
    page = "<p>\U0001F600 &ldquo;We will win,&rdquo; the <b>minister</b> said. \U0001F3C6</p>"
    response = extract(engine, page, html=True, encoding="utf16")
    [quote] = response.quotes
    units = page.encode("utf-16-le")
    # what `page.slice(begin, end)` gives in JavaScript
    assert units[2 * quote.content.begin_offset:2 * quote.content.end_offset].decode("utf-16-le") == "We will win,"
    assert quote.content.begin_offset == page.index("We") + 1  # the emoji before it counts two
    assert units[2 * quote.cue.begin_offset:2 * quote.cue.end_offset].decode("utf-16-le") == "said"


@pytest.mark.parametrize("page, reason", [
    ("<script>var a = 1;</script><!-- nothing --><p hidden>x</p>", "TEXT_EMPTY"),
    ("   ", "TEXT_EMPTY"),
])
def test_html_without_visible_text_is_refused(engine, page, reason):
    with pytest.raises(api.RequestError) as err:
        extract(engine, page, html=True)
    assert (err.value.code, err.value.reason) == (grpc.StatusCode.INVALID_ARGUMENT, reason)


def test_an_unknown_content_type_is_refused():
    request = pb.ExtractQuotesRequest(document=pb.Document(text="x", content_type=7))  # type: ignore[arg-type]
    with pytest.raises(api.RequestError) as err:
        api.validate(request)
    assert err.value.reason == "UNKNOWN_CONTENT_TYPE"


BLUESKY = ('<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc/app.bsky.feed.post/3l"><p lang="en">'
           'We will not raise taxes on working people. &ndash; Starmer<br><br><a href="https://bsky.app/profile/'
           'did:plc:abc/post/3l?ref_src=embed">[image or embed]</a></p>&mdash; The Guardian (<a href="https://bsky.'
           'app/profile/did:plc:abc?ref_src=embed">@theguardian.com</a>) <a href="https://bsky.app/profile/did:plc:'
           'abc/post/3l?ref_src=embed">July 4, 2024 at 10:02 PM</a></blockquote><script async src="https://embed.bsky'
           '.app/static/embed.js" charset="utf-8"></script>')


def test_a_bluesky_post_is_a_quote_of_its_signature_through_its_account(engine):
    page = f"<p>Keir Starmer won the election on Thursday.</p>{BLUESKY}<p>The result was announced at dawn.</p>"
    response = extract(engine, page, html=True)
    [post] = [q for q in response.quotes if q.outlet.evidence == pb.OUTLET_EVIDENCE_EMBEDDED_POST]
    assert post.type == pb.QUOTE_TYPE_DIRECT
    assert post.content.content == "We will not raise taxes on working people."
    assert post.speaker.name == "Keir Starmer" and post.speaker.mention.content == "Starmer"
    assert (post.outlet.name, post.outlet.handle) == ("Guardian", "@theguardian.com")  # the known outlet
    assert page[post.outlet.mention.begin_offset:post.outlet.mention.end_offset] == "The Guardian"


# ---- the property: random documents of real paragraphs, tags, references and embeds ----------------------

SEED_LINES = (SEED_DIR / f"{SEED_NAME}.txt").read_text("utf-8").split("\n")
PARAGRAPHS = [line for line in SEED_LINES if not line.startswith(("Assad's fall", "\u2014 RT"))] + [
    "\U0001F5F3\ufe0f \u201cWe are ready,\u201d the election chief said on Monday. \u201cEvery vote counts.\u201d",
    "According to Reuters, turnout was 52% in Tromsø & Zürich \u2013 a record.",
]
POST = ("Assad's fall is not a defeat for Russia. And I'll tell you why... \u2013 Putin", "RT", "@RT_com")
REFERENCES = {"\u201c": ("&ldquo;", "&#8220;", "&#x201C;"), "\u201d": ("&rdquo;", "&#8221;"), "'": ("&#39;", "&#x27;"),
              "\u2019": ("&rsquo;", "&#8217;"), "\u2026": ("&hellip;",), "\u2013": ("&ndash;",), "&": ("&amp;",),
              '"': ("&quot;",), "\u00f8": ("&oslash;",), "\u00fc": ("&uuml;",)}
INLINE = ("em", "strong", "b", "i", "span class=\"hl\"", "a href=\"https://example.com/?a=1&amp;b=2\"")
SPACES = (" ", " ", " ", "\n", "  ", " \n\t ")


class Page:
    """An HTML document written together with its plain text, and where each character of the text went."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.text: list[str] = []
        self.begins: list[int] = []
        self.ends: list[int] = []
        self.size = 0

    def markup(self, markup: str) -> None:
        self.html.append(markup)
        self.size += len(markup)

    def char(self, c: str, written: str) -> None:
        self.text.append(c)
        self.begins.append(self.size)
        self.ends.append(self.size + (1 if written[0].isspace() else len(written)))
        self.markup(written)

    def line(self, text: str, draw) -> None:
        """A paragraph's text: words with inline tags around some, references for some characters, white space
        written in several ways, now and then a comment."""
        if self.text:
            self.text.append("\n")
            self.begins.append(self.size)
            self.ends.append(self.size)
        open_tags: list[str] = []
        for i, word in enumerate(text.split(" ")):
            if i:
                if draw(st.integers(0, 9)) == 0 and not open_tags:
                    self.markup("<!-- c -->")
                self.char(" ", draw(st.sampled_from(SPACES)))
            if draw(st.integers(0, 5)) == 0:
                tag = draw(st.sampled_from(INLINE))
                self.markup(f"<{tag}>")
                open_tags.append(tag.split()[0])
            for c in word:
                forms = REFERENCES.get(c)
                self.char(c, draw(st.sampled_from(forms)) if forms and draw(st.booleans()) else
                          {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(c, c))
            while open_tags and draw(st.booleans()):
                self.markup(f"</{open_tags.pop()}>")
        while open_tags:
            self.markup(f"</{open_tags.pop()}>")


@st.composite
def pages(draw) -> Page:
    page = Page()
    for block in draw(st.lists(st.sampled_from(["p", "p", "h2", "li", "div", "post", "hidden", "script"]),
                               min_size=1, max_size=4)):
        page.markup(draw(st.sampled_from(["", "\n", "\n\n  "])))
        if block == "post":
            text, name, handle = POST
            page.markup('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">')
            page.line(text, draw)
            page.char(" ", " ")
            page.markup('<a href="https://t.co/pyGmQRyLhE">')
            for c in "pic.twitter.com/pyGmQRyLhE":
                page.char(c, c)
            page.markup("</a></p>")
            page.line(f"\u2014 {name} ({handle}) ", draw)
            page.markup('<a href="https://twitter.com/RT_com/status/1">')
            for c in "December 19, 2024":
                page.char(c, c)
            page.markup("</a></blockquote>\n<script async src=\"https://platform.twitter.com/widgets.js\"></script>")
        elif block == "hidden":
            page.markup("<p hidden>Hidden text, \u201cnever read,\u201d he said.</p>")
        elif block == "script":
            page.markup("<script>document.write('<p>\u201cNot read,\u201d she said.</p>');</script>")
        else:
            tag = block
            page.markup(f"<ul><{tag}>" if tag == "li" else f"<{tag}>")
            page.line(draw(st.sampled_from(PARAGRAPHS)), draw)
            page.markup(f"</{tag}></ul>" if tag == "li" else f"</{tag}>")
    return page


def _utf16(text: str) -> list[int]:
    table = [0]
    for c in text:
        table.append(table[-1] + (2 if ord(c) > 0xFFFF else 1))
    return table


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(pages())
def test_random_pages_give_the_text_versions_spans_mapped_through(engine, page):
    source, text = "".join(page.html), "".join(page.text)
    if not text.strip():
        return
    as_text = extract(engine, text, html=False)
    as_html = extract(engine, source, html=True, encoding="utf16")
    units = _utf16(source)
    text_spans, html_spans = list(spans(as_text)), list(spans(as_html))
    assert [name for name, _ in text_spans] == [name for name, _ in html_spans]
    for (name, t), (_, h) in zip(text_spans, html_spans):
        assert h.content == t.content, name
        begin, end = page.begins[t.begin_offset], page.ends[t.end_offset - 1]
        assert (h.begin_offset, h.end_offset) == (units[begin], units[end]), name
        assert read_html(source[begin:end]).text == h.content, name
