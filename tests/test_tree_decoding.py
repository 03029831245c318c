"""The engine's tree decoder finds the tree stanza's own decoder finds, faster."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from stanza.models.common.chuliu_edmonds import chuliu_edmonds_one_root

from quotes_service.engine import segmentation, tree_decoding
from quotes_service.engine.tree_decoding import best_heads_tree, single_root_tree


def arc_scores(seed: int, n: int, sharpness: float) -> np.ndarray:
    """Scores shaped like the parser's: rows are dependents, log-softmax over heads, no self-loops."""
    logits = np.random.default_rng(seed).normal(size=(n, n)) * sharpness
    np.fill_diagonal(logits, -np.inf)
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def assert_single_root_tree(tree: np.ndarray) -> None:
    assert tree[0] == 0 and np.count_nonzero(tree[1:] == 0) == 1
    for start in range(1, len(tree)):  # every word reaches the root
        node, steps = start, 0
        while node != 0:
            node, steps = tree[node], steps + 1
            assert steps < len(tree)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 60), st.floats(0.1, 8.0))
def test_same_tree_as_stanza(seed, n, sharpness):
    scores = arc_scores(seed, n, sharpness)
    before = scores.copy()
    tree = single_root_tree(scores)
    assert np.array_equal(tree, chuliu_edmonds_one_root(scores))
    assert_single_root_tree(tree)
    assert np.array_equal(scores, before)  # the parser's scores are not rewritten


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 60), st.floats(0.5, 6.0))
def test_same_tree_as_stanza_when_many_words_want_the_root(seed, n, bias):
    # the parser's usual hard case: several words score the root highest, so a single root must be chosen
    logits = np.random.default_rng(seed).normal(size=(n, n))
    logits[:, 0] += bias
    np.fill_diagonal(logits, -np.inf)
    logits[1:3, 0] = logits[1:3, 1:].max() + bias  # at least two words
    scores = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    assert np.count_nonzero(scores[1:].argmax(axis=1) == 0) > 1
    tree = single_root_tree(scores)
    assert np.array_equal(tree, chuliu_edmonds_one_root(scores))
    assert_single_root_tree(tree)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(2, 30), st.floats(0.1, 8.0)), min_size=1,
                max_size=8))
def test_a_batch_decodes_as_its_sentences_one_by_one(sentences):
    # padded as the parser's batches are: each sentence's scores in the top-left corner, finite padding
    lengths = [n for _, n, _ in sentences]
    batch = np.random.default_rng(0).normal(size=(len(sentences), max(lengths), max(lengths)))
    for i, (seed, n, sharpness) in enumerate(sentences):
        batch[i, :n, :n] = arc_scores(seed, n, sharpness)
    trees = tree_decoding.single_root_trees(batch, lengths)
    assert [t.tolist() for t in trees] == [single_root_tree(batch[i, :n, :n]).tolist() for i, n in enumerate(lengths)]
    chain = np.full((1, 4, 4), -10.0)  # a tree of depth 3 (root -> 1 -> 2 -> 3): the shortcut
    chain[0, 1, 0] = chain[0, 2, 1] = chain[0, 3, 2] = -0.1
    assert tree_decoding.single_root_trees(chain, [4])[0].tolist() == [0, 0, 1, 2]


def test_the_shortcut_only_takes_a_single_root_tree():
    # Word 1 heads word 2 and the other way round: a cycle, so the full search runs.
    cycle = np.log(np.array([[0.0, 0.5, 0.5], [0.2, 0.0, 0.8], [0.2, 0.8, 0.0]]) + 1e-12)
    np.fill_diagonal(cycle, -np.inf)
    assert best_heads_tree(cycle) is None
    assert_single_root_tree(single_root_tree(cycle))
    # Both words prefer the root: two roots, so the search picks one.
    two_roots = np.log(np.array([[0.0, 0.5, 0.5], [0.9, 0.0, 0.1], [0.8, 0.2, 0.0]]) + 1e-12)
    np.fill_diagonal(two_roots, -np.inf)
    assert best_heads_tree(two_roots) is None
    assert np.array_equal(single_root_tree(two_roots), [0, 0, 1])


def test_engine_parses_as_stanza_decodes(engine):
    text = ("Russian President Vladimir Putin said on Thursday that Moscow had offered asylum to Assad, "
            "whom he had not yet met, and that the talks with partners would continue. "
            "\"We are ready,\" the minister told reporters, adding that nothing had been decided.")
    tagged = segmentation.segment(engine.nlp, text, segmentation.paragraphs(text))
    parser = engine.nlp.pipeline.processors["depparse"].trainer.model
    engine.nlp.parse(tagged)
    ours = [[(w.head, w.deprel) for w in s.words] for s in tagged]
    del parser.decode_graph_predictions  # back to stanza's own decoder for this instance
    try:
        engine.nlp.parse(tagged)
        theirs = [[(w.head, w.deprel) for w in s.words] for s in tagged]
    finally:
        tree_decoding.install(parser)
    assert len(ours) == 2 and ours == theirs
