"""Turning the parser's arc scores into a tree, faster than stanza's decoder and with the same result.

stanza decodes with a pure-Python Chu-Liu-Edmonds (CLE) that was a sixth of the engine's time. Two
shortcuts, neither changing the result:
- when every word's best-scoring head already forms a tree with one root, no tree scores higher, so that
  tree is the answer (two sentences in three on PolNeAR);
- otherwise the same search (stanza's root-arc reweighting, then CLE) with each cycle contracted by
  numpy in O(n^2) instead of Python loops.
`install` puts this decoder on one parser instance: the engine's.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def best_heads_tree(scores: np.ndarray) -> np.ndarray | None:
    """The argmax head of every word (rows 1..n; column 0 is the root) if they form a single-root tree.

    `scores[d, h]` scores head h for dependent d, as in stanza; the diagonal must be -inf (the parser
    masks it). Returns the tree as stanza does (tree[0] == 0), or None where a search is needed.
    """
    heads = np.concatenate([[0], scores[1:].argmax(axis=1)])
    if np.count_nonzero(heads[1:] == 0) != 1 or _cycle(heads) is not None:
        return None
    return heads


def single_root_tree(scores: np.ndarray) -> np.ndarray:
    """The best tree with exactly one root arc, as stanza's chuliu_edmonds_one_root finds it."""
    tree = best_heads_tree(scores)
    if tree is not None:
        return tree
    # stanza's reweighting: every root arc costs the same large amount, so the maximum spanning tree
    # has one root arc and, among single-root trees, the order of scores is unchanged.
    scores = scores.astype(np.float64)
    scores[:, 0] += scores[np.isfinite(scores)].min() * len(scores)
    return maximum_spanning_tree(scores)


def maximum_spanning_tree(scores: np.ndarray) -> np.ndarray:
    """Chu-Liu-Edmonds over a dense score matrix, each cycle contracted with numpy in O(n^2).

    Iterative (a contraction stack, not recursion) so that long sentences cannot hit the recursion
    limit. The root (node 0) takes no head.
    """
    scores = scores.astype(np.float64)  # a copy: the matrix is rewritten below
    contractions = []
    while True:
        np.fill_diagonal(scores, -np.inf)
        scores[0] = -np.inf
        scores[0, 0] = 0.0
        heads = scores.argmax(axis=1)
        cycle = _cycle(heads)
        if cycle is None:
            break
        in_cycle = np.zeros(len(scores), dtype=bool)
        in_cycle[cycle] = True
        rest = np.flatnonzero(~in_cycle)  # starts with the root, which is never in a cycle
        m = len(rest)
        into = scores[rest[:, None], cycle]  # a word outside hanging from a cycle word
        # a cycle word taking a head outside, scored by what it gains over its cycle arc
        out_of = scores[cycle[:, None], rest] - scores[cycle, heads[cycle]][:, None]
        contracted = np.empty((m + 1, m + 1))
        contracted[:m, :m] = scores[rest[:, None], rest]
        contracted[:m, m] = into.max(axis=1)
        contracted[m, :m] = out_of.max(axis=0)
        contractions.append((heads, rest, cycle[into.argmax(axis=1)], cycle[out_of.argmax(axis=0)]))
        scores = contracted
    tree = heads
    while contractions:
        heads, rest, cycle_head_of, entering = contractions.pop()
        m = len(rest)
        expanded = heads.copy()  # cycle words keep their cycle arcs but one
        for i in range(1, m):
            h = tree[i]
            expanded[rest[i]] = cycle_head_of[i] if h == m else rest[h]
        expanded[entering[tree[m]]] = rest[tree[m]]
        tree = expanded
    return tree


def _cycle(heads: np.ndarray) -> np.ndarray | None:
    """The nodes of one cycle among the head arcs (heads[0] is the root's own), or None."""
    tree = heads.tolist()
    state = [0] * len(tree)  # 0 unseen, 1 on the current walk, 2 reaches the root
    state[0] = 2
    for start in range(1, len(tree)):
        walk, node = [], start
        while state[node] == 0:
            state[node] = 1
            walk.append(node)
            node = tree[node]
        if state[node] == 1:  # the walk met itself: node is on a cycle
            return np.array(walk[walk.index(node):])
        for n in walk:
            state[n] = 2
    return None


def install(parser: Any) -> None:
    """Make this parser model (stanza's GraphParser) decode with `single_root_tree`.

    The loop is stanza's decode_graph_predictions (stanza 1.15) with the tree search swapped; the
    head-constraint repair, which is rare, keeps stanza's own CLE.
    """
    from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
    from stanza.models.depparse.head_constraints import resolve_head_constraint_violations

    def decode(vocab: Any, batch_size: int, preds: Any, sentlens: list[int],
               resolve_head_constraints: bool = False) -> list[list[list[Any]]]:
        heads, deprels = [], []
        for i, length in enumerate(sentlens):
            scores = preds[0][i][:length, :length]
            tree = single_root_tree(scores)
            if resolve_head_constraints:
                tree, label_ids = resolve_head_constraint_violations(
                    scores, preds[2][i][:length, :length, :], tree, vocab)
                labels = vocab.unmap([r + VOCAB_PREFIX_SIZE for r in label_ids])
            else:
                labels = vocab.unmap([preds[1][i][j + 1][h] for j, h in enumerate(tree[1:])])
            heads.append(tree[1:])
            deprels.append(labels)
        return [[[heads[i][j], deprels[i][j]] for j in range(sentlens[i] - 1)] for i in range(batch_size)]

    parser.decode_graph_predictions = decode
