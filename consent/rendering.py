"""Markdown to safe HTML for consent text: the clinic writes Markdown, patients get clean HTML.

A patient signs the source text (its SHA-256 is the fingerprint), but reads the rendered
page. `hidden_text_problems` finds every way the two can differ, so that publishing a
version with words the patient would sign without seeing them is refused.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

import nh3
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, slugify
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text, and nh3 removes anything unsafe that remains.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# The same grammar, reading raw HTML as HTML: only to find it and refuse it.
_html_finder = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "h3", "h4", "blockquote", "br", "a", "code"}

# Characters that show nothing, or reorder what is around them: text can hide behind them.
_INVISIBLE_CATEGORIES = {"Cf", "Co", "Cn", "Cs"}
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


# Passages (top-level paragraphs, lists, headings, quotes) carry ids with this prefix, so
# that a wrong answer can link back to one without clobbering the page's own ids.
PASSAGE_ID_PREFIX = "passage-"
_PASSAGE_TAGS = {"p", "ul", "ol", "h3", "h4", "blockquote"}
_PASSAGE_WORDS = 6


# A pure function of the text, and a published section's text never changes: each page of
# the consent renders the same few bodies again and again, so each is parsed once.
@lru_cache(maxsize=256)
def render_markdown(source, *, passage_ids=False):
    """Safe HTML for consent text; `passage_ids` gives each passage its stable id.

    Only one section's body may be rendered with ids on a page (ids are unique per body).
    """
    tokens = _markdown.parse(source or "", env := {})
    attributes = {"a": {"href"}}
    if passage_ids:
        for passage, token in zip(_passages(tokens), _passage_openers(tokens), strict=True):
            token.attrSet("id", passage.anchor)
        attributes |= {tag: {"id"} for tag in _PASSAGE_TAGS}
    html = _markdown.renderer.render(tokens, _markdown.options, env)
    # Safe to mark: nh3 keeps only the tags and attributes listed above.
    return mark_safe(  # noqa: S308
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes=attributes,
            url_schemes={"https", "mailto", "tel"},
            link_rel="noopener noreferrer",
            # Every id we set already starts with the prefix; nh3 prefixes any other.
            id_prefix=PASSAGE_ID_PREFIX,
        )
    )


@dataclass(frozen=True)
class Passage:
    """One passage of a section's text: its anchor (an HTML id) and its first words."""

    anchor: str
    excerpt: str


def section_passages(source):
    """The passages of a section's body in order, each with the id it is rendered with.

    The id comes from the passage's first words, so it stays the same when other passages
    are added or moved, and disappears (a question's link is refused) when they change.
    """
    return _passages(_markdown.parse(source or "", {}))


def _passage_openers(tokens):
    return [
        token
        for token in tokens
        if token.level == 0 and token.nesting == 1 and token.tag in _PASSAGE_TAGS
    ]


def _passages(tokens):
    passages, seen, current = [], set(), None
    texts = []
    for token in tokens:
        if token.level == 0 and token.nesting == 1 and token.tag in _PASSAGE_TAGS:
            current = []
            texts.append(current)
        elif token.level == 0 and token.nesting == 1:
            current = None  # a block that is not a passage (a big heading nh3 removes)
        elif token.type == "inline" and current is not None:
            current.append(_signed_text([token]))
    for words in (" ".join(" ".join(parts).split()) for parts in texts):
        base = PASSAGE_ID_PREFIX + (
            slugify(" ".join(words.split()[:_PASSAGE_WORDS]))[:48].strip("-") or "text"
        )
        anchor, number = base, 1
        while anchor in seen:
            number += 1
            anchor = f"{base}-{number}"
        seen.add(anchor)
        passages.append(Passage(anchor=anchor, excerpt=Truncator(words).chars(90)))
    return passages


def translated_anchor(anchor, source, translation):
    """The id of the passage of `translation` at the place `anchor` has in `source`.

    A translation keeps the passages one for one (publishing checks it); "" otherwise.
    """
    original = [p.anchor for p in section_passages(source)]
    translated = [p.anchor for p in section_passages(translation)]
    if anchor not in original or len(original) != len(translated):
        return ""
    return translated[original.index(anchor)]


def hidden_text_problems(source, *, plain=False):
    """What in `source` a patient would sign without seeing it, in words for the clinic.

    `plain` text (a title, a question) is shown as typed, so only hidden characters can
    hide anything in it; Markdown (a section's body) is rendered, so its grammar is
    checked too. An empty list means every word is on the screen as written.
    """
    source = source or ""
    if plain:
        return _invisible_characters(source)
    # Markdown turns character references (&#8203;) into the characters themselves.
    problems = _invisible_characters(unescape(source))
    problems += _raw_html(source)
    env = {}
    tokens = _markdown.parse(source, env)
    problems += _hidden_by_markdown(tokens, env)
    if not problems and _words(_signed_text(tokens)) != _words(_shown_text(source)):
        # A safety net for anything the rules above do not name.
        problems.append(
            "some of its words would not be shown to the patient as written. Remove the "
            "Markdown around them and write them as plain sentences."
        )
    return problems


def _invisible_characters(text):
    found = []
    for character in dict.fromkeys(text):
        category = unicodedata.category(character)
        hidden = category in _INVISIBLE_CATEGORIES or (
            category == "Cc" and character not in _ALLOWED_CONTROLS
        )
        if hidden:
            name = unicodedata.name(character, "unnamed character")
            found.append(
                f"it contains an invisible character (U+{ord(character):04X} {name}), which "
                "can hide or reorder words. Delete it."
            )
    return found


def _raw_html(source):
    html = [
        token.content.strip()
        for token in _walk(_html_finder.parse(source))
        if token.type in ("html_block", "html_inline")
    ]
    problems = []
    if any(tag.startswith("<!--") for tag in html):
        problems.append(
            "it contains an HTML comment (<!-- ... -->). Its words would be signed but never "
            "shown as meant. Delete the comment, or write it as a sentence."
        )
    tags = [tag for tag in html if not tag.startswith("<!--")]
    if tags:
        problems.append(
            f"it contains HTML ({tags[0][:40]}). HTML is not rendered: the patient would see "
            "the tags as text, not what they mean. Use Markdown or plain words."
        )
    return problems


def _hidden_by_markdown(tokens, env):
    problems = []
    for token in _walk(tokens):
        if token.type == "image":
            problems.append(
                f"it contains an image (![{token.content}](...)). Images are not shown to "
                "patients, so its description would be signed but never seen. Remove the "
                "image, or write what it says as a sentence."
            )
        elif token.type == "link_open" and token.attrGet("title"):
            problems.append(
                f'a link has a title ("{token.attrGet("title")}") that is never shown. '
                "Put those words in the text itself."
            )
    for label in (key.lower() for key in env.get("references", {})):
        if label.startswith("^"):
            problems.append(
                f"it contains a footnote ([{label}]: ...). Footnotes are not shown: write "
                "the note as a sentence where it belongs."
            )
        else:
            problems.append(
                f"it contains a reference definition ([{label}]: ...), which is never shown. "
                "Write the link in place as [text](https://...), and any words as sentences."
            )
    problems += _empty_links(tokens)
    return problems


def _empty_links(tokens):
    problems = []
    for block in tokens:
        children = block.children or []
        for index, token in enumerate(children):
            if token.type == "link_open" and children[index + 1].type == "link_close":
                problems.append(
                    "it contains a link with no text, which the patient cannot see. Give the "
                    "link words, or remove it."
                )
    return problems


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _signed_text(tokens):
    """The words of the source as the patient should read them: text, code, line breaks."""
    blocks = []
    for token in tokens:
        if token.type in ("code_block", "fence"):
            blocks.append(token.content)
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            blocks.append("".join(parts))
    return "\n".join(blocks)


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _shown_text(source):
    """The words on the patient's screen: the rendered, cleaned HTML without its tags."""
    parser = _TextOnly()
    parser.feed(str(render_markdown(source)))
    parser.close()
    return "".join(parser.parts)


def _words(text):
    return text.split()
