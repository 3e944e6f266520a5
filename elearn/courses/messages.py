"""Translatable messages produced by the course rules. Pure Python: no Flask.

The rules never translate: they return a `Message` (an English msgid marked with N_() plus its
parameters) and the view renders it with the active locale's gettext.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from elearn.accounts.domain import N_

__all__ = ["N_", "Label", "Message", "msg"]


class Label(str):
    """A msgid used as a message parameter (e.g. a theory-level label): translated on rendering."""

    __slots__ = ()


def _number(value: float) -> str:
    """80.0 -> "80", 66.666 -> "66.7": how shares and thresholds are shown."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _render_param(value: Any, gettext: Callable[[str], str]) -> Any:
    if isinstance(value, Label):
        return gettext(str(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list | tuple | frozenset | set):
        items = value if isinstance(value, list | tuple) else sorted(value)
        return ", ".join(str(_render_param(item, gettext)) for item in items)
    return value


@dataclass(frozen=True)
class Message:
    """A translatable line: msgid (English, marked with N_) and its %(name)s parameters.

    `depth` lets a list of lines show structure (0 = heading or top level, 1 = item under it).
    Parameters may be plain values, a `Label` (translated) or a list/tuple/set of them (joined
    with ", "). Floats are shown with at most one decimal.
    """

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    depth: int = 0

    def render(self, gettext: Callable[[str], str] = str) -> str:
        """The message as text. Pass `flask_babel.gettext` (not Jinja's `_`, which formats too)."""
        params = {key: _render_param(value, gettext) for key, value in self.params.items()}
        text = gettext(self.msgid)
        return text % params if params else text

    def __str__(self) -> str:  # English, for logs and test failure messages
        return self.render()


def msg(msgid: str, depth: int = 0, **params: Any) -> Message:
    return Message(msgid, params, depth)
