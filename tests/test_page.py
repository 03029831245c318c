"""The page that shows the quotes (`quotes extract FILE --format html`), rendered in-process and read back
with an HTML parser: every quote highlighted where it stands, the list in order, the document escaped."""
from __future__ import annotations

import pytest
from justhtml import JustHTML

from conftest import SEED_DIR, SEED_NAME
from quotes.v1 import quote_service_pb2 as pb
from quotes_service import api
from quotes_service.page import render


def page_for(engine, text: str, html: bool) -> tuple[pb.ExtractQuotesResponse, JustHTML]:
    content_type = pb.CONTENT_TYPE_HTML if html else pb.CONTENT_TYPE_PLAIN_TEXT
    response = api.extract(engine, pb.ExtractQuotesRequest(document=pb.Document(
        text=text, publisher="RT", content_type=content_type)))
    return response, JustHTML(render(response, text, html, "seed"), sanitize=False)


def highlighted(page: JustHTML, quote_id: str) -> str:
    """The text of a quote's highlights, paragraph by paragraph."""
    parts: dict[int, str] = {}
    for mark in page.query("mark.quote"):
        if quote_id in str((mark.attrs or {}).get("data-quotes", "")).split():
            paragraph = mark.parent
            while paragraph is not None and paragraph.name != "p":
                paragraph = paragraph.parent
            parts[id(paragraph)] = parts.get(id(paragraph), "") + mark.to_text(separator="", strip=False)
    return "\n".join(parts.values())


@pytest.mark.parametrize("suffix", ["txt", "html"])
def test_every_quote_is_highlighted_and_listed_in_order(engine, suffix):
    text = (SEED_DIR / f"{SEED_NAME}.{suffix}").read_text("utf-8")
    response, page = page_for(engine, text, suffix == "html")
    assert len(response.quotes) == 14
    for q in response.quotes:
        assert highlighted(page, q.id) == q.content.content
    items = page.query("ol.quotes > li")
    assert [li.attrs["id"] for li in items] == [q.id for q in response.quotes]
    assert all(page.query(f"a#m-{q.id}") for q in response.quotes)
    cues = {c.attrs["data-cue-of"]: c.to_text() for c in page.query("span.cue")}
    assert cues["q1"] == "stating"
    post = next(q for q in response.quotes if q.outlet.evidence == pb.OUTLET_EVIDENCE_EMBEDDED_POST)
    item = page.query_one(f"li#{post.id}")
    assert item is not None and "RT @RT_com (embedded post)" in item.to_text() and "Vladimir Putin" in item.to_text()
    colours = {m.attrs["style"] for m in page.query("mark.quote")}
    assert len(colours) >= 3  # Putin, Tice's mother, the reports, the BBC: one colour each
    shown = [p.to_text(separator="", strip=False) for p in page.query("article p")]
    assert shown == [p.text.content for p in response.paragraphs]  # the article as the engine read it


def test_everything_from_the_document_is_escaped(engine):
    text = ('The <script>alert(1)</script> minister said: "We will <img src=x onerror=alert(2)> win." '
            '"Done," said the "><b>speaker</b> & co.')
    response, page = page_for(engine, text, html=False)
    assert response.quotes
    assert not page.query("script") and not page.query("img") and not page.query("article b")
    assert "<script>alert(1)</script>" in page.query_one("article").to_text()
    [csp] = [m for m in page.query("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp.attrs["content"]
    assert not [e for e in page.query("[src]")]  # nothing to fetch
