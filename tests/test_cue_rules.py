"""The cue rules and the parse selection on sentences built here, word by word (no model): each rule reads
the parse it is given. The parses are what the bundled parser gives for these sentences."""
from __future__ import annotations

from quotes_service.engine.cues import find_cues
from quotes_service.engine.nlp import TaggedSentence, Word
from quotes_service.engine.parse_selection import may_name, needs_parse, parse_triggers
from quotes_service.engine.types import Span


def parsed(rows: str) -> tuple[str, TaggedSentence]:
    """A sentence from lines "text UPOS XPOS lemma head deprel" (head 1-based, 0 = root); the text is the
    words joined by single spaces."""
    words, begin = [], 0
    for line in rows.strip().splitlines():
        text, upos, xpos, lemma, head, deprel = line.split()
        words.append(Word(text, Span(begin, begin + len(text)), lemma, upos, xpos, int(head) - 1, deprel))
        begin += len(text) + 1
    sentence = TaggedSentence(0, 0, Span(0, words[-1].span.end), [w.span for w in words], words, parsed=True)
    sentence.build_children()
    return " ".join(w.text for w in words), sentence


def tokenized(text: str) -> TaggedSentence:
    """A sentence as segmentation gives it: words and offsets, no tags."""
    words, begin = [], 0
    for token in text.split():
        words.append(Word(token, Span(begin, begin + len(token))))
        begin += len(token) + 1
    return TaggedSentence(0, 0, Span(0, len(text)), [w.span for w in words], words)


def cues_of(rows: str) -> list[tuple[str, str | None, str | None, bool]]:
    text, sentence = parsed(rows)
    return [(c.lemma, c.source_span.text(text) if c.source_span else None,
             c.content.text(text) if c.content else None, c.inverted) for c in find_cues(sentence)]


def test_reporting_verb_with_its_subject_and_complement():
    assert cues_of("""
        Putin     PROPN NNP Putin    2 nsubj
        said      VERB  VBD say      0 root
        that      SCONJ IN  that     7 mark
        the       DET   DT  the      5 det
        talks     NOUN  NNS talk     7 nsubj
        would     AUX   MD  would    7 aux
        continue  VERB  VB  continue 2 ccomp
        next      ADJ   JJ  next     9 amod
        week      NOUN  NN  week     7 obl:unmarked
        .         PUNCT .   .        2 punct
    """) == [("say", "Putin", "the talks would continue next week", False)]


def test_inverted_cue_after_a_quotation():
    assert cues_of("""
        “         PUNCT ``  "        4 punct
        We        PRON  PRP we       4 nsubj
        will      AUX   MD  will     4 aux
        win       VERB  VB  win      9 ccomp
        ,         PUNCT ,   ,        4 punct
        ”         PUNCT ''  "        4 punct
        the       DET   DT  the      8 det
        minister  NOUN  NN  minister 9 nsubj
        said      VERB  VBD say      0 root
        .         PUNCT .   .        9 punct
    """) == [("say", "the minister", "We will win", True)]


def test_according_to_names_the_source_of_its_clause():
    assert cues_of("""
        According VERB  VBG accord   3 case
        to        ADP   IN  to       3 case
        Reuters   PROPN NNP Reuters  8 obl
        ,         PUNCT ,   ,        3 punct
        the       DET   DT  the      6 det
        company   NOUN  NN  company  8 nsubj
        will      AUX   MD  will     8 aux
        cut       VERB  VB  cut      0 root
        2,000     NUM   CD  2000     10 nummod
        jobs      NOUN  NNS job      8 obj
        .         PUNCT .   .        8 punct
    """) == [("according to", "Reuters", "the company will cut 2,000 jobs", False)]


def test_a_verb_of_naming_reports_what_was_called_up_to_the_quotation_end():
    assert cues_of("""
        Trump     PROPN NNP Trump    2 nsubj
        called    VERB  VBD call     0 root
        him       PRON  PRP he       2 iobj
        a         DET   DT  a        7 det
        “         PUNCT ``  "        7 punct
        nasty     ADJ   JJ  nasty    7 amod
        guy       NOUN  NN  guy      2 obj
        ”         PUNCT ''  "        7 punct
        on        ADP   IN  on       10 case
        Monday    PROPN NNP Monday   7 nmod
        .         PUNCT .   .        2 punct
    """) == [("call", "Trump", "him a “ nasty guy ”", False)]


def test_a_passive_report_has_no_speaker_and_no_cue():
    assert cues_of("""
        It        PRON  PRP it       3 nsubj:pass
        was       AUX   VBD be       3 aux:pass
        reported  VERB  VBN report   0 root
        that      SCONJ IN  that     8 mark
        the       DET   DT  the      6 det
        plant     NOUN  NN  plant    8 nsubj
        would     AUX   MD  would    8 aux
        close     VERB  VB  close    3 ccomp
        .         PUNCT .   .        3 punct
    """) == []


def test_an_infinitive_is_the_content_of_a_promise():
    # "ask" frames no content of its own here, but keeps its (controlled) subject for a quotation nearby
    assert cues_of("""
        The       DET   DT  the      2 det
        senator   NOUN  NN  senator  3 nsubj
        promised  VERB  VBD promise  0 root
        to        PART  TO  to       5 mark
        ask       VERB  VB  ask      3 xcomp
        the       DET   DT  the      7 det
        committee NOUN  NN  committee 5 obj
        for       ADP   IN  for      10 case
        a         DET   DT  a        10 det
        vote      NOUN  NN  vote     5 obl
        .         PUNCT .   .        3 punct
    """) == [("promise", "The senator", "to ask the committee for a vote", False),
             ("ask", "The senator", None, False)]


def test_an_unparsed_sentence_has_no_cues():
    assert find_cues(tokenized("Putin said the talks would continue .")) == []


def test_which_sentences_are_parsed():
    assert needs_parse(tokenized("But the mayor said the count was fair ."), [])
    assert not needs_parse(tokenized("The vote was close ."), [])
    assert parse_triggers(tokenized("According to Reuters , it is over ."), []) == {"according"}
    # a reporting word inside a quotation is someone's speech, not a cue of the document
    text = "“ We said no , ” the end ."
    assert not needs_parse(tokenized(text), [Span(2, text.index("”") - 2)])
    # a verb of naming counts only with a quotation opening right after it
    naming = "Trump called him a “ nasty guy ” again ."
    quote = Span(naming.index("nasty"), naming.index(" ”"))
    assert needs_parse(tokenized(naming), [quote])
    assert not needs_parse(tokenized(naming), [])


def test_which_sentences_may_name_someone():
    for text, expected in [("He left early .", False), ("The vote was close .", False),
                           ("Putin met Assad in Moscow .", True), ("But Putin stayed .", True)]:
        assert may_name(text, tokenized(text)) is expected, text
