"""stanza's tokenizer and MWT expansion, with the same answers, less Python around the network.

The engine needs, per paragraph, its sentences as tokens (character span, text) and each token's words
(a multi-word token such as "Assad's" -> "Assad" + "'s"). stanza's own path builds per-character feature
lists in Python, decodes the network's labels character by character, builds Document objects twice
(tokenizer, then MWT) and runs the MWT network on every multi-word token even when its dictionary knows
the answer. This module keeps stanza's network and its prediction loop's steps (`stanza.models.tokenization.
utils.predict`: the batch, the last character's label, the URL/e-mail rules; its long-paragraph windows
are stanza's own code) and replaces the rest:

- features: one lookup per distinct character (unit id, space_before, capitalized, numeric), the same
  functions stanza applies, cached;
- decoding: per token instead of per character; a token's span comes from the position of its characters
  in the paragraph, which is what stanza's search of the text finds (only spaces after spaces are dropped
  from the network's input, and only white space separates tokens);
- batches: paragraphs of like length together (`length_groups`), not 32 longest-first padded to the
  longest, which made half of the network's input padding;
- MWT: the expansion dictionary first (stanza's ensemble lets the dictionary win anyway), then a
  possessive of letters ("Trump's", "Clinton’s", "Democrats'") split before its apostrophe by rule, and
  the seq2seq network only for the other tokens the dictionary does not know. The network splits
  possessives the same way except where it garbles a long stem ("neurosurgeon's" -> "neurosureoon 's",
  "ISIS'" -> "ISI S'": 10 of PolNeAR's 924 documents, check_tokenizer.py); the rule does not, and a new
  name's possessive costs no network call (MWT time on PolNeAR dev after 200 train articles: 0.60 -> 0.04 s).

`FastTokenizer.supports` says whether a loaded pipeline's tokenizer is one this path reproduces (English
style settings: no dictionary or structural features, no character LM, no postprocessor); otherwise the
engine keeps stanza's path. `tests/test_fast_tokenize.py` and `service/evaluation/check_tokenizer.py`
compare both paths.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

# stanza.models.tokenization.data: white space (and C1 controls) become a space in the network's input
_WHITESPACE = re.compile(r"[\s\u0080-\u009f]")
_SPACE = re.compile(r"\s")  # stanza's Vocab.normalize_token
_SPACE_RUN = re.compile(" {2,}")
# a possessive of a word of letters: the stem, then "'s" or "'" after a plural's s
_POSSESSIVE = re.compile(r"([^\W\d_]+)(['\u2019][sS])|([^\W\d_]+[sS])(['\u2019])")
_FEATURES = ("space_before", "capitalized", "numeric")
_POSITION_FEATURES = ("end_of_para", "start_of_para")


@dataclass
class RawToken:
    begin: int  # offsets in the paragraph, end-exclusive
    end: int
    text: str
    words: list[str]


class FastTokenizer:
    def __init__(self, pipeline: Any):
        from stanza.models.tokenization.data import PER_CHAR_FEAT_FUNCS
        from stanza.pipeline.tokenize_processor import TOKEN_TOO_LONG_REPLACEMENT

        self._tokenize = pipeline.processors["tokenize"]
        self._mwt = pipeline.processors.get("mwt")
        self._trainer = self._tokenize.trainer
        self._vocab = self._tokenize.vocab
        config = self._tokenize.config
        self._too_long = config.get("max_seqlen", 1000)  # stanza's limit on a token's length
        self._too_long_text = TOKEN_TOO_LONG_REPLACEMENT
        self._max_seqlen = max(1000, self._too_long)  # stanza's window for long paragraphs
        self._funcs = [PER_CHAR_FEAT_FUNCS[f] for f in self._trainer.args["feat_funcs"] if f in PER_CHAR_FEAT_FUNCS]
        feats = self._trainer.args["feat_funcs"]
        self._end_of_para, self._start_of_para = "end_of_para" in feats, "start_of_para" in feats
        self._chars: dict[int, list[int]] = {}  # code point -> [unit id, features]
        self.batch_size = self._trainer.args["batch_size"]  # paragraphs per network call
        # the MWT network's answers by token text: they recur ("he'll"), and the network (fp32) answers a
        # token the same whatever else is in its batch
        self._expansions: dict[str, str] = {}
        self._network = _Network(self._trainer)
        self._pad_id = self._vocab.unit2id("<PAD>")

    @staticmethod
    def supports(pipeline: Any) -> bool:
        """Whether this pipeline's tokenizer is one whose output this module reproduces exactly."""
        tok = pipeline.processors.get("tokenize")
        if tok is None or getattr(tok, "_trainer", None) is None or hasattr(tok, "_variant"):
            return False
        args, config = tok.trainer.args, tok.config
        known = set(_FEATURES) | set(_POSITION_FEATURES)
        return (not args.get("use_dictionary") and set(args.get("feat_funcs", ())) <= known
                and not args.get("skip_newline") and not args.get("charlm_forward_file")
                and not getattr(tok.vocab, "lang_replaces_spaces", False)
                and args.get("shorthand") != "la_ittb"
                and not config.get("postprocessor") and not config.get("no_ssplit")
                and not config.get("pretokenized") and config.get("speaker_delim") is None
                and tok.trainer.model.charmodel is None and args.get("conv_res") is None
                and args.get("rnn_layers") == 1
                and (pipeline.processors.get("mwt") is None
                     or not pipeline.processors["mwt"].config.get("dict_only")))

    def tokenize(self, paragraphs: list[str]) -> list[list[list[RawToken]]]:
        """Sentences of tokens for each paragraph (trimmed, non-empty, without line breaks)."""
        import torch

        if not paragraphs:
            return []
        units, positions = zip(*(_units(text) for text in paragraphs))
        preds: list[Any] = [None] * len(units)
        raws: list[Any] = [None] * len(units)
        with torch.no_grad():
            for group in length_groups([len(u) for u in units], self.batch_size):
                group_preds, group_raws = self._predict([units[i] for i in group])
                for i, pred, raw in zip(group, group_preds, group_raws):
                    preds[i], raws[i] = pred, raw
        out = [self._decode(raw, pred, pos) for raw, pred, pos in zip(raws, preds, positions)]
        self._expand_mwt([t for sentences in out for s in sentences for t in s if t.words is _MWT])
        return out

    def _predict(self, units: list[str]) -> tuple[list[np.ndarray], list[list[str]]]:
        """stanza's tokenization `predict` over one batch of paragraphs: each character's label (0 inside a
        token, 1 token end, 2 sentence end, 3 and 4 the same for a multi-word token) and the characters.

        The same batch, network and post-processing without stanza's torch DataLoader, which cost a tenth
        of the tokenizer's time; the batch is padded to a multiple of PAD_STEPS characters, so that oneDNN
        reuses the LSTM it compiled for that shape instead of compiling one per length. Padding follows
        each row and its outputs are dropped (_Network): labels unchanged. A paragraph longer than stanza's
        window takes stanza's own path, which reads it window by window."""
        import torch
        from stanza.models.common.utils import sort_with_indices, unsort
        from stanza.models.tokenization import utils

        longest = max(len(u) for u in units) + 1  # stanza's collate: every row ends with at least one pad
        if longest > self._max_seqlen:
            return utils.predict(self._network, _Paragraphs(self, units), len(units), self._max_seqlen, True, 0)
        ordered, indices = sort_with_indices(units, key=len, reverse=True)  # stanza's SortedDataset
        steps = -(-longest // PAD_STEPS) * PAD_STEPS
        rows = [self.featurize(text) for text in ordered]
        ids = torch.full((len(units), steps), self._pad_id, dtype=torch.int64)
        features = torch.zeros((len(units), steps, rows[0][1].shape[1]), dtype=torch.float32)
        for row, (unit_ids, feats) in enumerate(rows):
            ids[row, :len(unit_ids)] = torch.from_numpy(unit_ids)
            features[row, :len(feats)] = torch.from_numpy(feats)
        raws = [list(text) for text in ordered]
        labels = np.argmax(self._network.predict((ids, None, features, [r + ["<PAD>"] for r in raws])), axis=2)
        preds = []
        for row, raw in enumerate(raws):
            pred = labels[row]
            # stanza's: a paragraph's last character ends its token and its sentence
            last = len(raw) - 1
            if pred[last] < 2:
                pred[last] = 2
            elif pred[last] > 2:
                pred[last] = 4
            preds.append(utils.update_pred_regex(raw, pred[:len(raw)]))
        return unsort(preds, indices), unsort(raws, indices)  # stanza's SortedDataset.unsort

    # --- features, as stanza's TokenizationDataset.para_to_sentences computes them ---------------------
    def featurize(self, units: str) -> tuple[np.ndarray, np.ndarray]:
        """Unit ids and feature rows of a paragraph's network input, one row per character."""
        codes = np.frombuffer(units.encode("utf-32-le"), dtype=np.uint32)
        distinct, inverse = np.unique(codes, return_inverse=True)
        rows = []
        for code in distinct.tolist():
            row = self._chars.get(code)
            if row is None:
                unit = chr(code)
                row = self._chars[code] = [self._vocab.unit2id(unit), *(f(unit) for f in self._funcs)]
            rows.append(row)
        table = np.array(rows, dtype=np.int64)[inverse.reshape(-1)]
        ids, feats = table[:, 0], table[:, 1:]
        extra = []
        if self._end_of_para:
            end = np.zeros((len(units), 1), dtype=np.int64)
            end[-1] = 1
            extra.append(end)
        if self._start_of_para:
            start = np.zeros((len(units), 1), dtype=np.int64)
            start[0] = 1
            extra.append(start)
        if extra:
            feats = np.concatenate([feats, *extra], axis=1)
        return np.ascontiguousarray(ids), np.ascontiguousarray(feats)

    # --- decoding, as stanza's decode_predictions + process_sentence ------------------------------------
    def _decode(self, raw: list[str], pred: np.ndarray, positions: list[int]) -> list[list[RawToken]]:
        sentences: list[list[RawToken]] = []
        current: list[RawToken] = []
        start = 0
        for end in np.flatnonzero(pred[:len(raw)] >= 1).tolist():
            piece = "".join(raw[start:end + 1])
            text = _SPACE.sub(" ", piece.lstrip())
            label = int(pred[end])
            first = start + len(piece) - len(piece.lstrip())
            start = end + 1
            if not text:
                continue  # a token of spaces only: stanza drops it, and its sentence break too
            if len(text) > self._too_long:
                text = self._too_long_text
            words = _MWT if label in (3, 4) and self._mwt is not None else [text]
            current.append(RawToken(positions[first], positions[end] + 1, text, words))
            if label in (2, 4):
                sentences.append(current)
                current = []
        if current:
            sentences.append(current)
        return sentences

    # --- MWT expansion, as stanza's MWTProcessor (ensemble_dict) + Document.set_mwt_expansions ----------
    def _expand_mwt(self, tokens: list[RawToken]) -> None:
        if not tokens:
            return
        trainer = self._mwt.trainer
        expansions: list[str | None] = [trainer.dict_expansion(t.text) or _possessive(t.text) for t in tokens]
        unknown = sorted({t.text for t, e in zip(tokens, expansions) if e is None} - self._expansions.keys())
        if unknown:
            from stanza.models.common.doc import Document

            doc = self._mwt.process(Document([[{"id": (1,), "text": text, "misc": "MWT=Yes"}] for text in unknown]))
            if len(self._expansions) > _MAX_REMEMBERED:
                self._expansions.clear()
            for text, sent in zip(unknown, doc.sentences):
                self._expansions[text] = " ".join(w.text for w in sent.words)
        for token, expansion in zip(tokens, expansions):
            pieces = [x for x in (expansion or self._expansions[token.text]).split(" ") if x]
            token.words = pieces if len(pieces) > 1 else [token.text]


def _possessive(token: str) -> str | None:
    """"Trump 's" for "Trump's", "Democrats '" for "Democrats'"; None for any other token."""
    m = _POSSESSIVE.fullmatch(token)
    if m is None:
        return None
    return f"{m[1]} {m[2]}" if m[1] else f"{m[3]} {m[4]}"


PAD_STEPS = 32  # network batches are padded to a multiple of this many characters (_predict)
_MWT: list[str] = []  # marks a token waiting for its MWT expansion
_MAX_REMEMBERED = 100_000  # MWT network answers kept (a few MB)


class _Network:
    """stanza's Tokenizer.forward at inference, with its two bidirectional LSTMs run on padded batches.

    torch runs an LSTM over a packed batch (sequences of different lengths) one time step at a time in
    its generic kernel; over a padded batch it uses oneDNN, about 5x faster for this network's size
    (hidden 64, hundreds of characters per paragraph). Padding only follows a sequence, so the forward
    direction sees the same inputs; the backward direction runs forward over each sequence reversed in
    place (its padding still at the end). Outputs past a sequence's end are zeroed, as unpacking does.
    """

    def __init__(self, trainer: Any):
        import torch

        self.args = trainer.args
        self.model = trainer.model
        self._directions = {}
        for name in ("rnn", "rnn2"):
            lstm = getattr(self.model, name, None)
            if lstm is None:
                continue
            pair = []
            for suffix in ("", "_reverse"):
                one = torch.nn.LSTM(lstm.input_size, lstm.hidden_size, batch_first=True)
                one.load_state_dict({f"{k}_l0": getattr(lstm, f"{k}_l0{suffix}")
                                     for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})
                pair.append(one.eval())
            self._directions[name] = pair

    def _bilstm(self, name: str, x: Any, reverse_rows: Any, mask: Any) -> Any:  # tensors
        import torch

        forward, backward = self._directions[name]
        out_f, _ = forward(x)
        out_b, _ = backward(_rows(x, reverse_rows))
        return torch.cat([out_f, _rows(out_b, reverse_rows)], 2) * mask

    def predict(self, inputs: Any) -> np.ndarray:
        import torch
        import torch.nn.functional as F

        model, args = self.model, self.args
        model.eval()
        units, _, features, text = inputs
        lengths = torch.tensor([len(x) for x in text])
        steps = torch.arange(units.size(1))
        valid = steps[None, :] < lengths[:, None]
        # position t of a sequence of length L reads position L-1-t; padding stays where it is
        reverse = torch.where(valid, lengths[:, None] - 1 - steps[None, :], steps[None, :])
        reverse_rows = (reverse + torch.arange(units.size(0))[:, None] * units.size(1)).reshape(-1)
        mask = valid.unsqueeze(2).float()
        emb = torch.cat([model.embeddings(units), features], 2)
        inp = self._bilstm("rnn", emb, reverse_rows, mask)
        tok0, sent0 = model.tok_clf(inp), model.sent_clf(inp)
        mwt0 = model.mwt_clf(inp) if args["use_mwt"] else None
        if args["hierarchical"]:
            inp2 = inp
            if args["hier_invtemp"] > 0:
                inp2 = inp2 * (1 - torch.sigmoid(-tok0 * args["hier_invtemp"]))
            inp2 = self._bilstm("rnn2", inp2, reverse_rows, mask)
            tok0 = tok0 + model.tok_clf2(inp2)
            sent0 = sent0 + model.sent_clf2(inp2)
            if mwt0 is not None:
                mwt0 = mwt0 + model.mwt_clf2(inp2)
        nontok, tok = F.logsigmoid(-tok0), F.logsigmoid(tok0)
        nonsent, sent = F.logsigmoid(-sent0), F.logsigmoid(sent0)
        if mwt0 is not None:
            nonmwt, mwt = F.logsigmoid(-mwt0), F.logsigmoid(mwt0)
            pred = torch.cat([nontok, tok + nonsent + nonmwt, tok + sent + nonmwt, tok + nonsent + mwt,
                              tok + sent + mwt], 2)
        else:
            pred = torch.cat([nontok, tok + nonsent, tok + sent], 2)
        return pred.numpy()


def _rows(x: Any, rows: Any) -> Any:
    """x (batch, time, features) with its (batch x time) rows taken in the order `rows`."""
    return x.reshape(-1, x.size(2)).index_select(0, rows).view(x.shape)


class _Paragraphs:
    """What stanza's `predict` reads from a TokenizationDataset: each paragraph's network input (`data`,
    here a string of one-character units), one featurized sample per paragraph, and the window advance
    for paragraphs longer than the window."""

    def __init__(self, tokenizer: FastTokenizer, units: list[str]):
        from stanza.models.tokenization.data import TokenizationDataset

        self._tokenizer = tokenizer
        self.vocab = tokenizer._vocab
        self.args = tokenizer._trainer.args
        self.data = units
        self.advance_old_batch = TokenizationDataset.advance_old_batch.__get__(self)

    def para_to_sentences(self, units: str) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]]:
        ids, feats = self._tokenizer.featurize(units)
        return [(ids, np.zeros(len(units), dtype=np.int64), feats, list(units))]


# The network's CPU cost, measured on one core (fp32, oneDNN): about 0.9 ms a call, 1 us a time step and
# 3.5 us a character of each row in the batch, padding included.
_CALL_US, _STEP_US, _ROW_STEP_US = 900.0, 1.0, 3.5


def length_groups(lengths: list[int], max_rows: int) -> list[list[int]]:
    """The paragraphs (by their lengths) in network batches of like length, at most `max_rows` each.

    stanza batches paragraphs longest first, 32 at a time, each batch padded to its longest: on news
    text half of what the network reads is padding. The cheapest split of the sorted paragraphs into
    runs, by the costs above, is found by dynamic programming. A paragraph's result does not depend on
    the others in its batch (the padding follows it, the backward pass reads it reversed in place),
    except for float rounding.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    longest = [lengths[i] for i in order]
    cost = [0.0] + [float("inf")] * len(order)
    start = [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        for first in range(max(0, end - max_rows), end):
            c = cost[first] + _CALL_US + longest[first] * (_STEP_US + _ROW_STEP_US * (end - first))
            if c < cost[end]:
                cost[end], start[end] = c, first
    groups, end = [], len(order)
    while end > 0:
        groups.append(order[start[end]:end])
        end = start[end]
    return groups[::-1]


def _units(text: str) -> tuple[str, list[int]]:
    """The network's input characters (white space as a space, no space right after a space; stanza's
    filter_consecutive_whitespaces) and each one's position in `text`."""
    normalized = _WHITESPACE.sub(" ", text)
    if "  " not in normalized:
        return normalized, list(range(len(normalized)))
    space = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32) == ord(" ")
    keep = np.ones(len(normalized), dtype=bool)
    keep[1:] = ~(space[1:] & space[:-1])
    return _SPACE_RUN.sub(" ", normalized), np.flatnonzero(keep).tolist()
