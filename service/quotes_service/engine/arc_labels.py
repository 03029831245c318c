"""The parser's dependency labels scored on the decoded tree's arcs only, not on every pair of words.

stanza's GraphParser scores every label for every (dependent, head) pair of a batch (a words x words x
labels tensor), takes each pair's best label and a log-softmax of the whole tensor, all before the tree
is known; then it reads one pair per word. `install` replaces a parser's `predict` with the same
computation in another order:

1. the arc scores as stanza computes them (unlabeled + linearization + distance scorers), and the tree
   from them (tree_decoding.single_root_trees);
2. the label scorer's bilinear form on the tree's arcs only: each distinct head's side once, then each
   word's side with its head's; each word's label the best of those scores.

Same labels (the same products per arc, summed in another order): PolNeAR dev's answers unchanged.
Scoring by head halves the label scorer's time on the arcs (PolNeAR dev, one core: 2.6 s with each arc
scored in full, 1.45 s), and the best-label search and log-softmax over the full tensor go. With
head-constraint repair on (the bundled model's config has it off), which reads every arc's label scores,
stanza's own path runs.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .tree_decoding import single_root_trees


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
    trees = single_root_trees(arc_log_probs, sentlens)
    heads = [np.asarray(tree[1:], dtype=np.int64) for tree in trees]  # each word's (the root row has none)
    arcs = np.concatenate([np.stack([np.full(len(h), i), np.arange(1, len(h) + 1), h], 1)
                           for i, h in enumerate(heads)])
    best = (arc_label_scores(parser.deprel, hidden, torch.from_numpy(arcs)).argmax(1) + VOCAB_PREFIX_SIZE).tolist()
    labels = iter(parser.vocab["deprel"].unmap(best))
    return [[[h, next(labels)] for h in sentence_heads.tolist()] for sentence_heads in heads]


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


def arc_label_scores(deep: Any, hidden: Any, arcs: Any) -> Any:
    """(arcs, labels): a DeepBiaffineScorer's scores of the arcs (sentence, dependent, head), one per row.

    This is stanza's PairwiseBiaffineScorer restricted to those pairs. The bilinear form d W g costs
    (dims + 1)^2 x labels products per arc, whichever side goes first; here the head's side does, once per
    distinct head (fewer heads than words: a verb governs its subject, object and punctuation), then each
    dependent's side is a (dims + 1) x labels product. The same products, summed in another order."""
    import torch

    def with_bias(x: Any) -> Any:
        return torch.cat([x, x.new_ones(len(x), 1)], 1)

    rows = hidden.reshape(-1, hidden.size(-1))
    dependent_rows = arcs[:, 0] * hidden.size(1) + arcs[:, 1]
    heads, per_arc = torch.unique(arcs[:, 0] * hidden.size(1) + arcs[:, 2], return_inverse=True)
    dependents = with_bias(deep.hidden_func(deep.W1(rows[dependent_rows])))  # (arcs, I)
    governors = with_bias(deep.hidden_func(deep.W2(rows[heads])))  # (heads, J)
    bilinear = deep.scorer.W_bilin  # weight (I, J, labels), as stanza's PairwiseBilinear
    weight = _by_governor(bilinear)
    per_head = (governors @ weight).view(len(governors), bilinear.weight.size(0), -1)  # (heads, I, labels)
    return torch.bmm(dependents.unsqueeze(1), per_head[per_arc]).squeeze(1) + bilinear.bias


def _by_governor(bilinear: Any) -> Any:
    """The bilinear weight as a (J, I x labels) matrix, made once per weight (a copy of a few MB)."""
    cached = getattr(bilinear, "_by_governor", None)
    if cached is None or cached[0] is not bilinear.weight:
        weight = bilinear.weight.detach()
        cached = (bilinear.weight, weight.permute(1, 0, 2).reshape(weight.size(1), -1).contiguous())
        bilinear._by_governor = cached
    return cached[1]
