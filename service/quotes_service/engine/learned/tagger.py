"""The attribution tagger: a BiLSTM over each chunk's words that tags sources, cues and contents (tags.py).

Input per word: the bundled stanza word vectors (frozen, shared with the tagger and parser, so they add no
weight to the bundle) and small learned embeddings of the features in features.py, the rules' own findings
among them. Output: a score per tag; decoding.py turns the tags into linked attributions.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .crf import CRF
from .features import FEATURES, SIZES
from .tags import TAGS


@dataclass(frozen=True)
class TaggerConfig:
    hidden: int = 128
    layers: int = 2
    dropout: float = 0.3
    feature_dim: int = 16  # each categorical feature's embedding size
    suffix_dim: int = 24
    tuned_words: int = 0  # the most frequent words (the first rows of the word vectors) also get a learned vector
    tuned_dim: int = 32
    crf: bool = False


class AttributionTagger(nn.Module):
    def __init__(self, word_vectors: torch.Tensor, config: TaggerConfig = TaggerConfig()):
        super().__init__()
        self.config = config
        self.words = nn.Embedding.from_pretrained(word_vectors, freeze=True, padding_idx=0)
        dims = {name: (config.suffix_dim if name == "suffix" else config.feature_dim) for name in SIZES}
        self.features = nn.ModuleDict({name: nn.Embedding(SIZES[name], dims[name], padding_idx=0) for name in SIZES})
        width = word_vectors.shape[1] + sum(dims.values())
        if config.tuned_words:
            self.tuned = nn.Embedding(config.tuned_words, config.tuned_dim, padding_idx=0)
            width += config.tuned_dim
        self.dropout = nn.Dropout(config.dropout)
        self.lstm = nn.LSTM(width, config.hidden, num_layers=config.layers, bidirectional=True, batch_first=True,
                            dropout=config.dropout if config.layers > 1 else 0.0)
        self.out = nn.Linear(2 * config.hidden, len(TAGS))
        self.crf = CRF(len(TAGS)) if config.crf else None

    def forward(self, ids: dict[str, torch.Tensor], lengths: torch.Tensor) -> torch.Tensor:
        """ids: feature -> (batch, words) ids, 0-padded; returns (batch, words, tags) scores."""
        parts = [self.words(ids["word"])] + [self.features[name](ids[name]) for name in FEATURES if name != "word"]
        if self.config.tuned_words:
            words = ids["word"]
            parts.append(self.tuned(torch.where(words < self.config.tuned_words, words, torch.zeros_like(words))))
        x = self.dropout(torch.cat(parts, dim=-1))
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        hidden, _ = self.lstm(packed)
        hidden, _ = pad_packed_sequence(hidden, batch_first=True, total_length=x.shape[1])
        return self.out(self.dropout(hidden))

    def loss(self, scores: torch.Tensor, gold: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """gold: (batch, words) tag ids, -1 past each chunk's end."""
        if self.crf is not None:
            mask = gold >= 0
            return self.crf.neg_log_likelihood(scores, gold.clamp(min=0), mask) / int(mask.sum())
        return nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), gold.reshape(-1), ignore_index=-1)

    def decode(self, scores: torch.Tensor, lengths: torch.Tensor) -> list[list[int]]:
        """The tags of each chunk: the CRF's best sequence, else the best tag of each word."""
        if self.crf is not None:
            return self.crf.decode(scores, lengths)
        best = scores.argmax(-1)
        return [best[row, :int(n)].tolist() for row, n in enumerate(lengths)]

    def tag_probabilities(self, scores: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """(batch, words, tags) probabilities: the CRF's marginals, else the softmax of the scores."""
        if self.crf is not None:
            return self.crf.marginals(scores, lengths)
        return scores.softmax(-1)

    def save(self, path: Path, extra: dict | None = None) -> None:
        """Weights without the frozen word vectors (they ship with the stanza models)."""
        state = {k: v for k, v in self.state_dict().items() if not k.startswith("words.")}
        torch.save({"config": asdict(self.config), "state": state, **(extra or {})}, path)

    @classmethod
    def load(cls, path: Path, word_vectors: torch.Tensor) -> tuple[AttributionTagger, dict]:
        saved = torch.load(path, map_location="cpu", weights_only=True)
        model = cls(word_vectors, TaggerConfig(**saved["config"]))
        missing, unexpected = model.load_state_dict(saved["state"], strict=False)
        assert not unexpected and all(k.startswith("words.") for k in missing), (missing, unexpected)
        model.eval()
        return model, saved


def load_word_vectors(pretrain_path: str | Path) -> tuple[dict[str, int], torch.Tensor]:
    """stanza's pretrain file: (word -> row, vectors)."""
    saved = torch.load(pretrain_path, map_location="cpu", weights_only=False)
    return dict(saved["vocab"]["_unit2id"]), saved["emb"].float()


def batch_ids(chunks_ids: list[dict[str, list[int]]]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Pad the chunks' feature ids into (batch, longest) tensors."""
    sizes = [len(c["word"]) for c in chunks_ids]
    longest = max(sizes, default=0)
    out = {}
    for name in FEATURES:
        t = np.zeros((len(chunks_ids), longest), dtype=np.int64)
        for row, c in enumerate(chunks_ids):
            t[row, :len(c[name])] = c[name]
        out[name] = torch.from_numpy(t)
    return out, torch.tensor(sizes, dtype=torch.long)
