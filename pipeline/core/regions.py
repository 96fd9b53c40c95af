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
"""
from __future__ import annotations

import re

from pipeline.core.words import cut

ADMIN = re.compile(r"(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|镇|乡|村)$")
NOT_REGION = frozenset({"城镇", "农村", "城区", "社区", "园区", "市区", "城市", "地区", "辖区", "街区", "景区",
                        "开发区", "高新区", "示范区", "工业园区", "经开区", "自贸区", "片区", "县区", "区县"})
HEAD_CHARS = 300


# 2022年和政县国民经济…, 周口市人民政府…: a place right before what a report is about
BEFORE_SUBJECT = re.compile(r"(?:(?:19|20)\d\d\s*年度?|^(?:关于)?|关于)\s*((?!关于)[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|自治州|州|县|区|旗))"
                            r"(?=\s*(?:19|20)\d\d|国民经济|人民政府|统计|财政|政府)")
SUB_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:区|县|市|镇|乡)(?!政府)")


def _places(line: str) -> str | None:
    if "全国" in line[:40]:
        return "全国"
    m = BEFORE_SUBJECT.search(line)
    if m:
        return m.group(1)
    # jieba's words (no part-of-speech tagger: loading it costs half a second): the
    # first word of two or more characters that ends in an administrative suffix
    words = cut(line)
    pos = 0
    for w in words:
        pos += len(w)
        if len(w) >= 2 and ADMIN.search(w) and w not in NOT_REGION and not NOT_A_NAME.search(w):
            name = w
            sub = SUB_PLACE.match(line[pos:])
            if sub and sub.group() not in NOT_REGION:
                name += sub.group()  # 杭州市 + 余杭区, 淮安市 + 洪泽区
            return name
    return None


NOT_A_NAME = re.compile(r"^(?:各|全|我|本|该|其|省|市|县|区|[一二三四五六七八九十两\d])")


def detect_region(text: str, title: str | None = None) -> str | None:
    """The place the title names, else the first one in the text's first lines."""
    for source in (title or "", text[:HEAD_CHARS]):
        for line in source.split("\n"):
            line = line.strip()
            if line and len(line) <= 120:
                found = _places(line)
                if found and (found == "全国" or not NOT_A_NAME.search(found)):
                    return found
    return None
