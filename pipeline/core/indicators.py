"""Indicator phrases and keys: fill what the clause rule leaves empty or bare, and join
spellings across reports through a synonym table (resources/indicators.toml).

A table cell's indicator is its row label (and the column's metric where the column
names one: 江苏 开工率); a bare metric word (完成率, 合计) or an empty phrase takes the
indicator of the quantity it is linked to, else of the quantity before it in its
sentence.

>>> indicator_key("全市地区生产总值增长")
'国内生产总值'
>>> indicator_key("经济")
'国内生产总值'
>>> indicator_key("第一产业增加值")
'第一产业增加值'
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from importlib import resources

import tomllib

from pipeline.core.mentions.patterns import LIST_GAP
from pipeline.core.normalize import simplify
from pipeline.core.records import Block, Quantity
from pipeline.core.structure.tasks import column_of_header, locator

PLACE = re.compile(r"^(?:全国|全省|全市|全州|全县|全区|全镇|各县区|我市|我省|我区|我县|本市|本县|本区)")
NOISE = re.compile(r"[\s“”\"'、（）()]")
TRAILING = re.compile(r"(?:平均|平均为|增长|增速|上涨|涨幅|下降|降低|降幅|提高|达到|保持在|控制在|为|约|"
                      r"在|左右|以上|以内|目标|预期|预期目标|首次跃上|稳定在|分别|实际|名义|回落|回落到|"
                      r"回升|减少|增加|提高到|降到|降至|上升|年均|比上年|同比|总水平)+$")
# words that name no indicator by themselves (CONTRACT.md: never a bare verb or metric word)
BARE = frozenset({"完成", "完成率", "合计", "总计", "小计", "低于", "高于", "同期", "增长", "下降",
                  "占比", "比重", "增幅", "增速", "累计", "其中", "完成情况", "进度", "实际", "共计",
                  "上涨", "回落", "减少", "增加", "提高", "降低", "不低于", "不少于", "超过", "达到"})
# list marks and a date's tail cut off before the place (2021年全县… → 全县…)
LEADING_NOISE = re.compile(r"^(?:[-—–·.、,，:：;；|\s\d]+|(?:年度|年|月份|月|日)(?=[全我本各]))+")
SENTENCE_END = re.compile(r"[。；;！？!?\n]")
METRIC_HEADER = re.compile(r"率|比重|占比|增长|增幅|增速|进度|构成|得分|分值")


@functools.cache
def synonyms() -> dict[str, str]:
    """spelling → key, validated: every key is one of its own spellings, no spelling
    has two keys."""
    with resources.files("pipeline.resources").joinpath("indicators.toml").open("rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, str] = {}
    for key, spellings in data["synonyms"].items():
        if key not in spellings:
            raise ValueError(f"indicators.toml: key {key!r} is not among its spellings")
        for s in spellings:
            if out.get(s, key) != key:
                raise ValueError(f"indicators.toml: {s!r} is a spelling of {out[s]!r} and {key!r}")
            out[s] = key
    return out


def indicator_key(phrase: str | None) -> str | None:
    """The phrase without place, quotes and trailing verbs, mapped through the synonyms."""
    if not phrase:
        return None
    key = NOISE.sub("", PLACE.sub("", simplify(phrase.strip())))
    bare = TRAILING.sub("", key) or key
    return synonyms().get(bare) or synonyms().get(key) or key or None


# a time or a baseline alone names no measured thing (较去年同期下降6.8个百分点, 一季度增长3.2%)
TIME_ONLY = re.compile(r"(?:[较比与]?(?:去年|上年|前年|上月|上季度)?同期|[较比]?(?:去年|上年|今年|全年|上月|本月|当月|"
                       r"月份|年初|年末|两年平均|三年平均|年均|[一二三四1-4]季度|上半年|下半年|前[二三两]季度|"
                       r"[一二三四1-4]季度末?)(?:以来)?)")


def is_bare(phrase: str | None) -> bool:
    return (not phrase or phrase in BARE or len(phrase) < 2 or bool(re.match(r"^[\d.、，,.:：-]", phrase))
            or bool(TIME_ONLY.fullmatch(phrase)))


def _row_label(text: str, cells: list[Block], cell: Block) -> str | None:
    row = sorted((b for b in cells if (b.table, b.sheet, b.row) == (cell.table, cell.sheet, cell.row)),
                 key=lambda b: b.col or 0)
    # of several label columns (一级指标 | 二级指标 | 三级指标), the last before the figure
    labels = [b for b in row if column_of_header(b.header) in ("label", "task") and b.start < cell.start]
    if len(labels) >= 2:
        row = labels[::-1] + row
    for b in row:
        raw = re.sub(r"\s+", "", text[b.start:b.end])
        if b is not cell and raw and not re.fullmatch(r"[-+\d.,%%—–]+", raw) and len(raw) <= 30:
            return re.sub(r"^(?:其中[:：]|[一二三四五六七八九十\d]+[、.．])", "", raw) or None
    return None


RESPECTIVELY = re.compile(r"([^，,。；;：:！？\n]{2,60}?)(?:同比|比上年|较上年|环比)?(?:分别|依次)")


def _respective(text: str, qs: list[Quantity]) -> dict[str, str]:
    """The indicators of a 分别 list: the i-th value takes the i-th named item, the last
    item's ending shared (牛肉、羊肉、猪肉产量分别下降1.7%、1.8%、10.8%: 牛肉产量 …)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(qs):
        j = i
        while j + 1 < len(qs) and LIST_GAP.fullmatch(text[qs[j].end:qs[j + 1].start]):
            j += 1
        group, i = qs[i:j + 1], j + 1
        if len(group) < 2:
            continue
        lo = max(0, group[0].start - 80)
        clause_start = max(max(text.rfind(c, lo, group[0].start) for c in "，,。；;：:！？\n") + 1, lo)
        m = next(reversed(list(RESPECTIVELY.finditer(text, clause_start, group[0].start))), None)
        if m is None or not re.fullmatch(r"[^\d，,。；;]{0,8}", text[m.end():group[0].start]):
            continue
        subject = TAIL_WORDS.sub("", LEAD_WORDS.sub("", m.group(1).strip()))
        items = [x for x in LIST_GAP.split(subject) if x]
        if len(items) != len(group):
            continue
        head = {len(x) for x in items[:-1]}
        if len(head) == 1 and len(items[-1]) >= min(head) + 2:
            items = [x + items[-1][min(head):] for x in items[:-1]] + [items[-1]]  # the shared ending
        out.update({q.id: item for q, item in zip(group, items)})
    return out


def fill_indicators(text: str, qs: list[Quantity], cells: list[Block]) -> list[Quantity]:
    """Indicators for the quantities whose clause gave none, or only a bare word."""
    respective = _respective(text, qs)
    qs = [replace(q, indicator=respective[q.id], indicator_key=indicator_key(respective[q.id]))
          if q.id in respective and q.column is None else q for q in qs]
    cells = [b for b in cells if b.kind == "cell" and b.row is not None]
    cell_at = locator(cells) if cells else (lambda _o: None)
    by_id = {q.id: q for q in qs}
    out: list[Quantity] = []
    filled: dict[str, Quantity] = {}  # the quantities of ``out`` by id
    for i, q in enumerate(qs):
        phrase = LEADING_NOISE.sub("", q.indicator or "") or None  # ——全州电信业务总量
        if is_bare(phrase):
            b = cell_at(q.start)
            label = _row_label(text, cells, b) if b is not None else None
            header = re.sub(r"\s+", "", b.header or "") if b is not None else ""
            if label and b is not None:
                metric = header if METRIC_HEADER.search(header) and len(header) <= 12 else ""
                phrase = label + (" " + metric if metric else "")
            elif b is not None and not is_bare(header) and len(header) <= 30:
                phrase = header  # a row of numbers only (a disclosure form): the column names it
            else:
                linked = by_id.get(q.of or q.change_of or q.target or "")
                base = linked.indicator if linked is not None else None
                prev = out[-1] if i > 0 else None
                if base is None and prev is not None and not is_bare(prev.indicator):
                    between = text[prev.end:q.start]
                    if phrase is None and re.fullmatch(r"\s*[、和及与:：]\s*", between):
                        base = prev.indicator  # the next item of a list: 65.7亿元、388.4亿元; 2.8:50.9
                    elif phrase is not None and not SENTENCE_END.search(between) and len(between) <= 40:
                        base = prev.indicator  # 共安排项目27项，已完成19项: the subject carries on
                if base and not is_bare(base):
                    suffix = phrase if phrase in ("完成率", "占比", "比重", "增幅", "增速") else ""
                    phrase = base + suffix
        if is_bare(phrase) and q.role in ("change", "rate"):
            # a change or rate that still has none: what it qualifies, as filled above
            # (比上年增长9.8% after 生产总值61.9亿元)
            linked = filled.get(q.change_of or q.of or q.target or "")
            prev = out[-1] if out else None
            if linked is None and prev is not None and not SENTENCE_END.search(text[prev.end:q.start]) \
                    and q.start - prev.end <= 40:
                linked = prev
            if linked is not None and not is_bare(linked.indicator):
                phrase = linked.indicator
        if is_bare(phrase):
            phrase = (rank_phrase(text, q) if q.kind == "rank" else context_phrase(text, q)) or phrase
        if phrase != q.indicator:
            q = replace(q, indicator=phrase, indicator_key=indicator_key(phrase))
        out.append(q)
        filled[q.id] = q
    return out


# what the words around a number are when they name no measured thing
CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n\t|、“”\"]")
LEAD_WORDS = re.compile(r"^(?:其中|另外|此外|全年|共|共有|合计|总计|累计|已|已经|年末|年底|目前|现有|"
                        r"新增|全[省市州县区]|我[省市县区])+")
TAIL_WORDS = re.compile(r"(?:共计|共有|合计|累计|已经|已|共|有|达到|达|为|是|的|中|完成|实现|占|约|超过|"
                        r"比上年|同比|增长|下降|增加|减少|分别|其中)+$")
AFTER_NOUN = re.compile(r"^[\u4e00-\u9fff]{2,10}")
NOT_A_NOUN = re.compile(r"^(?:已|完成|达到|进展|提前|为|是|的|其中|占|比|较|同比|增长|下降|减少|增加|"
                        r"以上|以下|左右|及|和|与|等|进度|任务|正在|未|尚|均|全部|分别|累计|共)")


RANK_VERB = re.compile(r"位居|位列|排在|排名|排序|名列|居于|居|列|排|位于")
RANK_NAME = re.compile(r"排名|位次|排序$")


def rank_phrase(text: str, q: Quantity) -> str | None:
    """A rank's indicator from its clause: what is ranked where (增速居全省第4位 →
    增速全省排名; 收入规模全省位次为第15位 → 收入规模全省位次)."""
    pieces = CLAUSE_BREAK.split(text[max(0, q.start - 30):q.start])
    clause = re.sub(r"\s+", "", pieces[-1] if pieces else "")
    named = RANK_NAME.search(clause)
    clause = clause[:named.end()] if named else RANK_VERB.sub("", clause)
    clause = re.sub(r"(?:[在为是的中了]|之间|以内)+$", "", LEAD_WORDS.sub("", clause))
    if len(clause) < 2 or is_bare(clause):
        return None
    return clause if RANK_NAME.search(clause) else clause + "排名"


def context_phrase(text: str, q: Quantity) -> str | None:
    """An indicator from the words around a number that no rule named: the noun a count
    counts (15个农村幸福院 → 农村幸福院), else the clause's words before the number
    (疾病预防控制中心11个 → 疾病预防控制中心), without the verbs that lead to it."""
    after = AFTER_NOUN.match(text[q.end:q.end + 10])
    if q.kind == "count" and after and not NOT_A_NOUN.match(after.group()):
        stop = re.search(r"已|完成|达到|进展|建成|开工|实现|的|为|是|共|累计|正在", after.group())
        noun = after.group()[:stop.start()] if stop else after.group()
        if len(noun) >= 2:
            return noun
    before = text[max(0, q.start - 40):q.start]
    pieces = CLAUSE_BREAK.split(before)
    clause = re.sub(r"\s+|\[\d{1,2}\]", "", pieces[-1] if pieces else "")  # [2]: a footnote mark
    clause = re.sub(r"^[^\u4e00-\u9fff（(]+", "", clause)
    clause = TAIL_WORDS.sub("", LEAD_WORDS.sub("", LEADING_NOISE.sub("", clause)))
    if len(clause) > 20:  # a long budget item (类)(款)(项): its last part
        parts = re.split(r"(?<=[）)])", clause)
        clause = next((s for s in reversed(parts) if len(s) >= 2), clause)[-20:]
    return None if is_bare(clause) else clause
