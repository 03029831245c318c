"""The cues stage: reporting cues in parsed sentences, each with its source and reported content.

  Putin said (that) they are talking ...     cue "said", source = nsubj, content = ccomp subtree
  "...," Putin said. / ..., said Putin.      cue is a parataxis of the content's head (inverted or not)
  Putin promised to ask Assad ...            content = xcomp subtree, for verbs that take it
  ..., stating that ...                      no subject of its own: the subject of the clause it hangs on
  according to the BBC, ...                  cue "according to", source = its noun, content = the clause
  Trump called him a "nasty guy"             cue "called", source = nsubj, content = object to quotation end
"""
from __future__ import annotations

from ..lexicon import cue_lexicon
from ..nlp import TaggedSentence
from .according import according_to
from .naming import naming_cue
from .spans import Cue, mention_span, subtree, words_span
from .verbs import verb_cue

__all__ = ["Cue", "find_cues", "mention_span", "subtree", "words_span"]


def find_cues(sent: TaggedSentence) -> list[Cue]:
    if not sent.parsed:
        return []
    lex = cue_lexicon()
    cues = []
    for i, w in enumerate(sent.words):
        lemma = w.lemma.lower()
        if w.text.lower() == "according" and i + 1 < len(sent.words) and sent.words[i + 1].text.lower() == "to":
            cue = according_to(sent, i)
        elif w.upos in ("VERB", "AUX") and w.text.lower() in lex["forms"] and (
                lemma in lex["speech"] or lemma in lex["belief"]):
            cue = verb_cue(sent, i, lemma, lemma in lex["belief"] and lemma not in lex["speech"])
        elif w.upos == "VERB" and lex["naming"].get(w.text.lower()) == lemma:
            cue = naming_cue(sent, i, lemma)
        else:
            cue = None
        if cue is not None:
            cues.append(cue)
    return cues
