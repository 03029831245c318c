"""Word lists the rules use: reporting verbs (data/cues.json) and the small closed classes of English."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

PRONOUNS = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
    "they": "plural", "them": "plural", "their": "plural", "we": "plural", "us": "plural",
    "it": "neuter", "its": "neuter", "i": "first", "me": "first", "you": "second",
}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# Head nouns of sources that stay unnamed ("sources said", "a spokesman said").
UNNAMED_HEADS = {
    "source", "sources", "official", "officials", "report", "reports", "spokesman", "spokeswoman",
    "spokesperson", "spokespeople", "aide", "aides", "analyst", "analysts", "expert", "experts", "critic",
    "critics", "observer", "observers", "insider", "insiders", "diplomat", "diplomats", "witness", "witnesses",
    "resident", "residents", "people", "person", "media", "representative", "representatives", "advisers",
    "adviser", "advisor", "advisors", "someone", "some", "others", "many", "supporters", "opponents",
    "lawmakers", "activists", "investigators", "authorities", "police", "prosecutors", "officers", "staff",
    "voters", "members", "leaders", "allies", "associates", "friends", "colleagues", "neighbours", "neighbors",
}
# Head nouns of sources that are things: polls, studies, documents.
THING_HEADS = {
    "poll", "polls", "survey", "surveys", "study", "studies", "data", "statement", "letter", "document",
    "documents", "memo", "filing", "complaint", "lawsuit", "ruling", "analysis", "research", "figures",
    "estimates", "email", "emails", "post", "tweet", "video", "ad", "advertisement", "website", "book",
    "article", "story", "release", "results", "numbers", "record", "records", "court", "report",
}
# Nouns for people, so that "Tice's mother" or "the senator" is a person.
PERSON_HEADS = {
    "mother", "father", "wife", "husband", "son", "daughter", "brother", "sister", "friend", "uncle", "aunt",
    "cousin", "grandmother", "grandfather", "partner", "widow", "widower", "man", "woman", "boy", "girl",
    "child", "parent", "parents", "candidate", "nominee", "senator", "governor", "president", "minister",
    "secretary", "chairman", "chairwoman", "chair", "ceo", "founder", "director", "manager", "leader",
    "lawyer", "attorney", "judge", "mayor", "ambassador", "prime", "chancellor", "king", "queen", "prince",
    "princess", "pope", "general", "commander", "colonel", "captain", "officer", "doctor", "professor",
    "teacher", "student", "journalist", "reporter", "editor", "author", "host", "actor", "actress", "singer",
    "star", "player", "coach", "owner", "worker", "victim", "survivor", "suspect", "defendant", "lawmaker",
    "congressman", "congresswoman", "representative", "rep.", "sen.", "gov.", "strategist", "pollster",
    "economist", "scientist", "researcher", "historian", "activist", "campaigner", "organizer", "adviser",
    "advisor", "consultant", "analyst", "veteran", "soldier", "priest", "bishop", "rabbi", "imam", "monarch",
    "emperor", "dictator", "premier", "spokesman", "spokeswoman", "spokesperson", "aide", "deputy",
    "speaker", "official", "executive", "billionaire", "businessman", "businesswoman", "magnate",
}
# Words of a title before or after a name ("Russian President Vladimir Putin").
TITLE_WORDS = {
    "president", "vice", "prime", "minister", "secretary", "senator", "sen.", "governor", "gov.",
    "representative", "rep.", "congressman", "congresswoman", "mayor", "chancellor", "king", "queen",
    "prince", "princess", "pope", "general", "gen.", "lt.", "col.", "colonel", "commander", "admiral",
    "judge", "justice", "chief", "chairman", "chairwoman", "chair", "ceo", "director", "ambassador",
    "speaker", "leader", "spokesman", "spokeswoman", "spokesperson", "foreign", "defense", "defence",
    "interior", "finance", "state", "attorney", "deputy", "former", "acting", "dr.", "professor", "prof.",
    "sheikh", "emir", "sultan", "ayatollah", "premier", "dictator", "supreme", "head", "founder", "candidate",
    "nominee", "first", "lady", "crown", "opposition", "party", "executive", "officer", "minority", "majority",
    "mr.", "mrs.", "ms.", "miss", "sir", "dame", "lord", "rev.", "reverend", "father",
    "democrat", "democratic", "republican", "gop",  # party labels: "Democrat Hillary Clinton"
}
# Words next to a name that give the person's gender ("Mrs. Clinton", "the congresswoman").
GENDERED_WORDS = {
    **dict.fromkeys(["mr.", "mr", "sir", "lord", "king", "prince", "congressman", "spokesman", "businessman",
                     "husband", "son", "brother", "widower", "uncle", "grandfather", "nephew", "boyfriend"], "male"),
    **dict.fromkeys(["mrs.", "mrs", "ms.", "ms", "miss", "dame", "lady", "queen", "princess", "congresswoman",
                     "spokeswoman", "chairwoman", "businesswoman", "wife", "daughter", "sister", "widow", "aunt",
                     "grandmother", "niece", "girlfriend", "actress", "mother"], "female"),
}
# Closed-class words that start sentences ("The", "He", "But"): a capital on one of them is no name.
FUNCTION_WORDS = {
    "a", "an", "the", "this", "that", "these", "those", "some", "any", "no", "every", "each", "all", "both",
    "many", "most", "much", "more", "few", "other", "another", "such", "what", "which", "who", "whom", "whose",
    "when", "where", "why", "how", "whether", "if", "unless", "because", "since", "as", "while", "although",
    "though", "after", "before", "until", "once", "so", "and", "but", "or", "nor", "yet", "then", "also",
    "still", "even", "just", "only", "now", "here", "there", "however", "instead", "meanwhile", "indeed",
    "perhaps", "maybe", "rather", "thus", "therefore", "in", "on", "at", "by", "for", "from", "with", "without",
    "of", "to", "into", "about", "over", "under", "between", "among", "during", "against", "through", "within",
    "despite", "like", "unlike", "is", "are", "was", "were", "it's", "there's", "that's", "not", "yes", "well",
    "oh", "my", "our", "your", "one", "two", "three", "last", "next", "first",
} | set(PRONOUNS) | RELATIVE_PRONOUNS
HONORIFICS = {"mr.", "mrs.", "ms.", "miss", "dr.", "mr", "mrs", "ms", "dr", "sir", "dame", "prof.", "rev."}


@lru_cache(maxsize=2)
def cue_lexicon(triggers_only: bool = True) -> dict:
    """Reporting verbs: lemma classes, `forms` (surface form -> lemma) that can be a cue, `triggers`, the
    forms that make a sentence worth parsing, and `naming` (form -> lemma), cues only before a quotation.
    From data/cue_forms.json (learned on PolNeAR train): forms that are rarely an annotated cue are neither;
    forms whose sentences rarely gave the engine a cue are no triggers, but stay cues in a sentence parsed
    for another word."""
    raw = json.loads((DATA / "cues.json").read_text("utf-8"))
    speech, belief = set(raw["speech"]), set(raw["belief"]) - set(raw["speech"])
    forms: dict[str, str] = {}
    for lemma in speech | belief:
        for form in _inflections(lemma) + raw["irregular_forms"].get(lemma, []):
            forms.setdefault(form, lemma)
    learned = DATA / "cue_forms.json"
    triggers = set(forms)
    if triggers_only and learned.exists():
        data = json.loads(learned.read_text("utf-8"))
        for form in data["not_triggers"]:
            forms.pop(form, None)
        triggers = set(forms) - set(data.get("not_triggers_by_engine", []))
    naming = {form: lemma for lemma in raw["naming"] for form in _inflections(lemma)}
    return {"speech": speech, "belief": belief, "xcomp": set(raw["xcomp"]), "forms": forms,
            "triggers": triggers, "naming": naming}


def _inflections(lemma: str) -> list[str]:
    """Regular English verb forms: say -> says, sayed, saying (irregulars come from the data file)."""
    if lemma.endswith("e"):
        stem_ed, stem_ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        stem_ed, stem_ing = lemma[:-1] + "ied", lemma + "ing"
    elif len(lemma) <= 4 and lemma[-1] not in "aeiouwyx" and lemma[-2:-1] in "aeiou" and lemma[-3:-2] not in "aeiou":
        stem_ed, stem_ing = lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"  # stop -> stopped
    else:
        stem_ed, stem_ing = lemma + "ed", lemma + "ing"
    third = lemma[:-1] + "ies" if lemma.endswith("y") and lemma[-2:-1] not in "aeiou" else (
        lemma + "es" if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) else lemma + "s")
    return [lemma, third, stem_ed, stem_ing, lemma + "ed", lemma + "ing"]


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """Lower-cased given name -> "male" / "female", for names that are almost always one (data/first_names.json)."""
    raw = json.loads((DATA / "first_names.json").read_text("utf-8"))
    return {**{n.lower(): "male" for n in raw["male"]}, **{n.lower(): "female" for n in raw["female"]}}
