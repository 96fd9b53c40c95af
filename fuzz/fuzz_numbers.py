"""Fuzz target: the number and date parsers, and extraction on the pattern path.

Run (atheris, libFuzzer flags pass through)::

    python fuzz/fuzz_numbers.py -max_total_time=60            # bounded run
    python fuzz/fuzz_numbers.py -max_total_time=60 fuzz/corpus # keep a corpus
    python fuzz/fuzz_numbers.py crash-<hash>                    # replay one input

Without atheris (``pip install atheris`` failed), the same target runs under
hypothesis: ``python fuzz/fuzz_numbers.py --hypothesis -max_total_time=60``.

What counts as a bug:
* parse_number / parse_fraction / parse_range raise anything but ValueError, or return
  a non-finite number (a range: low/high not finite);
* find_dates(fold(text), 2024) raises, or gives a span outside the text;
* pipeline.core.api.extract(text, extractors="pattern") raises, gives offsets outside the
  text, a mention that is not ``text[start:end]``, or differs on a second run.
"""
from __future__ import annotations

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

#: The characters the parsers care about; fuzz bytes index into this alphabet so that
#: most inputs look like numbers, ranges and dates rather than random code points.
ALPHABET = ("0123456789０１２３４５６７８９.．,，%％-—–~～至到+负正"
            "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟点分之"
            "年月日季度上下半底初末前第个亩吨元公里以上余多近约"
            " \n\t\u3000。；：、（）()eE∞")


def _text(data: bytes) -> str:
    """Bytes -> a string: mostly alphabet characters, sometimes raw code points."""
    out = []
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0xFF and i + 2 < len(data):  # an escape: any BMP code point
            cp = (data[i + 1] << 8) | data[i + 2]
            if not 0xD800 <= cp <= 0xDFFF:
                out.append(chr(cp))
            i += 3
            continue
        out.append(ALPHABET[b % len(ALPHABET)])
        i += 1
    return "".join(out)


def _finite(x: float) -> bool:
    return isinstance(x, float | int) and math.isfinite(x)


def check(text: str, with_extract: bool = True) -> None:
    """Raise AssertionError (or the unexpected exception) on a bug."""
    from pipeline.core import numbers
    from pipeline.core.dates import find_dates
    from pipeline.core.normalize import fold

    for fn in (numbers.parse_number, numbers.parse_fraction):
        try:
            v = fn(text)
        except ValueError:
            pass
        else:
            assert _finite(v), f"{fn.__name__}({text!r}) = {v!r}"
    try:
        lo, hi = numbers.parse_range(text)
    except ValueError:
        pass
    else:
        assert _finite(lo) and _finite(hi), f"parse_range({text!r}) = {(lo, hi)!r}"
    view = fold(text)
    for d in find_dates(view, 2024):
        s, e = _span(d)
        if s is not None:
            assert 0 <= s <= e <= len(text), f"find_dates({text!r}): span {s}:{e}"
            assert text[s:e] == d.text, f"find_dates({text!r}): {d.text!r} != text[{s}:{e}]"
    if with_extract and len(text) <= 400:
        from pipeline.core.api import extract
        r1 = extract(text, extractors="pattern")
        for kind in ("quantities", "dates"):
            for m in r1[kind]:
                assert 0 <= m["start"] <= m["end"] <= len(text), (text, m)
                assert text[m["start"]:m["end"]] == m["text"], (text, m)
        r2 = extract(text, extractors="pattern")
        assert r1 == r2, f"extract({text!r}) is not deterministic"


def _span(d: object) -> tuple[int | None, int | None]:
    for a, b in (("start", "end"), ("s", "e")):
        if hasattr(d, a) and hasattr(d, b):
            return getattr(d, a), getattr(d, b)
    return None, None


def test_one_input(data: bytes) -> None:
    check(_text(data))


def _run_hypothesis(argv: list[str]) -> int:
    import time

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    budget = 60.0
    for a in argv:
        if a.startswith("-max_total_time="):
            budget = float(a.split("=", 1)[1])
    deadline = time.monotonic() + budget
    runs = 0
    while time.monotonic() < deadline:
        @settings(max_examples=500, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.binary(max_size=120))
        def prop(data: bytes) -> None:
            test_one_input(data)
        prop()
        runs += 500
    print(f"hypothesis: {runs} inputs in {budget:g} s, no failure")
    return 0


def main(argv: list[str]) -> int:
    if "--hypothesis" in argv:
        return _run_hypothesis([a for a in argv if a != "--hypothesis"])
    try:
        import atheris
    except ImportError:
        print("atheris is not installed; running under hypothesis", file=sys.stderr)
        return _run_hypothesis(argv)
    with atheris.instrument_imports():
        import pipeline.core.dates  # noqa: F401
        import pipeline.core.normalize  # noqa: F401
        import pipeline.core.numbers  # noqa: F401
    import pipeline.core.api  # noqa: F401  (not instrumented: too slow; still checked)
    atheris.Setup([argv[0], "-max_len=120", *argv[1:]], test_one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
