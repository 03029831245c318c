"""Each distinct word through a character model once per batch, not once per occurrence.

The tagger, the parser and the NER model each run a character LSTM over every word of a batch; its
output for a word depends on the word's characters alone, and a news article repeats most of its words
("the", "said", names). `install` wraps a loaded model's CharacterModel so that it runs stanza's own
forward on the batch's distinct character rows and copies each result to the word's occurrences. Same
computation, fewer rows: only float rounding can differ (a smaller matrix product), which the PolNeAR dev
check in the commit that added this found to change no answer.
"""
from __future__ import annotations

from typing import Any


def install(model: Any) -> bool:
    """Wrap `model.charmodel` (a stanza CharacterModel) in place; False where the model has none."""
    charmodel = getattr(model, "charmodel", None)
    if charmodel is None or type(charmodel).__name__ != "CharacterModel":
        return False
    original = charmodel.forward

    def forward(chars: Any, chars_mask: Any, word_orig_idx: list[int], sentlens: list[int],
                wordlens: list[int]) -> Any:  # stanza's CharacterModel.forward
        import torch
        from stanza.models.common.utils import tensor_unsort
        from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

        distinct, inverse = torch.unique(chars, dim=0, return_inverse=True)
        if len(distinct) == len(chars):
            return original(chars, chars_mask, word_orig_idx, sentlens, wordlens)
        lengths = torch.zeros(len(distinct), dtype=torch.long).scatter_(0, inverse, torch.as_tensor(wordlens))
        order = torch.argsort(-lengths, stable=True)  # stanza packs rows longest first
        sorted_rows = distinct[order]
        rows = original(sorted_rows, sorted_rows.eq(0), list(range(len(distinct))), [len(distinct)],
                        lengths[order].tolist())
        rows = rows[0] if charmodel.pad else rows.data  # one "sentence" of all distinct words, in order
        per_row = torch.empty_like(rows)
        per_row[order] = rows
        res = tensor_unsort(per_row[inverse], word_orig_idx)  # what stanza's forward does from here on
        res = pack_sequence(res.split(sentlens))
        if charmodel.pad:
            res = pad_packed_sequence(res, batch_first=True)[0]
        return res

    forward.original = original  # type: ignore[attr-defined]  # stanza's, for tests
    charmodel.forward = forward
    return True
