# ruff: noqa: E501  (long lines are report text and page markup)
"""Figures as reports print them: Arabic, Chinese numerals (一百零五, 两万), 万 units."""

from __future__ import annotations

CN_DIGITS = "零一二三四五六七八九"


def _cn_below_10000(n: int) -> str:
    out, pending_zero = "", False
    for unit, val in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // val % 10
        if d == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += CN_DIGITS[d] + unit
    return out


def cn_numeral(n: int, liang: bool = False) -> str:
    """12 -> 十二, 105 -> 一百零五, 20000 -> 二万 (两万 with liang)."""
    if n == 0:
        return "零"
    if not 0 < n < 10**8:
        raise ValueError(n)
    wan, rest = divmod(n, 10000)
    s = ""
    if wan:
        s = _cn_below_10000(wan) + "万"
        if 0 < rest < 1000:
            s += "零"
    if rest:
        s += _cn_below_10000(rest)
    if s.startswith("一十"):
        s = s[1:]
    if liang and s.startswith("二") and (len(s) == 1 or s[1] in "千百万"):
        s = "两" + s[1:]
    return s


def num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def fmt_plain(v: float) -> str:
    v = num(v)
    if isinstance(v, int):
        return str(v)
    return f"{v:.6f}".rstrip("0").rstrip(".")

