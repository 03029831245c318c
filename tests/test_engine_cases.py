"""Each rule of the engine on realistic news sentences."""
from __future__ import annotations

import pytest

from quotes_service.engine.types import OutletEvidence, QuoteType, SpeakerKind


def quotes(engine, text, **kw):
    ex = engine.extract(text, **kw)
    return ex, [(q.type, q.content.text(text), q.speaker.name if q.speaker else None,
                 q.outlet.name if q.outlet else None) for q in ex.quotes]


def test_reported_speech_with_that_and_without(engine):
    text = ("German Chancellor Olaf Scholz said that the talks would resume next week. "
            "Scholz added the government was ready to help.")
    _, found = quotes(engine, text)
    assert (QuoteType.INDIRECT, "the talks would resume next week", "Olaf Scholz", None) in found
    assert (QuoteType.INDIRECT, "the government was ready to help", "Olaf Scholz", None) in found


def test_a_second_that_clause_is_reported_too(engine):
    text = ("Police officials said a second device was also found in Chelsea and that location is being "
            "treated as a crime scene. The mayor said the road would close, and the police left.")
    _, found = quotes(engine, text)
    both = "a second device was also found in Chelsea and that location is being treated as a crime scene"
    assert (QuoteType.INDIRECT, both, "Police officials", None) in found
    # Without "that", the rules ended the report at the comma; the tagger carries it on, as PolNeAR's
    # annotators do: where the two read the same cue and the rules' report stops short of the tagger's, PolNeAR
    # dev has the longer one right 31 times, the shorter 6.
    assert (QuoteType.INDIRECT, "the road would close, and the police left", "The mayor", None) in found


def test_according_to_before_and_after(engine):
    text = ("According to Reuters, the company will cut 2,000 jobs. "
            "The plant will close in March, according to local officials.")
    ex, found = quotes(engine, text)
    assert (QuoteType.INDIRECT, "the company will cut 2,000 jobs", "Reuters", "Reuters") in found
    officials = [q for q in ex.quotes if q.content.text(text) == "The plant will close in March"]
    assert officials and officials[0].speaker.kind is SpeakerKind.UNNAMED
    assert officials[0].cue.text(text) == "according to"


def test_colon_introduction_and_inverted_cue(engine):
    text = ('Prime Minister Keir Starmer told reporters: "We will not be rushed." '
            '"Nobody wants this war," said Starmer.')
    _, found = quotes(engine, text)
    assert (QuoteType.DIRECT, "We will not be rushed.", "Keir Starmer", None) in found
    assert (QuoteType.DIRECT, "Nobody wants this war,", "Keir Starmer", None) in found


def test_continuation_and_pronoun(engine):
    text = ('Angela Merkel arrived in Paris on Monday. "This is a good day," she said. '
            '"We have waited a long time."')
    ex, found = quotes(engine, text)
    assert [(t, c, s) for t, c, s, _ in found] == [
        (QuoteType.DIRECT, "This is a good day,", "Angela Merkel"),
        (QuoteType.DIRECT, "We have waited a long time.", "Angela Merkel"),
    ]
    assert ex.quotes[1].speaker.mention is None


def test_quote_running_over_paragraphs(engine):
    text = ('Senator Elizabeth Warren said the bill was flawed. "It does nothing for families,\n'
            '"and it will cost billions," Warren said.\n'
            "The vote is on Friday.")
    _, found = quotes(engine, text)
    directs = [(c, s) for t, c, s, _ in found if t is QuoteType.DIRECT]
    assert directs == [("It does nothing for families,", "Elizabeth Warren"),
                       ("and it will cost billions,", "Elizabeth Warren")]


def test_mixed_quote(engine):
    text = 'Interior Minister Anna Berg said the protest was "a calculated provocation" by extremists.'
    _, found = quotes(engine, text)
    assert found == [(QuoteType.MIXED, 'the protest was "a calculated provocation" by extremists', "Anna Berg",
                      None)]


def test_mixed_quote_framed_by_the_writers_words(engine):
    text = ('Cruz said he has had "areas of significant disagreement" with Trump. '
            'Sanders said the tax breaks used by Trump and others \u201cdo nothing to boost the economy.\u201d '
            'She said that "nobody is above the law." He said "we will win" on Monday.')
    _, found = quotes(engine, text)
    assert (QuoteType.MIXED, 'he has had "areas of significant disagreement" with Trump', "Cruz", None) in found
    # the parser took "the tax breaks" for the object of "said": they are the report's subject
    assert (QuoteType.MIXED, "the tax breaks used by Trump and others \u201cdo nothing to boost the economy.\u201d",
            "Sanders", None) in found
    assert [f[:2] for f in found[2:]] == [(QuoteType.DIRECT, "nobody is above the law."),
                                          (QuoteType.DIRECT, "we will win")]


def test_scare_quotes_are_not_speech(engine):
    text = 'The so-called "experts" met in a "safe" house near the border. Talks went on for hours.'
    _, found = quotes(engine, text)
    assert found == []


def test_told_outlet_and_interview(engine):
    text = ("Foreign Minister Sergei Lavrov told Reuters that Moscow had no plans to expand the talks. "
            "In an interview with CNN, Secretary of State Marco Rubio said the offer remained open.")
    ex, _ = quotes(engine, text)
    by_speaker = {q.speaker.name: q for q in ex.quotes}
    assert by_speaker["Sergei Lavrov"].outlet.name == "Reuters"
    assert by_speaker["Sergei Lavrov"].outlet.evidence is OutletEvidence.SOURCE_PHRASE
    assert by_speaker["Marco Rubio"].outlet.name == "CNN"


def test_outlet_reported_and_publisher_fallback(engine):
    text = ("The BBC reported that the ferry had sunk near the coast. "
            "Coast guard spokesman Ali Hassan said rescue teams were searching the area.")
    ex, _ = quotes(engine, text, publisher="Al Jazeera")
    [bbc, hassan] = ex.quotes
    assert bbc.speaker.name == "BBC" and bbc.outlet.name == "BBC"
    assert hassan.speaker.name == "Ali Hassan"
    assert hassan.outlet.name == "Al Jazeera" and hassan.outlet.evidence is OutletEvidence.DOCUMENT_PUBLISHER


def test_wire_credit(engine):
    text = ("NAIROBI, Kenya (AP) — The election commission said on Tuesday that results would be delayed. "
            '"We need more time," commission chair Wafula Chebukati said.')
    ex, _ = quotes(engine, text, publisher="Washington Post")
    assert ex.quotes and all(q.outlet.name == "Associated Press" for q in ex.quotes)
    assert all(q.outlet.evidence is OutletEvidence.WIRE_CREDIT for q in ex.quotes)


def test_embedded_post_signed_by_account(engine):
    text = ("The minister answered critics online.\n"
            "We will rebuild every school that was destroyed. pic.twitter.com/abc123\n"
            "— Volodymyr Zelensky (@ZelenskyyUa) March 3, 2024\n"
            "The post was shared widely.")
    ex, _ = quotes(engine, text)
    [post] = [q for q in ex.quotes if q.outlet and q.outlet.evidence is OutletEvidence.EMBEDDED_POST]
    assert post.content.text(text) == "We will rebuild every school that was destroyed."
    assert post.speaker.name == "Volodymyr Zelensky" and post.outlet.handle == "@ZelenskyyUa"


def test_unnamed_sources_and_organisations(engine):
    text = ("Sources close to the negotiations said a deal was likely. "
            "A Kremlin spokesman said the claims were false. "
            "The European Commission said it would study the proposal.")
    ex, _ = quotes(engine, text)
    kinds = {q.content.text(text): q.speaker.kind for q in ex.quotes}
    assert kinds["a deal was likely"] is SpeakerKind.UNNAMED
    assert kinds["the claims were false"] is SpeakerKind.UNNAMED
    assert kinds["it would study the proposal"] is SpeakerKind.ORGANIZATION


@pytest.mark.parametrize("text", [
    "", " ", "\n\n", '"', "“”", "'''", "He said", "“Unclosed quote at the end",
    "A\u00a0b\tc\r\nd 😀 “e” ‘f’ « g » „h“", "said: said: said:", "— X (@x) May 1, 2020",
])
def test_odd_inputs_never_raise(engine, text):
    ex = engine.extract(text)
    for q in ex.quotes:
        assert 0 <= q.content.begin < q.content.end <= len(text)


def test_headline_and_transcript_labels(engine):
    text = ("Merkel: Europe must defend its values\n"
            "UPDATE: this story was changed.\n"
            "A partial transcript follows.\n"
            "HOST: Will you run again?\n"
            "MERKEL: I have said everything there is to say.")
    ex, found = quotes(engine, text)
    assert (QuoteType.INDIRECT, "Europe must defend its values", "Merkel", None) in found
    assert (QuoteType.DIRECT, "Will you run again?", "HOST", None) in found
    transcript = [q for q in ex.quotes if q.content.text(text).startswith("I have said")]
    assert transcript and transcript[0].cue.text(text) == ":"
    assert not any("this story" in c for _, c, _, _ in found)


def test_long_inverted_source_and_first_entity(engine):
    text = ("“It is an invasion of the state regulatory domain,” Scott Pruitt, the Republican attorney general "
            "of Oklahoma, one of the states suing the EPA, said.")
    ex, found = quotes(engine, text)
    assert found == [(QuoteType.DIRECT, "It is an invasion of the state regulatory domain,", "Scott Pruitt", None)]
    assert ex.quotes[0].speaker.entity_index == 0  # the first entity is a real index, not "no entity"
    assert ex.quotes[0].speaker.mention.text(text).startswith("Scott Pruitt, the Republican attorney general")


def test_inverted_cue_then_a_participle_cue(engine):
    text = ("“We certainly can’t afford to do this anymore,” Trump said, adding later, "
            "“NATO is costing us a fortune.”")
    ex, found = quotes(engine, text)
    assert [(t, c, s) for t, c, s, _ in found] == [
        (QuoteType.DIRECT, "We certainly can’t afford to do this anymore,", "Trump"),
        (QuoteType.DIRECT, "NATO is costing us a fortune.", "Trump"),
    ]
    assert [q.cue.text(text) for q in ex.quotes] == ["said", "adding"]


def test_source_with_party_label_between_quote_and_verb(engine):
    text = ("Critics were angry. “It’s a dog whistle to all Americans,” Rep. Gwen Moore (D-Wis.) said Friday. "
            "“If Barack Obama is not a citizen, then nobody is.”")
    ex, found = quotes(engine, text)
    assert [(t, s) for t, _, s, _ in found] == [(QuoteType.DIRECT, "Gwen Moore")] * 2
    assert ex.quotes[0].speaker.mention.text(text).startswith("Rep. Gwen Moore (D-Wis")
    assert ex.quotes[1].speaker.mention is None  # a continuation: no cue, no mention of its own


def test_report_after_a_fronted_clause(engine):
    text = ("On whether he would ask Assad about people still missing in Syria, "
            "Putin reiterated that he hasn't met Assad yet.")
    _, found = quotes(engine, text)
    assert found == [(QuoteType.INDIRECT, "he hasn't met Assad yet", "Putin", None)]


def test_writer_asides_end_the_report(engine):
    text = ("Fowler said he expects Clinton to recover from her pneumonia, which forced her to leave a memorial "
            "event early. The senator said the plan was dead, arguing that it was too costly.")
    _, found = quotes(engine, text)
    assert [(c, s) for _, c, s, _ in found] == [
        ("he expects Clinton to recover from her pneumonia", "Fowler"),
        ("the plan was dead", "The senator"),  # the participle is the senator's second cue, not the plan's
        ("it was too costly", "The senator"),
    ]


def test_dash_signature_after_a_quote(engine):
    text = ("Readers wrote in.\n\n“He represents our greatest shame.” ― Sonya Herridge\n"
            "“He is ignorant of our culture and lives.”― Pamela Padilla\u00a0\n"
            "“I am ashamed.” — Edwin G. Monroy, 34, Phoenix")
    ex, found = quotes(engine, text)
    assert [s for _, _, s, _ in found] == ["Sonya Herridge", "Pamela Padilla", "Edwin G. Monroy"]
    assert [q.speaker.mention.text(text) for q in ex.quotes] == ["Sonya Herridge", "Pamela Padilla",
                                                                "Edwin G. Monroy"]


def test_source_with_an_apposition(engine):
    text = ("Michael Oppenheimer, a professor of geosciences and international affairs at Princeton University, "
            "said the plan was weak.")
    ex, found = quotes(engine, text)
    assert found == [(QuoteType.INDIRECT, "the plan was weak", "Michael Oppenheimer", None)]
    assert ex.quotes[0].speaker.mention.text(text) == text[:text.index(", said")]


def test_only_the_sentences_that_need_it_are_parsed_and_tagged(engine):
    text = ("The vote was close. He had expected that. The result is known to the senator. "
            "But the mayor said the count was fair. Putin met Assad in Moscow.")
    parsed, tagged = [], []
    parse, ner = engine.nlp.parse, engine.nlp.ner
    engine.nlp.parse = lambda sents: (parsed.extend(s.span.text(text) for s in sents), parse(sents))[1]
    engine.nlp.ner = lambda sents: (tagged.extend(s.span.text(text) for s in sents), ner(sents))[1]
    try:
        ex = engine.extract(text)
    finally:
        del engine.nlp.parse, engine.nlp.ner
    # "expected" and "known" seldom made a cue in PolNeAR train: no parse for them, but "said" gets one.
    assert parsed == ["But the mayor said the count was fair."]
    # No capital but a sentence-initial function word: nothing for NER to find.
    assert tagged == ["Putin met Assad in Moscow."]
    assert {e.name for e in ex.entities} >= {"Putin", "Assad", "Moscow"}


def test_pronouns_follow_the_gender_the_text_shows(engine):
    text = ("Elizabeth Warren spoke after Bernie Sanders. Warren said the bank had failed its customers. "
            "He said the bank was fine. Mrs. Duncan met Mr. Okafor in Lagos. She said the deal was done.")
    _, found = quotes(engine, text)
    assert (QuoteType.INDIRECT, "the bank had failed its customers", "Elizabeth Warren", None) in found
    assert (QuoteType.INDIRECT, "the bank was fine", "Bernie Sanders", None) in found  # a given name
    assert (QuoteType.INDIRECT, "the deal was done", "Duncan", None) in found  # an honorific


def test_a_pronoun_finds_the_subject_after_an_opening_phrase(engine):
    text = ("In response to the pressure, Aung San Suu Kyi opened a summit overseen by Kofi Annan.\n\n"
            '"Unity also means prosperity," she said.')
    _, found = quotes(engine, text)
    assert found == [(QuoteType.DIRECT, "Unity also means prosperity,", "Aung San Suu Kyi", None)]


D, I, M = QuoteType.DIRECT, QuoteType.INDIRECT, QuoteType.MIXED
EXACT_CASES = {
    "inverted cue before a long apposition": (
        ('"The borders between internal and external security have simply evaporated," said Jo Coelbart, '
         "a retired Belgian general who works on European defense policy at the Egmont Foundation.\n\n"
         "\u201cThe exact cause of the explosion has not been determined,\u201d said O'Neill, on what was his "
         "first full day on the job."),
        [(D, "The borders between internal and external security have simply evaporated,", "Jo Coelbart"),
         (D, "The exact cause of the explosion has not been determined,", "O'Neill")]),
    "a report ends where another joins it, not at 'when he said'": (
        ("Melezia Figueroa said the campaign planned to bus in supporters to stage a protest, though she "
         "acknowledged it was unlikely to work. Obama said Burma's reforms were not complete, and human rights "
         "groups warned that the administration was giving up leverage. Michael Flynn said Trump was right "
         "when he said the generals had been reduced to rubble."),
        [(I, "the campaign planned to bus in supporters to stage a protest", "Melezia Figueroa"),
         (I, "it was unlikely to work", "Melezia Figueroa"),
         (I, "Burma's reforms were not complete", "Obama"),
         (I, "the administration was giving up leverage", "human rights groups"),
         (I, "Trump was right when he said the generals had been reduced to rubble", "Michael Flynn")]),
    "a bare surname is the person the article is about, not a relative named in passing": (
        ("Senator Ted Cruz of Texas endorsed Donald Trump on Friday. Cruz said he had kept his word. Trump had "
         'retweeted an unflattering photo of Heidi Cruz. "I am not in the habit of supporting people who attack '
         'my wife," Cruz said in July.'),
        # endorsing and retweeting are speech and writing acts: reports of their own since learned attribution
        [(I, "Donald Trump", "Ted Cruz"),
         (I, "he had kept his word", "Ted Cruz"),
         (I, "an unflattering photo of Heidi Cruz", "Donald Trump"),
         (D, "I am not in the habit of supporting people who attack my wife,", "Ted Cruz")]),
    "a that-clause the parser hung on the addressee; a phrase before the source is no report": (
        ("Donald Trump spoke twice this week. On Wednesday, he told a crowd in Cleveland that he was \u201ctroubled"
         "\u201d by the situation in Tulsa. In Honolulu last week, Obama told a meeting of Pacific Island leaders "
         "that few people understood the stakes of climate change."),
        [(M, "he was \u201ctroubled\u201d by the situation in Tulsa", "Donald Trump"),
         (I, "few people understood the stakes of climate change", "Obama")]),
    "naming verbs before a quotation, and naming that reports nothing": (
        ('Trump has called the senator a "nasty guy," an "anchor baby," "unstable" and "sick." '
         'Trump called for "a total and complete shutdown." A group called "Citizens United" sued. '
         'He was called "a liar" by his rivals.'),
        [(M, 'the senator a "nasty guy," an "anchor baby," "unstable" and "sick."', "Trump"),
         (D, "a total and complete shutdown.", "Trump")]),
}


@pytest.mark.parametrize("text,expected", EXACT_CASES.values(), ids=EXACT_CASES.keys())
def test_every_quote_of_the_text(engine, text, expected):
    _, found = quotes(engine, text)
    assert [(t, content, speaker) for t, content, speaker, _ in found] == expected
