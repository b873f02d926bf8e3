"""Reading numbers as printed in reports: Arabic digits, Chinese numerals, units.

Pure functions on strings; extraction calls them on the few unique number strings it finds.
"""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
           "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
           "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_LARGE_UNITS)


def parse_chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral such as 十二, 两万, 一百零五, 三千二百; None if not one.

    Digit-by-digit forms (二〇一四) are read positionally.
    """
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        return None
    if all(c in _DIGITS for c in text) and len(text) > 1:
        return int("".join(str(_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[char]
            digit = None
        else:  # 万 / 亿 close a section
            section += digit or 0
            total = (total + section) * _LARGE_UNITS[char] if char == "亿" else (
                total + section * _LARGE_UNITS[char])
            section, digit = 0, None
    return total + section + (digit or 0)


_ARABIC = re.compile(r"^\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def parse_number(text: str) -> float | None:
    """Value of a printed number: '1,142,017', '5949.088667', '12', '十二', '3.2万', '两万'."""
    text = text.strip()
    if not text:
        return None
    multiplier = 1
    if len(text) > 1 and text[-1] in _LARGE_UNITS and not parse_chinese_numeral(text):
        multiplier, text = _LARGE_UNITS[text[-1]], text[:-1]
    if _ARABIC.match(text):
        return float(text.replace(",", "").replace("，", "")) * multiplier
    value = parse_chinese_numeral(text)
    return None if value is None else float(value) * multiplier
