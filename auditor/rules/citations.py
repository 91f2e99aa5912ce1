"""A law rule's citation in English, from the Chinese text a cn-law version file gives it.

The version files (policies/cn-law/*.yaml) hold, per rule, the citation in force on their
date (SPEC 5: a 2016 finding may not cite the Interim Measures of 2017-03-15). They are
written in one style (《法规》第N条第N款第(N)项, parts joined by ；and 、), so the English
follows from a glossary of statute titles and a few fixed phrases, not from a second copy
of every citation that could drift from the first.
"""

from __future__ import annotations

import re

STATUTES = {
    "消费者权益保护法实施条例": "CRPL Implementing Regulations",
    "消费者权益保护法": "Consumer Rights Protection Law",
    "网络购买商品七日无理由退货暂行办法": (
        "Interim Measures for Seven-Day No-Reason Returns of Online Purchases"
    ),
    "网络交易管理办法": "Measures for the Administration of Online Trading",
    "部分商品修理更换退货责任规定": "Provisions on Repair, Replacement and Return of Certain Goods",
}

# Fixed glosses the version files use after a title or an article (longest first, so that a
# phrase holding 、 is glossed before 、 becomes "and").
PHRASES = {
    "（三包）": " (the 'three guarantees')",
    "（2020年修订）": " (2020 amendment)",
    "7日退货、15日换货": ": return within 7 days, exchange within 15 days",
    "（经营者应当承担运输等必要费用）": " (the business bears transport and other necessary costs)",
    "（一次性退清货款）": " (the price refunded in one payment)",
    "（返还消费者支付的商品价款）": " (the price the consumer paid is returned)",
    "：修理时间超过30日": ": a repair taking more than 30 days",
}

_NUMERALS = dict(zip("一二三四五六七八九十", range(1, 11), strict=True))
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _item(found: re.Match[str]) -> str:
    mark = found.group(1)
    return f" item ({_NUMERALS.get(mark, mark)})"


def english(citation: str) -> str | None:
    """The citation in English; None when it holds words the glossary does not know (the
    caller then falls back rather than show half a translation)."""
    text = citation
    for zh, en in sorted(PHRASES.items(), key=lambda p: -len(p[0])):
        text = text.replace(zh, en)
    text = re.sub(r"《([^》]+)》", lambda m: STATUTES.get(m.group(1), m.group(0)), text)
    text = re.sub(r"（(\d{4}-\d{2}-\d{2}) ?起施行）", r" (in force from \1)", text)
    text = re.sub(r"第(\d+)条", r" Art. \1", text)
    text = re.sub(r"第(\d+)款", r" para. \1", text)
    text = re.sub(r"第\((.)\)项", _item, text)
    text = text.replace("、", " and ").replace("；", "; ")
    text = re.sub(r"\s+", " ", text).replace(" ;", ";").strip()
    return None if _CJK.search(text) else text
