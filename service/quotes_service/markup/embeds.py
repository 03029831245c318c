"""Embedded social-media posts, read from the embed code each network gives to paste into a page:

  X/Twitter  <blockquote class="twitter-tweet"><p>TEXT</p>&mdash; NAME (@handle) <a href=".../status/ID">DATE</a>
  Bluesky    <blockquote class="bluesky-embed"><p>TEXT</p>&mdash; NAME (<a href="bsky.app/profile/...">@handle</a>)
             <a>DATE</a>  (or "&mdash; <a>NAME (@handle)</a>")
  Facebook   <div class="fb-post"><blockquote class="fb-xfbml-parse-ignore"><p>TEXT</p>Posted by
             <a href="facebook.com/PAGE/">NAME</a> on <a>DATE</a>
  Instagram  <blockquote class="instagram-media">: the caption (<p>, older captioned code) and "A post shared by
             <a href="instagram.com/handle/">NAME</a> (@handle)"; today's code carries no caption
  Threads    <blockquote class="text-post-media" data-text-post-permalink=".../@handle/post/ID">
  Mastodon   <blockquote class="mastodon-embed" data-embed-url="https://host/@handle/ID/embed">: today's code of
             both carries no post text, only "Post by @handle" and a link; a page that adds the text in <p>
             elements gets its quote

The post's text (its first <p>; all of them for Threads and Mastodon) is the quote; links that close it and a
name that signs it ("– Putin", the speaker) are not part of it (engine.embedded_posts.post_of). The account is
the outlet: its name as the embed shows it, the handle from the embed's text or else from the post's or the
account's URL. A post needs text and an account the reader can see; an embed without them is read as ordinary
text (its lines still show).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from justhtml.dom import Element, Node

from ..engine.embedded_posts import EmbeddedPost, post_of
from ..engine.types import Span
from .visible import VisibleText

# Networks by the class of the embed's root element.
NETWORKS = {"twitter-tweet": "x", "twitter-video": "x", "bluesky-embed": "bluesky", "fb-xfbml-parse-ignore": "facebook",
            "instagram-media": "instagram", "text-post-media": "threads", "mastodon-embed": "mastodon"}
# Patterns over the visible text of an account line (never over markup).
_DASH_ACCOUNT = re.compile(r"[\u2014\u2013-]{1,2}\s*(?P<name>[^()\n]{1,80}?)\s*\(\s*(?P<handle>@[^()\s]{1,100})\s*\)")
_HANDLE = re.compile(r"@[\w.\-]{1,100}(?:@[\w.\-]{1,100})?")
_NOT_ACCOUNTS = {"status", "statuses", "i", "intent", "share", "hashtag", "p", "reel", "tv", "posts", "post",
                 "profile.php", "people", "pages", "watch", "permalink.php", "photo.php", "story.php", "groups"}


@dataclass
class Embed:
    network: str
    root: Element


def find_embeds(document: Node) -> list[Embed]:
    """The embeds of a parsed page, in document order (an embed inside another is the outer one's text)."""
    found: list[Embed] = []
    inside: set[int] = set()
    for element in _elements(document):
        network = next((NETWORKS[c] for c in (element.attrs.get("class") or "").split() if c in NETWORKS), None)
        if network is not None and element.name in ("blockquote", "div") and id(element) not in inside:
            found.append(Embed(network, element))
            inside.update(id(e) for e in _elements(element))
    return found


def watched(embeds: list[Embed]) -> set[int]:
    """id()s of the elements whose visible ranges `posts` needs: every element of every embed."""
    return {id(e) for embed in embeds for e in _elements(embed.root)}


def posts(embeds: list[Embed], visible: VisibleText) -> list[EmbeddedPost]:
    """The embedded posts, as the engine takes them (spans of the visible text)."""
    found = []
    for embed in embeds:
        post = _post(embed, visible)
        if post is not None:
            found.append(post)
    return found


def _post(embed: Embed, visible: VisibleText) -> EmbeddedPost | None:
    text, ranges = visible.text, visible.ranges
    root = ranges.get(id(embed.root))
    if root is None:
        return None
    elements = _elements(embed.root)
    paragraphs = [e for e in elements if e.name == "p" and id(e) in ranges]
    if embed.network == "instagram":
        paragraphs = paragraphs[:-1]  # the last one is the account line
    elif embed.network not in ("threads", "mastodon"):
        paragraphs = paragraphs[:1]
    else:  # the card's own link ("Post by @handle", "View on Threads") is no post text
        paragraphs = [p for p in paragraphs if not any(a.name == "a" for a in _ancestors(p, embed.root))]
    if not paragraphs:
        return None
    body = Span(ranges[id(paragraphs[0])][0], ranges[id(paragraphs[-1])][1])
    # the account line follows the post's text; Threads' and Mastodon's cards show it first
    account = Span(root[0], root[1]) if embed.network in ("threads", "mastodon") else Span(body.end, root[1])
    display_name, handle = _account(embed, elements, ranges, text, account)
    if display_name is None:
        return None
    return post_of(text, body, display_name, handle, _before_placeholders(paragraphs[-1], ranges, text, body))


def _account(embed: Embed, elements: list[Element], ranges: dict[int, tuple[int, int]], text: str,
             account: Span) -> tuple[Span | None, str]:
    """The account's display name (a span of the visible text) and handle."""
    links = [e for e in elements if e.name == "a" and id(e) in ranges and ranges[id(e)][0] >= account.begin]
    url_handle = _handle_from_urls(embed, [str(e.attrs.get("href") or "") for e in links])
    line = text[account.begin:account.end]
    if embed.network in ("x", "bluesky"):  # "— NAME (@handle) DATE"
        m = _DASH_ACCOUNT.search(line)
        if m is None:
            return None, url_handle
        return Span(account.begin + m.start("name"), account.begin + m.end("name")), m.group("handle")
    if embed.network in ("facebook", "instagram"):  # "Posted by <a>NAME</a> on", "shared by <a>NAME</a> (@handle)"
        m = _HANDLE.search(line)
        handle = m.group(0) if m else url_handle
        profile = links[0] if embed.network == "facebook" and links else next(
            (e for e in links if _profile_handle(embed.network, str(e.attrs.get("href") or ""))), None)
        if profile is not None:
            begin, end = ranges[id(profile)]
            return Span(begin, end), handle
        return None, handle
    # threads, mastodon: the handle as the card shows it ("Post by @handle"), the account that the URL names
    user = url_handle[1:].split("@")[0].lower()
    for m in _HANDLE.finditer(line):
        if user and m.group(0)[1:].split("@")[0].lower() == user:
            return Span(account.begin + m.start(), account.begin + m.end()), url_handle
    return None, url_handle


def _handle_from_urls(embed: Embed, hrefs: list[str]) -> str:
    attrs = embed.root.attrs
    urls = [str(attrs.get(name) or "") for name in ("data-text-post-permalink", "data-embed-url",
                                                     "data-instgrm-permalink", "cite")]
    if embed.network == "facebook" and embed.root.parent is not None and isinstance(embed.root.parent, Element):
        urls.append(str(embed.root.parent.attrs.get("data-href") or ""))
    for url in [*hrefs, *urls]:
        handle = _profile_handle(embed.network, url)
        if handle:
            return handle
    return ""


def _profile_handle(network: str, url: str) -> str:
    """The account a post's or a profile's URL names: x.com/RT_com/status/1 -> @RT_com,
    bsky.app/profile/name.bsky.social -> @name.bsky.social, mastodon.social/@user/1 -> @user@mastodon.social."""
    parsed = urlparse(url if "//" in url else "//" + url)
    host = (parsed.hostname or "").lower()
    parts = [p for p in parsed.path.split("/") if p]
    if not parts:
        return ""
    if network == "x" and host.endswith(("twitter.com", "x.com")) and len(parts) >= 1:
        return "" if parts[0].lower() in _NOT_ACCOUNTS else "@" + parts[0]
    if network == "bluesky" and host.endswith("bsky.app") and len(parts) >= 2 and parts[0] == "profile":
        return "" if parts[1].startswith("did:") else "@" + parts[1]
    if network == "threads" and parts[0].startswith("@"):
        return parts[0]
    if network == "mastodon" and parts[0].startswith("@"):
        return parts[0] if "@" in parts[0][1:] else f"{parts[0]}@{host}"
    if network in ("facebook", "instagram") and host.endswith(("facebook.com", "instagram.com")):
        first = parts[0]
        if first.lower() in _NOT_ACCOUNTS or first.isdigit() or len(parts) > 1 and network == "instagram":
            return ""
        return "@" + first
    return ""


def _before_placeholders(paragraph: Element, ranges: dict[int, tuple[int, int]], text: str, body: Span) -> int:
    """Where the post's text ends, before the links that close its paragraph with a placeholder such as
    Bluesky's "[image or embed]" (a link to the post's media)."""
    end = body.end
    for child in reversed(paragraph.children or []):
        if not isinstance(child, Element):
            if str(getattr(child, "data", "")).strip():
                break
        elif child.name == "a" and id(child) in ranges:
            begin, stop = ranges[id(child)]
            shown = text[begin:stop]
            if not (shown.startswith("[") and shown.endswith("]")):
                break
            end = begin
        elif child.name != "br":
            break
    return end


def _elements(root: Node) -> list[Element]:
    """The elements of a subtree, in document order."""
    found: list[Element] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Element):
            found.append(node)
        stack.extend(reversed(node.children or []))
    return found


def _ancestors(node: Node, root: Element) -> list[Node]:
    found = []
    parent = node.parent
    while parent is not None and parent is not root:
        found.append(parent)
        parent = parent.parent
    return found
