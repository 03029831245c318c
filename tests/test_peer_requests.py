"""What users asked quote extractors for in the peers' issue trackers, each in a text of our own."""
from __future__ import annotations

from quotes_service.engine.types import OutletEvidence, QuoteType


def extract(engine, text):
    ex = engine.extract(text)
    return ex, {q.content.text(text): q for q in ex.quotes}


def test_a_speaker_line_after_the_quote(engine):
    # textacy #383: the name on a line of its own after the quotation, or after a hyphen
    text = ("The county counted the damage on Sunday.\n"
            "“We lost three homes tonight, and we will rebuild every one of them.”\n"
            "—Sheriff Dan Alvarez\n"
            "“The levee held, and that saved the town.” -Commissioner Rita Gomez")
    _, found = extract(engine, text)
    assert found["We lost three homes tonight, and we will rebuild every one of them."].speaker.name == "Dan Alvarez"
    assert found["The levee held, and that saved the town."].speaker.name == "Rita Gomez"


def test_a_colon_introduction_in_the_paragraph_before(engine):
    # textacy #383: "And from Chairwoman ...:" introduces the next paragraph's quotation
    text = ("The board approved the nomination on Friday.\n\n"
            "And from Chairwoman Jessica Rosenworcel:\n\n"
            "“She brings a wealth of experience and a long record of public service to the agency.”")
    _, found = extract(engine, text)
    quote = found["She brings a wealth of experience and a long record of public service to the agency."]
    assert quote.type is QuoteType.DIRECT and quote.speaker.name == "Jessica Rosenworcel"


def test_an_apposition_before_said_and_a_paragraph_break_inside_the_quote(engine):
    # CoreNLP #905
    text = ('Omar Reyes, a paramedic, said: "The patients need treatment before the weekend.\n\n'
            '"If they wait, some of them will not make it," he added.')
    _, found = extract(engine, text)
    assert found["The patients need treatment before the weekend."].speaker.name == "Omar Reyes"
    assert found["If they wait, some of them will not make it,"].speaker.name == "Omar Reyes"


def test_several_speakers_in_one_passage(engine):
    # CoreNLP #1090
    text = ('"We cannot stay here," grumbled Jo Baker, lying on the rug. "It is far too cold," sighed Meg Ortiz, '
            'looking at the window. "I want to go home," added Amy Chen.')
    _, found = extract(engine, text)
    assert found["We cannot stay here,"].speaker.name == "Jo Baker"
    assert found["It is far too cold,"].speaker.name == "Meg Ortiz"
    assert found["I want to go home,"].speaker.name == "Amy Chen"


def test_a_floating_quote_after_a_report(engine):
    # sayswho #3 / CoreNLP #905: a quotation with no cue right after a report goes on with its speaker
    text = ('On Tuesday, Councillor Priya Natarajan said she was alarmed. '
            '"What happened here has shaken the whole neighbourhood."')
    _, found = extract(engine, text)
    quote = found["What happened here has shaken the whole neighbourhood."]
    assert quote.speaker is not None and quote.speaker.name == "Priya Natarajan" and quote.speaker.mention is None


def test_reports_the_text_denies_are_no_quotes(engine):
    text = "The ministry has not said when the inquiry will end. The mayor never claimed the money was missing."
    ex, _ = extract(engine, text)
    assert ex.quotes == []


def test_outlets_of_reported_speech(engine):
    text = ("The minister was quoted by Le Monde as saying that the talks had failed. "
            "The senator posted on Facebook that she would run again. "
            "Her rival wrote on Bluesky that he was ready, and the governor said on Truth Social that he agreed. "
            "The chief executive told Bloomberg in an interview that the merger would close in June.")
    _, found = extract(engine, text)
    expected = {"the talks had failed": ("The minister", "Le Monde"), "she would run again": ("The senator", "Facebook"),
                "he was ready": ("Her rival", "Bluesky"), "he agreed": ("the governor", "Truth Social"),
                "the merger would close in June": ("The chief executive", "Bloomberg")}
    for content, (speaker, outlet) in expected.items():
        quote = found[content]
        assert quote.speaker.name == speaker, content
        assert quote.outlet.name == outlet and quote.outlet.evidence is OutletEvidence.SOURCE_PHRASE, content


def test_guillemets_and_low_high_marks_in_english_text(engine):
    text = ("«We will not retreat», said President Emmanuel Macron on Sunday. "
            "„This is our home“, the mayor of Calais said.")
    _, found = extract(engine, text)
    assert found["We will not retreat"].type is QuoteType.DIRECT
    assert found["We will not retreat"].speaker.name == "Emmanuel Macron"
    assert found["This is our home"].speaker.mention is not None
    assert found["This is our home"].speaker.mention.text(text) == "the mayor of Calais"
