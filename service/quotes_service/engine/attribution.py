"""The attribute stage: quotation marks and cues become quotes (drafts) with their cues and source mentions.

Direct quotes find their cue in this order: a cue whose reported clause is the quote ("You want ...,"
Putin said); a cue right after the closing mark ('," he added'); a cue right before the opening mark
('the Russian President said: “'); else they continue the previous quote's speaker (same paragraph, or a
paragraph that reopens the quote); else an embedded post's signature or account. Cues whose clause is not
a direct quote become indirect quotes, MIXED when they contain a quoted fragment. A short quotation with
no speech around it is a scare quote, not speech.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .cues import Cue
from .cues.spans import is_finite
from .embedded_posts import EmbeddedPost
from .nlp import TaggedSentence
from .quote_marks import QuoteSpan
from .types import QuoteType, Span

# Between a closing mark and its cue: punctuation, and at most a couple of words besides the source.
_GAP_AFTER = re.compile(r"^[\s,\u2014\u2013-]*(?:\w+\s+){0,1}$")
# Between a cue and its opening mark: ":" or "," and a few words ("said in a statement:", "told reporters,").
_GAP_BEFORE = re.compile(r"^(?:[\s\w'\u2019.-]{0,60}?)[:,]?\s*$")
# "WALLACE: ...", "Q. ...": an upper-case label at the start of a paragraph (after an opening mark).
_SPEAKER_LABEL = re.compile(r"[\"\u201c]?(?P<label>[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}):[ \t]+(?P<rest>\S)")
# A headline's "Name: what they said" (the first paragraph only), and labels that are no speakers.
_HEADLINE_LABEL = re.compile(r"(?P<label>[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}):[ \t]+(?P<rest>\S)")
_NOT_SPEAKERS = {"update", "updated", "breaking", "exclusive", "watch", "video", "live", "opinion", "analysis",
                 "editorial", "photos", "photo", "listen", "read", "review", "explainer", "factbox", "timeline",
                 "correction", "note", "editor's", "q", "a", "part", "chapter", "day", "week", "step"}
_GAP_BEFORE_PARAGRAPH = re.compile(r"^[^\n]{0,60}:[ \t]*(?:\r\n|\n)\s*$")
# A dash and a name (and an optional ", who they are") that end the paragraph after a closing mark.
_SIGNATURE_AFTER_QUOTE = re.compile(r"[ \t\u00a0]*(?P<dash>[\u2015\u2014\u2013])[ \t\u00a0]*"
                                    r"(?P<name>[A-Z][\w.'\u2019-]*(?:[ \u00a0][A-Z][\w.'\u2019-]*){0,4})"
                                    r"(?:,[^\n]{0,80})?[ \t\u00a0]*$")
SCARE_QUOTE_MAX_WORDS = 4
_WORD = re.compile(r"\w+")
# What joins two reports: punctuation, then perhaps a conjunction ("..., though she noted", "; they said").
_JUNCTION = re.compile(r"\s*[,;\u2014\u2013\u2015]\s*(?:(?:though|although|but|while|and|whereas|yet)\s+)?$",
                       re.IGNORECASE)


@dataclass
class Draft:
    type: QuoteType
    content: Span
    cue: Cue | None = None
    quote: QuoteSpan | None = None
    post: EmbeddedPost | None = None
    continues: Draft | None = None  # the quote whose speaker this one continues (it has no cue of its own)
    continues_index: int | None = None  # where that quote is in attribute()'s result (None: not there)
    label: Span | None = None  # a speaker label ("WALLACE: ...", a headline's "Putin: ...")
    label_mark: Span | None = None  # the colon after a label, or the dash before a signature: the quote's cue
    confidence: float = 0.5
    fragments: list[QuoteSpan] = field(default_factory=list)

    @property
    def marks(self) -> QuoteSpan:
        """The quotation marks of a direct quote (only direct drafts have them)."""
        assert self.quote is not None, "an indirect report has no quotation marks"
        return self.quote


def attribute(text: str, paragraphs: list[Span], sentences: list[TaggedSentence], quote_spans: list[QuoteSpan],
              cues: list[Cue], posts: list[EmbeddedPost]) -> list[Draft]:
    directs = [Draft(QuoteType.DIRECT, q.content, quote=q, confidence=0.4) for q in quote_spans]
    # a cue inside quoted words is part of someone's speech, not a report of the document
    cues = [c for c in cues if not any(_marked(d.marks).contains(c.span) for d in directs)]
    cues = [c for c in cues if not any(p.body.contains(c.span) for p in posts)]
    indirect: list[Draft] = []
    for cue in cues:
        if cue.content is None:
            continue
        inside = [d for d in directs if d.cue is None and _marked(d.marks).overlaps(cue.content)]
        if inside and _is_the_quotation(text, cue, inside):
            for d in inside:
                _link(d, cue, 0.9)
            continue
        draft = Draft(QuoteType.INDIRECT, cue.content, cue=cue, confidence=0.5 if cue.belief else 0.7)
        for d in inside:
            shared = Span(max(d.marks.content.begin, cue.content.begin), min(d.marks.content.end, cue.content.end))
            if shared.begin < shared.end and _WORD.search(shared.text(text)):
                # a quoted fragment of the report: the report is MIXED and covers the fragment with its marks
                draft.type, draft.confidence = QuoteType.MIXED, 0.7
                draft.fragments.append(d.marks)
                marked = _marked(d.marks)
                draft.content = Span(min(draft.content.begin, marked.begin),
                                     max(draft.content.end, marked.end if marked.end - cue.content.end <= 2
                                         else d.marks.content.end))
        indirect.append(draft)
    _extend_paragraph_final_reports(text, indirect, sentences, cues, quote_spans)
    _end_before_nested_reports(text, indirect)
    absorbed = {id(q) for d in indirect for q in d.fragments}
    directs = [d for d in directs if id(d.quote) not in absorbed]

    for d in directs:
        if d.cue is None:
            framing = _cue_after(text, d, cues) or _cue_before(text, d, cues, directs)
            if framing is not None:
                _link(d, framing, 0.85)
    _attach_posts(directs, posts)
    _attach_signatures(text, directs, paragraphs)
    transcript, headlines = _attach_speaker_labels(text, directs, paragraphs)
    directs = sorted(directs + transcript, key=lambda d: d.content.begin)
    indirect += headlines
    _continue_speakers(text, directs, indirect, sentences)
    _link_quote_segments(directs)
    directs = [d for d in directs if not _is_scare_quote(text, d)]
    drafts = sorted(_without_overlaps(directs + indirect), key=lambda d: (d.content.begin, d.content.end))
    for d in drafts:
        if d.continues is not None:
            d.continues_index = next((j for j, other in enumerate(drafts) if other is d.continues), None)
    return drafts


def _extend_paragraph_final_reports(text: str, indirect: list[Draft], sentences: list[TaggedSentence],
                                    cues: list[Cue], quote_spans: list[QuoteSpan]) -> None:
    """"A. B, according to the BBC." at the end of a paragraph reports A too, back to the last sentence
    that has a report, a quotation or a cue of its own."""
    for d in indirect:
        cue = d.cue
        if cue is None or cue.lemma != "according to" or not cue.inverted:
            continue
        sent = cue.sentence
        rest = text[cue.span.end:sent.span.end]
        source_end = cue.source_span.end if cue.source_span else cue.span.end
        if text[source_end:sent.span.end].strip(" .!?\u2019\u201d\"'") or not rest.strip():
            continue  # the phrase does not end its sentence
        if any(s.paragraph_index == sent.paragraph_index and s.index > sent.index for s in sentences):
            continue  # nor its paragraph
        begin = d.content.begin
        for prev in reversed(sentences[:sent.index]):
            if prev.paragraph_index != sent.paragraph_index:
                break
            busy = any(prev.span.overlaps(c.span) for c in cues) or any(
                prev.span.overlaps(q.content) for q in quote_spans) or any(
                o is not d and prev.span.overlaps(o.content) for o in indirect)
            if busy:
                break
            begin = prev.span.begin
        d.content = Span(begin, d.content.end)


def _end_before_nested_reports(text: str, indirect: list[Draft]) -> None:
    """'said A, though she noted B' / 'said A; B, the police said': a report ends where another source's
    report is joined to it by punctuation (and a conjunction), so that both are kept; the longer one would
    otherwise swallow the other. 'said A when he said B' stays one report."""
    for d in indirect:
        assert d.cue is not None
        if d.cue.inverted:
            continue
        starts = [min(o.cue.source_span.begin, o.cue.span.begin) for o in indirect
                  if o is not d and o.cue is not None and o.cue.source_span is not None and not o.cue.inverted
                  and d.content.begin < o.cue.source_span.begin and o.cue.span.end <= d.content.end]
        if not starts:
            continue
        before = text[d.content.begin:min(starts)]
        junction = _JUNCTION.search(before)
        if junction is None:
            continue
        kept = Span(d.content.begin, d.content.begin + junction.start())
        if any(kept.contains(w.span) and is_finite(w) for w in d.cue.sentence.words):  # a clause of its own
            d.content = kept


def _marked(q: QuoteSpan) -> Span:
    """The quote with its marks."""
    return Span(q.open_mark.begin, q.close_mark.end if q.close_mark else q.content.end)


def _is_the_quotation(text: str, cue: Cue, quoted: list[Draft]) -> bool:
    """Whether a cue's report consists of the quotations in it: nothing but "that" before the first one and
    at most two words besides ('said that "...."', 'said "..." and "..."', 'said "..." on Monday'; the
    source, where the parser put it inside, does not count). Otherwise the writer's words frame a quoted
    fragment ('said he had "areas of disagreement" with Trump')."""
    assert cue.content is not None
    span = cue.content
    first = min(_marked(d.marks).begin for d in quoted)
    lead = _WORD.findall(text[span.begin:max(span.begin, first)])
    if lead and lead != ["that"]:
        return False
    covered = sorted([_marked(d.marks) for d in quoted] + ([cue.source_span] if cue.source_span else []),
                     key=lambda s: s.begin)
    rest, pos = [], max(span.begin, first)
    for c in covered:
        rest.append(text[pos:max(pos, min(c.begin, span.end))])
        pos = max(pos, c.end)
    rest.append(text[pos:span.end])
    return sum(len(_WORD.findall(piece)) for piece in rest) <= 2


def _link(d: Draft, cue: Cue, confidence: float) -> None:
    d.cue, d.confidence = cue, confidence if cue.source is not None else confidence - 0.3


def _cue_after(text: str, d: Draft, cues: list[Cue]) -> Cue | None:
    q = d.marks
    if q.close_mark is None:
        return None
    for cue in sorted(cues, key=lambda c: c.span.begin):
        if cue.span.begin < q.close_mark.end or cue.content is not None and not _marked(q).overlaps(cue.content) \
                and not cue.inverted:
            continue
        gap = text[q.close_mark.end:cue.span.begin]
        if cue.source_span is not None and q.close_mark.end <= cue.source_span.begin < cue.span.begin:
            gap = text[q.close_mark.end:cue.source_span.begin] + text[cue.source_span.end:cue.span.begin]
        return cue if _GAP_AFTER.match(gap) and "\n" not in gap else None
    return None


def _cue_before(text: str, d: Draft, cues: list[Cue], directs: list[Draft]) -> Cue | None:
    q = d.marks
    best = None
    for cue in cues:
        if cue.span.end > q.open_mark.begin or (cue.content is not None and not cue.inverted):
            continue
        if best is None or cue.span.begin > best.span.begin:
            best = cue
    if best is None:
        return None
    start = best.span.end
    if best.source_span is not None and best.source_span.begin >= best.span.end:
        start = best.source_span.end  # inverted: said Putin: "..."
    gap = text[start:q.open_mark.begin]
    if any(start <= o.marks.open_mark.begin < q.open_mark.begin for o in directs if o is not d):
        return None
    if "\n" in gap:  # the cue ends the previous paragraph with a colon: Putin said:\n"..."
        return best if _GAP_BEFORE_PARAGRAPH.match(gap) else None
    return best if _GAP_BEFORE.match(gap) and gap.rstrip()[-1:] in (":", ",", "") else None


def _attach_posts(directs: list[Draft], posts: list[EmbeddedPost]) -> None:
    for post in posts:
        inside = [d for d in directs if post.body.contains(d.content)]
        if inside:
            for d in inside:
                d.post, d.confidence = post, max(d.confidence, 0.85)
        else:
            q = QuoteSpan(post.content, Span(post.content.begin, post.content.begin), None, -1)
            directs.append(Draft(QuoteType.DIRECT, post.content, quote=q, post=post, confidence=0.85))
    directs.sort(key=lambda d: d.content.begin)


def _attach_signatures(text: str, directs: list[Draft], paragraphs: list[Span]) -> None:
    """'"He represents our greatest shame." ― Sonya Herridge': a dash and a name closing the paragraph
    after a quote sign it (reader comments, pull quotes, epigraphs)."""
    for d in directs:
        q = d.quote
        if q is None or q.close_mark is None or d.cue or d.post or d.label:
            continue
        para = next((p for p in paragraphs if p.begin <= q.close_mark.begin < p.end), None)
        m = _SIGNATURE_AFTER_QUOTE.match(text, q.close_mark.end, para.end) if para else None
        if m:
            d.label, d.label_mark = Span(m.start("name"), m.end("name")), Span(m.start("dash"), m.end("dash"))
            d.confidence = 0.8


def _attach_speaker_labels(text: str, directs: list[Draft],
                           paragraphs: list[Span]) -> tuple[list[Draft], list[Draft]]:
    """A speaker label and a colon at the start of a paragraph: in a transcript ("PENCE: Well, look, ...")
    the speaker's words; in a headline ("Putin: Assad's fall is not a defeat") what the speaker said.
    Quotations inside a labelled paragraph take the label; returns the new drafts: transcript paragraphs
    without quotation marks (DIRECT) and headline reports (INDIRECT)."""
    transcript, reports = [], []
    labels = {i: _SPEAKER_LABEL.match(text, p.begin, p.end) for i, p in enumerate(paragraphs)}
    labels = {i: m for i, m in labels.items() if m and m.group("label").split()[0].lower() not in _NOT_SPEAKERS}
    if len(labels) < 2:
        labels = {}  # one capitalised label is a heading ("UPDATE: ..."), a transcript has several
    for index, para in enumerate(paragraphs):
        m = labels.get(index)
        headline = None if m or index else _HEADLINE_LABEL.match(text, para.begin, para.end)
        if headline and headline.group("label").split()[0].lower().rstrip(".") in _NOT_SPEAKERS:
            headline = None
        m = m or headline
        if not m:
            continue
        label = Span(m.start("label"), m.end("label"))
        colon = Span(m.end("label"), m.end("label") + 1)
        rest = Span(m.start("rest"), para.end)
        inside = [d for d in directs if d.quote and d.marks.content.overlaps(rest) and rest.overlaps(d.content)]
        for d in inside:
            if d.cue is None and d.post is None:
                d.content = Span(max(d.content.begin, rest.begin), d.content.end)
                d.label, d.label_mark, d.confidence = label, colon, 0.8
        if inside:
            continue
        end = rest.end
        while end > rest.begin and (text[end - 1] in '"\u201d.' or text[end - 1].isspace()):
            end -= 1
        if headline:
            reports.append(Draft(QuoteType.INDIRECT, Span(rest.begin, end), label=label, label_mark=colon,
                                 confidence=0.6))
        else:
            q = QuoteSpan(Span(rest.begin, end), Span(rest.begin, rest.begin), None, -1)
            transcript.append(Draft(QuoteType.DIRECT, q.content, quote=q, label=label, label_mark=colon,
                                    confidence=0.8))
    return transcript, reports


def _continue_speakers(text: str, directs: list[Draft], indirect: list[Draft],
                       sentences: list[TaggedSentence]) -> None:
    """A direct quote with no cue continues the speaker of the quote just before it."""
    framed = sorted([d for d in directs + indirect if d.cue is not None or d.post is not None or d.label],
                    key=lambda d: d.content.begin)
    for d in directs:
        if d.cue is not None or d.post is not None or d.label is not None:
            continue
        if len(d.content.text(text).split()) <= SCARE_QUOTE_MAX_WORDS and not _starts_sentence(d, sentences):
            continue  # 'A group called "Citizens United"': a few quoted words inside a sentence are no speech
        previous = [p for p in framed if p.content.end <= d.content.begin]
        if not previous:
            continue
        prev = previous[-1]
        if prev.type is QuoteType.MIXED and prev.fragments:  # 'claims X is "..." but "..."': same paragraph
            same_para, next_para = prev.fragments[-1].paragraph_index == d.marks.paragraph_index, False
        elif prev.quote is not None and prev.type is QuoteType.DIRECT:
            same_para = prev.quote.paragraph_index == d.marks.paragraph_index
            next_para = d.marks.continues_previous or (
                prev.quote.paragraph_index == d.marks.paragraph_index - 1 and _starts_paragraph(d, sentences))
        else:
            continue  # an indirect report in between: the speaker is no longer certain
        if same_para or next_para:
            d.continues, d.confidence = prev, 0.75
            framed.append(d)
            framed.sort(key=lambda x: x.content.begin)


def _link_quote_segments(directs: list[Draft]) -> None:
    """A paragraph of a quote that runs on takes the speaker of the next paragraph's part when it has no
    cue of its own (the cue often comes in the last paragraph)."""
    ordered = sorted(directs, key=lambda d: d.content.begin)
    for d, nxt in itertools.pairwise(ordered):
        if d.cue is None and d.continues is None and d.post is None and d.marks.continues_next \
                and nxt.marks.continues_previous:
            d.continues, d.confidence = nxt, 0.7


def _starts_sentence(d: Draft, sentences: list[TaggedSentence]) -> bool:
    return any(s.span.begin == d.marks.open_mark.begin or s.span.begin == d.content.begin for s in sentences)


def _starts_paragraph(d: Draft, sentences: list[TaggedSentence]) -> bool:
    for s in sentences:
        if s.paragraph_index == d.marks.paragraph_index:
            return d.marks.open_mark.begin <= s.span.begin
    return False


def _is_scare_quote(text: str, d: Draft) -> bool:
    if d.cue is not None or d.post is not None or d.continues is not None or d.label is not None:
        return False
    if d.marks.continues_next or d.marks.continues_previous:
        return False
    words = len(d.content.text(text).split())
    return words <= SCARE_QUOTE_MAX_WORDS or d.marks.close_mark is None and words < 8


def _without_overlaps(drafts: list[Draft]) -> list[Draft]:
    """Keep quote contents disjoint: direct quotes first, then longer reports."""
    kept: list[Draft] = []
    for d in sorted(drafts, key=lambda d: (d.type is not QuoteType.DIRECT, -len(d.content))):
        if not any(k.content.overlaps(d.content) for k in kept):
            kept.append(d)
    return kept
