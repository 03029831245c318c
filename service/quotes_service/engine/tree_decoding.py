"""Turning the parser's arc scores into a tree, faster than stanza's decoder and with the same result.

stanza decodes with a pure-Python Chu-Liu-Edmonds (CLE) that was a sixth of the engine's time. Two
shortcuts, neither changing the result:
- when every word's best-scoring head already forms a tree with one root, no tree scores higher, so that
  tree is the answer (two sentences in three on PolNeAR);
- otherwise the best tree for one candidate root word at a time, by CLE with every cycle contracted by
  numpy, the candidates taken by an upper bound of their score until none can do better: the tree
  stanza's root-arc reweighting and CLE find (a test compares them), in a few rounds instead of one per
  word.
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
    if np.count_nonzero(heads[1:] == 0) != 1 or _cycles(heads):
        return None
    return heads


def single_root_tree(scores: np.ndarray) -> np.ndarray:
    """The best tree with exactly one root arc, as stanza's chuliu_edmonds_one_root finds it."""
    tree = best_heads_tree(scores)
    if tree is not None:
        return tree
    return _best_with_one_root_word(scores.astype(np.float64))


def single_root_trees(scores: np.ndarray, lengths: list[int]) -> list[np.ndarray]:
    """`single_root_tree` of each sentence of a batch: scores (sentences, ROOT + words, ROOT + words), padded,
    sentence i's own the first lengths[i] rows and columns. The best-heads check runs for the whole batch
    at once (whether every word reaches the root: pointer doubling), the search only where it fails."""
    steps = scores.shape[1]
    valid = np.arange(steps)[None, :] < np.asarray(lengths)[:, None]  # (sentences, nodes)
    heads = np.where(valid[:, None, :], scores, -np.inf).argmax(axis=2)
    heads[~valid] = 0
    heads[:, 0] = 0
    roots = np.count_nonzero((heads[:, 1:] == 0) & valid[:, 1:], axis=1)
    ancestors = heads
    for _ in range(max(1, (steps - 1).bit_length())):  # the 2^k-th ancestor of each node, 2^k >= steps
        ancestors = np.take_along_axis(ancestors, ancestors, axis=1)
    trees = (roots == 1) & (ancestors == 0).all(axis=1)
    return [heads[i, :n].copy() if trees[i] else _best_with_one_root_word(scores[i, :n, :n].astype(np.float64))
            for i, n in enumerate(lengths)]


def _best_with_one_root_word(scores: np.ndarray) -> np.ndarray:
    """The best single-root tree, one candidate root word at a time, the likeliest first.

    stanza makes every root arc cost the same large amount and runs CLE once; no word can then take the
    root until all of them are contracted into one node, one cycle a round (a sentence of n words, about
    n rounds). Here, for a candidate root word r, the tree is CLE's with r's head fixed to the root and no
    other root arc: a few rounds. No tree with root word r scores more than r's root arc plus every other
    word's best head other than the root, so the candidates are taken by that bound, and the search stops
    when the best tree found reaches the next bound: the same tree, far sooner.
    """
    n = len(scores)
    words = np.arange(1, n)
    best_other = scores[1:, 1:].max(axis=1)  # each word's best head among the words
    bounds = scores[1:, 0] + (best_other.sum() - best_other)
    best_tree, best_score = None, -np.inf
    for r in (np.argsort(-bounds, kind="stable") + 1).tolist():
        if best_tree is not None and bounds[r - 1] <= best_score:
            break
        candidate = scores.copy()
        candidate[:, 0] = -np.inf
        candidate[r] = -np.inf
        candidate[r, 0] = scores[r, 0]
        tree = maximum_spanning_tree(candidate)
        score = scores[words, tree[1:]].sum()
        if score > best_score:
            best_tree, best_score = tree, score
    assert best_tree is not None
    return best_tree


def maximum_spanning_tree(scores: np.ndarray) -> np.ndarray:
    """Chu-Liu-Edmonds over a dense score matrix, every cycle of a round contracted at once with numpy.

    Every cycle among a round's best heads is contracted in that round (Edmonds' algorithm allows one or
    all; the maximum tree is the same). Iterative (a contraction stack, not recursion) so that long
    sentences cannot hit the recursion limit. The root (node 0) takes no head.
    """
    scores = scores.astype(np.float64)  # a copy: the matrix is rewritten below
    contractions = []
    while True:
        np.fill_diagonal(scores, -np.inf)
        scores[0] = -np.inf
        scores[0, 0] = 0.0
        heads = scores.argmax(axis=1)
        cycles = _cycles(heads)
        if not cycles:
            break
        n = len(scores)
        in_cycle = np.zeros(n, dtype=bool)
        for cycle in cycles:
            in_cycle[cycle] = True
        rest = np.flatnonzero(~in_cycle)  # starts with the root, which is never in a cycle
        m, size = len(rest), len(rest) + len(cycles)  # the contracted nodes: `rest`, then one per cycle
        # a cycle word taking another head is scored by what it gains over its cycle arc
        gain = scores.copy()
        gain[in_cycle] -= scores[in_cycle, heads[in_cycle]][:, None]
        # columns: each word's best head in each contracted node (`head_in`), then rows: each contracted
        # node's best word to take that head (`word_in`)
        by_head = np.empty((n, size))
        head_in = np.empty((n, size), dtype=np.int64)
        by_head[:, :m], head_in[:, :m] = gain[:, rest], rest
        for c, cycle in enumerate(cycles):
            best = gain[:, cycle].argmax(axis=1)
            by_head[:, m + c], head_in[:, m + c] = gain[np.arange(n), cycle[best]], cycle[best]
        contracted = np.empty((size, size))
        word_in = np.empty((size, size), dtype=np.int64)
        contracted[:m], word_in[:m] = by_head[rest], rest[:, None]
        for c, cycle in enumerate(cycles):
            best = by_head[cycle].argmax(axis=0)
            contracted[m + c], word_in[m + c] = by_head[cycle[best], np.arange(size)], cycle[best]
        contractions.append((heads, head_in, word_in))
        scores = contracted
    tree = heads
    while contractions:
        heads, head_in, word_in = contractions.pop()
        expanded = heads.copy()  # cycle words keep their cycle arcs but the one that enters each cycle
        words = word_in[np.arange(1, len(tree)), tree[1:]]  # the word of each contracted node taking its head
        expanded[words] = head_in[words, tree[1:]]
        tree = expanded
    return tree


def _cycles(heads: np.ndarray) -> list[np.ndarray]:
    """The nodes of every cycle among the head arcs (heads[0] is the root's own), each in walk order."""
    tree = heads.tolist()
    state = [0] * len(tree)  # 0 unseen, 1 on the current walk, 2 done
    state[0] = 2
    cycles = []
    for start in range(1, len(tree)):
        walk, node = [], start
        while state[node] == 0:
            state[node] = 1
            walk.append(node)
            node = tree[node]
        if state[node] == 1:  # the walk met itself: node is on a cycle
            cycles.append(np.array(walk[walk.index(node):]))
        for n in walk:
            state[n] = 2
    return cycles


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
