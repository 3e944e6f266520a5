"""The one door for untrusted HTML: every rich-text field is cleaned here on the way in."""
from __future__ import annotations

import bleach
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean(html: str | None) -> str:
    """Sanitise rich text; the result is safe to store and render."""
    if not html:
        return ""
    return _cleaner.clean(html)


def render(stored: str | None) -> Markup:
    """Mark HTML that went through clean() as safe for templates (cleaned again: cheap insurance)."""
    return Markup(clean(stored))
