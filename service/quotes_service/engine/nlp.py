"""The one place the stages call for stanza: tokenize every paragraph, then tag, parse and NER only what is asked.

The models are loaded once; the expensive ones (pos, lemma, depparse, ner) run on the sentences attribution
needs, batched across the document. Faster paths to stanza's own answers live beside this module, each
installed here and checked against stanza's processors by its tests:
- fast_tokenize.py: the tokenizer and MWT without per-character Python or Documents;
- fast_tagging.py: tagger, lemmatizer, parser and NER straight through their models;
- tree_decoding.py and arc_labels.py: the parser's trees, and its labels on the tree's arcs only;
- char_dedup.py: each character model sees a word once per worker (its rows remembered, fp32);
- quantization.py: int8 word-level LSTMs (the `int8` precision);
- tokenizer_regex.py: stanza's URL and e-mail check, linear on long runs without white space.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from ..models import ModelSelection
from . import arc_labels, char_dedup, quantization, tokenizer_regex, tree_decoding
from .fast_tagging import FastTagging, ParsedWord
from .fast_tokenize import FastTokenizer
from .types import Span

# stanza settings the engine changes (a model selection's pipeline_kwargs still win), on one core:
# - NER tags a whole document in one call: the default of 32 sentences per batch cost ~10 % of the
#   engine's time in per-batch overhead;
# - the parser's biaffine scorers cost words x the batch's longest sentence. stanza sorts sentences by
#   length, so batches of 300 words (not 5,000) keep like lengths together: ~20 % less parse time.
BATCH_SETTINGS = {"ner_batch_size": 256, "depparse_batch_size": 300}


@dataclass
class Word:
    """A syntactic word. Words of a multi-word token ("Assad's" -> "Assad" + "'s") share its characters."""

    text: str
    span: Span
    lemma: str = ""
    upos: str = ""
    xpos: str = ""
    head: int = -1  # index of the head word in the sentence, -1 for the root
    deprel: str = ""
    ner: str = "O"  # BIOES tag


@dataclass
class TaggedSentence:
    index: int
    paragraph_index: int
    span: Span
    tokens: list[Span]
    words: list[Word]
    parsed: bool = False
    children: list[list[int]] = field(default_factory=list)

    def build_children(self) -> None:
        self.children = [[] for _ in self.words]
        for i, w in enumerate(self.words):
            if w.head >= 0:
                self.children[w.head].append(i)


class StanzaNLP:
    """Loads the selected stanza pipeline once and exposes the three steps the engine uses."""

    def __init__(self, selection: ModelSelection, threads: int | None = None):
        import stanza
        import torch

        if threads:
            torch.set_num_threads(threads)
        self.selection = selection
        kwargs = {**BATCH_SETTINGS, **selection.pipeline_kwargs}
        self.pipeline = stanza.Pipeline(**kwargs, use_gpu=False, logging_level="WARN")
        if selection.precision == "int8":
            quantization.quantize_pipeline(self.pipeline)
        for name in ("pos", "depparse", "ner"):  # each distinct word through the character model once
            char_dedup.install(self.pipeline.processors[name].trainer.model)
        parser = self.pipeline.processors["depparse"].trainer.model
        tree_decoding.install(parser)  # same trees, faster
        arc_labels.install(parser)  # same labels, scored on the tree's arcs only
        tokenizer_regex.install()  # linear on long runs without white space
        # the same tokens and sentences as stanza's own path, faster; None where a model needs stanza's
        self.fast_tokenizer = FastTokenizer(self.pipeline) if FastTokenizer.supports(self.pipeline) else None
        # the same tags, lemmas, trees and entities as stanza's processors, without their Documents
        self.fast_tagging = FastTagging(self.pipeline) if FastTagging.supports(self.pipeline) else None
        self._lock = threading.Lock()  # stanza processors are not safe to share between threads
        logging.getLogger("stanza").setLevel(logging.WARNING)

    def tokenize(self, paragraphs: list[tuple[int, str]]) -> list[list[tuple[list[Span], list[Word]]]]:
        """Per paragraph (offset, text): its sentences as (token spans, words), offsets in the document.
        Paragraphs are trimmed, non-empty and hold no line break (segmentation.paragraphs)."""
        if self.fast_tokenizer is None:
            return self.tokenize_with_stanza(paragraphs)
        with self._lock:
            tokenized = self.fast_tokenizer.tokenize([text for _, text in paragraphs])
        out = []
        for (offset, _), para in zip(paragraphs, tokenized):
            sentences = []
            for raw_tokens in para:
                tokens, words = [], []
                for tok in raw_tokens:
                    span = Span(offset + tok.begin, offset + tok.end)
                    tokens.append(span)
                    words.extend(_split_token(tok.text, span, tok.words))
                sentences.append((tokens, words))
            out.append(sentences)
        return out

    def tokenize_with_stanza(self, paragraphs: list[tuple[int, str]]) -> list[list[tuple[list[Span], list[Word]]]]:
        """`tokenize` through stanza's own processors (the reference the fast path is checked against)."""
        from stanza import Document

        docs = [Document([], text=text) for _, text in paragraphs]
        with self._lock:
            docs = self.pipeline.processors["tokenize"].bulk_process(docs)
            if "mwt" in self.pipeline.processors:
                docs = self.pipeline.processors["mwt"].bulk_process(docs)
        out = []
        for (offset, _), doc in zip(paragraphs, docs):
            sentences = []
            for sent in doc.sentences:
                tokens, words = [], []
                for tok in sent.tokens:
                    span = Span(offset + tok.start_char, offset + tok.end_char)
                    tokens.append(span)
                    words.extend(_split_token(tok.text, span, [w.text for w in tok.words]))
                sentences.append((tokens, words))
            out.append(sentences)
        return out

    def parse(self, sentences: list[TaggedSentence]) -> None:
        """POS, lemma and dependency parse of the given sentences, in one batch."""
        if not sentences:
            return
        with self._lock:
            if self.fast_tagging is not None:
                parsed = self.fast_tagging.parse([[w.text for w in s.words] for s in sentences])
            else:
                parsed = self.parse_with_stanza(sentences)
        for sent, words in zip(sentences, parsed):
            for word, p in zip(sent.words, words):
                word.lemma, word.upos, word.xpos = p.lemma or word.text, p.upos or "", p.xpos or ""
                word.head, word.deprel = p.head - 1, p.deprel or ""
            sent.parsed = True
            sent.build_children()

    def parse_with_stanza(self, sentences: list[TaggedSentence]) -> list[list[ParsedWord]]:
        """`parse` through stanza's processors and Documents (the reference the fast path is checked against)."""
        doc = self._pretokenized(sentences)
        for name in ("pos", "lemma", "depparse"):
            doc = self.pipeline.processors[name].process(doc)
        return [[ParsedWord(w.upos, w.xpos, w.lemma, w.head or 0, w.deprel) for w in sent.words]
                for sent in doc.sentences]

    def ner(self, sentences: list[TaggedSentence]) -> None:
        """Named-entity tags (BIOES over words) for the given sentences, in one batch."""
        if not sentences:
            return
        with self._lock:
            if self.fast_tagging is not None:
                tagged = self.fast_tagging.ner_tags([[w.text for w in s.words] for s in sentences])
            else:
                tagged = self.ner_with_stanza(sentences)
        for sent, tags in zip(sentences, tagged):
            for word, tag in zip(sent.words, tags):
                word.ner = tag or "O"

    def ner_with_stanza(self, sentences: list[TaggedSentence]) -> list[list[str]]:
        """`ner` through stanza's processor (the reference)."""
        doc = self.pipeline.processors["ner"].process(self._pretokenized(sentences))
        return [[tok.ner or "O" for tok in sent.tokens] for sent in doc.sentences]

    @staticmethod
    def _pretokenized(sentences: list[TaggedSentence]) -> Any:  # a stanza Document
        from stanza import Document

        return Document([[{"id": i + 1, "text": w.text} for i, w in enumerate(s.words)] for s in sentences])


def _split_token(text: str, span: Span, word_texts: list[str]) -> list[Word]:
    """Give each word of a token its own characters where they can be found, else the whole token."""
    if len(word_texts) <= 1:
        return [Word(text=text, span=span)]
    words, pos = [], 0
    for wt in word_texts:
        found = text.find(wt, pos)
        if found < 0:
            return [Word(text=wt, span=span) for wt in word_texts]
        words.append(Word(text=wt, span=Span(span.begin + found, span.begin + found + len(wt))))
        pos = found + len(wt)
    return words
