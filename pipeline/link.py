"""Links between mentions, unit inheritance, and checks of the stated arithmetic.

* ``of``: a part or a rate → the quantity it is a share of
  (已整改1.11万亩 → 14.38万亩; 整改率84.16% → 45536个; 完成率82.5% → 1.98万亩);
* ``change_of``: a change → the quantity whose change it is (同比减少89.2% → 152亩);
* ``target``: an actual → the target for the same indicator in its task;
* ``date``: the date mention a quantity is stated at (截至6月底 …);
* unit inheritance: a number whose unit was lost (指标2) takes its target's unit.

Checks compare what the report states with what its own numbers imply, at the
precision the report printed.
"""
from __future__ import annotations

import re
from dataclasses import replace

from pipeline import units
from pipeline.normalize import View
from pipeline.records import Check, DateMention, Quantity, Task

SENTENCE = re.compile(r"[。；;！？!?]")
PART_CUES = ("已整改", "已完成", "完成整改", "其中", "已处置", "已", "整改")
WHOLE_RATE_CUES = ("整改率", "办结率", "完成率")
# a rate is the share of a quantity before it only when one of these says so
SHARE_CUES = ("完成率", "整改率", "办结率", "执行率", "任务的", "目标的", "计划的", "占", "比重", "比例")


def _sentence_id(folded: str):
    """A function offset → sentence number, over the folded text."""
    ends = [m.end() for m in SENTENCE.finditer(folded)]

    def sid(pos: int) -> int:
        lo, hi = 0, len(ends)
        while lo < hi:
            mid = (lo + hi) // 2
            if ends[mid] <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo
    return sid


def _in_parens(folded: str, pos: int) -> bool:
    window = folded[max(0, pos - 30):pos]
    return window.rfind("(") > window.rfind(")") or window.rfind("（") > window.rfind("）")


def decimals(x: float, written: str | None = None) -> int:
    """Decimal places as printed: decimals(84.16, '84.16%') == 2."""
    if written:
        m = re.search(r"\d+(?:\.(\d+))?", written)
        if m:
            return len(m.group(1) or "")
    s = repr(float(x))
    return len(s.split(".")[1].rstrip("0")) if "." in s else 0


def _similar(a: str | None, b: str | None) -> float:
    """Character-bigram overlap of two indicator phrases, 0..1; phrases that share
    fewer than two bigrams (面积 and 粮食播种面积) score 0.

    >>> _similar("新增建设用地指标", "报批建设用地使用新增建设用地指标")
    1.0
    >>> _similar("面积", "粮食播种面积")
    0.0
    """
    if not a or not b:
        return 0.0
    ba = {a[i:i + 2] for i in range(len(a) - 1)}
    bb = {b[i:i + 2] for i in range(len(b) - 1)}
    common = len(ba & bb)
    if common < 2:
        return 0.0
    return common / min(len(ba), len(bb))


def link_all(view: View, qs: list[Quantity], dates: list[DateMention],
             tasks: list[Task]) -> tuple[list[Quantity], list[Check]]:
    folded = view.folded
    sid = _sentence_id(folded)
    fpos = {q.id: view.to_folded(q.start) for q in qs}
    by_id = {q.id: q for q in qs}
    sent = {q.id: sid(fpos[q.id]) for q in qs}
    out: dict[str, Quantity] = dict(by_id)
    index = {q.id: i for i, q in enumerate(qs)}

    def prev_in_sentence(q: Quantity, ok) -> Quantity | None:
        for p in reversed(qs[max(0, index[q.id] - 12): index[q.id]]):
            if sent[p.id] != sent[q.id]:
                return None
            if ok(out[p.id]):
                return out[p.id]
        return None

    for q in qs:
        cur = out[q.id]
        pos = fpos[q.id]
        before = folded[max(0, pos - 12):pos]
        if cur.role == "change":
            base = prev_in_sentence(q, lambda p: p.role not in ("change", "rate", "rank")
                                    and p.kind not in ("percent", "percent_point"))
            if base:
                cur = replace(cur, change_of=base.id, indicator=cur.indicator or base.indicator,
                              indicator_key=cur.indicator_key or base.indicator_key)
        elif cur.role == "rank":
            base = prev_in_sentence(q, lambda p: p.role not in ("rank",))
            if base:
                src = out.get(base.change_of or "", base)
                cur = replace(cur, indicator=src.indicator, indicator_key=src.indicator_key)
        elif cur.role == "rate" and any(c in before for c in SHARE_CUES):
            base = prev_in_sentence(q, lambda p: p.kind not in ("percent", "percent_point")
                                    and not _in_parens(folded, fpos[p.id]))
            if base:
                whole = out[base.of] if base.of and any(c in before for c in WHOLE_RATE_CUES) else base
                cur = replace(cur, of=whole.id)
        elif cur.kind not in ("percent", "percent_point", "rank") and cur.unit:
            host = _paren_host(folded, q, qs, fpos, index)
            if host is not None:
                host = out[host.id]
                cur = replace(cur, indicator=cur.indicator or host.indicator,
                              indicator_key=cur.indicator_key or host.indicator_key)
                if host.of:
                    twin = _paren_companion(folded, out[host.of], qs, fpos, cur.unit, index)
                    if twin is not None:
                        cur = replace(cur, of=twin.id)
            elif any(c in folded[max(0, pos - 8):pos] for c in PART_CUES):
                whole = prev_in_sentence(q, lambda p: p.unit == cur.unit and p.of is None
                                         and p.role == "actual")
                if whole and (whole.value or 0) >= (cur.value or 0):
                    cur = replace(cur, of=whole.id)
        out[q.id] = cur

    out = _link_targets(out, qs, tasks)
    out = _link_dates(view, out, qs, dates, sid)
    result = [out[q.id] for q in qs]
    return result, checks(result)


def _paren_host(folded: str, q: Quantity, qs: list[Quantity], fpos: dict[str, int],
                index: dict[str, int]) -> Quantity | None:
    """For a quantity written in brackets right after another (45536个（面积16.31万亩）),
    the quantity the brackets qualify."""
    pos = fpos[q.id]
    if not _in_parens(folded, pos):
        return None
    i = index[q.id]
    if i == 0:
        return None
    prev = qs[i - 1]
    gap = folded[fpos[prev.id]:pos]
    if ("(" in gap or "（" in gap) and len(gap) <= len(prev.text) + 8:
        return prev
    return None


def _paren_companion(folded: str, host: Quantity, qs: list[Quantity], fpos: dict[str, int],
                     unit: str, index: dict[str, int]) -> Quantity | None:
    """The bracketed quantity with ``unit`` that follows ``host``, if any."""
    i = index[host.id]
    if i + 1 < len(qs):
        nxt = qs[i + 1]
        if nxt.unit == unit and _paren_host(folded, nxt, qs, fpos, index) is not None:
            return nxt
    return None


def _link_targets(out: dict[str, Quantity], qs: list[Quantity], tasks: list[Task]) -> dict[str, Quantity]:
    targets = [q for q in qs if out[q.id].role == "target"]
    for q in qs:
        cur = out[q.id]
        # unit inheritance: a target whose unit was lost takes it from its task's target
        if cur.unit is None and cur.role == "target":
            best = _best_match(cur, [out[t.id] for t in targets if t.id != q.id and out[t.id].unit
                                     and out[t.id].task == cur.task], need_unit=False)
            if best is not None:
                written = best.written_unit or best.unit
                unit = units.resolve_unit(written)
                if unit is not None and cur.value is not None:
                    cur = replace(cur, value=cur.value * unit.factor, unit=unit.base,
                                  written_unit=None, kind=unit.kind, unit_inferred=True,
                                  of=best.id,
                                  indicator=cur.indicator or best.indicator,
                                  indicator_key=cur.indicator_key or best.indicator_key)
        elif cur.role == "actual" and cur.of is None and cur.unit:
            cands = [out[t.id] for t in targets if t.start < cur.start or out[t.id].task == cur.task]
            cands = [t for t in cands if t.task == cur.task and t.unit == cur.unit and not t.unit_inferred]
            best = _best_match(cur, cands, need_unit=True)
            if best is not None:
                cur = replace(cur, target=best.id)
        out[q.id] = cur
    return out


def _best_match(q: Quantity, cands: list[Quantity], need_unit: bool) -> Quantity | None:
    scored = [(_similar(q.indicator_key, c.indicator_key), -abs(c.start - q.start), c) for c in cands]
    scored = [s for s in scored if s[0] >= 0.5]
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0], s[1]))[2]


def _link_dates(view: View, out, qs, dates, sid) -> dict[str, Quantity]:
    by_sentence: dict[int, list[tuple[int, DateMention]]] = {}
    for d in dates:
        p = view.to_folded(d.start)
        by_sentence.setdefault(sid(p), []).append((p, d))
    for q in qs:
        pos = view.to_folded(q.start)
        gov = [d for p, d in by_sentence.get(sid(pos), ()) if p < pos]
        if gov:
            out[q.id] = replace(out[q.id], date=gov[-1].id)
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tolerance(reported: float, written: str | None) -> float:
    return 0.5 * 10 ** -decimals(reported, written) + 1e-9


def checks(qs: list[Quantity]) -> list[Check]:
    by_id = {q.id: q for q in qs}
    out: list[Check] = []
    for q in qs:
        if q.role == "rate" and q.of and q.value is not None:
            whole = by_id[q.of]
            parts = [p for p in qs if p.of == whole.id and p.role != "rate" and p.unit == whole.unit
                     and p.start < q.start]
            if parts and whole.value:
                part = parts[-1]
                expected = part.value / whole.value * 100
                ok = abs(expected - q.value) <= _tolerance(q.value, q.text)
                out.append(Check("rate_matches_ratio", (q.id, part.id, whole.id), round(expected, 6),
                                 q.value, ok, f"{_flat(part.text)}/{_flat(whole.text)} = {expected:.4g}% vs stated {_flat(q.text)}"))
            elif whole.target and whole.value and q.value:
                target = by_id[whole.target]
                implied = whole.value / (q.value / 100)
                tol = implied * _tolerance(q.value, q.text) / q.value
                ok = abs(implied - target.value) <= tol
                out.append(Check("implied_target", (q.id, whole.id, target.id), round(implied, 6),
                                 target.value, ok, f"{_flat(whole.text)} at {_flat(q.text)} implies a target of "
                                 f"{implied:.6g} {whole.unit}; stated {_flat(target.text)}"))
        if q.role == "actual" and q.target and q.value is not None:
            target = by_id[q.target]
            if target.value:
                share = q.value / target.value * 100
                out.append(Check("progress", (q.id, target.id), round(share, 6), round(share, 6), True,
                                 f"{_flat(q.text)} is {share:.1f}% of the target {_flat(target.text)}"))
    return out
