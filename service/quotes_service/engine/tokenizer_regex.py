"""Keeps stanza's tokenizer linear in the text on long runs without white space.

After its model, stanza's tokenizer checks every paragraph against an e-mail and a URL pattern
(stanza.models.tokenization.utils.update_pred_regex) that backtrack over a run of letters and digits from
each of its characters: a 10,000-character "word" cost 3 s, 100,000 characters 270 s. Neither pattern
matches white space, so on a paragraph with a run longer than MAX_RUN_CHARS the check is applied to each
run on its own, and not to the runs longer than that (no e-mail address or URL is that long). Other
paragraphs are checked by stanza's own code, as before.
"""
from __future__ import annotations

import re
from typing import Any

MAX_RUN_CHARS = 1000  # checking a run costs up to its length squared: ~30 ms at this length
_RUN = re.compile(r"\S+")
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1}}}")


def install() -> None:
    """Put the bounded check in place of stanza's (stanza 1.15; once per process)."""
    from stanza.models.tokenization import utils

    original = getattr(utils.update_pred_regex, "stanza_original", utils.update_pred_regex)

    def update_pred_regex(raw: list[str], pred: Any) -> Any:
        text = "".join(raw)
        if len(text) != len(raw) or not _LONG_RUN.search(text):
            return original(raw, pred)
        for run in _RUN.finditer(text):
            begin, end = run.span()
            if end - begin <= MAX_RUN_CHARS:
                original(raw[begin:end], pred[begin:end])  # pred is a numpy row: the slice is a view
        return pred

    update_pred_regex.stanza_original = original  # type: ignore[attr-defined]
    utils.update_pred_regex = update_pred_regex
