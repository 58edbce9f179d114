"""Crisis language is found in what patients write, and everyday phrases are left alone."""

import pytest

from journal.crisis import CRISIS_PHRASES, crisis_phrases_in, has_crisis_language, normalise


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "thinking about suicide",
        "I've been cutting myself",
        "I don't want to be alive",
        "I don’t want to be alive anymore",  # a phone's curly apostrophe
        "Honestly? I DONT WANT TO BE ALIVE.",
        "Some days I feel suicidal.",
        "I thought about self-harm again",
        "They'd be better off without me",
        "I just want to die",
    ],
)
def test_crisis_phrases_are_flagged(text):
    assert has_crisis_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "the session killed my headache",
        "I skipped a meal",
        "I was dying to tell my therapist",
        "I cut my hair and it feels like a fresh start",
        "I harmonised with the music",
        "",
    ],
)
def test_ordinary_text_is_not_flagged(text):
    assert not has_crisis_language(text)


def test_phrases_match_whole_words_only():
    assert not has_crisis_language("suicidelike")  # not a word anyone means
    assert crisis_phrases_in("…kill—myself…") == ["kill myself"]


def test_normalising_folds_case_quotes_and_punctuation():
    assert normalise("I DON’T  want—to be alive!") == " i dont want to be alive "


def test_every_phrase_in_the_list_is_found_by_the_matcher():
    for phrase in CRISIS_PHRASES:
        assert has_crisis_language(f"Today {phrase}, I think."), phrase


@pytest.mark.parametrize(
    "text",
    [
        "Hoy pensé en el suicidio otra vez",
        "A veces quiero morirme",
        "No quiero seguir viviendo así",
        "Pensé en hacerme daño",
        "Siento que estarían mejor sin mí",
        "Pense en quitarme la vida",  # typed on a phone without accents
        "NO QUIERO ESTAR VIVA.",
    ],
)
def test_crisis_phrases_in_spanish_are_flagged(text):
    """A patient who writes in Spanish gets the same help at once."""
    assert has_crisis_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "Voy a cortarme el pelo mañana",
        "El tráfico me está matando",
        "Me muero de ganas de contarle a mi terapeuta",
        "Me quemé al sol en la playa",
    ],
)
def test_ordinary_spanish_is_not_flagged(text):
    assert not has_crisis_language(text)
