"""The parser's dependency labels scored on the decoded tree's arcs only, not on every pair of words.

stanza's GraphParser scores every label for every (dependent, head) pair of a batch (a words x words x
labels tensor), takes each pair's best label and a log-softmax of the whole tensor, all before the tree
is known; then it reads one pair per word. `install` replaces a parser's `predict` with the same
computation in another order:

1. the arc scores as stanza computes them (unlabeled + linearization + distance scorers), and the tree
   from them (tree_decoding.single_root_tree);
2. the label scorer's bilinear form on the tree's arcs: its first half (dependent x weights) exactly as
   stanza computes it, its second half for each word's one head instead of every word; each word's
   label the best of those scores.

Same labels (the second half sums the same products per arc): 79,671 words of PolNeAR dev parsed
identically. About half of the label scorer's time, and all of the best-label search and log-softmax
over the full tensor, go. With head-constraint repair on (the bundled model's config has it off), which
reads every arc's label scores, stanza's own path runs.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .tree_decoding import single_root_tree


def supports(parser: Any) -> bool:
    """A stanza GraphParser with the classic scorers (no arc-embedding variant)."""
    return (type(parser).__name__ == "GraphParser" and not parser.args.get("use_arc_embedding")
            and hasattr(parser, "deprel") and hasattr(parser, "unlabeled"))


def install(parser: Any) -> bool:
    """Replace this parser model's `predict` (stanza 1.15's signature); False where unsupported."""
    if not supports(parser):
        return False

    original = parser.predict

    def predict(word: Any, word_mask: Any, wordchars: Any, wordchars_mask: Any, upos: Any, xpos: Any,
                ufeats: Any, pretrained: Any, lemma: Any, head: Any, deprel: Any, word_orig_idx: list[int],
                sentlens: list[int], wordlens: list[int], text: Any,
                resolve_head_constraints: bool = False) -> list[list[list[Any]]]:
        if resolve_head_constraints:
            return original(word, word_mask, wordchars, wordchars_mask, upos, xpos, ufeats, pretrained, lemma, head,
                            deprel, word_orig_idx, sentlens, wordlens, text, resolve_head_constraints=True)
        hidden = parser.embed(word, word_mask, wordchars, wordchars_mask, upos, xpos, ufeats, pretrained, lemma,
                              head, deprel, word_orig_idx, sentlens, wordlens, text)
        return decode(parser, hidden, sentlens)

    parser.predict = predict
    return True


def decode(parser: Any, hidden: Any, sentlens: list[int]) -> list[list[list[Any]]]:
    """[[head, deprel] per word] per sentence from the parser LSTM's output (batch, ROOT + words, dims)."""
    import torch
    import torch.nn.functional as F
    from stanza.models.common.vocab import VOCAB_PREFIX_SIZE

    arc_log_probs = F.log_softmax(arc_scores(parser, hidden), 2).numpy()
    trees = [single_root_tree(arc_log_probs[i][:n, :n]) for i, n in enumerate(sentlens)]
    heads = torch.zeros(hidden.shape[:2], dtype=torch.long)
    for i, tree in enumerate(trees):
        heads[i, :len(tree)] = torch.from_numpy(np.asarray(tree, dtype=np.int64))
    best = (tree_label_scores(parser.deprel, hidden, heads).argmax(2) + VOCAB_PREFIX_SIZE).tolist()
    vocab = parser.vocab["deprel"]
    return [[[int(h), label] for h, label in zip(tree[1:], vocab.unmap(best[i][1:n]))]
            for i, (n, tree) in enumerate(zip(sentlens, trees))]


def arc_scores(parser: Any, hidden: Any) -> Any:
    """stanza's GraphParser.forward_scores without its label scores: unlabeled arc scores plus the
    linearization and distance terms, the diagonal masked."""
    import torch
    import torch.nn.functional as F

    scores = parser.unlabeled(hidden, hidden).squeeze(3)
    steps = hidden.size(1)
    offset = (torch.arange(steps).view(1, 1, -1).expand(hidden.size(0), -1, -1)
              - torch.arange(steps).view(1, -1, 1).expand(hidden.size(0), -1, -1))
    if parser.args["linearization"]:
        lin = parser.linearization(hidden, hidden).squeeze(3)
        scores += F.logsigmoid(lin * torch.sign(offset).float())
    if parser.args["distance"]:
        dist_pred = 1 + F.softplus(parser.distance(hidden, hidden).squeeze(3))
        scores += -torch.log((torch.abs(offset).float() - dist_pred) ** 2 / 2 + 1)
    scores.masked_fill_(torch.eye(steps, dtype=torch.bool).unsqueeze(0), -float("inf"))
    return scores


def tree_label_scores(deep: Any, hidden: Any, heads: Any) -> Any:
    """(batch, words, labels): a DeepBiaffineScorer's scores of each word with its head `heads[b, w]`,
    stanza's PairwiseBiaffineScorer restricted to those pairs."""
    import torch

    def with_bias(x: Any) -> Any:
        return torch.cat([x, x.new_ones(*x.size()[:-1], 1)], x.dim() - 1)

    dependents = with_bias(deep.hidden_func(deep.W1(hidden)))
    governors = with_bias(deep.hidden_func(deep.W2(hidden)))
    bilinear = deep.scorer.W_bilin
    half = torch.einsum("NLI,IJO->NLJO", dependents, bilinear.weight)  # as stanza's PairwiseBilinear
    governor = governors.gather(1, heads.unsqueeze(2).expand(-1, -1, governors.size(2)))
    return torch.einsum("NLJO,NLJ->NLO", half, governor) + bilinear.bias
