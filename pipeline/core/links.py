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

import bisect
import functools
import re
from dataclasses import replace

from pipeline.core import units
from pipeline.core.mentions.patterns import LIST_GAP
from pipeline.core.normalize import View, squash
from pipeline.core.records import Block, Check, DateMention, Quantity, Task
from pipeline.core.structure.tasks import column_of_header, locator

GAP_WORDS = ("比", "较", "高于", "低于", "快于", "慢于")  # what a gap's base follows (高于全国(3.9%)3.6个百分点)
SENTENCE = re.compile(r"[。；;！？!?]")
FULL_STOP = re.compile(r"[。！？!?]")
# a growth rate's own change: 增速比一季度加快0.6个百分点; 增长6.3%，较去年同期下降6.8个百分点
RATE_OF_CHANGE = re.compile(r"增速|增幅|涨幅|降幅|跌幅|速度|[较比]")
CUT_OFF = re.compile(r"截[至止]\s*$")  # 截至6月底: the day figures are stated at
CAPTION = re.compile(r"表\s*[\d一二三四五六七八九十]+\s")  # 表2 2023年居民消费价格指数: the table's year
PART_CUES = ("已整改", "已完成", "完成整改", "其中", "已处置", "已", "整改")
# 一是 … 六是, 5., （三）, 二、: a new item of a list; 截至目前, 今年以来: a vague new time
LIST_ITEM = re.compile(r"[一二三四五六七八九十]是|[（(][一二三四五六七八九十\d]{1,2}[)）]|(?<![\d.])\d{1,2}[.、](?!\d)"
                       r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}、|截至目前|目前|今年以来|年初以来"
                       r"|(?<![比较与])(?:去年|过去一年|今年)(?!同期)")
WHOLE_RATE_CUES = ("整改率", "办结率", "完成率")
# 占新增市场主体的25.8%: the whole is named between 占 and 的
SHARE_NAMED = re.compile(r"占([^，。；,;占]{2,16})的$")


def sentence_id(folded: str):
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


def in_parens(folded: str, pos: int) -> bool:
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


@functools.lru_cache(maxsize=65536)
def _bigrams(s: str) -> frozenset[str]:
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


@functools.lru_cache(maxsize=262144)
def similar(a: str | None, b: str | None) -> float:
    """Character-bigram overlap of two indicator phrases, 0..1; phrases that share
    fewer than two bigrams (面积 and 粮食播种面积) score 0.

    >>> similar("新增建设用地指标", "报批建设用地使用新增建设用地指标")
    1.0
    >>> similar("面积", "粮食播种面积")
    0.0
    """
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) >= 3 and (a in b or b in a):
        return 1.0
    ba, bb = _bigrams(a), _bigrams(b)
    common = len(ba & bb)
    if common < 2:
        return 0.0
    return common / min(len(ba), len(bb))


def link_all(view: View, qs: list[Quantity], dates: list[DateMention], tasks: list[Task],
             date_columns: dict[str, str | None] | None = None) -> tuple[list[Quantity], list[Check]]:
    """All links and checks for one document.  ``date_columns`` gives the table
    column each date stands in (task, time, target, progress …) where known."""
    folded = view.folded
    sid = sentence_id(folded)
    fpos = {q.id: view.to_folded(q.start) for q in qs}
    by_id = {q.id: q for q in qs}
    sent = {q.id: sid(fpos[q.id]) for q in qs}
    out: dict[str, Quantity] = dict(by_id)
    index = {q.id: i for i, q in enumerate(qs)}
    in_task: dict[str | None, list[Quantity]] = {}
    for q in qs:
        in_task.setdefault(q.task, []).append(q)

    def prev_in_sentence(q: Quantity, ok) -> Quantity | None:
        for p in reversed(qs[max(0, index[q.id] - 12): index[q.id]]):
            if sent[p.id] != sent[q.id]:
                return None
            if ok(out[p.id]):
                return out[p.id]
        return None

    def prev_part_whole(q: Quantity, cur: Quantity) -> Quantity | None:
        """其中小麦产量142.5万吨 after 粮食总产量316.8万吨。: the whole may close the
        sentence before; a list of parts (…，玉米产量151.3万吨) shares its whole."""
        i = index[q.id]
        for p in reversed(qs[max(0, i - 8):i]):
            p = out[p.id]
            if sent[p.id] < sent[q.id] - 1:
                return None
            if p.unit == cur.unit and p.role in ("actual", "target"):
                if p.of and sent[p.id] == sent[q.id]:
                    return out[p.of]
                if p.of is None and (p.value or 0) >= (cur.value or 0):
                    return p
        return None

    for q in qs:
        cur = out[q.id]
        pos = fpos[q.id]
        before = folded[max(0, pos - 12):pos]
        if cur.role == "change" or cur.role_source == "plan":  # a planned change too
            point = cur.kind == "percent_point"
            # a gap (3.37%，比目标4%低0.63个百分点) is of the figure before 比, not of 4%
            gap = cur.role_source == "gap"
            cut = max(folded.rfind(w, max(0, pos - 24), pos) for w in GAP_WORDS)
            upto = cut if gap and cut >= 0 else pos
            base = prev_in_sentence(q, lambda p, point=point, upto=upto, gap=gap, pos=pos: fpos[p.id] < upto
                                    and (p.role not in ("change", "rank") or (gap and p.role == "change")
                                         # 增长5.8%，增速比一季度加快0.6个百分点: a growth rate's change
                                         or (point and p.role == "change"
                                             and RATE_OF_CHANGE.search(folded[fpos[p.id]:pos]))) and (
                p.kind in ("percent", "ratio") if point else p.kind not in ("percent", "percent_point")
                and p.role != "rate"))
            if base:
                cur = replace(cur, change_of=base.id, indicator=cur.indicator or base.indicator,
                              indicator_key=cur.indicator_key or base.indicator_key)
        elif cur.role == "rank" and cur.column != "rank":  # (a ranking column names its own)
            # the figure ranked; a rank opening the line after a figure ranks nothing on the
            # line before (第一名：长葛市 91.06分⏎第二名：建安区)
            base = prev_in_sentence(q, lambda p, q=q: p.role not in ("rank",)
                                    and not ("\n" in view.text[p.end:q.start] and not view.text[p.end:q.start].strip()))
            if base:
                src = out.get(base.change_of or "", base)
                cur = replace(cur, indicator=src.indicator, indicator_key=src.indicator_key)
        elif cur.role == "rate" and cur.column == "rate":
            # a completion-rate column: the share of the row's target
            row_targets = [p for p in in_task.get(cur.task, []) if out[p.id].role == "target" and p.unit]
            if len(row_targets) == 1:
                cur = replace(cur, of=row_targets[0].id)
        elif cur.role == "rate":
            named = SHARE_NAMED.search(folded[max(0, pos - 24):pos])
            whole = None
            if named:
                whole = _named_whole(named.group(1), [out[p.id] for p in qs[max(0, index[q.id] - 12):index[q.id]]])
            if whole is None:
                base = prev_in_sentence(q, lambda p: p.kind not in ("percent", "percent_point")
                                        and not in_parens(folded, fpos[p.id]))
                if base:
                    whole = out[base.of] if base.of and not before.endswith("的") else base
            if whole is not None:
                cur = replace(cur, of=whole.id)
        elif cur.kind not in ("percent", "percent_point", "rank") and cur.unit:
            host = _paren_host(folded, q, qs, fpos, index)
            if host is not None:
                host = out[host.id]
                cur = replace(cur, indicator=cur.indicator or host.indicator,
                              indicator_key=cur.indicator_key or host.indicator_key)
                if "其中" in folded[fpos[host.id]:pos] and host.unit == cur.unit and cur.role in ("actual", "target"):
                    cur = replace(cur, of=host.id)  # 8.35万亩（其中：8月完成1.24万亩）
                elif host.of:
                    twin = _paren_companion(folded, out[host.of], qs, fpos, cur.unit, index)
                    if twin is not None:
                        cur = replace(cur, of=twin.id)
            elif cur.role in ("actual", "target") and _list_part(folded, q, qs, out, fpos, index):
                # 其中工业用地1500亩、住宅用地900亩: the next part of the same list
                prev = out[qs[index[q.id] - 1].id]
                cur = replace(cur, of=prev.of, role=prev.role)
            elif cur.role in ("actual", "target") and (
                    (near_cue := any(c in folded[max(0, pos - 8):pos] for c in PART_CUES))
                    or "其中" in _sentence_so_far(folded, pos)):
                whole = prev_part_whole(q, cur)
                if whole is not None and not near_cue and whole.role == "target" and cur.role == "actual":
                    whole = None  # what is done of a planned set counts towards it (its target)
                if whole is not None:
                    # 计划供应3600亩，其中工业用地1500亩: a part of a target is a target
                    part_of_plan = whole.role == "target" and "其中" in folded[max(0, pos - 8):pos]
                    cur = replace(cur, of=whole.id, role="target" if part_of_plan else cur.role)
            elif cur.role in ("actual", "target") and (sibling := _sibling_part(folded, q, qs, out, fpos, index)):
                cur = replace(cur, of=sibling.of)  # …；林业总产值4024万元: the next clause's part
        out[q.id] = cur

    _pair_lists(view.text, qs, out, sent)
    out = _link_targets(out, qs, tasks, sent)
    for q in qs:
        # 计划改造420户，完成386户，完成率91.9%: a rate is of the whole its sentence states
        # when the figures make it (a whole stated elsewhere leaves it of the amount done)
        cur = out[q.id]
        part = out.get(cur.of or "")
        whole = out.get(part.target or "") if part is not None else None
        if (cur.role == "rate" and whole is not None and sent[whole.id] == sent[q.id]
                and _is_ratio(cur, part, whole)):
            out[q.id] = replace(cur, of=whole.id)
    out = _link_dates(view, out, qs, dates, date_columns or {})
    result = [out[q.id] for q in qs]
    return result, checks(result)


def _level_of(change: Quantity, level: Quantity) -> bool:
    """Whether ``change`` can describe ``level``: points a share, a % an amount or count."""
    if change.kind == "percent_point":
        return level.kind == "percent"
    return level.kind not in ("percent", "percent_point", "rank", "ratio")


PAIRED_GAP = re.compile(r"[^。；;！？!?\d]{0,16}")  # what stands between two paired lists or their items


def _pair_lists(text: str, qs: list[Quantity], out: dict[str, Quantity], sent: dict[str, int]) -> None:
    """余额288.42亿元、219.06亿元，同比增长10.5%、14.8%: a list of changes or shares right
    after a list of as many amounts pairs with it item by item (分别 reads the same);
    each change is of its own amount and takes that amount's indicator."""
    i = 0
    while i < len(qs):
        j = i
        while (j + 1 < len(qs) and sent[qs[j + 1].id] == sent[qs[i].id]
               and LIST_GAP.fullmatch(text[qs[j].end:qs[j + 1].start])):
            j += 1
        run, k = [out[q.id] for q in qs[i:j + 1]], j - i + 1
        first = run[0]
        if k >= 2 and i >= k and first.role in ("change", "rate") and all(r.kind == first.kind for r in run):
            amounts = [out[q.id] for q in qs[i - k:i]]
            gaps = [text[a.end:b.start] for a, b in zip(amounts, amounts[1:] + [first])]
            if (all(_level_of(first, a) and a.role in ("actual", "target", "rate")
                    and sent[a.id] == sent[first.id] for a in amounts)
                    and all(PAIRED_GAP.fullmatch(g) for g in gaps)):
                link = "change_of" if first.role == "change" else "of"
                for r, a in zip(run, amounts):
                    out[r.id] = replace(r, role=first.role, **{link: a.id}, indicator=a.indicator or r.indicator,
                                        indicator_key=a.indicator_key or r.indicator_key)
        i = j + 1


def _is_ratio(rate: Quantity, part: Quantity, whole: Quantity | None) -> bool:
    """Whether ``rate`` is ``part`` over ``whole`` as printed (40 / 28 → 143%)."""
    if whole is None or not whole.value or part.value is None or rate.value is None or whole.unit != part.unit:
        return False
    return abs(part.value / whole.value * 100 - rate.value) <= _tolerance(rate.value, rate.text) + 0.5


def _sentence_so_far(folded: str, pos: int, limit: int = 40) -> str:
    """The sentence before ``pos``, back to its full stop or semicolon (at most ``limit``
    characters): 其中省重点项目38个，完成投资116.5亿元 opens a part anywhere in it."""
    window = folded[max(0, pos - limit):pos]
    return window[max(window.rfind(c) for c in "。；;！？") + 1:]


def _list_part(folded: str, q: Quantity, qs: list[Quantity], out: dict[str, Quantity],
               fpos: dict[str, int], index: dict[str, int]) -> bool:
    """Whether ``q`` continues a list of parts: the quantity before it, in the same
    clause group and unit, is a part, and only 、 or ，and words stand between."""
    i = index[q.id]
    if i == 0:
        return False
    prev = out[qs[i - 1].id]
    if prev.of is None or prev.unit != q.unit:
        return False
    gap = folded[fpos[prev.id] + len("".join(prev.text.split())):fpos[q.id]]
    return gap[:1] in ("、", "，", ",") and not re.search(r"[。；;！？\d]", gap) and len(gap) <= 12


def _sibling_part(folded: str, q: Quantity, qs: list[Quantity], out: dict[str, Quantity],
                  fpos: dict[str, int], index: dict[str, int]) -> Quantity | None:
    """The part before ``q`` whose whole ``q`` shares: in the same sentence, a clause
    after a semicolon (其中，农业总产值77295万元…；林业总产值4024万元; 已完成33个…；正常推进的
    51个), of the same unit and role, no larger than that whole."""
    pos = fpos[q.id]
    for p in reversed(qs[max(0, index[q.id] - 8):index[q.id]]):
        p = out[p.id]
        gap = folded[fpos[p.id]:pos]
        if "。" in gap or "！" in gap or "？" in gap:
            return None
        if p.unit != q.unit or p.role not in ("actual", "target"):
            continue
        if p.role != out[q.id].role:
            return None  # (预计完成64.38万亩 after 玉米播栽63.45万亩: an estimate, no part)
        whole = out.get(p.of or "")
        if whole is None or not re.search(r"[；;]", gap) or (whole.value or 0) < (q.value or 0):
            return None
        # the same kind of part (农业总产值…；林业总产值), or the next status of a list
        # (已完成33个…；正常推进的51个), not a new subject (…；育苗生产完成5413亩)
        mine, theirs = out[q.id].indicator or "", p.indicator or ""
        status = re.search(r"(?:的|有)$", folded[max(0, pos - 2):pos])
        if not (status or len(mine) >= 2 and len(theirs) >= 2 and mine[-2:] == theirs[-2:]):
            return None
        return p
    return None


def _named_whole(name: str, earlier: list[Quantity]) -> Quantity | None:
    """The latest earlier quantity whose indicator is the named whole."""
    best = None
    for p in earlier:
        if p.kind not in ("percent", "percent_point") and similar(p.indicator_key, name) >= 0.6:
            best = p
    return best


def _paren_host(folded: str, q: Quantity, qs: list[Quantity], fpos: dict[str, int],
                index: dict[str, int]) -> Quantity | None:
    """For a quantity written in brackets right after another (45536个（面积16.31万亩）),
    the quantity the brackets qualify."""
    pos = fpos[q.id]
    if not in_parens(folded, pos):
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


def _link_targets(out: dict[str, Quantity], qs: list[Quantity], tasks: list[Task],
                  sent: dict[str, int]) -> dict[str, Quantity]:
    """Unit inheritance for lost units, then actual → target for the same indicator:
    in its task when the report has rows, else nearby (the 300 characters before, or
    later in the same clause group: 达到2.31%，规划目标为2.5%)."""
    targets = [q for q in qs if out[q.id].role == "target"]
    by_task: dict[str | None, list[Quantity]] = {}
    for t in targets:
        by_task.setdefault(t.task, []).append(t)
    starts = [t.start for t in by_task.get(None, [])]
    for q in qs:
        cur = out[q.id]
        if cur.unit is None and cur.role == "target":
            best = _best_match(cur, [out[t.id] for t in _near(by_task.get(cur.task, []), cur)
                                     if t.id != q.id and out[t.id].unit])
            if best is not None:
                written = best.written_unit or best.unit
                unit = units.resolve_unit(written)
                if unit is not None and cur.value is not None:
                    cur = replace(cur, value=cur.value * unit.factor, unit=unit.base,
                                  written_unit=None, kind=unit.kind, unit_inferred=True,
                                  of=best.id,
                                  indicator=cur.indicator or best.indicator,
                                  indicator_key=cur.indicator_key or best.indicator_key)
        elif cur.role == "actual" and cur.unit:
            if cur.task is not None:
                cands = [out[t.id] for t in _near(by_task.get(cur.task, []), cur)]
            else:
                lo = bisect.bisect_left(starts, cur.start - 600)
                hi = bisect.bisect_left(starts, cur.start + 40)
                cands = [out[t.id] for t in by_task.get(None, [])[lo:hi]]
            cands = [t for t in cands if t.unit == cur.unit and t.id != cur.id]
            best = _best_match(cur, cands)
            if best is None and cur.of is None and cur.task is not None and not cur.indicator_key:
                best = _row_target(cur, cands)
            if best is None and cur.of is None and cur.task is None:
                # 计划改造农村户厕420户，截至9月30日完成386户: the same sentence
                best = _nearest_before(cur, [t for t in cands if sent[t.id] == sent[cur.id]])
            if best is not None:
                cur = replace(cur, target=best.id)
        out[q.id] = cur
    return out


NEAR = 40  # candidates considered per quantity: the closest targets of its task


def _near(targets: list[Quantity], q: Quantity) -> list[Quantity]:
    """The targets of a task (sorted by start) around ``q``: all of them in any real
    table row, a window of NEAR in a runaway one."""
    if len(targets) <= NEAR:
        return targets
    i = bisect.bisect_left([t.start for t in targets], q.start)
    return targets[max(0, i - NEAR // 2): i + NEAR // 2]


def _row_target(q: Quantity, cands: list[Quantity]) -> Quantity | None:
    """In a table row with no indicator to go by: the row's own (annual) target from
    the task column, else its quarterly target."""
    annual = [c for c in cands if c.column == "task"]
    return _nearest_before(q, annual) or _nearest_before(q, cands)


def _best_match(q: Quantity, cands: list[Quantity]) -> Quantity | None:
    """The candidate with the most similar indicator; ties go to the task column's
    (annual) target, then to the closest."""
    scored = [(similar(q.indicator_key, c.indicator_key), c.column == "task", -abs(c.start - q.start), c)
              for c in cands]
    scored = [s for s in scored if s[0] >= 0.5]
    if not scored:
        return None
    return max(scored, key=lambda s: s[:3])[3]


def _nearest_before(q: Quantity, cands: list[Quantity]) -> Quantity | None:
    """With no indicator to go by, the closest target: before, or just after in the text."""
    if not cands:
        return None
    return min(cands, key=lambda c: (c.start > q.start, abs(c.start - q.start)))


def _link_dates(view: View, out: dict[str, Quantity], qs: list[Quantity], dates: list[DateMention],
                date_columns: dict[str, str | None]) -> dict[str, Quantity]:
    """A date governs the quantities after it to the end of its sentence (。, not ；),
    unless a new list item (二是, 5., （三）) or a vague time (截至目前) comes first.
    Dates in the task and time-node columns govern nothing, nor does a baseline
    (较二季度末增加…) or a page's date line (发布日期：…)."""
    folded = view.folded
    marks = []
    for d in dates:
        ds, de = view.folded_span(d.start, d.end)
        if date_columns.get(d.id) in ("task", "target", "time") or folded[max(0, ds - 1):ds] in ("较", "比", "按"):
            continue  # a baseline (较二季度末) or a basis (按2020年末常住人口计算)
        if re.match(r"(?:前|之前|以前)", folded[de:de + 2]):
            continue  # a deadline (年底前完成) is not the date a figure is stated at
        if re.match(r"(?:相比|相较|比较|同期相比)", folded[de:de + 4]):
            continue  # a baseline (与2020年相比, 和上半年相比)
        if d.grain != "year" and re.match(r"的?(?:目标|任务|计划|预算)", folded[de:de + 3]):
            continue  # a target's span (占上半年目标任务的94%): not when the figures stand
        if _page_date(view.text, d):
            continue  # the date the page or form was published or filled in
        marks.append((ds, de, d))
    marks.sort(key=lambda m: m[0])
    starts = [m[0] for m in marks]
    resets = [m.start() for m in LIST_ITEM.finditer(folded)]
    stops = [m.start() for m in FULL_STOP.finditer(folded)]
    breaks: list[int] | None = None  # line breaks, found only if a date opens a paragraph
    opens: dict[str, bool] = {}
    for q in qs:
        pos = view.to_folded(q.start)
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            continue
        ds, dend, d = marks[k]
        if k > 0 and _cut_off_span(folded, marks[k - 1], marks[k]):
            ds, dend, d = marks[k - 1]  # 截至6月底止本財政年度首3個月: stated at the cut-off
        if dend > pos or d.task != out[q.id].task:
            continue
        # a date opening a paragraph (上半年，… / 4月，…) governs the paragraph, not
        # only its first sentence
        if d.id not in opens:
            opens[d.id] = _opens_paragraph(view, d)
        barriers = (resets,) if opens[d.id] else (resets, stops)
        if any((i := bisect.bisect_right(b, pos) - 1) >= 0 and b[i] >= dend for b in barriers):
            continue
        same_sentence = not ((i := bisect.bisect_right(stops, pos) - 1) >= 0 and stops[i] >= dend)
        if barriers == (resets,) and not same_sentence:  # (a PDF's line may break a sentence)
            if breaks is None:
                breaks = [m.start() for m in re.finditer(r"\n", view.text)]
            j = bisect.bisect_right(breaks, d.end)
            if j < len(breaks) and breaks[j] < q.start:
                continue
        out[q.id] = replace(out[q.id], date=d.id)
    return out


def _cut_off_span(folded: str, cut: tuple, span: tuple) -> bool:
    """Whether ``span`` (a period) right after a cut-off date (截至6月底) ends on it: the
    figures are stated at the cut-off."""
    (cs, ce, c), (ss, _se, sd) = cut, span
    return (0 <= ss - ce <= 12 and bool(CUT_OFF.search(folded[max(0, cs - 3):cs]))
            and c.end_date == sd.end_date and sd.start_date != sd.end_date)


# a page's or a form's own date line: 发布日期：2022-08-03, 时间: 2021-12-08, 填报日期 | …
PAGE_DATE = re.compile(r"(?:发布|发表|更新|填报|成文|印发|发文|生成|打印|报送|上报|录入)?(?<!截止)(?<!截至)(?<!统计)"
                       r"(?:日期|时间)\s*[:：|]?\s*$")
def _page_date(text: str, d: DateMention) -> bool:
    """Whether ``d`` is a page's or form's own date line (发布日期 | 2022-08-03)."""
    return PAGE_DATE.search(text[max(0, d.start - 12):d.start].rsplit("\n", 1)[-1]) is not None


PARAGRAPH_OPEN = re.compile(r"(?:^|\n)[ \t\u3000]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.]\s*)?"
                            r"(?:[^。\n]{1,20}。)?(?:今年|本年|全年)?$")  # (一、全市经济稳健发展。上半年，…)


def _opens_paragraph(view: View, d: DateMention) -> bool:
    """A date that opens its line and is followed by a comma: 上半年，全市…"""
    head = view.text[max(0, d.start - 40):d.start]
    after = view.text[d.end:d.end + 2].lstrip("份底末以来")
    return bool(PARAGRAPH_OPEN.search(head)) and after[:1] in ("，", ",")


def _scale(q: Quantity) -> float:
    """The factor from the number as printed to the value (万亩 → 10000)."""
    unit = units.resolve_unit(q.written_unit) if q.written_unit else None
    return unit.factor if unit else 1.0


def _tolerance(reported: float, written: str | None) -> float:
    return 0.5 * 10 ** -decimals(reported, written) + 1e-9


def checks(qs: list[Quantity]) -> list[Check]:
    by_id = {q.id: q for q in qs}
    parts_of: dict[str, list[Quantity]] = {}
    row_of: dict[str, list[Quantity]] = {}
    for p in qs:
        if p.of and p.role != "rate":
            parts_of.setdefault(p.of, []).append(p)
        if p.task and p.unit and p.unit != "%":
            row_of.setdefault(p.task, []).append(p)
    out: list[Check] = []
    for q in qs:
        if q.role == "rate" and q.of and q.value is not None:
            whole = by_id[q.of]
            parts = [p for p in parts_of.get(whole.id, []) if p.unit == whole.unit and p.start < q.start]
            if parts and whole.value:
                part = parts[-1]
                expected = part.value / whole.value * 100
                ok = abs(expected - q.value) <= _tolerance(q.value, q.text)
                out.append(Check("rate_matches_ratio", (q.id, part.id, whole.id), round(expected, 6),
                                 q.value, ok, f"{squash(part.text)}/{squash(whole.text)} = {expected:.4g}% vs stated {squash(q.text)}"))
            elif whole.target and whole.value and q.value:
                target = by_id[whole.target]
                implied = whole.value / (q.value / 100)
                tol = implied * _tolerance(q.value, q.text) / q.value
                ok = abs(implied - target.value) <= tol
                out.append(Check("implied_target", (q.id, whole.id, target.id), round(implied, 6),
                                 target.value, ok, f"{squash(whole.text)} at {squash(q.text)} implies a target of "
                                 f"{implied:.6g} {whole.unit}; stated {squash(target.text)}"))
        if q.role == "rate" and q.column == "rate" and q.task and q.value is not None:
            row = [p for p in row_of.get(q.task, []) if p.id != q.id]
            actual = [p for p in row if p.role == "actual" and p.target]
            if len(actual) == 1 and by_id[actual[0].target].value:
                target = by_id[actual[0].target]
                expected = actual[0].value / target.value * 100
                ok = abs(expected - q.value) <= _tolerance(q.value, q.text)
                out.append(Check("row_rate", (q.id, actual[0].id, target.id), round(expected, 6), q.value, ok,
                                 f"{squash(actual[0].text)}/{squash(target.text)} = {expected:.4g}% "
                                 f"vs the rate column's {squash(q.text)}%"))
        parts = [p for p in parts_of.get(q.id, []) if p.unit == q.unit and p.value is not None]
        if len(parts) >= 2 and q.value is not None and q.role in ("actual", "target"):
            total = sum(p.value for p in parts)
            ok = total <= q.value * (1 + 1e-9) + _tolerance(q.value, q.text) * _scale(q)
            out.append(Check("parts_within_total", tuple([q.id] + [p.id for p in parts]), round(total, 6),
                             q.value, ok, f"the parts {' + '.join(squash(p.text) for p in parts)} = "
                             f"{total:.6g} {q.unit} against the total {squash(q.text)}"))
        if q.role == "actual" and q.target and q.value is not None:
            target = by_id[q.target]
            if target.value:
                share = q.value / target.value * 100
                ok = PROGRESS_BOUNDS[0] <= share <= PROGRESS_BOUNDS[1]
                out.append(Check("progress", (q.id, target.id), round(share, 6), round(share, 6), ok,
                                 f"{squash(q.text)} is {share:.1f}% of the target {squash(target.text)}"
                                 + ("" if ok else f", outside {PROGRESS_BOUNDS[0]:g}–{PROGRESS_BOUNDS[1]:g}%: "
                                    "a wrong link, or a figure the report got wrong")))
    return out


# An actual beyond three times its target, or below zero, is implausible progress; far
# beyond (ten times), the link behind it is taken for the extractor's mistake and dropped.
PROGRESS_BOUNDS = (0.0, 300.0)
DROP_FACTOR = 10.0


def drop_implausible(qs: list[Quantity]) -> list[Quantity]:
    """Links whose arithmetic cannot be meant: an actual ten times its target (3611%),
    a rate of more than ten times 100% of its whole, a part ten times its whole.  The
    link is dropped (the quantities stay); the checks then see no such pair.

    >>> t = Quantity(id="Q1", start=0, end=1, text="5", value=5.0, unit="个", written_unit="个", kind="count", role="target")
    >>> a = Quantity(id="Q2", start=2, end=3, text="3611", value=3611.0, unit="个", written_unit="个", kind="count", role="actual", target="Q1")
    >>> [q.target for q in drop_implausible([t, a])]
    [None, None]
    """
    by_id = {q.id: q for q in qs}
    out = []
    for q in qs:
        tgt = by_id.get(q.target or "")
        if tgt is not None and tgt.value and q.value is not None and tgt.unit == q.unit \
                and not 0 <= q.value / tgt.value <= DROP_FACTOR:
            q = replace(q, target=None)
        whole = by_id.get(q.of or "")
        if whole is not None and q.value is not None and whole.value:
            if q.role == "rate" and q.unit == "%" and q.value > 100 * DROP_FACTOR:
                q = replace(q, of=None)
            elif q.role != "rate" and whole.unit == q.unit and abs(q.value) > DROP_FACTOR * abs(whole.value):
                q = replace(q, of=None)
        out.append(q)
    return out


MONTH_HEADER = re.compile(r"当月|本月|当季|本期|当期")
CUMULATIVE_HEADER = re.compile(r"累计")
BASE_HEADER = re.compile(r"上年|去年|同期|上期|基期")
SHARE_HEADER = re.compile(r"比重|构成|占比|结构")


def link_table_cells(text: str, qs: list[Quantity], dates: list[DateMention],
                     cells: list) -> list[Quantity]:
    """Links inside the rows of a table, where the sentence rules see no sentence: an
    actual → the row's target; a growth → the row's level (not its base-year column); a
    completion rate → the row's target, a share column → the total row's amount; and
    every cell → the date its column header or the table's title states (截至…).  Only
    links still empty are filled.  ``cells``: the document's cell blocks."""
    cells = [b for b in cells if b.kind == "cell" and b.row is not None]
    if not cells or not qs:
        return qs
    cell_at = locator(cells)
    out = {q.id: q for q in qs}
    rows: dict[tuple, list[tuple]] = {}
    for q in qs:
        b = cell_at(q.start)
        if b is not None:
            rows.setdefault((b.table, b.sheet, b.row), []).append((b, q.id))
    first_row: dict[tuple, int] = {}
    for (table, sheet, row) in rows:
        first_row[(table, sheet)] = min(row, first_row.get((table, sheet), row))

    def absolute(p: Quantity) -> bool:
        return p.role in ("actual", "target") and p.unit not in (None, "%", "个百分点")

    for key, items in rows.items():
        items.sort(key=lambda x: out[x[1]].start)
        for i, (b, qid) in enumerate(items):
            cur = out[qid]
            before = [(pb, out[pid]) for pb, pid in items[:i]]
            if cur.role == "actual" and (BASE_HEADER.search(b.header or "") or (
                    MONTH_HEADER.search(b.header or "")
                    and any(CUMULATIVE_HEADER.search(pb.header or "") for pb, _ in items))):
                # last year's figure (上年完成数) or this month's (当月, beside 累计) does
                # not count towards the target
                cur = replace(cur, target=None)
            elif cur.role == "actual":
                # a bare number in an actual column counts towards the row's target; a
                # figure inside a progress narrative only towards a target of its own
                # indicator (批而未供土地 is no progress on 新增建设用地指标)
                cands = [p for _, p in reversed(before) if p.role == "target" and p.unit == cur.unit
                         and (cur.extractor == "table" or p.extractor == "table" and cur.column == "actual"
                              or similar(cur.indicator_key, p.indicator_key) > 0)]
                # of several, the one of the most similar indicator (中转站3个 → 中转站8个, not 分类池20个)
                t = max(cands, key=lambda p: similar(cur.indicator_key, p.indicator_key)) if cands else None
                if t is not None:
                    cur = replace(cur, target=t.id)
            elif cur.role == "change":
                # the level of the same column group (一般公共预算支出 累计 for its 增幅%),
                # else the row's first level that is not a base-year column
                group = (b.header or "").split(" ")[0] if " " in (b.header or "") else None
                levels = [(pb, p) for pb, p in before if absolute(p) and not BASE_HEADER.search(pb.header or "")]
                same = [p for pb, p in levels if group and (pb.header or "").startswith(group + " ")]
                # (本月 | 增长% | 1-本月 | 增长%: each growth is of the level right before it)
                right_before = before[-1][1] if before and levels and before[-1][1] is levels[-1][1] else None
                paired = right_before is not None and len(levels) >= 2 and all(
                    absolute(p) != (k % 2 == 1) for k, (_, p) in enumerate(before + [(b, cur)]))
                base = same[-1] if same else right_before if paired else (levels[0][1] if levels else None)
                if base is not None:
                    cur = replace(cur, change_of=base.id)
            elif cur.role == "rate" and (whole := _ratio_whole(cur, [p for _, p in before])) is not None:
                cur = replace(cur, of=whole.id)  # the row's amounts say whose share the rate is
            elif cur.role == "rate" and (cur.of is None or cur.column == "progress"):
                # (a % in a 进度 column is of the row's target, whatever the sentence rules
                # linked it to)
                whole = None
                if SHARE_HEADER.search(b.header or ""):
                    # the total row's amount in the nearest column of amounts to the left
                    top = rows.get((key[0], key[1], first_row[(key[0], key[1])]), [])
                    left = sorted(((pb.col or 0, out[pid]) for pb, pid in top
                                   if (pb.col or 0) < (b.col or 0) and absolute(out[pid])),
                                  key=lambda x: x[0])
                    whole = left[-1][1] if left else None
                else:
                    whole = next((p for _, p in reversed(before) if p.role == "target"), None) or \
                        next((p for _, p in reversed(before) if absolute(p)), None)
                if whole is not None and whole.id != cur.id:
                    cur = replace(cur, of=whole.id)
            out[qid] = cur
    # dates: a column header's date, else the date the table's title gives (截至…)
    tables: dict[tuple, list] = {}
    for b in cells:
        tables.setdefault((b.table, b.sheet), []).append(b)
    ends = sorted(max(b.end for b in t) for t in tables.values())
    for tcells in tables.values():
        first = min(b.start for b in tcells)
        # the lines above it, back to the end of the table before it (whose title is not its)
        since = max((e for e in ends if e <= first), default=0)
        above = [d for d in dates if max(first - 600, since) <= d.start and d.end <= first]
        col_date: dict[int | None, DateMention] = {}
        for b in tcells:
            h = squash(b.header or "")
            hits = [d for d in above if squash(d.text) and squash(d.text) in h]
            if hits and b.col not in col_date:
                col_date[b.col] = hits[-1]
        # a row labelled by a year (时间 | … / 2017 | 73.07): its date
        last = max(b.end for b in tcells)
        inside = [d for d in dates if first <= d.start and d.end <= last]
        row_date = {(b.row, b.sheet): d for b in tcells if b.col == 0
                    for d in inside if b.start <= d.start and d.end <= b.end}
        used = {d.id for d in col_date.values()}
        table_date = _title_date(text, [d for d in above if d.id not in used], first)
        for b in tcells:
            if column_of_header(b.header) == "time":  # a deadline dates no figure
                continue
            d = row_date.get((b.row, b.sheet)) or col_date.get(b.col) or table_date
            if d is None:
                continue
            for q in qs:
                # a row's or a column's own date (1990 | 1995 …) wins over the sentence
                # rule's; the title's date only fills what is empty
                if b.start <= q.start < b.end and (out[q.id].date is None or b.col in col_date
                                                   or (b.row, b.sheet) in row_date):
                    out[q.id] = replace(out[q.id], date=d.id)
    return [out[q.id] for q in qs]


TITLE_DAY = re.compile(r"表|情况|进展|进度|完成|统计")
CLOCK = re.compile(r"\d{1,2}[:：]\d\d")


def _ratio_whole(rate: Quantity, amounts: list[Quantity]) -> Quantity | None:
    """The amount a printed rate is of, where two amounts before it in the row give that
    rate (9820.00 | 9732.30 | 99.11%: 9732.30 / 9820.00 is 99.11%, of 9820.00): the part
    is the nearest amount that makes one with an amount before it, the whole the
    nearest such amount (the target column's 1100, not the task's 1100人)."""
    if rate.value is None or rate.kind != "percent" or not 0 < rate.value:
        return None
    tolerance = _tolerance(rate.value, rate.text)
    amounts = [p for p in amounts if p.value and p.unit not in ("%", "个百分点") and p.id != rate.id]
    for i in range(len(amounts) - 1, 0, -1):
        part = amounts[i]
        for whole in reversed(amounts[:i]):
            if (part.unit == whole.unit or None in (part.unit, whole.unit)) and \
                    abs(100 * (part.value or 0) / (whole.value or 1) - rate.value) <= tolerance:
                return whole
    return None


def _title_date(text: str, above: list[DateMention], first: int) -> DateMention | None:
    """The date a table's title lines give (进度表（截至10月31日）, 2024年上半年…, 表2
    2023年…): of the dates ``above`` the table's first cell, on short lines in the 16
    lines above it, not a page's date line."""
    cut = text[:first].rsplit("\n", 16)
    window = len(cut[0]) if len(cut) == 17 else 0  # the 16 lines above the table
    near = [d for d in above if d.start >= window
            and len(_line_at(text, d.start)) <= 48  # the table's title lines, not a narrative
            and "。" not in _line_at(text, d.start)]  # (nor a narrative's line a PDF wrapped)
    near = [d for d in near if not _page_date(text, d)]
    cutoff = [d for d in near if CUT_OFF.search(text[max(0, d.start - 3):d.start])]
    # a day dates a table when its line names a table or its progress (2024年6月30日重点工作
    # 进展情况), not when it stamps a page (上海发布 · 2016-12-29 20:02)
    sub_year = [d for d in near if d.grain != "year" and (
        d.start_date != d.end_date or TITLE_DAY.search(_line_at(text, d.start))
        and not CLOCK.search(_line_at(text, d.start)))]
    caption = [d for d in near if CAPTION.match(_line_at(text, d.start))]
    return cutoff[-1] if cutoff else (sub_year[-1] if sub_year else (caption[-1] if caption else None))


def link_row_dates(text: str, qs: list[Quantity], dates: list[DateMention], tasks: list[Task]) -> list[Quantity]:
    """The rows of a flattened progress table (tasks read from a text dump) take the date
    its title gives (2024年上半年重点工作进展情况表), as a table's cells do: every figure in a
    row without a date of its own, but a deadline's."""
    if not tasks:
        return qs
    first = min(t.start for t in tasks)
    above = [d for d in dates if max(first - 600, 0) <= d.start and d.end <= first and d.task is None]
    title = _title_date(text, above, first)
    if title is None:
        return qs
    return [replace(q, date=title.id) if q.task is not None and q.date is None
            and q.column != "time" else q for q in qs]


def _sum_close(parts: list[float], total: float) -> bool:
    """Whether parts add up to a total at the precision tables print (±0.5% or 1 unit)."""
    return abs(sum(parts) - total) <= max(0.005 * abs(total), 1.0 if abs(total) >= 100 else 0.011)


def link_table_parts(qs: list[Quantity], cells: list) -> list[Quantity]:
    """Rows of a table that add up to a row above them are its parts: 第一产业 + 第二产业 +
    第三产业 under 地区生产总值, budget items under 合计.  For each column, the rows right
    under a total whose values sum to it (two or more of them, all without an ``of``
    link yet) are linked ``of`` the total."""
    cells = [b for b in cells if b.kind == "cell" and b.row is not None]
    if not cells:
        return qs
    cell_at = locator(cells)
    placed = [(b, q) for q in qs if q.value is not None and q.role in ("actual", "target") and q.unit
              for b in [cell_at(q.start)] if b is not None]
    cols: dict[tuple, list[tuple[int, Quantity]]] = {}
    for b, q in placed:
        cols.setdefault((b.table, b.sheet, b.col), []).append((b.row, q))
    links: dict[str, str] = {}
    for items in cols.values():
        items.sort(key=lambda x: x[0])
        for i, (_row, total) in enumerate(items):
            if total.id in links or not total.value:
                continue
            acc: list[Quantity] = []
            for _r, q in items[i + 1:]:
                if q.unit != total.unit or q.id in links:
                    break
                acc.append(q)
                # two parts that are not zero at least: zeros add up to anything
                if sum(1 for p in acc if p.value) >= 2 and _sum_close([p.value for p in acc], total.value):
                    for p in acc:
                        links[p.id] = total.id
                    break
                if sum(p.value for p in acc) > total.value * 1.005:
                    break
    # a row's cells that add up to its 总计 (合计) cell are its parts (申请数 by kind of applicant)
    rows: dict[tuple, list[tuple[Block, Quantity]]] = {}
    for b, q in placed:
        if q.id not in links:
            rows.setdefault((b.table, b.sheet, b.row), []).append((b, q))
    for items in rows.values():
        totals = [(b, q) for b, q in items if ROW_TOTAL_HEADER.search(squash(b.header or "")) and q.value]
        if len(totals) != 1:
            continue
        tb, total = totals[0]
        parts = [q for b, q in items if b.col is not None and tb.col is not None and b.col < tb.col
                 and q.unit == total.unit]
        if len(parts) >= 2 and any(p.value for p in parts) and _sum_close([p.value or 0 for p in parts], total.value):
            for p in parts:
                links[p.id] = total.id
    return [replace(q, of=links[q.id]) if q.id in links and q.of is None else q for q in qs]


ROW_TOTAL_HEADER = re.compile(r"^(?:总计|合计|小计|共计|总数)$|(?<![年月日])(?:总计|合计)$")


def _line_at(text: str, pos: int) -> str:
    """The stripped line of text that holds ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:len(text) if end < 0 else end].strip()


def drop_cross_period_targets(qs: list[Quantity]) -> list[Quantity]:
    """An actual counts towards a target of its own year only: 2025年预算执行数59.11万元
    is no progress on 2026年预算安排57.8万元.  Run after the periods are known.

    >>> from pipeline.core.records import Period
    >>> t = Quantity(id="Q1", start=0, end=1, text="", value=57.8, unit="元", written_unit="万元", kind="money",
    ...              role="target", period=Period("2026-01-01", "2026-12-31"))
    >>> a = Quantity(id="Q2", start=2, end=3, text="", value=59.1, unit="元", written_unit="万元", kind="money",
    ...              role="actual", target="Q1", period=Period("2025-01-01", "2025-12-31"))
    >>> [q.target for q in drop_cross_period_targets([t, a])]
    [None, None]
    """
    by_id = {q.id: q for q in qs}
    out = []
    for q in qs:
        t = by_id.get(q.target or "")
        if t is not None and q.period and t.period and \
                q.period.end_date[:4] != t.period.end_date[:4]:
            q = replace(q, target=None)
        out.append(q)
    return out
