"""Each distinct word through a character model once per worker, not once per occurrence.

The tagger, the parser and the NER model each run a character LSTM over every word of a batch; its
output for a word depends on the word's characters alone, and news repeats most of its words ("the",
"said", names), within an article and across articles. `install` wraps a loaded model's CharacterModel so
that it runs stanza's own forward on the words it has not seen yet (one row each), keeps each word's
output in a table of TABLE_BYTES, and copies each word's row to its occurrences. When the table is
full it keeps the words used since it was last full and forgets the rest, so that frequent words stay (in
PolNeAR, the 10,000 most frequent words of train are 94 % of dev's words, the 20,000 most frequent 97 %).

The character models stay fp32 at every precision (quantization.py leaves them out): an int8 LSTM
quantizes a batch's inputs with one scale, so a remembered word's row would depend on the batch it was
first seen in; in fp32 it is the word's own, up to float rounding.
"""
from __future__ import annotations

from typing import Any

import numpy as np

TABLE_BYTES = 24 << 20  # per character model: 60,000 words of NER's 100 floats, 15,000 of the tagger's 400


class CharacterCache:
    """The rows of one CharacterModel's output, by the character ids of the word."""

    def __init__(self, charmodel: Any, capacity: int | None = None):
        """`capacity` in words; by default what TABLE_BYTES holds of this model's rows."""
        dims = charmodel.num_dir * charmodel.args["char_hidden_dim"]
        self.charmodel, self.capacity = charmodel, capacity or TABLE_BYTES // (4 * dims)
        self.original = charmodel.forward
        self.slots: dict[bytes, int] = {}
        self.table: Any = None  # (capacity, dims) once the first rows are known
        self.used = np.zeros(self.capacity, dtype=bool)  # slots read since the table was last full

    def forward(self, chars: Any, chars_mask: Any, word_orig_idx: list[int], sentlens: list[int],
                wordlens: list[int]) -> Any:  # stanza's CharacterModel.forward
        import torch
        from stanza.models.common.utils import tensor_unsort
        from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

        ids = chars.numpy()
        keys = [ids[i, :n].tobytes() for i, n in enumerate(wordlens)]
        missing = list(dict.fromkeys(k for k in keys if k not in self.slots))  # in first-seen order
        if len(self.slots) + len(missing) > self.capacity:
            self._keep_used(set(keys))
            missing = list(dict.fromkeys(k for k in keys if k not in self.slots))
            if len(self.slots) + len(missing) > self.capacity:  # more distinct words than the table holds
                return self.original(chars, chars_mask, word_orig_idx, sentlens, wordlens)
        if missing:
            self._remember(missing, chars, keys, wordlens)
        slots = np.fromiter((self.slots[k] for k in keys), dtype=np.int64, count=len(keys))
        self.used[slots] = True
        res = self.table[torch.from_numpy(slots)]
        res = tensor_unsort(res, word_orig_idx)  # what stanza's forward does from here on
        res = pack_sequence(res.split(sentlens))
        if self.charmodel.pad:
            res = pad_packed_sequence(res, batch_first=True)[0]
        return res

    def _keep_used(self, wanted: set[bytes]) -> None:
        """Forget the words not read since the table was last full, except those of the batch at hand."""
        import torch

        kept = [(k, slot) for k, slot in self.slots.items() if self.used[slot] or k in wanted]
        if len(kept) + len(wanted - self.slots.keys()) > self.capacity:  # no room still: the batch's words only
            kept = [(k, slot) for k, slot in kept if k in wanted]
        if kept:
            self.table[:len(kept)] = self.table[torch.tensor([slot for _, slot in kept])]
        self.slots = {k: i for i, (k, _) in enumerate(kept)}
        self.used[:] = False

    def _remember(self, missing: list[bytes], chars: Any, keys: list[bytes], wordlens: list[int]) -> None:
        import torch

        first: dict[bytes, int] = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        rows = [first[k] for k in missing]
        rows.sort(key=lambda i: -wordlens[i])  # stanza packs rows longest first
        lengths = [wordlens[i] for i in rows]
        batch = chars[torch.tensor(rows)][:, :lengths[0]]
        out = self.original(batch, batch.eq(0), list(range(len(rows))), [len(rows)], lengths)
        out = out[0] if self.charmodel.pad else out.data  # one "sentence" of the words, in order
        if self.table is None:
            # zeroed, not only reserved: the worker's resident memory holds the whole table from its first
            # article on, so it is level after the warm-up, where operators size workers (--worker-max-rss-mb)
            self.table = out.new_zeros(self.capacity, out.size(-1))
        start = len(self.slots)
        self.table[start:start + len(rows)] = out
        for offset, i in enumerate(rows):
            self.slots[keys[i]] = start + offset


def install(model: Any, capacity: int | None = None) -> bool:
    """Wrap `model.charmodel` (a stanza CharacterModel) in place; False where the model has none."""
    charmodel = getattr(model, "charmodel", None)
    if charmodel is None or type(charmodel).__name__ != "CharacterModel":
        return False
    cache = CharacterCache(charmodel, capacity)
    charmodel.forward = cache.forward  # a bound method: the cache is charmodel.forward.__self__
    return True
