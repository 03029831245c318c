"""Issue 14: the engine's fast tokenizer path gives stanza's own sentences, tokens, spans and MWT words."""
from __future__ import annotations

import pytest

from quotes_service.engine.segmentation import paragraphs

LONG_WORD = "x" * 230  # over stanza's 200-character token limit: its text becomes <UNK>
TRICKY = [
    "\u201cWe don't know,\u201d Assad's spokesman said. \"It's not over,\" he added.",
    "Mr. Smith met Dr. Jones at 5 p.m. in Washington, D.C., on Jan. 5th. They didn't agree.",
    "Line one ends here.\r\nLine two, with CRLF.\r\n\r\n  Indented   line with   runs of\tspaces.",
    "Emoji \U0001f600 and \U0001d11e and caf\u00e9, na\u00efve\u00a0text\u2009here. Next sentence!",
    "Contact press@example.org or see https://example.com/a?b=c. Can't stop, won't stop.",
    "C1 control\u0097character and \u0090 here. She'll say: 'y'all aren't ready'.",
    "The U.S.-led coalition's strikes -- said the Pentagon's spokesman -- weren't over yet ... or were they?",
    "A " + LONG_WORD + " token. " + " ".join(["Words go on and on, and the paragraph grows."] * 30),
    "\u00abGuillemets\u00bb, \u201elow quotes\u201c and \u2018single\u2019 ones. Tom's, James' and the Joneses'.",
    "WE DON'T KNOW. I'M HERE. Gov't officials' statements.",
    "Zbigniew's and Brzezinski\u2019s aides watched the Kardashians' show on OZ\u2019S channel, Anne-Marie's too.",
]


@pytest.mark.slow
def test_fast_tokenizer_matches_stanza_on_tricky_text(engine):
    nlp = engine.nlp
    assert nlp.fast_tokenizer is not None, "the bundled tokenizer is one the fast path supports"
    for text in TRICKY:
        paras = [(p.begin, p.text(text)) for p in paragraphs(text)]
        fast, reference = nlp.tokenize(paras), nlp.tokenize_with_stanza(paras)
        assert fast == reference, text
    # the checks above saw multi-word tokens and long paragraphs, not only easy text
    words = [w.text for para in nlp.tokenize([(0, TRICKY[0])]) for _, ws in para for w in ws]
    assert "do" in words and "n't" in words and "Assad" in words and "'s" in words
    assert len(TRICKY[7]) > 1000


@pytest.mark.slow
def test_fast_tokenizer_on_many_paragraphs_in_one_call(engine):
    text = "\n".join(TRICKY * 4)  # more paragraphs than one batch of the tokenizer network
    paras = [(p.begin, p.text(text)) for p in paragraphs(text)]
    assert len(paras) > 32
    assert engine.nlp.tokenize(paras) == engine.nlp.tokenize_with_stanza(paras)


def test_possessives_split_before_their_apostrophe_without_the_network():
    from quotes_service.engine.fast_tokenize import _possessive

    assert _possessive("Brzezinski's") == "Brzezinski 's"
    assert _possessive("Clinton\u2019s") == "Clinton \u2019s"
    assert _possessive("Kardashians'") == "Kardashians '"
    assert _possessive("OZ\u2019S") == "OZ \u2019S"
    # anything else is the dictionary's or the network's: contractions, digits, hyphens, a bare "s'"
    assert [_possessive(t) for t in ("she'll", "1990's", "Anne-Marie's", "s'", "Trump")] == [None] * 5


def test_length_groups_batch_paragraphs_of_like_length():
    from quotes_service.engine.fast_tokenize import length_groups

    lengths = [900, 40, 35, 880, 60, 45, 50, 870, 30, 55]
    groups = length_groups(lengths, max_rows=32)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert [sorted(lengths[i] for i in g) for g in groups] == [[870, 880, 900], [30, 35, 40, 45, 50, 55, 60]]
    assert all(len(g) <= 4 for g in length_groups([100] * 10, max_rows=4))
    assert length_groups([], max_rows=32) == []
