"""Issue 14: the precision switch. int8 swaps the networks' LSTMs for dynamic-quantized ones (linear layers and
the parser's biaffine scorers stay fp32) and names itself in model_version; fp32 loads the models as trained."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import QUOTES


def test_precision_names_the_models_and_env_selects_it(monkeypatch):
    from quotes_service.models import ModelsNotFound, select_models

    int8, fp32 = select_models("bundled", "int8"), select_models("bundled", "fp32")
    assert int8.version == fp32.version + "-int8" and (int8.precision, fp32.precision) == ("int8", "fp32")
    assert int8.pipeline_kwargs == fp32.pipeline_kwargs
    monkeypatch.setenv("QUOTES_PRECISION", "fp32")
    assert select_models().version == fp32.version
    assert select_models(precision="int8").version == int8.version  # the flag wins over the environment
    with pytest.raises(ModelsNotFound, match="precision"):
        select_models(precision="int4")


def test_models_command_reports_the_precision():
    shown = [json.loads(subprocess.run([QUOTES, "models", "--json", "--precision", p], capture_output=True,
                                       text=True, check=True).stdout) for p in ("int8", "fp32")]
    assert [s["precision"] for s in shown] == ["int8", "fp32"]
    assert shown[0]["version"] == shown[1]["version"] + "-int8"


@pytest.fixture(scope="module")
def engines():
    from quotes_service.engine import Engine
    from quotes_service.models import select_models

    return {p: Engine(select_models("bundled", p), threads=1) for p in ("int8", "fp32")}


@pytest.mark.slow
def test_int8_quantizes_the_networks_but_not_the_biaffine_scorers(engines):
    from torch import nn
    from torch.ao.nn.quantized import dynamic as qdynamic

    quantized, plain = engines["int8"].nlp, engines["fp32"].nlp
    for name in ("pos", "depparse", "ner"):
        model = quantized.pipeline.processors[name].trainer.model
        lstms = [m for n, m in model.named_modules()
                 if isinstance(m, (nn.LSTM, qdynamic.LSTM)) and not n.startswith("charmodel.")]
        assert lstms and all(isinstance(m, qdynamic.LSTM) for m in lstms), name
        assert not any(isinstance(m, qdynamic.LSTM) for m in plain.pipeline.processors[name].trainer.model.modules())
    # fp32 where the engine remembers a network's answer per word (char_dedup.py, the lemmatizer, MWT):
    # an int8 answer would be its batch's
    remembered = [quantized.pipeline.processors[n].trainer.model.charmodel for n in ("pos", "depparse", "ner")]
    remembered += [quantized.pipeline.processors[n].trainer.model for n in ("lemma", "mwt")]
    for model in remembered:
        assert not any(isinstance(m, qdynamic.LSTM | qdynamic.LSTMCell) for m in model.modules())
        assert any(isinstance(m, nn.LSTM) for m in model.modules())
    parser = quantized.pipeline.processors["depparse"].trainer.model
    for scorer in (parser.unlabeled, parser.deprel):
        assert type(scorer.W1) is nn.Linear and type(scorer.W2) is nn.Linear  # fp32, not DynamicQuantizedLinear
    # linear layers stay fp32 too: per-batch activation scales cost EWT dev 3.9 UPOS points (model card)
    assert type(parser.parserlstm.highway[0]) is nn.Linear
    tokenizer = quantized.pipeline.processors["tokenize"].trainer.model
    assert type(tokenizer.rnn) is nn.LSTM  # fp32: its small LSTM is slower in int8
    assert quantized.selection.version != plain.selection.version


@pytest.mark.slow
def test_both_precisions_find_the_seed_quotes_and_version_them(engines, seed_text):
    results = [engines[p].extract(seed_text) for p in ("int8", "fp32")]
    assert [r.model_version.endswith("-int8") for r in results] == [True, False]
    assert len(results[0].quotes) == len(results[1].quotes) > 10



def test_quantized_lstm_called_by_its_packed_overload_gives_the_same_outputs():
    import copy

    import torch
    from torch.nn.utils.rnn import pack_padded_sequence

    from quotes_service.engine.quantization import quantize_model

    torch.manual_seed(14)
    model = torch.nn.Sequential(torch.nn.LSTM(16, 8, num_layers=2, bidirectional=True)).eval()
    assert quantize_model(model) == 1
    lstm = model[0]
    stock = copy.deepcopy(lstm)
    del stock.forward_impl  # torch's own, which leaves the overload to the dispatcher
    assert "forward_impl" in vars(lstm) and "forward_impl" not in vars(stock)
    packed = pack_padded_sequence(torch.randn(7, 3, 16), [7, 5, 2])
    with torch.no_grad():
        (out, (h, c)), (ref, (h_ref, c_ref)) = lstm(packed), stock(packed)
        padded = lstm(torch.randn(4, 2, 16))
    assert torch.equal(out.data, ref.data) and torch.equal(h, h_ref) and torch.equal(c, c_ref)
    assert padded[0].shape == (4, 2, 16)  # a padded batch still takes torch's path
