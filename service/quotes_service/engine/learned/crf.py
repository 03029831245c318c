"""A linear-chain CRF over the tagger's scores: learned tag-to-tag transitions, so that decoding picks the
best tag sequence as a whole (no I-CON after B-SRC, no one-word gap inside a content)."""
from __future__ import annotations

import numpy as np
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
        each word's tag, whatever the rest of the sequence. In numpy: a step is a few small array operations,
        which torch's per-call overhead made the larger part of the time."""
        x = scores.detach().numpy()
        start, transitions, end = (p.detach().numpy() for p in (self.start, self.transitions, self.end))
        steps = x.shape[1]
        mask = (np.arange(steps)[None, :] < lengths.numpy()[:, None])[:, :, None]  # (batch, words, 1)
        alpha = np.empty_like(x)
        alpha[:, 0] = start + x[:, 0]
        for t in range(1, steps):
            nxt = _logsumexp(alpha[:, t - 1, :, None] + transitions + x[:, t, None, :], axis=1)
            alpha[:, t] = np.where(mask[:, t], nxt, alpha[:, t - 1])
        beta = np.empty_like(x)
        beta[:, steps - 1] = end
        for t in range(steps - 2, -1, -1):
            nxt = _logsumexp(transitions + (x[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
            beta[:, t] = np.where(mask[:, t + 1], nxt, beta[:, t + 1])
        log_z = _logsumexp(alpha[:, steps - 1] + end, axis=1)
        return torch.from_numpy(np.exp(alpha + beta - log_z[:, None, None]))

    def decode(self, scores: torch.Tensor, lengths: torch.Tensor) -> list[list[int]]:
        """The best tag sequence of each chunk (Viterbi, in numpy like `marginals`)."""
        x = scores.detach().numpy()
        transitions = self.transitions.detach().numpy()
        batch, steps, tags = x.shape
        mask = np.arange(steps)[None, :] < lengths.numpy()[:, None]
        best = self.start.detach().numpy() + x[:, 0]
        back = np.empty((batch, max(steps - 1, 0), tags), dtype=np.int64)
        stay = np.arange(tags)
        for t in range(1, steps):
            candidates = best[:, :, None] + transitions  # (batch, from, to)
            arg = candidates.argmax(axis=1)
            top = candidates.max(axis=1)
            keep = mask[:, t, None]
            best = np.where(keep, top + x[:, t], best)
            back[:, t - 1] = np.where(keep, arg, stay)
        # back through every chunk at once: past a chunk's end its back pointers keep the tag (`stay`), so
        # each chunk's last tag arrives unchanged at its own end
        path = np.empty((batch, steps), dtype=np.int64)
        path[:, steps - 1] = (best + self.end.detach().numpy()).argmax(axis=1)
        rows = np.arange(batch)
        for t in range(steps - 1, 0, -1):
            path[:, t - 1] = back[rows, t - 1, path[:, t]]
        return [row[:n] for row, n in zip(path.tolist(), lengths.tolist())]


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(axis=axis, keepdims=True))).squeeze(axis)
