"""Markdown to safe HTML for consent text: the clinic writes Markdown, patients get clean HTML."""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

# Raw HTML in the source is shown as text, and nh3 removes anything unsafe that remains.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "h3", "h4", "blockquote", "br", "a", "code"}


def render_markdown(source):
    html = _markdown.render(source or "")
    # Safe to mark: nh3 keeps only the tags and attributes listed above.
    return mark_safe(  # noqa: S308
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"https", "mailto", "tel"},
            link_rel="noopener noreferrer",
        )
    )
