"""Issue 14: the character models run once per distinct word of a batch and give what stanza's forward gives."""
from __future__ import annotations

import pytest


@pytest.mark.slow
@pytest.mark.parametrize("processor", ["pos", "depparse", "ner"])
def test_distinct_words_give_stanzas_character_representations(engine, processor):
    import torch

    model = engine.nlp.pipeline.processors[processor].trainer.model
    charmodel = model.charmodel
    assert hasattr(charmodel.forward, "original"), "the engine installs char_dedup on this model"
    sentences = [["The", "minister", "said", "the", "talks", "said", "the", "end"], ["the", "said", "Putin's"]]
    words = [w for s in sentences for w in s]
    vocab = model.vocab["char"]
    order = sorted(range(len(words)), key=lambda i: -len(words[i]))  # stanza feeds words longest first
    ids = [vocab.map(list(words[i])) for i in order]
    width = max(len(c) for c in ids)
    chars = torch.tensor([c + [0] * (width - len(c)) for c in ids])
    args = (chars, chars.eq(0), order, [len(s) for s in sentences], [len(c) for c in ids])
    with torch.no_grad():
        fast, reference = charmodel(*args), charmodel.forward.original(*args)
    fast = fast if isinstance(fast, torch.Tensor) else fast.data
    reference = reference if isinstance(reference, torch.Tensor) else reference.data
    assert len(torch.unique(chars, dim=0)) < len(words)  # the batch repeats words
    assert fast.shape == reference.shape
    torch.testing.assert_close(fast, reference, rtol=1e-4, atol=1e-5)
