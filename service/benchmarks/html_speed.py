#!/usr/bin/env python3
"""What HTML input costs over the same article as text (target: at most 10 % more time), through the one
request path (api.extract: validation, engine, response; for HTML also parsing, the visible text, the embeds
and the offset map), one core.

    python service/benchmarks/html_speed.py [ARTICLES_DIR] [--limit N] [--rounds 3] [--full-page]

Each PolNeAR article is written as a CMS saves it: a <p> per paragraph between Gutenberg block comments,
links and emphasis on some names, typographic quotation marks and apostrophes as character references, and
every fifth article an X embed (its post and account line as X's embed code). `--full-page` puts that body in
a whole page as a browser gets it: head, style sheet, a 200 KB inline script, navigation and footer. The text
version is the page's visible text, so both sides give the engine the same words. Rounds alternate text and
HTML (and which goes first) so that a busy machine slows both alike; each round is reported. As the engine's
work is the same on both sides, the work HTML adds is also timed alone (parsing and reading the page, mapping
the spans of a response with tokens, in UTF-16): on a shared machine that share is the steadier number.
"""
from __future__ import annotations

import argparse
import html
import json
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
REFERENCES = {"\u201c": "&ldquo;", "\u201d": "&rdquo;", "\u2019": "&#8217;", "\u2018": "&#8216;", '"': "&quot;",
              "\u2014": "&mdash;", "\u2013": "&ndash;"}
EMBED = ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">We will not back down. &ndash; Governor '
         '<a href="https://t.co/x1">pic.twitter.com/x1</a></p>&mdash; Reuters (@Reuters) <a href="https://twitter.com/'
         'Reuters/status/1?ref_src=twsrc%5Etfw">March 3, 2016</a></blockquote> <script async src="https://platform.'
         'twitter.com/widgets.js" charset="utf-8"></script>')
PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Article</title><style>{style}</style>'
        '<script>{script}</script></head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World'
        '</a></li></ul></nav><main><article>{body}</article></main><footer><p>&copy; The Daily Example</p>'
        '</footer></body></html>')


def as_cms_body(text: str, with_embed: bool) -> str:
    """An article as a CMS stores it."""
    blocks = []
    for number, line in enumerate(p for p in text.split("\n") if p.strip()):
        words = []
        for i, word in enumerate(html.escape(line.strip(), quote=False).split()):
            word = "".join(REFERENCES.get(c, c) for c in word)
            if word[:1].isupper() and i % 7 == 3:
                word = f'<a href="/tag/{i}">{word}</a>'
            elif i % 11 == 5:
                word = f"<em>{word}</em>"
            words.append(word)
        blocks.append(f"<!-- wp:paragraph -->\n<p>{' '.join(words)}</p>\n<!-- /wp:paragraph -->")
        if with_embed and number == 1:
            blocks.append(f"<!-- wp:html -->\n{EMBED}\n<!-- /wp:html -->")
    return "\n\n".join(blocks)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("articles", nargs="?", default=str(SHARED / "data" / "polnear" / "dev" / "text"),
                    help="a folder of .txt articles (default: PolNeAR dev)")
    ap.add_argument("--limit", type=int, default=0, help="the first N articles only")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--full-page", action="store_true", help="the body inside a whole page with a 200 KB script")
    args = ap.parse_args()

    import torch

    from quotes.v1 import quote_service_pb2 as pb
    from quotes_service import api
    from quotes_service.api.response import to_response
    from quotes_service.engine import Engine
    from quotes_service.markup import read_html
    from quotes_service.models import select_models

    torch.set_num_threads(1)
    texts = [p.read_text("utf-8") for p in sorted(Path(args.articles).glob("*.txt"))]
    texts = texts[:args.limit] if args.limit else texts
    pages = [as_cms_body(t, i % 5 == 0) for i, t in enumerate(texts)]
    if args.full_page:
        script = "var config = {\"a\": [1, 2, 3], \"b\": \"<p>not text</p>\"};\n" * 3500
        pages = [PAGE.format(style="p { margin: 0 }" * 50, script=script, body=p) for p in pages]
    visible = [read_html(p).text for p in pages]  # the text version: what the page shows
    words = sum(len(t.split()) for t in visible)
    requests_text = [pb.ExtractQuotesRequest(document=pb.Document(text=t)) for t in visible]
    requests_html = [pb.ExtractQuotesRequest(document=pb.Document(text=p, content_type=pb.CONTENT_TYPE_HTML))
                     for p in pages]
    engine = Engine(select_models(), threads=1)
    api.extract(engine, requests_text[0])
    api.extract(engine, requests_html[0])

    def run(requests: list) -> tuple[float, int]:
        started, quotes = time.perf_counter(), 0
        for request in requests:
            quotes += len(api.extract(engine, request).quotes)
        return time.perf_counter() - started, quotes

    text_times: list[float] = []
    html_times: list[float] = []
    quotes = {}
    for round_number in range(args.rounds):  # alternate which side goes first, too
        for side in (("text", "html") if round_number % 2 == 0 else ("html", "text")):
            seconds, quotes[side] = run(requests_text if side == "text" else requests_html)
            (text_times if side == "text" else html_times).append(seconds)
    # the work HTML adds, measured alone: parsing and reading the page, and mapping the response's spans
    started = time.perf_counter()
    parsed = [read_html(p) for p in pages]
    parse_seconds = time.perf_counter() - started
    extractions = [engine.extract(v.text, embedded_posts=v.posts) for v in parsed]
    map_seconds = 0.0
    for extraction, page in zip(extractions, parsed):
        started = time.perf_counter()
        to_response(extraction, "", pb.ENCODING_TYPE_UTF16, True, source=page.visible)
        mapped = time.perf_counter() - started
        started = time.perf_counter()
        to_response(extraction, "", pb.ENCODING_TYPE_UTF16, True)
        map_seconds += mapped - (time.perf_counter() - started)
    text_best, html_best = min(text_times), min(html_times)
    print(json.dumps({
        "documents": len(texts), "words": words, "html_characters": sum(len(p) for p in pages),
        "full_page": args.full_page, "quotes_text": quotes["text"], "quotes_html": quotes["html"],
        "text_seconds_per_round": [round(t, 2) for t in text_times],
        "html_seconds_per_round": [round(t, 2) for t in html_times],
        "html_extra_percent_best_rounds": round(100 * (html_best / text_best - 1), 1),
        "read_html_ms_per_document": round(1000 * parse_seconds / len(pages), 2),
        "span_mapping_ms_per_document": round(1000 * map_seconds / len(pages), 2),
        "html_work_percent_of_text_time": round(100 * (parse_seconds + map_seconds) / text_best, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
