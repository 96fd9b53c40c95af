"""Whose figures a document gives: the place its title (or its first lines) names.

A series of 地区生产总值 over an archive of county and city bulletins must not merge the
counties into one line: each document records its region, and a series is per region.

>>> detect_region("关于连云港市2023年国民经济和社会发展计划执行情况的报告")
'连云港市'
>>> detect_region("向大会书面报告杭州市余杭区2022年国民经济和社会发展计划执行情况")
'杭州市余杭区'
>>> detect_region("2023年全国城镇老旧小区改造进展情况")
'全国'
>>> detect_region("市农业局2018年上半年工作总结") is None
True

A document that names itself only as 我县/全县 (我市, 全省 …) is the place of that level
it names most often:

>>> detect_region("今年以来，全县上下抓项目。旌德县完成投资5亿元，旌德县新开工12个。")
'旌德县'
"""
from __future__ import annotations

import re

from pipeline.core.units import lexicon
from pipeline.core.words import cut

ADMIN = re.compile(r"(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|镇|乡|村)$")
NOT_REGION = frozenset({"城镇", "农村", "城区", "社区", "园区", "市区", "城市", "地区", "辖区", "街区", "景区",
                        "开发区", "高新区", "示范区", "工业园区", "经开区", "自贸区", "片区", "县区", "区县",
                        "乡村", "小区", "城乡", "省市", "市县", "县市", "镇村", "乡镇", "山区", "库区", "矿区",
                        "老区", "灾区", "新区", "本市", "全市", "全省", "全县", "全区", "各市", "各县", "各区",
                        "特区"})
HEAD_CHARS = 300
LINE_CHARS = 120  # a longer first line (a title run into its paragraph): its start
# a document speaking of itself: 我县, 全县上下, 本市 — the level of the place it is
SELF = re.compile(r"(?:我|全|本)(省|市|县|区|州|旗)(?!委|政府|人大|政协|长|级|直|属|场|区县)")
# a verb or preposition run into a bare suffix by the segmenter: 受市, 经省, 在县
FUNCTION_FIRST = re.compile(r"^[受经由在对向为从据按将把被给至到于以与就及和并]")


# 2022年和政县国民经济…, 周口市人民政府…: a place right before what a report is about
BEFORE_SUBJECT = re.compile(r"(?:(?:19|20)\d\d\s*年度?|^(?:关于)?|关于)\s*((?!关于)[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|州|县|区|旗))"
                            r"(?=\s*(?:19|20)\d\d|国民经济|人民政府|统计|财政|政府)")
# a suffix that may end a place name: after a character that is no 全/我/本 (a cheap test
# before the segmenter runs)
MAY_END_NAME = re.compile(r"(?<![全我本各该其\s\d\W])(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|镇|乡|村)")
SUB_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:区|县|市|镇|乡)(?!政府)")


def _places(line: str) -> str | None:
    if "全国" in line[:40]:
        return "全国"
    short = _province_first(line)
    if short:
        return short
    m = BRACKETED_GOVERNMENT.search(line)
    if m and _is_name(m.group(1)):
        return m.group(1)
    m = BEFORE_SUBJECT.search(line)
    if m and (name := _trailing_places(m.group(1))):
        return name
    # jieba's words (no part-of-speech tagger: loading it costs half a second): the
    # first word of two or more characters that ends in an administrative suffix
    if not MAY_END_NAME.search(line):
        return None
    words = cut(line)
    pos = 0
    for w in words:
        pos += len(w)
        if _is_name(w):
            name = w
            sub = SUB_PLACE.match(line[pos:])
            if sub and sub.group() not in NOT_REGION and not NOT_A_NAME.search(sub.group()):
                name += sub.group()  # 杭州市 + 余杭区, 淮安市 + 洪泽区
            return name
    return None


# （汉中市政府信息公开）: the government whose page it is, named in brackets
BRACKETED_GOVERNMENT = re.compile(r"[（(]([\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|州|县|区|旗))(?:人民)?政府")


def _province_first(line: str) -> str | None:
    """A title that opens with a province's short name and no suffix of its own
    (江苏统计年鉴 → 江苏省, 香港特区政府 → 香港), per lexicon.toml [province]; the place
    named right after it where there is one (湖南长沙市 → 长沙市)."""
    for short, full in lexicon()["province"].items():
        if line.startswith(short) and not ADMIN.match(line[len(short):len(short) + 1]):
            return _leading_places(line[len(short):len(short) + 12]) or full
    return None


NOT_A_NAME = re.compile(r"^(?:各|全|我|本|该|其|省|市|县|区|\d)")
NUMERAL_FIRST = re.compile(r"^[一二三四五六七八九十两]")  # 三县, 两区; but 四川省, 六安市


def _is_name(w: str) -> bool:
    return (len(w) >= 2 and ADMIN.search(w) is not None and w not in NOT_REGION
            and not NOT_A_NAME.search(w)
            and not (len(w) == 2 and (FUNCTION_FIRST.search(w) or NUMERAL_FIRST.search(w))))


def _leading_places(phrase: str) -> str | None:
    """The place names that open ``phrase``, as jieba reads it: 杭州市余杭区2023年 →
    杭州市余杭区, 统计年鉴 → None."""
    words = cut(phrase)
    i = 0
    while i < len(words) and _is_name(words[i]):
        i += 1
    return "".join(words[:i]) or None


def _trailing_places(phrase: str) -> str | None:
    """The place names that end ``phrase``, as jieba reads it: 现已完成中江县 → 中江县,
    杭州市余杭区 → 杭州市余杭区, 受市 → None."""
    words = cut(phrase)
    i = len(words)
    while i > 0 and _is_name(words[i - 1]):
        i -= 1
    return "".join(words[i:]) or None


def _self_named(text: str) -> str | None:
    """The place of the level the text speaks of itself as (我县, 全县) that it names most
    often: a name of that level, found where the level's character ends a word."""
    levels = [m.group(1) for m in SELF.finditer(text)]
    if not levels:
        return None
    level = max(set(levels), key=levels.count)
    counts: dict[str, int] = {}
    for i, m in enumerate(MAY_END_NAME.finditer(text)):
        if i >= 200:
            break
        if m.group() != level:
            continue
        words = cut(text[max(0, m.start() - 6):m.end()])
        w = words[-1] if words else ""
        if w.endswith(level) and _is_name(w):
            counts[w] = counts.get(w, 0) + 1
    return max(counts, key=lambda w: (counts[w], -text.find(w))) if counts else None


def detect_region(text: str, title: str | None = None) -> str | None:
    """The place the title names, else the first one in the text's first lines, else the
    one the text names most often at the level it speaks of itself as (我县 …)."""
    for source in (title or "", text[:HEAD_CHARS]):
        for line in source.split("\n"):
            line = line.strip()[:LINE_CHARS]
            if line:
                found = _places(line)
                if found and (found == "全国" or not NOT_A_NAME.search(found)):
                    return found
    return _self_named(text)
