"""The one sanitiser turns every payload into HTML that runs nothing, and keeps ordinary formatting."""
from __future__ import annotations

import pytest

from elearn.core import html
from tests.xss_payloads import PAYLOADS, problems


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    cleaned = html.clean(payload)
    assert problems(cleaned) == [], cleaned
    # Cleaning is stable: cleaning again changes nothing, so stored HTML renders as stored.
    assert html.clean(cleaned) == cleaned


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_inside_ordinary_text(payload):
    cleaned = html.clean(f"<p>Nghị quyết <strong>57-NQ/TW</strong></p>{payload}<p>hết</p>")
    assert problems(cleaned) == []
    assert "<strong>57-NQ/TW</strong>" in cleaned


def test_checker_catches_what_it_should():
    assert problems("<img src=x onerror=alert(1)>")
    assert problems('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert problems("<svg></svg>")


def test_ordinary_rich_text_survives():
    rich = ('<h2>Mục tiêu</h2><p>Nắm vững <em>Nghị quyết</em> và <a href="https://dangcongsan.vn/">văn kiện</a>.</p>'
            '<ul><li>Một</li><li>Hai</li></ul><table><tr><th scope="col">Cột</th></tr><tr><td>Ô</td></tr></table>'
            '<img src="/courses/1/images/2" alt="Sơ đồ">')
    cleaned = html.clean(rich)
    for fragment in ("<h2>Mục tiêu</h2>", "<em>Nghị quyết</em>", 'href="https://dangcongsan.vn/"', "<li>Hai</li>",
                     'alt="Sơ đồ"', 'src="/courses/1/images/2"'):
        assert fragment in cleaned
