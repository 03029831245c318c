"""int8 dynamic quantization of the loaded stanza models: the same networks, 8-bit LSTM weights, faster on CPU.

`quantize_pipeline` swaps, after loading, the word-level nn.LSTMs of the tagger, parser and NER models for
torch's dynamic-quantized versions (int8 weights; each batch's inputs quantized on the fly with one scale
for the whole batch). The networks whose answers the engine remembers per word stay fp32, so that a
remembered answer is the word's own and not its batch's: the character models (char_dedup.py), the
lemmatizer's and the MWT expander's seq2seq (fast_tagging.py, fast_tokenize.py). Linear layers, every
nn.Bilinear and the parser's biaffine scorers stay fp32: with one activation scale per batch, a long token
(a URL: the character model sums over its characters) coarsens a linear layer's input for every word of
the batch, and quantizing the tagger's linear layers too cost UD EWT dev 3.9 UPOS points; LSTMs alone cost
at most 0.19 (the model card). The tokenizer stays fp32: its hidden-64 LSTM runs slower in int8.

torch 2.13 still ships `torch.ao.quantization.quantize_dynamic` but marks it deprecated in favour of
torchao (which has no dynamic int8 LSTM for CPU). The API works unchanged; its deprecation warnings are
silenced here, where it is called, and nowhere else.
"""
from __future__ import annotations

import warnings
from typing import Any

# the processors whose networks are quantized; fp32 elsewhere
QUANTIZED_PROCESSORS = ("pos", "depparse", "ner")


def quantizable(model: Any) -> list[str]:
    """Names of the LSTM and LSTMCell modules of `model` (the biaffine scorers hold none), except the
    character models' (char_dedup.py remembers their output per word, which needs it batch-independent)."""
    from torch import nn

    return [name for name, m in model.named_modules()
            if isinstance(m, (nn.LSTM, nn.LSTMCell)) and not name.startswith("charmodel.")]


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
    from torch.ao.nn.quantized.dynamic import LSTM as QuantizedLSTM

    for module in model.modules():
        if isinstance(module, QuantizedLSTM):
            _call_packed_overload(module)
    return len(names)


def _call_packed_overload(lstm: Any) -> None:
    """Give a dynamic-quantized LSTM's packed input straight to aten's `quantized_lstm.data`.

    torch's module calls `torch.quantized_lstm` and leaves the overload to the dispatcher, which tries the
    padded overload first; its failure message prints the tensors, on every call (a sixtieth of the engine's
    time). The same kernel with the same arguments, named."""
    import torch

    original = lstm.forward_impl

    def forward_impl(input: Any, hx: Any, batch_sizes: Any, max_batch_size: int, sorted_indices: Any) -> Any:
        if batch_sizes is None or hx is None:
            return original(input, hx, batch_sizes, max_batch_size, sorted_indices)
        hx = lstm.permute_hidden(hx, sorted_indices)
        lstm.check_forward_args(input, hx, batch_sizes)
        result = torch.ops.aten.quantized_lstm.data(
            input, batch_sizes, hx, [m.param for m in lstm._all_weight_values], lstm.bias, lstm.num_layers,
            float(lstm.dropout), lstm.training, lstm.bidirectional, dtype=lstm.dtype, use_dynamic=True)
        return result[0], result[1:]

    lstm.forward_impl = forward_impl


def quantize_pipeline(pipeline: Any, processors: tuple[str, ...] = QUANTIZED_PROCESSORS) -> dict[str, int]:
    """Quantize the networks of a loaded stanza.Pipeline in place: {processor: modules swapped}."""
    done = {}
    for name in processors:
        processor = pipeline.processors.get(name)
        if processor is not None:
            done[name] = quantize_model(processor.trainer.model)
    return done
