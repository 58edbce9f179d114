"""Finding English on a page that should speak Spanish.

A page is read the way a patient sees it: its visible text and the words a screen reader
says (labels, placeholders, titles, alt text). Text inside an element that declares another
language (`lang="en"`, e.g. a validated questionnaire only published in English) or
`translate="no"` is skipped: it says honestly what it is.

English is found three ways:
- a string of our own catalogue shown untranslated (its msgid, not its msgstr);
- a run of text with two or more English function words ("the", "your", "with"...), which
  Spanish does not use, so a forgotten sentence cannot hide;
- an English month, weekday or one of our one-word labels ("Home", "Save", "Journal"...).
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Words that are English and never Spanish. Homographs ("a", "no", "he", "me", "son", "has",
# "en", "come") are left out on purpose.
ENGLISH_FUNCTION_WORDS = frozenset(
    """the your you and with this that is are was were will would what when where which
    have been for of to from we our please before after can cannot not it its be or on in
    at my an if here there any all until yet about into than then they them their how who
    why should could may might must do does did don't can't won't you're it's we'll
    """.split()  # noqa: SIM905 (a paragraph of words reads better than a list of 70 strings)
)
ENGLISH_ALWAYS = frozenset(
    """january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    home journal account patients save cancel next back submit continue delete edit send
    share sign signed skip logout login password email settings download print reply
    """.split()  # noqa: SIM905
)
SKIPPED_ELEMENTS = {"script", "style", "template"}
SPOKEN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "aria-description")
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


class _Reader(HTMLParser):
    VOID = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    }  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped?)
        self.texts = []

    @property
    def skipping(self):
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        skipped = (
            tag in SKIPPED_ELEMENTS
            or (tag != "html" and lang and not lang.startswith("es"))
            or attrs.get("translate") == "no"
        )
        if not (skipped or self.skipping):
            for name in SPOKEN_ATTRIBUTES:
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data)


def spoken_texts(html):
    """Every run of text a patient sees or hears on the page, whitespace collapsed."""
    reader = _Reader()
    reader.feed(html)
    return [" ".join(text.split()) for text in reader.texts if text.strip()]


@cache
def _untranslatable_ids():
    """Our catalogue's msgids whose Spanish differs: seeing one means it was not translated."""
    import polib

    return {
        entry.msgid
        for entry in polib.pofile(str(CATALOGUE))
        if entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid) > 3
    }


def english_on(html):
    """The runs of text on a page that are English. An empty list means it speaks Spanish."""
    found = []
    ids = _untranslatable_ids()
    for text in spoken_texts(html):
        words = [word.lower() for word in WORD.findall(text)]
        function_words = {word for word in words if word in ENGLISH_FUNCTION_WORDS}
        if text in ids or len(function_words) >= 2 or any(word in ENGLISH_ALWAYS for word in words):
            found.append(text)
    return found


def assert_speaks_spanish(response_or_html):
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    english = english_on(html)
    assert not english, "English on a Spanish page:\n- " + "\n- ".join(english)
