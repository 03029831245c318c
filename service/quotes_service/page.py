"""A page to look at: the article with its quotes highlighted (`quotes extract FILE --format html`).

One self-contained HTML file: no script, no font, no image, nothing fetched (its Content-Security-Policy forbids
it). The article shows as the engine read it, paragraph by paragraph (for an HTML document: its visible text);
each quote is highlighted in its speaker's colour, its cue underlined; hovering a highlight shows the quote's
number, type, speaker, outlet and cue; beside the article, the quotes in order with the same details and a link
to each. Everything taken from the document or the response is escaped.
"""
from __future__ import annotations

import html
from itertools import pairwise

from quotes.v1 import quote_service_pb2 as pb

from .markup import read_html

# Highlight colours by speaker, in order of first appearance (then again from the start); a quote without a
# speaker is grey.
COLOURS = ("#ffd8a8", "#b2f2bb", "#a5d8ff", "#eebefa", "#ffec99", "#96f2d7", "#ffc9c9", "#d0bfff", "#99e9f2",
           "#d8f5a2")
UNKNOWN = "#dee2e6"
EVIDENCE = {pb.OUTLET_EVIDENCE_EMBEDDED_POST: "embedded post", pb.OUTLET_EVIDENCE_SOURCE_PHRASE: "named in the text",
            pb.OUTLET_EVIDENCE_WIRE_CREDIT: "wire credit", pb.OUTLET_EVIDENCE_DOCUMENT_PUBLISHER: "the publisher"}
STYLE = """
body { font: 16px/1.55 Georgia, 'Times New Roman', serif; margin: 0; color: #212529; background: #fff; }
header { padding: 1rem 2rem; border-bottom: 1px solid #dee2e6; font-family: system-ui, sans-serif; }
header h1 { font-size: 1.2rem; margin: 0; } header p { margin: .3rem 0 0; color: #6c757d; font-size: .9rem; }
main { display: flex; gap: 2rem; padding: 1rem 2rem; align-items: flex-start; }
article { flex: 3; max-width: 46rem; } article p { margin: 0 0 1em; white-space: pre-wrap; }
aside { flex: 2; position: sticky; top: 0; max-height: 100vh; overflow: auto; font: 14px/1.4 system-ui, sans-serif; }
aside ol { padding-left: 1.6rem; } aside li { margin-bottom: .9rem; }
aside li blockquote { margin: .2rem 0; padding: .2rem .5rem; border-left: 4px solid var(--c); background: #f8f9fa; }
aside dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .6rem; margin: .2rem 0; color: #495057; }
aside dt { font-weight: 600; } aside dd { margin: 0; }
mark.quote { background: var(--c); border-radius: 2px; padding: 0 1px; }
mark.quote:hover, mark.quote:target { outline: 2px solid #343a40; }
.cue { text-decoration: underline 2px; text-underline-offset: 3px; font-weight: 600; }
.type { font-size: .75rem; letter-spacing: .04em; padding: 0 .3rem; border-radius: 3px; background: #e9ecef; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; background: var(--c);
  vertical-align: -1px; margin-right: .3rem; }
.speakers { list-style: none; padding: 0; }
"""


def render(response: pb.ExtractQuotesResponse, text: str, html_source: bool, title: str = "") -> str:
    """The page for a response whose offsets are code points (ENCODING_TYPE_UTF32) into `text` (an HTML source
    when `html_source`)."""
    if html_source:
        page = read_html(text).visible
        shown, to_shown = page.text, page.visible_span
    else:
        shown, to_shown = text, _same
    colours = _speaker_colours(response)
    quotes = [(q, *to_shown(q.content.begin_offset, q.content.end_offset)) for q in response.quotes]
    cues = [(q.id, *to_shown(q.cue.begin_offset, q.cue.end_offset)) for q in response.quotes if q.HasField("cue")]
    paragraphs = [to_shown(p.text.begin_offset, p.text.end_offset) for p in response.paragraphs]
    body = "\n".join(_paragraph(shown, begin, end, quotes, cues, colours) for begin, end in paragraphs)
    items = "\n".join(_item(q, colours) for q in response.quotes)
    legend = "\n".join(f'<li><span class="swatch" style="--c:{c}"></span>{_e(name or "(no speaker)")}</li>'
                       for name, c in colours.items())
    heading = f"Quotes in {title}" if title else "Quotes"
    speakers = len([name for name in colours if name])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(heading)}</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{_e(heading)}</h1>
<p>{len(response.quotes)} quotes, {speakers} speakers · {_e(response.model_version)}</p></header>
<main>
<article class="document">
{body}
</article>
<aside>
<h2>Quotes, in order</h2>
<ol class="quotes">
{items}
</ol>
<h2>Speakers</h2>
<ul class="speakers">
{legend}
</ul>
</aside>
</main>
</body>
</html>
"""


def _same(begin: int, end: int) -> tuple[int, int]:
    return begin, end


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _speaker_colours(response: pb.ExtractQuotesResponse) -> dict[str, str]:
    colours: dict[str, str] = {}
    for q in response.quotes:
        name = q.speaker.name
        if name not in colours:
            colours[name] = COLOURS[len([n for n in colours if n]) % len(COLOURS)] if name else UNKNOWN
    return colours


def _type(q: pb.Quote) -> str:
    return pb.QuoteType.Name(q.type).removeprefix("QUOTE_TYPE_")


def _outlet(q: pb.Quote) -> str:
    if not q.HasField("outlet"):
        return ""
    handle = f" {q.outlet.handle}" if q.outlet.handle else ""
    return f"{q.outlet.name}{handle} ({EVIDENCE.get(q.outlet.evidence, 'outlet')})"


def _summary(q: pb.Quote) -> str:
    parts = [q.id, _type(q), q.speaker.name or "no speaker"]
    if q.HasField("outlet"):
        parts.append(_outlet(q))
    if q.HasField("cue"):
        parts.append(f"cue: {q.cue.content}")
    return " · ".join(parts)


def _paragraph(shown: str, begin: int, end: int, quotes: list[tuple[pb.Quote, int, int]],
               cues: list[tuple[str, int, int]], colours: dict[str, str]) -> str:
    """One paragraph, cut at every edge of a quote or a cue inside it; each piece marked with what covers it."""
    edges = {begin, end}
    for _, b, e in quotes:
        edges.update(x for x in (b, e) if begin < x < end)
    for _, b, e in cues:
        edges.update(x for x in (b, e) if begin < x < end)
    cuts = sorted(edges)
    pieces = []
    for a, b in pairwise(cuts):
        piece = _e(shown[a:b])
        starting = [q.id for q, qb, _ in quotes if qb == a]
        covering = [q for q, qb, qe in quotes if qb <= a and b <= qe]
        cue_of = [qid for qid, cb, ce in cues if cb <= a and b <= ce]
        if cue_of:
            piece = f'<span class="cue" data-cue-of="{_e(" ".join(cue_of))}">{piece}</span>'
        if covering:
            inner = min(covering, key=lambda q: q.content.end_offset - q.content.begin_offset)
            colour = colours[inner.speaker.name]
            ids = " ".join(q.id for q in covering)
            title = "\n".join(_summary(q) for q in covering)
            piece = (f'<mark class="quote" data-quotes="{_e(ids)}" style="--c:{colour}" '
                     f'title="{_e(title)}">{piece}</mark>')
        pieces.append("".join(f'<a id="m-{_e(qid)}"></a>' for qid in starting) + piece)
    return f"<p>{''.join(pieces)}</p>"


def _item(q: pb.Quote, colours: dict[str, str]) -> str:
    colour = colours[q.speaker.name]
    rows: list[tuple[str, str]] = [("Speaker", q.speaker.name or "(none found)")]
    if q.speaker.HasField("mention") and q.speaker.mention.content != q.speaker.name:
        rows[0] = ("Speaker", f"{q.speaker.name} (“{q.speaker.mention.content}”)")
    if q.HasField("outlet"):
        rows.append(("Outlet", _outlet(q)))
    if q.HasField("cue"):
        rows.append(("Cue", q.cue.content))
    rows.append(("Confidence", f"{q.confidence:.2f}"))
    details = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return (f'<li id="{_e(q.id)}" style="--c:{colour}"><a href="#m-{_e(q.id)}">{_e(q.id)}</a> '
            f'<span class="type">{_e(_type(q))}</span><blockquote>{_e(q.content.content)}</blockquote>'
            f"<dl>{details}</dl></li>")
