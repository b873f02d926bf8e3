"""The labels of a generated report: every printed figure recorded as it is printed.

A figure is written into the text and into the labels by the same call, so the two cannot
drift apart (the label format is ../shared/spec/evaluation.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from synth.numerals import cn_numeral, fmt_plain, num

MARKER = re.compile(
    r"\{\{(?P<m>[a-z_.]+)(?:@(?P<b>[a-z_]+:[^=}]+))?=(?P<v>-?[0-9.]+)(?::(?P<o>[a-z0-9,]+))?\}\}"
)


@dataclass
class Fact:
    measure: str
    breakdown: str | None
    value: int | float
    approx: bool = False
    token: str = ""  # the printed figure ("" when silent)


@dataclass
class Facts:
    items: list[Fact] = field(default_factory=list)

    def add(self, measure, breakdown, value, approx=False, token=""):
        value = num(value)
        for f in self.items:
            if (f.measure, f.breakdown) == (measure, breakdown):
                if f.value != value:
                    raise ValueError(f"{measure} {breakdown}: {f.value} vs {value}")
                f.approx = f.approx or approx
                if token and not f.token:
                    f.token = token
                return
        self.items.append(Fact(measure, breakdown, value, approx, token))

    def get(self, measure, breakdown=None):
        for f in self.items:
            if (f.measure, f.breakdown) == (measure, breakdown):
                return f.value
        raise KeyError((measure, breakdown))


def render_markers(text: str, facts: Facts) -> str:
    def repl(m: re.Match) -> str:
        measure, breakdown = m["m"], m["b"]
        value = float(m["v"])
        opts = set((m["o"] or "").split(",")) - {""}
        unknown = opts - {"cn", "cn2", "wan", "comma", "approx", "silent"}
        if unknown:
            raise ValueError(f"unknown options {unknown} in {m[0]}")
        if "silent" in opts:
            token = ""
        elif "wan" in opts:
            token = fmt_plain(value / 10000)
        elif "cn" in opts or "cn2" in opts:
            token = cn_numeral(int(value), liang="cn2" in opts)
        elif "comma" in opts:
            token = f"{int(value):,}"
        else:
            token = fmt_plain(value)
        facts.add(measure, breakdown, value, approx="approx" in opts, token=token)
        return token

    out = MARKER.sub(repl, text)
    if "{{" in out or "}}" in out:
        raise ValueError("unparsed marker left: " + out[out.find("{{") - 40 : out.find("{{") + 80])
    return out

