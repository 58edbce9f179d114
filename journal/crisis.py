"""Crisis language in journal text: one tested list, one matcher.

When an entry contains one of these phrases the patient is shown crisis resources at once.
The list errs on the side of showing help: a false alarm costs a moment, a miss could cost
far more. Matching is on whole words after normalising case, punctuation and curly quotes,
so "this traffic is killing me" is not a match but "I want to kill myself" is.

Health text never goes into logs: nothing here logs or raises with the text.
"""

import re
import unicodedata

# Written as a person might type them; each is normalised the same way as the text.
CRISIS_PHRASES = (
    # Suicide
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "take my own life",
    "taking my own life",
    "end it all",
    "want to die",
    "wanna die",
    "wish I was dead",
    "wish I were dead",
    "better off dead",
    "better off without me",
    "don't want to be alive",
    "do not want to be alive",
    "don't want to live",
    "do not want to live",
    "no reason to live",
    "not worth living",
    "no point in living",
    # Self-harm
    "self harm",
    "self harming",
    "hurt myself",
    "hurting myself",
    "harm myself",
    "harming myself",
    "cut myself",
    "cutting myself",
    "burn myself",
    "burning myself",
    "overdose on purpose",
    # The same in Spanish, since patients may write in Spanish whatever the screen's language.
    # Accents need not be typed: "suicidio" and "suicídio" normalise alike.
    # Suicidio
    "suicidio",
    "suicidarme",
    "suicida",
    "matarme",
    "quitarme la vida",
    "acabar con mi vida",
    "terminar con mi vida",
    "poner fin a mi vida",
    "quiero morir",
    "quiero morirme",
    "me quiero morir",
    "ojalá estuviera muerto",
    "ojalá estuviera muerta",
    "estaría mejor muerto",
    "estaría mejor muerta",
    "estarían mejor sin mí",
    "no quiero vivir",
    "no quiero seguir viviendo",
    "no quiero estar vivo",
    "no quiero estar viva",
    "no tengo razón para vivir",
    "no vale la pena vivir",
    "acabar con todo",
    # Autolesión ("cortarme" alone would catch a haircut: "cortarme el pelo")
    "autolesión",
    "autolesionarme",
    "hacerme daño",
    "lastimarme",
    "cortarme las venas",
    "cortarme a propósito",
    "me corto a propósito",
    "quemarme a propósito",
    "sobredosis a propósito",
)

_APOSTROPHES = str.maketrans({"\u2019": "", "\u2018": "", "'": "", "`": "", "\u02bc": ""})
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text):
    """Lower case, no accents or apostrophes, every run of other characters one space.

    "I DON’T want—to be alive!" becomes " i dont want to be alive ", with a space at
    each end so that phrases match on word boundaries only.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.lower().translate(_APOSTROPHES)
    return f" {_NOT_A_WORD.sub(' ', text).strip()} "


_NORMALISED_PHRASES = tuple(dict.fromkeys(normalise(phrase) for phrase in CRISIS_PHRASES))


def crisis_phrases_in(text):
    """The crisis phrases found in this text (normalised), in list order."""
    normalised = normalise(text)
    return [phrase.strip() for phrase in _NORMALISED_PHRASES if phrase in normalised]


def has_crisis_language(text):
    """True if the text contains any crisis phrase."""
    normalised = normalise(text)
    return any(phrase in normalised for phrase in _NORMALISED_PHRASES)
