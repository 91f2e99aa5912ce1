"""How a limit reads in a message (rules/terms.py limit_text)."""

import pytest

from auditor.rules.terms import limit_text


@pytest.mark.parametrize(
    ("limit", "en", "zh"),
    [
        ({"amount": 1, "unit": "working_days"}, "1 working day", "1个工作日"),
        ({"amount": 3, "unit": "working_days"}, "3 working days", "3个工作日"),
        ({"amount": 1, "unit": "hours"}, "1 hour", "1小时"),
        ({"amount": 1.5, "unit": "hours"}, "1.5 hours", "1.5小时"),
        ({"amount": 1, "unit": "calendar_days"}, "1 calendar day", "1个自然日"),
        ({"amount": 12, "unit": "months"}, "12 months", "12个月"),
    ],
)
def test_a_limit_of_one_is_singular_in_english(limit, en, zh):
    assert limit_text(limit, "en") == en
    assert limit_text(limit, "zh") == zh
