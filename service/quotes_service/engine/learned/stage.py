"""The learned attribution stage: the tagger's attributions as drafts the later stages treat like the rules'.

Each linked attribution becomes a Draft with a Cue in the sentence of its cue words: the cue's main word,
the source's head word (the speaker stage resolves it), the content span, and the quote type read off the
quotation marks (DIRECT inside a quotation, MIXED around a quoted fragment, else INDIRECT).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..attribution import Draft
from ..cues.spans import Cue
from ..cues.verbs import source_mention, subject
from ..lexicon import cue_lexicon
from ..nlp import TaggedSentence
from ..quantization import quantize_model
from ..quote_marks import QuoteSpan
from ..types import QuoteType, Span
from .decoding import LinkedAttribution, WordSpan, link, spans
from .features import Chunk, RuleQuote, chunks
from .scope import in_scope, report_span

if TYPE_CHECKING:
    import torch

WEIGHTS = Path(__file__).resolve().parents[2] / "models" / "attribution" / "tagger.pt"
BATCH_CHUNKS = 64
_NAME_NER = ("PER", "ORG")


class LearnedAttribution:
    """The tagger, loaded once per engine (WEIGHTS: the bundled one)."""

    def __init__(self, weights: Path, pretrain: str | Path, precision: str = "fp32"):
        """`precision` int8: the tagger's LSTM quantized after loading, as the stanza models' are."""
        # torch is imported here, not with the module: the server's own process imports the engine's types and
        # never loads a model
        from .tagger import AttributionTagger, load_word_vectors

        self.vocab, vectors = load_word_vectors(pretrain)
        self.model, saved = AttributionTagger.load(weights, vectors)
        if precision == "int8":
            quantize_model(self.model)
        self.version = str(saved.get("version", ""))

    def find(self, text: str, sentences: Sequence[TaggedSentence], quote_spans: Sequence[QuoteSpan],
             rule_drafts: Sequence[Draft]) -> list[Draft]:
        import torch

        from .tagger import batch_ids

        doc_chunks = chunks(text, sentences, quote_spans, rule_quotes(rule_drafts), self.vocab)
        drafts = []
        with torch.inference_mode():
            for start in range(0, len(doc_chunks), BATCH_CHUNKS):
                batch = doc_chunks[start:start + BATCH_CHUNKS]
                ids, lengths = batch_ids([c.ids for c in batch])
                scores = self.model(ids, lengths)
                decoded = self.model.decode(scores, lengths)
                tagged = [row for row, tags in enumerate(decoded) if any(tags)]  # most chunks report nothing
                if not tagged:
                    continue
                rows = torch.tensor(tagged)
                probs = self.model.tag_probabilities(scores[rows], lengths[rows])
                for k, row in enumerate(tagged):
                    chunk, tags = batch[row], decoded[row]
                    sure = probs[k, torch.arange(len(tags)), torch.tensor(tags)]
                    found = []
                    for a in link(spans(tags), chunk.sentence_of_word):
                        draft = _draft(text, chunk, a, sentences, quote_spans)
                        if draft is not None:
                            draft.confidence = _confidence(sure, a)
                            found.append(draft)
                    drafts.extend(_with_shared_subjects(found))
        return drafts


def _draft(text: str, chunk: Chunk, a: LinkedAttribution, sentences: Sequence[TaggedSentence],
           quote_spans: Sequence[QuoteSpan]) -> Draft | None:
    sent = sentences[chunk.sentence_of_word[a.cue.first]]
    offset = _first_word(chunk, sent)
    cue_words = list(range(a.cue.first - offset, min(a.cue.last - offset, len(sent.words) - 1) + 1))
    source_words = [i - offset for i in range(a.source.first, a.source.last + 1)] if a.source is not None else []
    source_words = [i for i in source_words if 0 <= i < len(sent.words)]
    cue_words, source_words = _without_edge_punctuation(sent, cue_words), _without_edge_punctuation(sent, source_words)
    if not cue_words:
        return None
    head = _cue_head(sent, cue_words)
    if not in_scope(sent, cue_words, source_words, head):
        return None
    lemma = sent.words[head].lemma.lower() if sent.parsed else sent.words[head].text.lower()
    lemma = cue_lexicon()["forms"].get(lemma, lemma)
    content = report_span(text, _chars(chunk, a.content))
    if content is None:
        return None
    source_head, source_span = None, None
    if source_words:
        source_span = Span(sent.words[source_words[0]].span.begin, sent.words[source_words[-1]].span.end)
        source_head = _source_head(sent, source_words)
    content_words = frozenset(i - offset for i in range(a.content.first, a.content.last + 1)
                              if 0 <= i - offset < len(sent.words))
    kind, marks = _quote_type(content, quote_spans)
    if marks is not None:
        content = marks.content  # a direct quote is the words between its marks
    # the cue is its verb and what follows it ("said", "called on", "according to"), not the auxiliaries and
    # adverbs before it that PolNeAR's cues hold ("had recently said")
    cue_span = Span(sent.words[head].span.begin, sent.words[cue_words[-1]].span.end)
    cue = Cue(sent, head, cue_span, lemma, source_head, source_span, content, content_words,
              inverted=a.content.first < a.cue.first)
    return Draft(kind, content, cue=cue, quote=marks)


def _with_shared_subjects(drafts: list[Draft]) -> list[Draft]:
    """A cue the tagger gave no source shares a subject ("Union leaders slammed the contract, calling it a
    betrayal"; "criticized the plan and called on the council to ..."): the parse's subject of the verb it
    hangs on, else the source of the report before it in the sentence."""
    out: list[Draft] = []
    for d in sorted(drafts, key=lambda d: d.cue.span.begin if d.cue else d.content.begin):
        cue = d.cue
        if cue is not None and cue.source is None:
            sent = cue.sentence
            head = subject(sent, cue.head) if sent.parsed else None
            if head is not None and head != cue.head:
                source, span = source_mention(sent, cue.head, head)
                cue = dataclasses.replace(cue, source=source, source_span=span)
            else:
                earlier = [o.cue for o in out if o.cue is not None and o.cue.sentence is sent
                           and o.cue.source_span is not None and o.cue.span.end <= cue.span.begin]
                if earlier:
                    cue = dataclasses.replace(cue, source=earlier[-1].source, source_span=earlier[-1].source_span)
            d = dataclasses.replace(d, cue=cue)
        out.append(d)
    return out


def rule_quotes(drafts: Sequence[Draft]) -> list[RuleQuote]:
    """The rules' quotes as the tagger sees them (features.RULE_TAGS)."""
    out = []
    for d in drafts:
        cue = d.cue.span if d.cue is not None else d.label_mark
        source = d.cue.source_span if d.cue is not None else d.label
        out.append(RuleQuote(d.type, d.content, cue, source))
    return out


def _confidence(sure: torch.Tensor, a: LinkedAttribution) -> float:
    """How sure the tagger is of an attribution: the mean, over its cue, content and source, of the mean
    probability of the tags it chose for their words."""
    parts = [s for s in (a.cue, a.content, a.source) if s is not None]
    return float(sum(sure[s.first:s.last + 1].mean() for s in parts) / len(parts))


def _without_edge_punctuation(sent: TaggedSentence, words: list[int]) -> list[int]:
    """'said:' is the cue 'said'; '"Scott Pruitt,' the source 'Scott Pruitt' (PolNeAR keeps such marks)."""
    while words and not any(c.isalnum() for c in sent.words[words[0]].text):
        words = words[1:]
    while words and not any(c.isalnum() for c in sent.words[words[-1]].text):
        words = words[:-1]
    return words


def _first_word(chunk: Chunk, sent: TaggedSentence) -> int:
    return chunk.sentence_of_word.index(sent.index)


def _chars(chunk: Chunk, s: WordSpan) -> Span:
    return Span(chunk.words[s.first].span.begin, chunk.words[s.last].span.end)


def _cue_head(sent: TaggedSentence, words: Sequence[int]) -> int:
    """The cue's main word: its verb (or "according"), else its first word."""
    for i in words:
        if sent.words[i].text.lower() == "according":
            return i
    lex = cue_lexicon()
    for i in words:
        if sent.words[i].text.lower() in lex["forms"] or sent.words[i].upos in ("VERB",):
            return i
    return words[0]


def _source_head(sent: TaggedSentence, words: list[int]) -> int:
    """The source's head word: in a parse, the word whose head lies outside the source; else the last word of
    a name in it, or the last word before an apposition ("Scott Pruitt, the attorney general")."""
    words = [i for i in words if 0 <= i < len(sent.words)]
    if sent.parsed:
        inside = set(words)
        heads = [i for i in words if sent.words[i].head not in inside]
        nominal = [i for i in heads + words if sent.words[i].upos in ("NOUN", "PROPN", "PRON", "NUM")]
        if nominal:  # the parse's head of the phrase, else its first noun ("Sources close to the talks")
            return nominal[0]
    before_apposition = []
    for i in words:
        if sent.words[i].text in (",", "(", "\u2014", "\u2013"):
            break
        before_apposition.append(i)
    names = [i for i in before_apposition if sent.words[i].ner[2:] in _NAME_NER]
    return (names or before_apposition or words)[-1]


def _quote_type(content: Span, quote_spans: Sequence[QuoteSpan]) -> tuple[QuoteType, QuoteSpan | None]:
    """DIRECT (with its marks) when the content lies within one quotation, MIXED when it holds part of one."""
    for q in quote_spans:
        marked = Span(q.open_mark.begin, q.close_mark.end if q.close_mark else q.content.end)
        if marked.contains(content):
            return QuoteType.DIRECT, q
    if any(content.overlaps(q.content) for q in quote_spans):
        return QuoteType.MIXED, None
    return QuoteType.INDIRECT, None
