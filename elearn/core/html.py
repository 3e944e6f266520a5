"""The one door for untrusted HTML: every rich-text field is cleaned here on the way in."""
from __future__ import annotations

import bleach
from bleach.html5lib_shim import Filter
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height", "loading"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})



class LazyImages(Filter):
    """Every image loads lazily (weak connections): runs after the sanitiser and sets loading="lazy"."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                token["data"][(None, "loading")] = "lazy"
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[LazyImages],
)


def clean(html: str | None) -> str:
    """Sanitise rich text; the result is safe to store and render."""
    if not html:
        return ""
    return _cleaner.clean(html)


def render(stored: str | None) -> Markup:
    """Mark HTML that went through clean() as safe for templates (cleaned again: cheap insurance)."""
    return Markup(clean(stored))  # noqa: S704  (input went through clean() on this line)


def text_only(stored: str | None) -> str:
    """The visible text of stored HTML (for search columns, notifications and e-mails)."""
    if not stored:
        return ""
    text = bleach.clean(stored, tags=set(), strip=True)
    return " ".join(text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split())
