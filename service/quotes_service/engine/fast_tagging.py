"""POS tags, lemmas, dependency parses and NER tags of tokenized sentences, through stanza's loaded models
without stanza's Documents and data loaders.

stanza's processors read and write a Document per call, rebuild every word's features in Python
(vocabulary look-ups, character lists, padded tensors element by element) and compute at inference what
only training reads: the tagger's morphological features (the parser embeds them but, in stanza 1.15,
adds its POS embedding in their place: features never reach a parse, and the engine reads none), and
the NER model's CRF loss over every batch. This module feeds the same models the same batches:

- the same batching and sort orders as stanza's processors (POS: document order, 100 sentences or
  5,000 words a batch; parser: sentences sorted by length, 300 words a batch, longer than 150 alone;
  NER: document order, 256 sentences a batch), because an int8 model's answers depend on
  its batch (one quantization scale per batch);
- each word's vocabulary ids and characters looked up once per process (the vocabularies are fixed);
- the tagger's upos and xpos heads only; the NER model's logits and CRF transitions only, decoded by
  the same Viterbi search over the whole batch at once; the parser through arc_labels.decode;
- the lemmatizer as stanza ensembles it: its dictionary, then its seq2seq model over the words the
  dictionary lacks, in stanza's own loader (the character vocabulary it grows per call is part of
  the model's input), decoding only until every word whose edit class reads the decoded lemma has it.

Same answers as stanza's processors: PolNeAR dev through the engine byte-identical, int8 and fp32
(tests/test_fast_tagging.py compares every word). `FastTagging.supports` checks that a loaded pipeline's
models are the kinds reproduced here; the engine keeps stanza's path otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import arc_labels

POS_BATCH_SENTENCES, POS_BATCH_WORDS = 100, 5000  # stanza's pos processor (batch_maximum_tokens)
PARSE_SEPARATE_LENGTH = 150  # stanza's depparse min_length_to_batch_separately
# The parser's LSTM reads up to this many words a call: its cost is mostly per time step, so one call over
# a whole article's sentences (sorted by length) costs less than several of the scorers' batch size
PARSE_LSTM_WORDS = 5000
_MAX_REMEMBERED = 200_000  # words whose vocabulary ids are kept (a few tens of MB at most)


@dataclass
class ParsedWord:
    upos: str | None
    xpos: str | None
    lemma: str | None
    head: int  # 1-based, 0 for the root, as stanza's
    deprel: str | None


class FastTagging:
    def __init__(self, pipeline: Any):
        import torch
        from stanza.models.common.utils import EXCLAM_RE, QUESTION_RE

        self._simplify = (QUESTION_RE, EXCLAM_RE)  # stanza's simplify_punct, for the tagger and parser
        processors = pipeline.processors
        self.pos, self.lemma, self.depparse, self.ner = (processors[n] for n in ("pos", "lemma", "depparse", "ner"))
        self.tagger, self.parser = self.pos.trainer.model, self.depparse.trainer.model
        self.ner_model = self.ner.trainer.model
        for model in (self.tagger, self.parser, self.ner_model, self.lemma.trainer.model):
            model.eval()  # stanza's trainers switch to evaluation (no dropout) per call; these calls skip them
        self._pos_words = _WordIds(self.tagger.vocab, self.pos.pretrain.vocab)
        self._xpos_scorer = _XposScorer(self.tagger)
        self._parse_words = _WordIds(self.parser.vocab, self.depparse.pretrain.vocab)
        pos_vocab, parse_vocab = self.tagger.vocab, self.parser.vocab
        self._upos = [pos_vocab["upos"].id2unit(i) for i in range(len(pos_vocab["upos"]))]
        self._xpos = [pos_vocab["xpos"].id2unit(i) for i in range(len(pos_vocab["xpos"]))]
        self._parse_upos, self._parse_xpos = parse_vocab["upos"], parse_vocab["xpos"]
        self._parse_lemma: dict[str, int] = {}
        self._lemmas: dict[tuple[str, str | None], str | None] = {}  # the seq2seq lemmatizer's, by (word, upos)
        self._ner_words: dict[str, tuple[int, int, list[int]]] = {}
        tags = self.ner_model.vocab["tag"]
        predict_tagset = self.ner.trainer.args.get("predict_tagset") or 0
        self._ner_tags = {i: _one_tag(tags, i, predict_tagset) for i in range(_PREFIX, len(tags.items(0)))}
        self._no_grad = torch.no_grad

    @staticmethod
    def supports(pipeline: Any) -> bool:
        """Whether the loaded models are the kinds this module drives exactly (English models of stanza
        1.15 with word, pretrained and character embeddings; no charlm, no transformer)."""
        from stanza.models.common.vocab import CompositeVocab
        from stanza.models.pos.tag_columns import TAG_LINK_EMB

        processors = pipeline.processors
        if any(n not in processors for n in ("pos", "lemma", "depparse", "ner")):
            return False
        pos, lemma, depparse, ner = (processors[n] for n in ("pos", "lemma", "depparse", "ner"))
        tagger, parser = pos.trainer.model, depparse.trainer.model
        ner_trainers = getattr(ner, "trainers", None) or []
        if (type(tagger).__name__ != "Tagger" or not arc_labels.supports(parser) or len(ner_trainers) != 1
                or type(ner.trainer.model).__name__ != "NERTagger"):
            return False
        columns = {c.name: c for c in tagger.tag_columns}
        targs, pargs, nargs = tagger.args, parser.args, ner.trainer.model.args
        return (set(columns) <= {"upos", "xpos", "feats"} and "upos" in columns and "xpos" in columns
                and tuple(columns["xpos"].parents) == ("upos",) and not tagger.share_hid
                and not isinstance(tagger.vocab["xpos"], CompositeVocab)
                and type(tagger.tag_clf["xpos"]).__name__ == "BiaffineScorer"
                and tagger.link_mode == TAG_LINK_EMB and tagger.bert_model is None
                and targs["word_emb_dim"] > 0 and targs["pretrain"] and pos.pretrain is not None
                and targs["char"] and not targs.get("charlm")
                and pos.config.get("batch_size") == POS_BATCH_SENTENCES
                and pos.config.get("batch_maximum_tokens", POS_BATCH_WORDS) == POS_BATCH_WORDS
                and parser.bert_model is None and pargs["pretrain"] and depparse.pretrain is not None
                and pargs["char"] and not pargs.get("charlm") and pargs["word_emb_dim"] > 0
                and pargs.get("tag_emb_dim", 0) > 0 and pargs.get("use_upos", True) and pargs.get("use_xpos", True)
                and not pargs.get("reversed") and not depparse.config.get("resolve_head_constraints", True)
                and not hasattr(depparse, "_variant")
                and depparse.config.get("sort_during_eval", True)
                and depparse.config.get("min_length_to_batch_separately", PARSE_SEPARATE_LENGTH)
                == PARSE_SEPARATE_LENGTH
                and not lemma.use_identity and lemma.config.get("ensemble_dict") and not lemma.config.get("dict_only")
                and not lemma.trainer.has_contextual_lemmatizers() and not lemma.config.get("caseless")
                and not lemma.store_results and lemma.config.get("beam_size", 1) == 1
                and lemma.trainer.model.contextual_embedding is None
                and ner.trainer.model.bert_model is None and nargs["word_emb_dim"] > 0 and nargs["char"]
                and not nargs.get("charlm") and "word" in ner.trainer.model.vocab
                and "delta" in ner.trainer.model.vocab and ner.trainer.model.delta_emb is not None
                and not nargs.get("connect_output_layers") and len(ner.trainer.model.tag_clfs) == 1
                and not ner.config.get("char_lowercase"))

    # --- POS, lemma, parse ----------------------------------------------------------------------------
    def parse(self, sentences: list[list[str]]) -> list[list[ParsedWord]]:
        """Tags, lemmas and the dependency tree of each sentence (a list of word texts)."""
        if not sentences:
            return []
        with self._no_grad():
            upos, xpos = self._tag(sentences)
            lemmas = self._lemmatize([w for s in sentences for w in s], [u for s in upos for u in s])
            lemma_iter = iter(lemmas)
            sentence_lemmas = [[next(lemma_iter) for _ in s] for s in sentences]
            arcs = self._parse(sentences, upos, xpos, sentence_lemmas)
        return [[ParsedWord(_value(u), _value(x), lemma if not (lemma == "_" and word != "_") else None,
                            head, _value(deprel))
                 for word, u, x, lemma, (head, deprel) in zip(s, su, sx, sl, sa)]
                for s, su, sx, sl, sa in zip(sentences, upos, xpos, sentence_lemmas, arcs)]

    def _simplified(self, word: str) -> str:
        question, exclamation = self._simplify
        return exclamation.sub("!", question.sub("?", word))

    def _tag(self, sentences: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
        """stanza's POSProcessor: upos and xpos strings per word."""
        words = [[self._pos_words.get(self._simplified(w)) for w in s] for s in sentences]
        upos: list[list[str]] = [[] for _ in sentences]
        xpos: list[list[str]] = [[] for _ in sentences]
        for batch in _length_limited(sentences, POS_BATCH_SENTENCES, POS_BATCH_WORDS):
            b = _Batch(words, batch)
            upos_ids, xpos_ids = _tagger_heads(self.tagger, self._xpos_scorer, b)
            for i, n, u, x in zip(b.sentences, b.lens, upos_ids.tolist(), xpos_ids.tolist()):
                upos[i] = [self._upos[t] for t in u[:n]]
                xpos[i] = [self._xpos[t] for t in x[:n]]
        return upos, xpos

    def _lemmatize(self, words: list[str], upos: list[str]) -> list[str]:
        """stanza's LemmaProcessor with ensemble_dict: the dictionary, else the seq2seq model; the model's
        answer for a (word, upos) is remembered (its networks stay fp32, so the answer is the pair's own)."""
        from stanza.models.common.doc import Document
        from stanza.models.lemma.data import DataLoader

        trainer, config = self.lemma.trainer, self.lemma.config
        pairs = [(w, _value(u)) for w, u in zip(words, upos)]
        known = [trainer._lookup(w, pos) for w, pos in pairs]
        missing = [p for p, lemma in zip(pairs, known) if lemma is None]
        if len(self._lemmas) + len(missing) > _MAX_REMEMBERED:
            self._lemmas.clear()
        unknown = list(dict.fromkeys(p for p in missing if p not in self._lemmas))
        if unknown:
            doc = Document([[{"id": i + 1, "text": w, "upos": pos or "_"} for i, (w, pos) in enumerate(unknown)]])
            loader = DataLoader(doc, config["batch_size"], config, vocab=self.lemma.vocab, evaluation=True,
                                expand_unk_vocab=True)
            preds: list[str] = []
            edits: list[int] = []
            for b in loader:
                ps, es = _seq2seq_lemmas(trainer.model, b, loader.vocab)
                preds += ps
                if es is not None:
                    edits += es
            self._lemmas.update(zip(unknown, trainer.postprocess([w for w, _ in unknown], preds, edits=edits)))
        found = [lemma if lemma is not None else self._lemmas[p] for lemma, p in zip(known, pairs)]
        lemmas = [lemma if lemma is not None else w for lemma, (w, _) in zip(found, pairs)]  # stanza's ensemble
        return [max((len(x), x), (0, "_"))[1] for x in lemmas]  # an empty lemma is "_", as stanza writes it

    def _parse(self, sentences: list[list[str]], upos: list[list[str]], xpos: list[list[str]],
               lemmas: list[list[str]]) -> list[list[tuple[int, str]]]:
        """stanza's DepparseProcessor: (head, deprel) per word."""
        import torch
        from stanza.models.common.vocab import ROOT_ID

        root = (ROOT_ID, ROOT_ID, [ROOT_ID])
        words = [[root] + [self._parse_words.get(self._simplified(w)) for w in s] for s in sentences]
        upos_ids = [[ROOT_ID] + [self._parse_upos.unit2id(u) for u in s] for s in upos]
        xpos_ids = [[ROOT_ID] + [self._parse_xpos.unit2id(x) for x in s] for s in xpos]
        lemma_ids = [[ROOT_ID] + [self._lemma_id(lemma) for lemma in s] for s in lemmas]
        nfeats = len(self.parser.vocab["feats"])
        out: list[list[tuple[int, str]]] = [[] for _ in sentences]
        batch_size = self.depparse.config["batch_size"]
        for batch in _parser_batches([len(w) for w in words], PARSE_LSTM_WORDS):
            b = _Batch(words, batch)
            # the parser embeds features but never uses them (stanza 1.15): any ids of the right shape do
            feats = torch.zeros(*b.word.shape, nfeats, dtype=torch.long)
            hidden = self.parser.embed(b.word, b.word.eq(0), b.chars, b.chars.eq(0), b.column(upos_ids),
                                       b.column(xpos_ids), feats, b.pretrained, b.column(lemma_ids), None, None,
                                       b.char_order, b.lens, b.char_lens, [sentences[i] for i in b.sentences])
            # the scorers read (sentences x longest x longest) arrays: in stanza's batches of `batch_size`
            # words, of like length, as the LSTM's rows are sorted by length
            for start, stop in _runs(b.lens, batch_size):
                lens = b.lens[start:stop]
                arcs = arc_labels.decode(self.parser, hidden[start:stop, :lens[0]], lens)
                for i, sentence_arcs in zip(b.sentences[start:stop], arcs):
                    out[i] = [(head, deprel) for head, deprel in sentence_arcs]
        return out

    def _lemma_id(self, lemma: str) -> int:
        found = self._parse_lemma.get(lemma)
        if found is None:
            if len(self._parse_lemma) > _MAX_REMEMBERED:
                self._parse_lemma.clear()
            found = self._parse_lemma[lemma] = self.parser.vocab["lemma"].unit2id(lemma)
        return found

    # --- NER -----------------------------------------------------------------------------------------------
    def ner_tags(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIOES tags per word (each word a token, as the engine's words are), as stanza's NERProcessor."""
        if not sentences:
            return []
        batch_size = self.ner.config["batch_size"]
        words = [[self._ner_word(w) for w in s] for s in sentences]
        out: list[list[str]] = [[] for _ in sentences]
        with self._no_grad():
            for batch in _ner_batches(len(sentences), batch_size):
                b = _Batch(words, batch)
                logits, transitions = _ner_scores(self.ner_model, b)
                for i, path in zip(b.sentences, _viterbi(logits.numpy(), transitions.numpy(), b.lens)):
                    out[i] = _fix_singletons([self._ner_tags[max(t, _PREFIX)] for t in path])
        return out

    def _ner_word(self, text: str) -> tuple[int, int, list[int]]:
        """(delta id, pretrained id, character ids) of a word, as NERTagger.forward and stanza's NER
        DataLoader compute them: the NER model's own word vocabulary ("delta", fine-tuned) and its
        pretrained one ("word"), lowercased; a delta id the pretrained vocabulary covers is padding."""
        found = self._ner_words.get(text)
        if found is None:
            from stanza.models.common.vocab import PAD_ID, UNK_ID

            vocab = self.ner_model.vocab
            low = text.lower() if self.ner_model.args.get("lowercase", True) else text
            static, delta = vocab["word"].unit2id(low), vocab["delta"].unit2id(low)
            if delta == UNK_ID and static != UNK_ID:
                delta = PAD_ID
            if len(self._ner_words) > _MAX_REMEMBERED:
                self._ner_words.clear()
            found = self._ner_words[text] = (delta, static, vocab["char"].map(list(text)))
        return found


class _WordIds:
    """A tagger's or parser's (word id, pretrained id, character ids) per word text, as stanza's
    datasets compute them, remembered."""

    def __init__(self, vocab: Any, pretrain_vocab: Any):
        self._vocab, self._pretrain = vocab, pretrain_vocab
        self._ids: dict[str, tuple[int, int, list[int]]] = {}

    def get(self, text: str) -> tuple[int, int, list[int]]:
        found = self._ids.get(text)
        if found is None:
            if len(self._ids) > _MAX_REMEMBERED:
                self._ids.clear()
            found = self._ids[text] = (self._vocab["word"].unit2id(text), self._pretrain.unit2id(text.lower()),
                                       self._vocab["char"].map(list(text)))
        return found


class _Batch:
    """One batch as stanza's collate functions build it: the sentences sorted by length (ties the later
    first), their words' ids in the model's word vocabulary and in the pretrained one, padded, and every
    word's characters sorted by length (ties the later first), padded."""

    def __init__(self, words: list[list[tuple[int, int, list[int]]]], batch: list[int]):
        order = _sorted_by_length([len(words[i]) for i in batch])
        self.sentences = [batch[k] for k in order]
        rows = [words[i] for i in self.sentences]
        self.lens = [len(r) for r in rows]
        self.word = _padded([[w[0] for w in r] for r in rows])
        self.pretrained = _padded([[w[1] for w in r] for r in rows])
        characters = [w[2] for r in rows for w in r]
        self.char_order = _sorted_by_length([len(c) for c in characters])
        sorted_characters = [characters[i] for i in self.char_order]
        self.chars = _padded(sorted_characters)
        self.char_lens = [len(c) for c in sorted_characters]

    def column(self, values: list[list[int]]) -> Any:
        """Another per-word column of these sentences, padded in the batch's order."""
        return _padded([values[i] for i in self.sentences])


class _XposScorer:
    """The tagger's xpos scorer with its upos side folded in.

    stanza scores xpos with a biaffine form of each word's xpos hidden layer and the embedding of its
    predicted upos: a (hidden + 1) x (embedding + 1) product per xpos tag and word. The embedding is one
    of 21, so each upos's product with the weights is computed once here: a word's scores are then its
    hidden layer times its upos's (hidden + 1) x tags matrix, a fiftieth of the work. The same sums in
    another order: the scores agree to float rounding."""

    def __init__(self, tagger: Any):
        import torch

        bilinear = tagger.tag_clf["xpos"].W_bilin  # nn.Bilinear over inputs with a 1 appended (BiaffineScorer)
        with torch.no_grad():
            emb = tagger.upos_emb.weight
            emb = torch.cat([emb, emb.new_ones(len(emb), 1)], 1)
            self.tables = torch.einsum("oij,uj->uio", bilinear.weight, emb).contiguous()  # (upos, hidden + 1, tags)
            self.bias = bilinear.bias.detach().clone()

    def __call__(self, hidden: Any, upos: Any) -> Any:
        """(words, tags) scores of words with these hidden layers (words, hidden) and upos ids (words,)."""
        import torch

        hidden = torch.cat([hidden, hidden.new_ones(len(hidden), 1)], 1)
        scores = hidden.new_empty(len(hidden), len(self.bias))
        for u in torch.unique(upos).tolist():
            rows = (upos == u).nonzero().squeeze(1)
            scores[rows] = torch.addmm(self.bias, hidden[rows], self.tables[u])
        return scores


_PREFIX = 4  # stanza's VOCAB_PREFIX_SIZE: NER predictions below it are read as the first real tag


def _value(x: str | None) -> str | None:
    """stanza's Word setters: "_" is no value."""
    return None if x is None or x == "_" else x


def _one_tag(vocab: Any, tag_id: int, predict_tagset: int) -> str:
    unit = vocab.unmap([(tag_id,)])[0]
    return unit[predict_tagset] if isinstance(unit, list) else unit


def _sorted_by_length(lengths: list[int]) -> list[int]:
    """Positions by descending length, ties the later first: stanza's sort_all."""
    return sorted(range(len(lengths)), key=lambda i: (lengths[i], i), reverse=True)


def _padded(rows: list[list[int]]) -> Any:
    """A (rows, longest) LongTensor padded with 0 (stanza's PAD_ID)."""
    import torch

    out = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return torch.from_numpy(out)


def _length_limited(sentences: list[list[str]], max_sentences: int, max_words: int) -> list[list[int]]:
    """stanza's LengthLimitedBatchSampler over the sentences in order."""
    batches: list[list[int]] = []
    current: list[int] = []
    words = 0
    for i, s in enumerate(sentences):
        if max_words and len(s) > max_words:
            if current:
                batches.append(current)
                current, words = [], 0
            batches.append([i])
            continue
        if len(current) + 1 > max_sentences or (max_words and len(s) + words > max_words):
            batches.append(current)
            current, words = [], 0
        current.append(i)
        words += len(s)
    if current:
        batches.append(current)
    return batches


def _parser_batches(lengths: list[int], batch_words: int) -> list[list[int]]:
    """stanza's depparse data_to_batches at evaluation: sentences (lengths with ROOT) sorted by length,
    those longer than PARSE_SEPARATE_LENGTH alone, the rest in batches of at most `batch_words`."""
    batches: list[list[int]] = []
    current: list[int] = []
    words = 0
    for i in _sorted_by_length(lengths):
        if lengths[i] > PARSE_SEPARATE_LENGTH:
            if words > 0:
                batches.append(current)
                current, words = [], 0
            batches.append([i])
        else:
            if lengths[i] + words > batch_words and words > 0:
                batches.append(current)
                current, words = [], 0
            current.append(i)
            words += lengths[i]
    if words > 0:
        batches.append(current)
    return batches


def _runs(lengths: list[int], max_words: int) -> list[tuple[int, int]]:
    """(start, stop) of consecutive runs of `lengths` of at most `max_words` in all (a longer one alone)."""
    runs: list[tuple[int, int]] = []
    start = words = 0
    for i, n in enumerate(lengths):
        if words and words + n > max_words:
            runs.append((start, i))
            start, words = i, 0
        words += n
    if words:
        runs.append((start, len(lengths)))
    return runs


def _ner_batches(count: int, batch_size: int) -> list[list[int]]:
    """stanza's NER DataLoader at evaluation as its processor builds it (no word limit): sentences in
    order, `batch_size` a batch."""
    return [list(range(i, min(i + batch_size, count))) for i in range(0, count, batch_size)]


def _tagger_heads(model: Any, xpos_scorer: _XposScorer, b: _Batch) -> tuple[Any, Any]:
    """stanza's Tagger.forward at inference, its upos and xpos heads only: (upos ids, xpos ids), padded."""
    import torch
    import torch.nn.functional as F
    from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

    lens = b.lens
    inputs = [pack_padded_sequence(model.word_emb(b.word), lens, batch_first=True),
              pack_padded_sequence(model.trans_pretrained(model.pretrained_emb(b.pretrained)), lens, batch_first=True)]
    char_reps = model.charmodel(b.chars, b.chars.eq(0), b.char_order, lens, b.char_lens)
    inputs.append(PackedSequence(model.trans_char(char_reps.data), char_reps.batch_sizes))
    batch_sizes = inputs[0].batch_sizes
    lstm_inputs = PackedSequence(torch.cat([x.data for x in inputs], 1), batch_sizes)
    layers, hidden_dim = model.args["num_layers"], model.args["hidden_dim"]
    hx = (model.taggerlstm_h_init.expand(2 * layers, len(lens), hidden_dim).contiguous(),
          model.taggerlstm_c_init.expand(2 * layers, len(lens), hidden_dim).contiguous())
    lstm_outputs = model.taggerlstm(lstm_inputs, lens, hx=hx)[0].data

    def pad(x: Any) -> Any:
        return pad_packed_sequence(PackedSequence(x, batch_sizes), batch_first=True)[0]

    upos_scores = model.upos_clf(F.relu(model.upos_hid(lstm_outputs)))
    xpos_hid = F.relu(model.tag_hid["xpos"](lstm_outputs))
    xpos_scores = xpos_scorer(xpos_hid, upos_scores.max(1)[1])
    return pad(upos_scores).max(2)[1], pad(xpos_scores).max(2)[1]


def _seq2seq_lemmas(model: Any, batch: Any, vocab: Any) -> tuple[list[str], list[int] | None]:
    """stanza's lemma Trainer.predict with greedy decoding: (the seq2seq's lemma, the edit class) per word.

    The decoder runs step by step over the whole batch until every word has its end symbol; a word whose
    edit class is "identity" or "lower" never reads its decoded lemma (edit.edit_word), so here the
    steps stop once every word whose class is "none" has its answer. Their answers are the same: the same
    computation on the same batch, fewer steps. The others' decoded text is cut short, and unread."""
    from stanza.models.common import utils
    from stanza.models.common.seq2seq_constant import EOS_ID, UNK_ID

    src, src_mask, _, _, pos, _, orig_idx, text = batch
    embedded, size, src_lens, src_mask = model.embed(src, src_mask, pos, text)
    h_in, (hn, cn) = model.encode(embedded, src_lens)
    edits = model.edit_clf(hn).argmax(1).tolist() if model.edit else None
    waiting = [i for i in range(size) if edits is None or edits[i] == 0]  # EDIT_TO_ID["none"]
    dec_inputs = model.embedding(model.SOS_tensor).expand(size, 1, -1)
    output: list[list[int]] = [[] for _ in range(size)]
    steps = 0
    while waiting and steps < model.max_dec_len:
        log_probs, (hn, cn) = model.decode(dec_inputs, hn, cn, h_in, src_mask, src=src)
        preds = log_probs.squeeze(1).max(1, keepdim=True)[1]
        dec_inputs = model.embedding(preds.masked_fill(preds >= model.vocab_size, UNK_ID))
        steps += 1
        tokens = preds.view(-1).tolist()
        for i in waiting:
            if tokens[i] != EOS_ID:
                output[i].append(tokens[i])
        waiting = [i for i in waiting if tokens[i] != EOS_ID]
    lemmas = ["".join(seq) for seq in utils.prune_decoded_seqs([vocab["char"].unmap(ids) for ids in output])]
    return utils.unsort(lemmas, orig_idx), (utils.unsort(edits, orig_idx) if edits is not None else None)


def _ner_scores(model: Any, b: _Batch) -> tuple[Any, Any]:
    """stanza's NERTagger.forward at inference without its CRF loss: (logits padded, CRF transitions)."""
    import torch
    from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

    lens = b.lens
    embedded = model.word_emb(b.pretrained) + model.delta_emb(b.word)  # NER's "word" vocab is the pretrained one
    inputs = [pack_padded_sequence(embedded, lens, batch_first=True)]
    char_reps = model.charmodel(b.chars, b.chars.eq(0), b.char_order, lens, b.char_lens)
    inputs.append(PackedSequence(char_reps.data, char_reps.batch_sizes))
    batch_sizes = inputs[0].batch_sizes
    lstm_inputs = torch.cat([x.data for x in inputs], 1)
    if model.input_transform is not None:
        lstm_inputs = model.input_transform(lstm_inputs)
    layers, hidden_dim = model.args["num_layers"], model.args["hidden_dim"]
    hx = (model.taggerlstm_h_init.expand(2 * layers, len(lens), hidden_dim).contiguous(),
          model.taggerlstm_c_init.expand(2 * layers, len(lens), hidden_dim).contiguous())
    lstm_outputs = model.taggerlstm(PackedSequence(lstm_inputs, batch_sizes), lens, hx=hx)[0].data
    logits = pad_packed_sequence(PackedSequence(model.tag_clfs[0](lstm_outputs), batch_sizes), batch_first=True)[0]
    return logits.contiguous(), model.crits[0]._transitions.detach()


def _viterbi(scores: np.ndarray, transitions: np.ndarray, lens: list[int]) -> list[list[int]]:
    """stanza's viterbi_decode for every sentence of a batch at once (the same sums and maxima per
    sentence, so the same paths): scores (sentences, words, tags)."""
    steps = scores.shape[1]
    trellis = np.zeros_like(scores)
    backpointers = np.zeros(scores.shape, dtype=np.int32)
    trellis[:, 0] = scores[:, 0]
    for t in range(1, steps):
        v = trellis[:, t - 1, :, None] + transitions  # (sentences, from, to)
        trellis[:, t] = scores[:, t] + v.max(1)
        backpointers[:, t] = v.argmax(1)
    paths = []
    for i, n in enumerate(lens):
        path = [int(np.argmax(trellis[i, n - 1]))]
        for t in range(n - 1, 0, -1):
            path.append(int(backpointers[i, t, path[-1]]))
        path.reverse()
        paths.append(path)
    return paths


def _fix_singletons(tags: list[str]) -> list[str]:
    from stanza.models.ner.trainer import fix_singleton_tags

    return fix_singleton_tags(tags)
