"""int8 dynamic quantization of the loaded stanza models: the same networks, 8-bit weights, faster on CPU.

`quantize_pipeline` swaps, after loading, every nn.LSTM, nn.LSTMCell and nn.Linear of the chosen
processors for torch's dynamic-quantized versions (int8 weights, activations quantized per batch on the
fly). The parser's biaffine scorers (DeepBiaffineScorer: the arc and label scores the tree decoder reads)
and every nn.Bilinear stay fp32: they are a small share of the time and where rounding would move a
head or a label. The accuracy of each precision is in the model card (models/stanza-en/README.md).

torch 2.13 still ships `torch.ao.quantization.quantize_dynamic` but marks it deprecated in favour of
torchao (which has no dynamic int8 LSTM for CPU). The API works unchanged; its deprecation warnings are
silenced here, where it is called, and nowhere else.
"""
from __future__ import annotations

import warnings
from typing import Any

# the processors whose networks are quantized; fp32 elsewhere
QUANTIZED_PROCESSORS = ("mwt", "pos", "lemma", "depparse", "ner")
# module class names whose insides stay fp32
_KEEP_FP32 = ("DeepBiaffineScorer", "BiaffineScorer", "PairwiseBiaffineScorer", "PairwiseBilinear")


def quantizable(model: Any) -> list[str]:
    """Names of the LSTM, LSTMCell and Linear modules of `model` outside the biaffine scorers."""
    from torch import nn

    kept: list[str] = [name for name, m in model.named_modules() if type(m).__name__ in _KEEP_FP32]
    return [name for name, m in model.named_modules()
            if isinstance(m, (nn.LSTM, nn.LSTMCell, nn.Linear))
            and not any(name == k or name.startswith(k + ".") for k in kept)]


def quantize_model(model: Any) -> int:
    """Quantize `model` in place; returns how many modules were swapped."""
    import torch
    from torch.ao.quantization import default_dynamic_qconfig

    names = quantizable(model)
    if not names:
        return 0
    with warnings.catch_warnings():
        # "torch.ao.quantization is deprecated" and "torch.quantize_per_tensor ... deprecated": see above
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.ao\..*")
        warnings.filterwarnings("ignore", message=r".*quantiz.*deprecated", category=UserWarning)
        warnings.filterwarnings("ignore", message=r".*torch\.ao\.quantization is deprecated.*")
        from torch.ao.quantization import quantize_dynamic

        quantize_dynamic(model, {name: default_dynamic_qconfig for name in names}, dtype=torch.qint8, inplace=True)
    return len(names)


def quantize_pipeline(pipeline: Any, processors: tuple[str, ...] = QUANTIZED_PROCESSORS) -> dict[str, int]:
    """Quantize the networks of a loaded stanza.Pipeline in place: {processor: modules swapped}."""
    done = {}
    for name in processors:
        processor = pipeline.processors.get(name)
        if processor is not None:
            done[name] = quantize_model(processor.trainer.model)
    return done
