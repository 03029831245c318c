"""HTML documents without the engine: what counts as text, where each character lies in the source, malformed
markup, and embedded posts read from each network's embed code."""
from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes_service.markup import read_html
from quotes_service.markup.alignment import character_reference, markup_end


def visible(source: str) -> str:
    return read_html(source).text


def assert_exact(source: str) -> None:
    """Every visible character comes from a source range that shows it: a letter itself, a space the first
    white-space character of its run, a reference the whole reference; a line break or a <q> mark an empty
    range. Within a line the ranges never go back, so a line is one run of the source."""
    page = read_html(source).visible
    assert len(page.begins) == len(page.ends) == len(page.text)
    last = (0, 0)
    for c, begin, end in zip(page.text, page.begins, page.ends):
        assert 0 <= begin <= end <= len(source)
        raw = source[begin:end]
        if c == "\n" and raw == "":
            last = (0, 0)  # a new line
            continue
        assert (begin, end) == last or begin >= last[1], (c, raw, last)  # two code points of one reference
        last = (begin, end)
        if raw == "":
            assert c in "\u201c\u201d\u2018\u2019"
        elif c == " ":
            assert raw in (" ", "\t", "\n", "\f", "\r\n", "\r")
        elif raw.startswith("&"):
            assert c in html.unescape(raw), (c, raw)
        elif raw in ("\r\n", "\r"):
            assert c == "\n"
        elif raw == "\x00":
            assert c == "\ufffd"
        else:
            assert raw == c, (c, raw)


def test_blocks_are_lines_and_inline_elements_do_not_break_words():
    source = ("<h1>Title</h1><p>A <a href='/x'>link</a>ed w<em>or</em>d.</p><ul><li>one</li><li>two</ul>"
              "<div>left<br>right</div><table><tr><td>cell 1</td><td>cell 2</td></tr></table><p>end")
    assert visible(source) == "Title\nA linked word.\none\ntwo\nleft\nright\ncell 1\ncell 2\nend"
    assert_exact(source)


def test_white_space_collapses_as_a_browser_shows_it():
    source = "<p>\n   Two   spaces\tand\na  line </p>\n\n<p> <b> bold </b> end</p><pre>  kept  \n  lines</pre>"
    assert visible(source) == "Two spaces and a line\nbold end\n  kept  \n  lines"
    assert_exact(source)


def test_what_is_not_read():
    source = ("<html><head><title>T</title><style>p{}</style></head><body><p>seen</p><script>var q = '\u201cx\u201d'"
              "</script><noscript>no</noscript><template><p>no</p></template><!-- a comment -->"
              "<p hidden>no</p><div style='color: red; display : none !important'>no</div>"
              "<p style='visibility:hidden'>no</p><span aria-hidden='true'>shown</span><svg><text>no</text></svg>"
              "<details><summary>More</summary>no</details><details open><summary>S</summary>open</details>"
              "<button>no</button><img alt='no'><select><option>no</option></select>")
    assert visible(source) == "seen\nshown\nMore\nS\nopen"
    assert_exact(source)


def test_character_references_map_to_their_whole_reference():
    source = "<p>&ldquo;A&rdquo; &#8220;B&#x201D; &amp &notit; &#x1F600; &#150; caf&eacute; &NotEqualTilde;</p>"
    page = read_html(source).visible
    assert page.text == "\u201cA\u201d \u201cB\u201d & \u00acit; \U0001F600 \u2013 caf\u00e9 \u2242\u0338"
    assert_exact(source)
    first = page.text.index("\u201c")
    assert source[page.begins[first]:page.ends[first]] == "&ldquo;"
    assert character_reference("&notit;", 0) == ("\u00ac", 4)
    assert character_reference("& x", 0) == ("", 0)


def test_q_shows_its_quotation_marks():
    assert visible("<p>He said <q>we <q>will</q> win</q>.</p>") == "He said \u201cwe \u2018will\u2019 win\u201d."


@pytest.mark.parametrize("source, expected", [
    ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
    ("a</p>b", "a\nb"),  # a stray </p> is an empty paragraph
    ("<blockquote>one<blockquote>two</blockquote>three</blockquote>", "one\ntwo\nthree"),
    ("<p>x</span>y</td>z<td>w</p>", "xyzw"),  # stray end tags and a cell outside a table are ignored
    ("<p>a<!DOCTYPE html>b", "ab"),
    ("<p>1 < 2 & 3 > 2</p>", "1 < 2 & 3 > 2"),
    ("<p>x<![CDATA[ y ]]>z</p>", "xz"),  # a bogus comment outside svg and math
    ("<p>a</ b>c<?pi?>d", "acd"),
    ("<p>a<a title='x > y' href=\"q>\">b</a>c", "abc"),
    ("<p>\u05e9\u05dc\u05d5\u05dd <b>\u05e2\u05d5\u05dc\u05dd</b> \u2067RTL\u2069</p>", "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd \u2067RTL\u2069"),
    ("<p>crlf\r\nline\rend</p><pre>\r\npre\r\nline</pre>", "crlf line end\npre\nline"),
    ("<p>nul\x00byte</p>", "nulbyte"),
    ("<table>loose<tr><td>cell</td></tr>more</table>", "loose\nmore\ncell"),  # moved before the table
    ("\ufeff<p>after a byte-order mark</p>", "after a byte-order mark"),
    ("<p>end <b", "end"),
    ("", ""),
])
def test_malformed_markup_reads_as_a_browser_does_and_keeps_offsets(source, expected):
    assert visible(source) == expected
    assert_exact(source)


def test_a_megabyte_inline_script_is_skipped():
    source = "<p>before</p><script>" + "var a = '<p>not text</p>';\n" * 40_000 + "</script><p>after &ldquo;x&rdquo;</p>"
    assert len(source) > 1_000_000
    page = read_html(source).visible
    assert page.text == "before\nafter \u201cx\u201d"
    assert source[page.begins[-1]:page.ends[-1]] == "&rdquo;"


def test_deep_nesting_does_not_overflow():
    assert visible("<div>" * 5000 + "deep" + "</div>" * 5000) == "deep"


@pytest.mark.parametrize("source", ["<p>One <em>two</em> three.</p><p>Four</p>", "a<br>b",
                                    "<p>x<q>y <q>z</q></q>w</p><p>v &amp; <b>u</b>", "<ul><li>a b<li>c"])
def test_visible_and_source_spans_invert(source):
    page = read_html(source).visible
    text = page.text
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            if text[i] in " \n\u201d\u2019" or text[j - 1] in " \n\u201c\u2018" or text[j:j + 1] in ("\u201d", "\u2019"):
                continue  # no span starts or ends on white space; <q> marks take no source: where one closes
                # its mark goes with the text before it
            begin, end = page.source_span(i, j)
            assert page.visible_span(begin, end) == (i, j)
    b = text.find("two")
    if b >= 0:
        begin, end = page.source_span(b, text.index("three") + 5)
        assert source[begin:end] == "two</em> three"


@pytest.mark.parametrize("source, end", [
    ("<p class='a>b'>", 15), ("<br/>", 5), ("</div >", 7), ("<!-- c -->", 10), ("<!-->", 5), ("<!--->", 6),
    ("<!-- a --!> b", 11), ("<!DOCTYPE html>", 15), ("<?xml v?>", 9), ("</>", 3), ("< p>", 0), ("<a href=x>", 10),
    ("<a b=\"c", 7),
])
def test_markup_ends_where_the_tokenizer_says(source, end):
    assert markup_end(source, 0) == end


_PIECES = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<i>", "<div>", "</div>", "<br>", "<table>", "<tr>", "<td>", "</td>", "</table>",
    "<li>", "<ul>", "</ul>", "<!-- c -->", "</span>", "<script>s<p></script>", "<q>", "</q>", "<pre>\n", "</pre>",
    "<p hidden>", "&amp;", "&ldquo;", "&#8217;", "&notit;", "&", "<", " ", "  ", "\n", "\r\n", "\t", "word",
    "\u00e9t\u00e9", "\U0001F600", "\u05e9\u05dc", "x", "<![CDATA[c]]>", "<a href='&amp;>'>", "</a>", "<svg>",
    "</svg>", "<!DOCTYPE x>", "<template>", "</template>", "<style>", "</style>", "\x00",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_markup_maps_every_visible_character_exactly(pieces):
    assert_exact("".join(pieces))


# ---- embedded posts, as each network's embed code has them ----------------------------------------------

X_EMBED = ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">We will win. &ndash; Putin '
           '<a href="https://t.co/abc">pic.twitter.com/abc</a></p>&mdash; RT (@RT_com) '
           '<a href="https://twitter.com/RT_com/status/1?ref_src=twsrc%5Etfw">December 19, 2024</a></blockquote> '
           '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
BLUESKY_EMBED = ('<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc/app.bsky.feed.post/3l" '
                 'data-bluesky-cid="bafy"><p lang="en">The vote is on Tuesday.<br><br><a href="https://bsky.app/'
                 'profile/did:plc:abc/post/3l?ref_src=embed">[image or embed]</a></p>&mdash; The Guardian (<a '
                 'href="https://bsky.app/profile/did:plc:abc?ref_src=embed">@theguardian.com</a>) <a href="https://'
                 'bsky.app/profile/did:plc:abc/post/3l?ref_src=embed">November 25, 2024 at 12:58 AM</a></blockquote>'
                 '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>')
FACEBOOK_EMBED = ('<div id="fb-root"></div><script async defer crossorigin="anonymous" src="https://connect.facebook'
                  '.net/en_US/sdk.js#xfbml=1&version=v18.0"></script><div class="fb-post" data-href="https://www.'
                  'facebook.com/bbcnews/posts/1" data-width="500" data-show-text="true"><blockquote cite="https://'
                  'www.facebook.com/bbcnews/posts/1" class="fb-xfbml-parse-ignore"><p>Polls close at 10pm.</p>'
                  'Posted by <a href="https://www.facebook.com/bbcnews/">BBC News</a> on&nbsp;<a href="https://www.'
                  'facebook.com/bbcnews/posts/1">Thursday, July 4, 2024</a></blockquote></div>')
INSTAGRAM_EMBED = ('<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.'
                   'instagram.com/p/B1/?utm_source=ig_embed" data-instgrm-version="8"><div style="padding:8px;">'
                   '<div style="background:#F8F8F8;"></div><p style=" margin:8px 0 0 0;"><a href="https://www.'
                   'instagram.com/p/B1/?utm_source=ig_embed" target="_blank">Training starts now &#x1F3C3;</a></p>'
                   '<p style=" color:#c9c8cd;">A post shared by <a href="https://www.instagram.com/nasa/" target='
                   '"_blank"> NASA</a> (@nasa) on <time datetime="2019-01-31T20:21:16+00:00">Jan 31, 2019 at 12:21pm'
                   ' PST</time></p></div></blockquote> <script async defer src="//www.instagram.com/embed.js"></script>')
INSTAGRAM_V14 = ('<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.'
                 'instagram.com/p/C2/?utm_source=ig_embed&amp;utm_campaign=loading" data-instgrm-version="14"><div>'
                 '<a href="https://www.instagram.com/p/C2/?utm_source=ig_embed&amp;utm_campaign=loading"><div>View '
                 'this post on Instagram</div></a><p><a href="https://www.instagram.com/p/C2/?utm_source=ig_embed&amp;'
                 'utm_campaign=loading" target="_blank">A post shared by NASA (@nasa)</a></p></div></blockquote>')
THREADS_EMBED = ('<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@zuck/post/'
                 'Cu1" data-text-post-version="0" id="ig-tp-Cu1"><a href="https://www.threads.net/@zuck/post/Cu1" '
                 'target="_blank"><div><div><svg aria-label="Threads" viewBox="0 0 192 192"><path d="M1"/></svg>'
                 '</div><div>Post by @zuck</div><div>View on Threads</div></div></a>{text}</blockquote>'
                 '<script async src="https://www.threads.net/embed.js"></script>')
MASTODON_EMBED = ('<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/@Gargron/11/embed" '
                  'style="background: #FCF8FF;"> <a href="https://mastodon.social/@Gargron/11" target="_blank"> '
                  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><path d="M63"/></svg> <div>Post by '
                  '@Gargron@mastodon.social</div> <div>View on Mastodon</div> </a>{text}</blockquote> <script '
                  'data-allowed-prefixes="https://mastodon.social/" async src="https://mastodon.social/embed.js">'
                  '</script>')


def _post(source: str):
    page = read_html(source)
    assert len(page.posts) == 1, page.text
    post = page.posts[0]
    text = page.text
    return (post.content.text(text), post.display_name.text(text), post.handle,
            post.signature.text(text) if post.signature else None)


@pytest.mark.parametrize("source, expected", [
    (X_EMBED, ("We will win.", "RT", "@RT_com", "Putin")),
    (BLUESKY_EMBED, ("The vote is on Tuesday.", "The Guardian", "@theguardian.com", None)),
    (FACEBOOK_EMBED, ("Polls close at 10pm.", "BBC News", "@bbcnews", None)),
    (INSTAGRAM_EMBED, ("Training starts now \U0001F3C3", "NASA", "@nasa", None)),
    (THREADS_EMBED.format(text="<p>Threads is live.</p>"), ("Threads is live.", "@zuck", "@zuck", None)),
    (MASTODON_EMBED.format(text="<p>Mastodon 4.3 is out.</p>"),
     ("Mastodon 4.3 is out.", "@Gargron@mastodon.social", "@Gargron@mastodon.social", None)),
])
def test_embedded_posts_from_each_networks_markup(source, expected):
    assert _post("<p>Before.</p>" + source + "<p>After.</p>") == expected


@pytest.mark.parametrize("source", [INSTAGRAM_V14, THREADS_EMBED.format(text=""), MASTODON_EMBED.format(text="")])
def test_embed_code_without_the_posts_text_gives_no_post(source):
    page = read_html("<p>Before.</p>" + source)
    assert page.posts == []
    assert page.text.startswith("Before.\n")  # the card's lines are text a reader sees


def test_a_post_signed_inside_a_bluesky_embed_and_the_newer_account_line():
    source = BLUESKY_EMBED.replace("The vote is on Tuesday.", "Turnout is high &mdash; Starmer").replace(
        "&mdash; The Guardian (<a href=\"https://bsky.app/profile/did:plc:abc?ref_src=embed\">@theguardian.com</a>)",
        "&mdash; <a href=\"https://bsky.app/profile/theguardian.com?ref_src=embed\">The Guardian "
        "(@theguardian.com)</a>")
    assert _post(source) == ("Turnout is high", "The Guardian", "@theguardian.com", "Starmer")
