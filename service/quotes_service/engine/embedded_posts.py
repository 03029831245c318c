"""Embedded social-media posts: the account line that closes an embed and the post text above it.

    Assad's fall is not a defeat for Russia. And I'll tell you why... – Putin pic.twitter.com/pyGmQRyLhE
    — RT (@RT_com) December 19, 2024

The post text is a direct quote; "– Putin" signs it (the speaker), the account (RT, @RT_com) is the outlet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Span

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
ACCOUNT_LINE = re.compile(
    r"^[\u2014\u2013-]{1,2}\s*(?P<name>[^()\n]{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s*"
    r"(?:(?:on\s+)?(?P<date>" + _MONTH + r"\s+\d{1,2},?\s+\d{4}))?\s*$")
# Trailing links of the post text: pic.twitter.com/..., https://t.co/..., bare URLs.
_TRAILING_LINKS = re.compile(r"(?:\s*(?:pic\.twitter\.com/\S+|https?://\S+|\S+\.\S+/\S+))+\s*$")
# A dash and a short name at the end of the post text: "... – Putin".
_POST_SIGNATURE = re.compile(r"\s[\u2014\u2013-]{1,2}\s*(?P<name>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})\s*$")


@dataclass
class EmbeddedPost:
    display_name: Span
    handle: str
    body: Span  # the post text's paragraph
    content: Span  # the post text without links and signature
    signature: Span | None  # the name that signs the post


def find_embedded_posts(text: str, paragraphs: list[Span]) -> list[EmbeddedPost]:
    posts = []
    for i, para in enumerate(paragraphs):
        m = ACCOUNT_LINE.match(para.text(text))
        if not m or i == 0:
            continue
        body = paragraphs[i - 1]
        end = body.begin + len(_TRAILING_LINKS.sub("", body.text(text)))
        signature = None
        sig = _POST_SIGNATURE.search(text, body.begin, end)
        if sig:
            signature = Span(sig.start("name"), sig.end("name"))
            end = sig.start()
        while end > body.begin and text[end - 1].isspace():
            end -= 1
        if end <= body.begin:
            continue
        posts.append(EmbeddedPost(
            display_name=Span(para.begin + m.start("name"), para.begin + m.end("name")),
            handle=m.group("handle"),
            body=body,
            content=Span(body.begin, end),
            signature=signature,
        ))
    return posts
