"""Issue 14: the character models run once per distinct word (then remember it) and give what stanza's forward
gives, in every batch, whether the cache holds the words or has to start over."""
from __future__ import annotations

import pytest


def _batch(model, sentences):
    """stanza's CharacterModel.forward arguments for these sentences (lists of words)."""
    import torch

    words = [w for s in sentences for w in s]
    vocab = model.vocab["char"]
    order = sorted(range(len(words)), key=lambda i: -len(words[i]))  # stanza feeds words longest first
    ids = [vocab.map(list(words[i])) for i in order]
    width = max(len(c) for c in ids)
    chars = torch.tensor([c + [0] * (width - len(c)) for c in ids])
    return chars, chars.eq(0), order, [len(s) for s in sentences], [len(c) for c in ids]


def _rows(out):
    import torch

    return out if isinstance(out, torch.Tensor) else out.data


@pytest.mark.slow
@pytest.mark.parametrize("processor", ["pos", "depparse", "ner"])
def test_remembered_words_give_stanzas_character_representations(engine, processor):
    import torch

    from quotes_service.engine.char_dedup import CharacterCache

    model = engine.nlp.pipeline.processors[processor].trainer.model
    installed = model.charmodel.forward.__self__
    assert isinstance(installed, CharacterCache), "the engine installs char_dedup on this model"
    cache = CharacterCache(model.charmodel, capacity=12)  # a fresh one, small enough to start over below
    batches = [
        [["The", "minister", "said", "the", "talks", "said", "the", "end"], ["the", "said", "Putin's"]],
        [["Putin's", "aide", "said", "nothing", "."], ["The", "end", "?"]],  # mostly remembered words
        [["Twelve", "distinct", "words", "now", "overflow", "a", "table", "of", "twelve", "rows", "so", "it"],
         ["starts", "over", "said"]],  # more distinct words than the table: stanza's own forward
        [["said", "the", "minister", "again"]],
    ]
    with torch.no_grad():
        for sentences in batches:
            args = _batch(model, sentences)
            fast, reference = _rows(cache.forward(*args)), _rows(cache.original(*args))
            assert fast.shape == reference.shape
            torch.testing.assert_close(fast, reference, rtol=1e-4, atol=1e-5)
    assert 0 < len(cache.slots) <= 12
