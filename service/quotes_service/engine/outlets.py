"""The outlet each quote came through, and the directory of outlets the engine knows.

In order of evidence: the account of an embedded post ("— RT (@RT_com) December 19, 2024"); a source
phrase ("according to the BBC", "told Reuters", "in an interview with CNN", "Reuters reported"); for a
quote that continues an earlier one, that quote's outlet; the document's wire credit ("(AP) —"); the
publisher named in the request (or its URL's domain).
Outlets come from data/outlets.json, extended by the file named in $QUOTES_OUTLETS_FILE.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from .attribution import Draft
from .cues import subtree
from .types import Outlet, OutletEvidence, Span, Speaker, SpeakerKind

DATA = Path(__file__).parent / "data" / "outlets.json"
# "(AP) —", "WASHINGTON (Reuters) -": a credit at the start of the document.
_WIRE_CREDIT = re.compile(r"^[^\n(]{0,60}?\((?P<agency>[A-Z][\w .&'-]{1,40}?)\)\s*[\u2014\u2013-]{1,2}\s")


@dataclass(frozen=True)
class OutletInfo:
    name: str
    aliases: tuple[str, ...]
    handles: tuple[str, ...]
    domains: tuple[str, ...]
    needs_article: bool = False


def choose_outlets(directory: OutletDirectory, text: str, paragraphs: list[Span], drafts: list[Draft],
                   speakers: list[Speaker | None], publisher: str, url: str) -> list[Outlet | None]:
    """One outlet per draft (same index); None only where the document has neither a credit nor a publisher."""
    fallback = directory.wire_credit(text, paragraphs[0] if paragraphs else None) or \
        directory.publisher(publisher, url)
    own: list[Outlet | None] = []  # what each quote's own evidence shows, before the fallback
    for i, (d, speaker) in enumerate(zip(drafts, speakers)):
        outlet = None
        if d.post is not None:
            info = directory.by_handle(d.post.handle) or directory.match_name(d.post.display_name.text(text))
            name = info.name if info else d.post.display_name.text(text)
            outlet = Outlet(name, OutletEvidence.EMBEDDED_POST, d.post.handle, d.post.display_name)
        elif speaker is not None and speaker.mention is not None and speaker.kind is SpeakerKind.ORGANIZATION:
            info = directory.match_name(speaker.mention.text(text)) or directory.match_name(speaker.name)
            outlet = directory.source_phrase(info, speaker.mention) if info else None
        if outlet is None and d.cue is not None:
            outlet = _outlet_near_cue(directory, text, d)
        if outlet is None and d.continues_index is not None and d.continues_index < i:
            # an earlier quote's outlet only: the first paragraphs of a quote that runs on take the speaker of
            # a later paragraph, not its outlet
            outlet = own[d.continues_index]
        own.append(outlet)
    return [outlet or fallback for outlet in own]


def _outlet_near_cue(directory: OutletDirectory, text: str, d: Draft) -> Outlet | None:
    """'told Reuters', 'in an interview with CNN', 'said on Fox News', 'posted on Truth Social', 'was quoted
    by Le Monde as saying': an outlet in the cue's clause (and in the clause of a passive "quoted" or "cited"
    that frames it). Unparsed, an outlet between the cue and its content, or after a cue that follows it."""
    cue = d.cue
    assert cue is not None
    sent = cue.sentence
    if cue.lemma == "according to":
        return None
    if not sent.parsed:
        region = Span(cue.span.end, d.content.begin if d.content.begin > cue.span.end else sent.span.end)
        return next((directory.source_phrase(info, span) for span, info in directory.find(text, region)), None)
    skip = set(cue.content_words) | (subtree(sent, cue.source) if cue.source is not None else set())
    words = subtree(sent, cue.head)
    frame = sent.words[cue.head].head
    if frame >= 0 and sent.words[frame].lemma.lower() in ("quote", "cite") and sent.words[frame].xpos == "VBN":
        words |= {w for w in subtree(sent, frame) if w < cue.head}  # "was quoted by Le Monde as saying"
    words -= skip
    for span, info in directory.find(text, sent.span):
        if any(sent.words[w].span.overlaps(span) for w in words) and not d.content.overlaps(span):
            return directory.source_phrase(info, span)
    return None


class OutletDirectory:
    """Name, alias, handle and domain lookups over the outlet data files."""

    def __init__(self, records: list[dict]):
        self._by_name: dict[str, OutletInfo] = {}
        self._by_handle: dict[str, OutletInfo] = {}
        self._by_domain: dict[str, OutletInfo] = {}
        merged: dict[str, dict] = {}
        for rec in records:
            merged[rec["name"]] = {**merged.get(rec["name"], {}), **rec}
        for rec in merged.values():
            info = OutletInfo(rec["name"], tuple(rec.get("aliases", ())), tuple(rec.get("handles", ())),
                              tuple(rec.get("domains", ())), bool(rec.get("needs_article")))
            for name in (info.name, *info.aliases):
                self._by_name.setdefault(_key(name), info)
            for handle in info.handles:
                self._by_handle[handle.lower().lstrip("@")] = info
            for domain in info.domains:
                self._by_domain[domain.lower()] = info
        self._pattern = re.compile(r"(?<![\w@])(?:the\s+)?(" + _trie_pattern(self._by_name) + r")(?!\w)",
                                   re.IGNORECASE) if self._by_name else None

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> OutletDirectory:
        records = json.loads(DATA.read_text("utf-8"))["outlets"]
        extra = os.environ.get("QUOTES_OUTLETS_FILE")
        if extra:
            records = records + json.loads(Path(extra).read_text("utf-8"))["outlets"]
        return cls(records)

    def match_name(self, text: str) -> OutletInfo | None:
        """The outlet a whole mention names ("the BBC", "Reuters'", "CNN's")."""
        text = text.strip()
        info = self._by_name.get(_key(text))
        if info is None or not self._plausible(info, re.sub(r"^the\s+", "", text, flags=re.IGNORECASE), text):
            return None
        return info

    def _plausible(self, info: OutletInfo, surface: str, with_article: str) -> bool:
        """Outlet names are proper names: short ones ("DR", "AP") must match their spelling exactly, and
        common-word ones ("the Hill", "the Sun") need their article."""
        surface = re.sub(r"['\u2019]s?$", "", surface)
        spellings = [n for n in (info.name, *info.aliases) if _key(n) == _key(surface)]
        if len(_key(surface)) <= 4 and not any(re.sub(r"^the\s+", "", n, flags=re.IGNORECASE) == surface for n in spellings):
            return False
        if info.needs_article and not re.match(r"the\s", with_article, re.IGNORECASE):
            return False
        return surface[:1].isupper() or surface[:1].isdigit()

    def by_handle(self, handle: str) -> OutletInfo | None:
        return self._by_handle.get(handle.lower().lstrip("@"))

    def by_domain(self, url_or_domain: str) -> OutletInfo | None:
        host = urlparse(url_or_domain).hostname if "//" in url_or_domain else url_or_domain
        host = (host or "").lower()
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2] if "." in host else ""
        return None

    def find(self, text: str, span: Span) -> list[tuple[Span, OutletInfo]]:
        """Outlet names inside `span` of the text."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text, span.begin, span.end):
            info = self._by_name.get(_key(m.group(1)))
            if info is not None and self._plausible(info, m.group(1), m.group(0)):
                found.append((Span(m.start(1), m.end(1)), info))
        return found

    def publisher(self, publisher: str, url: str) -> Outlet | None:
        """The document-publisher outlet of a request, canonical when the directory knows it."""
        info = (self.match_name(publisher) or self.by_domain(publisher)) if publisher else None
        if info is None and url:
            info = self.by_domain(url)
        if info is not None:
            return Outlet(info.name, OutletEvidence.DOCUMENT_PUBLISHER, _main_handle(info))
        if publisher.strip():
            return Outlet(publisher.strip(), OutletEvidence.DOCUMENT_PUBLISHER)
        return None

    def wire_credit(self, text: str, first_paragraph: Span | None) -> Outlet | None:
        if first_paragraph is None:
            return None
        m = _WIRE_CREDIT.match(text, first_paragraph.begin, first_paragraph.end)
        if not m:
            return None
        info = self.match_name(m.group("agency"))
        if info is None:
            return None
        return Outlet(info.name, OutletEvidence.WIRE_CREDIT, _main_handle(info),
                      Span(m.start("agency"), m.end("agency")))

    def source_phrase(self, info: OutletInfo, mention: Span) -> Outlet:
        return Outlet(info.name, OutletEvidence.SOURCE_PHRASE, _main_handle(info), mention)


def _trie_pattern(names: Iterable[str]) -> str:
    """An alternation of `names` as a regex trie: "b(?:bc|loomberg)", not "bbc|bloomberg". At each
    character the longer names are tried first, as in an alternation sorted longest first, so the same
    name matches; but a position whose text starts no name is left after a few tests, not one per name."""
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}  # a name ends here

    def render(node: dict[str, dict]) -> str:
        alternatives = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alternatives.append("")  # last: a longer name first
        if len(alternatives) <= 1:
            return "".join(alternatives)
        return "(?:" + "|".join(alternatives) + ")"

    return render(trie)


def _key(name: str) -> str:
    name = name.strip().replace("\u2019", "'")
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"'s?$", "", name)
    return " ".join(name.lower().split())


def _main_handle(info: OutletInfo) -> str:
    return info.handles[0] if info.handles else ""
