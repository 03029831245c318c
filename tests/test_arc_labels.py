"""Issue 14: the parser's labels scored on the decoded tree's arcs only are the labels stanza reads off its
full words x words x labels scores."""
from __future__ import annotations

import pytest


def test_arc_label_scores_are_the_full_scorers_scores_on_the_given_arcs():
    import torch
    from stanza.models.common.biaffine import DeepBiaffineScorer

    from quotes_service.engine.arc_labels import arc_label_scores

    torch.manual_seed(14)
    scorer = DeepBiaffineScorer(16, 16, 8, 5, pairwise=True).eval()
    torch.nn.init.normal_(scorer.scorer.W_bilin.weight)
    torch.nn.init.normal_(scorer.scorer.W_bilin.bias)
    hidden = torch.randn(3, 7, 16)
    heads = torch.randint(0, 7, (3, 7))
    with torch.no_grad():
        full = scorer(hidden, hidden)  # (batch, dependent, head, label), as stanza's parser computes it
        # every (sentence, dependent) with its head: heads repeat, as in a tree
        arcs = torch.stack([torch.arange(3).repeat_interleave(7), torch.arange(7).repeat(3), heads.reshape(-1)], 1)
        on_arcs = arc_label_scores(scorer, hidden, arcs).view(3, 7, -1)
    expected = full.gather(2, heads[:, :, None, None].expand(-1, -1, 1, full.size(3))).squeeze(2)
    torch.testing.assert_close(on_arcs, expected, rtol=1e-5, atol=1e-5)
    assert torch.equal(on_arcs.argmax(2), expected.argmax(2))


@pytest.mark.slow
def test_parser_gives_stanzas_trees_and_labels(engine, seed_text):
    from stanza import Document

    from quotes_service.engine.segmentation import paragraphs

    nlp = engine.nlp
    parser = nlp.pipeline.processors["depparse"].trainer.model
    assert "predict" in vars(parser), "the engine installs arc_labels on its parser"
    paras = [(p.begin, p.text(seed_text)) for p in paragraphs(seed_text)]
    sentences = [[w.text for w in words] for para in nlp.tokenize(paras) for _, words in para]

    def parse() -> list[list[tuple[int, str]]]:
        doc = Document([[{"id": i + 1, "text": t} for i, t in enumerate(s)] for s in sentences])
        for name in ("pos", "lemma", "depparse"):
            doc = nlp.pipeline.processors[name].process(doc)
        return [[(w.head, w.deprel) for w in s.words] for s in doc.sentences]

    fast = parse()
    installed = parser.predict
    del parser.predict  # stanza's GraphParser.predict: every pair's labels, then the tree
    try:
        reference = parse()
    finally:
        parser.predict = installed
    assert fast == reference
    assert sum(len(s) for s in sentences) > 400 and len({label for s in fast for _, label in s}) > 15
