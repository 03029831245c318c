"""A linear-chain CRF over the tagger's scores: learned tag-to-tag transitions, so that decoding picks the
best tag sequence as a whole (no I-CON after B-SRC, no one-word gap inside a content)."""
from __future__ import annotations

import torch
from torch import nn


class CRF(nn.Module):
    def __init__(self, tags: int):
        super().__init__()
        self.start = nn.Parameter(torch.zeros(tags))
        self.transitions = nn.Parameter(torch.zeros(tags, tags))  # [from, to]
        self.end = nn.Parameter(torch.zeros(tags))

    def neg_log_likelihood(self, scores: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Summed over the batch. scores (batch, words, tags), tags (batch, words), mask (batch, words) bool."""
        return (self._partition(scores, mask) - self._gold_score(scores, tags, mask)).sum()

    def _gold_score(self, scores: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch = torch.arange(scores.shape[0])
        total = self.start[tags[:, 0]] + scores[batch, 0, tags[:, 0]]
        for t in range(1, scores.shape[1]):
            step = self.transitions[tags[:, t - 1], tags[:, t]] + scores[batch, t, tags[:, t]]
            total = total + step * mask[:, t]
        last = tags[batch, mask.sum(1) - 1]
        return total + self.end[last]

    def _partition(self, scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        alpha = self.start + scores[:, 0]  # (batch, tags)
        for t in range(1, scores.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.transitions + scores[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t].unsqueeze(1), nxt, alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def marginals(self, scores: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """p(word t has tag y | chunk), (batch, words, tags), by forward-backward: how sure the CRF is of
        each word's tag, whatever the rest of the sequence."""
        steps = scores.shape[1]
        mask = torch.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)
        alphas = [self.start + scores[:, 0]]
        for t in range(1, steps):
            nxt = torch.logsumexp(alphas[-1].unsqueeze(2) + self.transitions + scores[:, t].unsqueeze(1), dim=1)
            alphas.append(torch.where(mask[:, t].unsqueeze(1), nxt, alphas[-1]))
        betas = [self.end.expand_as(scores[:, 0])]
        for t in range(steps - 2, -1, -1):
            nxt = torch.logsumexp(self.transitions + (scores[:, t + 1] + betas[-1]).unsqueeze(1), dim=2)
            betas.append(torch.where(mask[:, t + 1].unsqueeze(1), nxt, betas[-1]))
        alpha, beta = torch.stack(alphas, dim=1), torch.stack(betas[::-1], dim=1)
        log_z = torch.logsumexp(alphas[-1] + self.end, dim=1)
        return (alpha + beta - log_z.view(-1, 1, 1)).exp()

    def decode(self, scores: torch.Tensor, lengths: torch.Tensor) -> list[list[int]]:
        """The best tag sequence of each chunk (Viterbi)."""
        mask = torch.arange(scores.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
        best = self.start + scores[:, 0]
        back = []
        for t in range(1, scores.shape[1]):
            candidates = best.unsqueeze(2) + self.transitions  # (batch, from, to)
            top, arg = candidates.max(dim=1)
            nxt = top + scores[:, t]
            keep = mask[:, t].unsqueeze(1)
            best = torch.where(keep, nxt, best)
            back.append(torch.where(keep, arg, torch.arange(scores.shape[2]).expand_as(arg)))
        last = (best + self.end).argmax(dim=1).tolist()
        pointers = torch.stack(back, dim=1).tolist() if back else [[] for _ in last]  # (batch, words - 1, tags)
        out = []
        for row, tag in enumerate(last):
            path = [tag]
            for t in range(int(lengths[row]) - 2, -1, -1):
                tag = pointers[row][t][tag]
                path.append(tag)
            out.append(path[::-1])
        return out
