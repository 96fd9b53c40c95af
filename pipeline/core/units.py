"""The unit table (resources/units.toml) and lexicon (resources/lexicon.toml).

Loaded once, validated on load; a bad table raises ``ValueError`` naming the entry.

>>> resolve_unit("万亩")
Unit(written='万亩', base='亩', factor=10000.0, kind='area')
>>> resolve_unit("万人次")
Unit(written='万人次', base='人次', factor=10000.0, kind='count')
>>> resolve_unit("furlong") is None
True
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import tomllib

from pipeline.core.vocab import KINDS, QUALIFIERS


@dataclass(frozen=True)
class Unit:
    written: str
    base: str
    factor: float
    kind: str


def _load_toml(name: str) -> dict[str, Any]:
    with resources.files("pipeline.resources").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


def validate_units(data: dict[str, Any]) -> tuple[dict[str, float], dict[str, Unit]]:
    """Check the unit table; return (magnitudes, units).  Raises ValueError."""
    mags = {}
    for word, factor in data.get("magnitudes", {}).items():
        if not isinstance(factor, (int, float)) or not math.isfinite(factor) or factor <= 0:
            raise ValueError(f"units.toml [magnitudes] {word!r}: factor must be a positive number")
        mags[word] = float(factor)
    units = {}
    for written, entry in data.get("units", {}).items():
        missing = {"base", "factor", "kind"} - set(entry)
        if missing:
            raise ValueError(f"units.toml [units] {written!r}: missing {sorted(missing)}")
        if entry["kind"] not in KINDS:
            raise ValueError(f"units.toml [units] {written!r}: unknown kind {entry['kind']!r}; "
                             f"use one of {sorted(KINDS)}")
        factor = entry["factor"]
        if not isinstance(factor, (int, float)) or not math.isfinite(factor) or factor <= 0:
            raise ValueError(f"units.toml [units] {written!r}: factor must be a positive number")
        units[written] = Unit(written, entry["base"], float(factor), entry["kind"])
    bases = {u.base for u in units.values()}
    for u in units.values():
        if u.base not in units and u.base not in bases:
            raise ValueError(f"units.toml: base unit {u.base!r} of {u.written!r} is unknown")
    return mags, units


def validate_lexicon(data: dict[str, Any]) -> dict[str, Any]:
    for section in ("qualifier_prefix", "qualifier_suffix", "qualifier_infix"):
        for word, q in data.get(section, {}).items():
            if q not in QUALIFIERS:
                raise ValueError(f"lexicon.toml [{section}] {word!r}: qualifier {q!r} "
                                 f"is not one of {sorted(QUALIFIERS)}")
    for word, sign in data.get("change_cue", {}).items():
        if sign not in (1, -1):
            raise ValueError(f"lexicon.toml [change_cue] {word!r}: sign must be 1 or -1")
    for word, unit in data.get("counted_noun", {}).items():
        if resolve_unit(unit) is None:
            raise ValueError(f"lexicon.toml [counted_noun] {word!r}: {unit!r} is not in units.toml")
    return data


@functools.cache
def tables() -> tuple[dict[str, float], dict[str, Unit]]:
    return validate_units(_load_toml("units.toml"))


@functools.cache
def lexicon() -> dict[str, Any]:
    return validate_lexicon(_load_toml("lexicon.toml"))


def magnitudes() -> dict[str, float]:
    return tables()[0]


def units() -> dict[str, Unit]:
    return tables()[1]


def resolve_unit(written: str) -> Unit | None:
    """A written unit (with or without a magnitude word before it) → Unit."""
    table = units()
    if written in table:
        return table[written]
    mags = magnitudes()
    for i in range(len(written) - 1, 0, -1):
        mag, rest = written[:i], written[i:]
        if mag in mags and rest in table:
            u = table[rest]
            return Unit(written, u.base, mags[mag] * u.factor, u.kind)
    if written.count("/") == 1:  # 吨/公顷 in a header: one unit per another, of kind other
        per, by = (resolve_unit(w) for w in written.split("/"))
        if per is not None and by is not None and "/" not in per.base + by.base:
            return Unit(written, f"{per.base}/{by.base}", per.factor / by.factor, "other")
    return None


@functools.cache
def conversions() -> dict[tuple[str, str], float]:
    """(from base unit, to base unit) → factor, both ways, from [conversions] of
    units.toml; validated: positive factors between units of one kind.

    >>> conversions()[("公顷", "亩")], conversions()[("亩", "公顷")]
    (15.0, 0.06666666666666667)
    """
    data = _load_toml("units.toml").get("conversions", {})
    kinds = {u.base: u.kind for u in units().values()}
    out: dict[tuple[str, str], float] = {}
    for frm, entry in data.items():
        to, factor = entry.get("to"), entry.get("factor")
        if not isinstance(factor, (int, float)) or not math.isfinite(factor) or factor <= 0:
            raise ValueError(f"units.toml [conversions] {frm!r}: factor must be a positive number")
        if kinds.get(frm) is None or kinds.get(frm) != kinds.get(to):
            raise ValueError(f"units.toml [conversions] {frm!r} → {to!r}: both must be base units "
                             "of one kind")
        out[(frm, to)] = float(factor)
        out[(to, frm)] = 1.0 / float(factor)
    return out
