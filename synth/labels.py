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
    """The facts of one report in the order they were printed; a figure printed twice is
    one fact (and must have one value)."""

    items: list[Fact] = field(default_factory=list)
    _by_key: dict = field(default_factory=dict, repr=False)

    def add(self, measure, breakdown, value, approx=False, token=""):
        value = num(value)
        known = self._by_key.get((measure, breakdown))
        if known is not None:
            if known.value != value:
                raise ValueError(f"{measure} {breakdown}: {known.value} vs {value}")
            known.approx = known.approx or approx
            if token and not known.token:
                known.token = token
            return
        fact = Fact(measure, breakdown, value, approx, token)
        self._by_key[(measure, breakdown)] = fact
        self.items.append(fact)

    def get(self, measure, breakdown=None):
        return self._by_key[(measure, breakdown)].value

    def as_label(self) -> list[dict]:
        """The facts as a labelled report lists them (../shared/spec/evaluation.md)."""
        return [{"measure": f.measure, "breakdown": f.breakdown, "value": f.value}
                | ({"approx": True} if f.approx else {}) for f in self.items]


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

