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

from pipeline.core.normalize import simplify
from pipeline.core.records import Block, Quantity
from pipeline.core.structure.tasks import locator

PLACE = re.compile(r"^(?:全国|全省|全市|全州|全县|全区|全镇|各县区|我市|我省|我区|我县|本市|本县|本区)")
NOISE = re.compile(r"[\s“”\"'、（）()]")
TRAILING = re.compile(r"(?:平均|平均为|增长|增速|上涨|涨幅|下降|降低|降幅|提高|达到|保持在|控制在|为|约|"
                      r"在|左右|以上|以内|目标|预期|预期目标|首次跃上|稳定在|分别|实际|名义|回落|回落到|"
                      r"回升|减少|增加|提高到|降到|降至|上升|年均|比上年|同比|总水平)+$")
# words that name no indicator by themselves (CONTRACT.md: never a bare verb or metric word)
BARE = frozenset({"完成", "完成率", "合计", "总计", "小计", "低于", "高于", "同期", "增长", "下降",
                  "占比", "比重", "增幅", "增速", "累计", "其中", "完成情况", "进度", "实际", "共计",
                  "上涨", "回落", "减少", "增加", "提高", "降低", "不低于", "不少于", "超过", "达到"})
LEADING_NOISE = re.compile(r"^[-—–·.、,，:：;；|\s\d]+")
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


def is_bare(phrase: str | None) -> bool:
    return not phrase or phrase in BARE or len(phrase) < 2 or bool(re.match(r"^[\d.、，,.:：-]", phrase))


def _row_label(text: str, cells: list[Block], cell: Block) -> str | None:
    row = sorted((b for b in cells if (b.table, b.sheet, b.row) == (cell.table, cell.sheet, cell.row)),
                 key=lambda b: b.col or 0)
    for b in row:
        raw = re.sub(r"\s+", "", text[b.start:b.end])
        if b is not cell and raw and not re.fullmatch(r"[-+\d.,%%—–]+", raw) and len(raw) <= 30:
            return re.sub(r"^(?:其中[:：]|[一二三四五六七八九十\d]+[、.．])", "", raw) or None
    return None


def fill_indicators(text: str, qs: list[Quantity], cells: list[Block]) -> list[Quantity]:
    """Indicators for the quantities whose clause gave none, or only a bare word."""
    cells = [b for b in cells if b.kind == "cell" and b.row is not None]
    cell_at = locator(cells) if cells else (lambda _o: None)
    by_id = {q.id: q for q in qs}
    out: list[Quantity] = []
    for i, q in enumerate(qs):
        phrase = LEADING_NOISE.sub("", q.indicator or "") or None  # ——全州电信业务总量
        if is_bare(phrase):
            b = cell_at(q.start)
            label = _row_label(text, cells, b) if b is not None else None
            if label and b is not None:
                header = re.sub(r"\s+", "", b.header or "")
                metric = header if METRIC_HEADER.search(header) and len(header) <= 12 else ""
                phrase = label + (" " + metric if metric else "")
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
        if phrase != q.indicator:
            q = replace(q, indicator=phrase, indicator_key=indicator_key(phrase))
        out.append(q)
    return out
