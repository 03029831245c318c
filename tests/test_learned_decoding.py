"""The tagger's decoding: BIO runs to spans, the linking rule, and the CRF against brute force."""
from __future__ import annotations

import itertools

import torch

from quotes_service.engine.learned.crf import CRF
from quotes_service.engine.learned.decoding import WordSpan, link, spans
from quotes_service.engine.learned.tags import TAGS


def tags(*names: str) -> list[int]:
    return [TAGS.index(n) for n in names]


def test_runs_of_one_role_are_spans_and_a_stray_inside_tag_starts_one():
    found = spans(tags("B-SRC", "I-SRC", "B-CUE", "O", "I-CON", "I-CON", "B-CON", "I-SRC"))
    assert found == [WordSpan("SRC", 0, 1), WordSpan("CUE", 2, 2), WordSpan("CON", 4, 5), WordSpan("CON", 6, 6),
                     WordSpan("SRC", 7, 7)]


def test_the_closest_pairs_are_linked_first():
    # "Putin spoke, stating that forces left, which explains the defeat": "which" is the source of
    # "explains" beside it, the name at the start the source of "stating"
    found = [WordSpan("SRC", 0, 0), WordSpan("CUE", 3, 3), WordSpan("CON", 4, 6), WordSpan("SRC", 8, 8),
             WordSpan("CUE", 9, 9), WordSpan("CON", 10, 11)]
    linked = {(a.cue.first, a.source.first if a.source else None, a.content.first) for a in link(found, [0] * 12)}
    assert linked == {(3, 0, 4), (9, 8, 10)}


def test_a_source_stays_in_its_sentence_and_a_cue_without_content_is_dropped():
    found = [WordSpan("SRC", 0, 0), WordSpan("CON", 2, 4), WordSpan("CUE", 6, 6), WordSpan("CUE", 9, 9)]
    [attribution] = link(found, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    assert attribution.cue.first == 6 and attribution.content.first == 2 and attribution.source is None


def _crf(tags_: int, seed: int) -> CRF:
    torch.manual_seed(seed)
    crf = CRF(tags_)
    with torch.no_grad():
        for p in crf.parameters():
            p.normal_()
    return crf


def _path_score(crf: CRF, scores: torch.Tensor, path: tuple[int, ...]) -> torch.Tensor:
    total = crf.start[path[0]] + scores[0, path[0]] + crf.end[path[-1]]
    for i in range(1, len(path)):
        total = total + crf.transitions[path[i - 1], path[i]] + scores[i, path[i]]
    return total


def test_viterbi_and_marginals_agree_with_brute_force():
    crf = _crf(3, seed=0)
    lengths = torch.tensor([4, 1, 3])
    scores = torch.randn(3, 4, 3)
    with torch.no_grad():
        best = crf.decode(scores, lengths)
        marginals = crf.marginals(scores, lengths)
        for row, n in enumerate(lengths.tolist()):
            paths = list(itertools.product(range(3), repeat=n))
            weights = torch.stack([_path_score(crf, scores[row], p) for p in paths])
            assert best[row] == list(paths[int(weights.argmax())])
            probability = (weights - torch.logsumexp(weights, 0)).exp()
            for t in range(n):
                for tag in range(3):
                    expected = sum(float(probability[k]) for k, p in enumerate(paths) if p[t] == tag)
                    assert abs(expected - float(marginals[row, t, tag])) < 1e-5


def test_the_likelihood_is_the_gold_path_against_all_paths():
    crf = _crf(3, seed=1)
    scores = torch.randn(1, 3, 3)
    gold = torch.tensor([[2, 0, 1]])
    with torch.no_grad():
        loss = crf.neg_log_likelihood(scores, gold, torch.ones(1, 3, dtype=torch.bool))
        weights = torch.stack([_path_score(crf, scores[0], p) for p in itertools.product(range(3), repeat=3)])
        expected = torch.logsumexp(weights, 0) - _path_score(crf, scores[0], (2, 0, 1))
    assert abs(float(loss) - float(expected)) < 1e-5
