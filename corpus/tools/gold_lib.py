"""Helpers for writing gold annotations as Python data, by mention text and occurrence.

Nobody counts offsets by hand: a mention is given by its text (and, when the text occurs
more than once, by its 1-based occurrence), and ``build_doc`` finds it, checks that it is
not the tail of a longer number, and that no span is annotated twice.  Values and units
are parsed from the mention text by ``parse_mention`` unless given explicitly, and every
document's annotations are printed by ``review`` for checking by eye.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

TRAD = str.maketrans({"萬": "万", "億": "亿", "畝": "亩", "噸": "吨", "兩": "两", "個": "个",
                      "項": "项", "點": "点", "％": "%", "．": ".", "，": ",",
                      "戶": "户", "餘": "余", "處": "处", "條": "条", "長": "长", "貳": "二"})
FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
            "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
MAGNITUDES = [("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("亿", 1e8), ("千万", 1e7),
              ("百万", 1e6), ("十万", 1e5), ("万", 1e4), ("千", 1e3)]
# written unit -> (base unit, factor, kind); longest first when matching
UNITS: dict[str, tuple[str, float, str]] = {
    "平方公里": ("平方公里", 1, "area"), "平方千米": ("平方公里", 1, "area"),
    "平方米": ("平方米", 1, "area"), "公顷": ("公顷", 1, "area"), "亩": ("亩", 1, "area"),
    "公里": ("公里", 1, "length"), "千米": ("公里", 1, "length"), "米": ("米", 1, "length"),
    "吨标准煤": ("吨标准煤", 1, "energy"), "吨": ("吨", 1, "mass"), "斤": ("斤", 1, "mass"),
    "公斤": ("公斤", 1, "mass"), "千克": ("公斤", 1, "mass"),
    "立方米": ("立方米", 1, "volume"),
    "千瓦时": ("千瓦时", 1, "energy"), "千瓦": ("千瓦", 1, "energy"),
    "美元": ("美元", 1, "money"), "元": ("元", 1, "money"),
    "个百分点": ("个百分点", 1, "percent_point"), "百分点": ("个百分点", 1, "percent_point"),
    "%": ("%", 1, "percent"), "倍": ("倍", 1, "ratio"),
    "人次": ("人次", 1, "count"), "个": ("个", 1, "count"), "宗": ("宗", 1, "count"),
    "家": ("家", 1, "count"), "项": ("项", 1, "count"), "处": ("处", 1, "count"),
    "件": ("件", 1, "count"), "户": ("户", 1, "count"), "人": ("人", 1, "count"),
    "名": ("人", 1, "count"), "次": ("次", 1, "count"), "座": ("座", 1, "count"),
    "所": ("所", 1, "count"), "条": ("条", 1, "count"), "辆": ("辆", 1, "count"),
    "套": ("套", 1, "count"), "间": ("间", 1, "count"), "场": ("场", 1, "count"),
    "批": ("批", 1, "count"), "例": ("例", 1, "count"), "台": ("台", 1, "count"),
    "起": ("起", 1, "count"), "份": ("份", 1, "count"), "篇": ("篇", 1, "count"),
    "成": ("%", 10, "percent"), "头": ("头", 1, "count"), "部": ("部", 1, "count"), "小时": ("小时", 1, "duration"), "场次": ("场次", 1, "count"), "‰": ("%", 0.1, "percent"), "期": ("期", 1, "count"), "家次": ("家次", 1, "count"), "个工作日": ("天", 1, "duration"), "工作日": ("天", 1, "duration"),
    "微克/立方米": ("微克/立方米", 1, "other"),
    "年": ("年", 1, "duration"), "天": ("天", 1, "duration"), "岁": ("岁", 1, "duration"),
}
# units the real documents use (issue 13's list and the pipeline's table), added after
# the original table so that no earlier gold changes
EXTRA_UNITS: dict[str, tuple[str, float, str]] = {
    "担": ("担", 1, "mass"), "克": ("克", 1, "mass"), "微克": ("微克", 1, "mass"),
    "公分": ("厘米", 1, "length"), "厘米": ("厘米", 1, "length"),
    "羽": ("羽", 1, "count"), "只": ("只", 1, "count"), "组": ("组", 1, "count"),
    "台套": ("台套", 1, "count"), "人日": ("人日", 1, "count"), "车次": ("车次", 1, "count"),
    "艘": ("艘", 1, "count"), "眼": ("眼", 1, "count"), "道": ("道", 1, "count"),
    "幢": ("幢", 1, "count"), "孔": ("孔", 1, "count"), "轮": ("轮", 1, "count"),
    "项次": ("项次", 1, "count"), "户次": ("户次", 1, "count"), "栋": ("栋", 1, "count"),
    "张": ("张", 1, "count"), "块": ("块", 1, "count"), "幅": ("幅", 1, "count"),
    "口": ("口", 1, "count"), "株": ("株", 1, "count"), "棵": ("株", 1, "count"),
    "批次": ("批", 1, "count"), "延米": ("米", 1, "length"), "平米": ("平方米", 1, "area"),
    "万方": ("立方米", 1e4, "volume"), "方": ("立方米", 1, "volume"),
    "公斤/亩": ("公斤/亩", 1, "other"), "斤/亩": ("斤/亩", 1, "other"),
    "元/吨": ("元/吨", 1, "other"), "元/亩": ("元/亩", 1, "other"), "元/人": ("元/人", 1, "other"),
    "元/平方米": ("元/平方米", 1, "other"), "港元": ("港元", 1, "money"),
    "新台币": ("新台币", 1, "money"), "澳门元": ("澳门元", 1, "money"), "千分点": ("千分点", 1, "percent_point"),
}
for _u, _v in EXTRA_UNITS.items():
    UNITS.setdefault(_u, _v)
UNIT_KEYS = sorted(UNITS, key=len, reverse=True)
APPROX_BEFORE = [("不低于", ">="), ("不少于", ">="), ("至少", ">="), ("不超过", "<="),
                 ("超过", ">"), ("逾", ">"), ("不足", "<"), ("约", "~"), ("約", "~"), ("近", "~"),
                 ("大约", "~")]
APPROX_AFTER = [("以上", ">="), ("左右", "~"), ("以内", "<="), ("以下", "<=")]
NEG_CUES = ("减少", "下降", "降低", "回落", "减", "降", "缩小", "收窄")


def norm(s: str) -> str:
    return "".join(s.split()).translate(TRAD).translate(FW_DIGITS)


def cn_int(s: str) -> float:
    """三百二十 -> 320, 两千 -> 2000, 十二 -> 12, 一万二千 -> 12000, 二〇二三 -> 2023."""
    if s and all(c in CN_DIGIT for c in s):
        return float(int("".join(str(CN_DIGIT[c]) for c in s)))
    total, section, digit = 0.0, 0.0, None
    for c in s:
        if c in CN_DIGIT:
            digit = CN_DIGIT[c]
        elif c in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[c]
            digit = None
        elif c in CN_BIG:
            section += digit or 0
            total = (total + section) * CN_BIG[c]
            section, digit = 0.0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


NUM_RE = re.compile(r"^(负|-)?([0-9][0-9,]*(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)")


def parse_number(s: str) -> tuple[float, str]:
    """Leading number of s and the rest (Arabic or Chinese; 万/亿 handled by caller)."""
    m = NUM_RE.match(s)
    if not m:
        raise ValueError(f"no number at start of {s!r}")
    sign = -1.0 if m.group(1) else 1.0
    raw = m.group(2)
    if raw[0].isdigit():
        return sign * float(raw.replace(",", "")), s[m.end():]
    if "点" in raw:
        ip, fp = raw.split("点")
        val = cn_int(ip) + float("0." + "".join(str(CN_DIGIT[c]) for c in fp))
    else:
        # a Chinese numeral may run on into 万/亿 sections: 一万二千
        rest = s[m.end():]
        while rest[:1] in CN_BIG and rest[1:2] and (rest[1] in CN_DIGIT or rest[1] in CN_SMALL):
            m2 = NUM_RE.match(rest[1:])
            assert m2 is not None
            raw = raw + rest[0] + m2.group(2)
            rest = rest[1 + m2.end():]
        return sign * cn_int(raw), rest
    return sign * val, s[m.end():]


@dataclass
class Parsed:
    value: float | None
    low: float | None
    high: float | None
    unit: str
    written_unit: str
    kind: str
    inner_qualifier: str | None = None


def _magnitude(rest: str) -> tuple[float, str, str]:
    for unit in UNIT_KEYS:  # 千瓦, 千米, 千克 are units, not 千 + unit
        if rest.startswith(unit):
            return 1.0, "", rest
    for word, f in MAGNITUDES:
        if rest.startswith(word):
            return f, word, rest[len(word):]
    return 1.0, "", rest


def parse_mention(text: str, unit_hint: str | None = None) -> Parsed:
    """Value, range, unit and kind of a quantity mention (its span text)."""
    s = norm(text)
    if s.startswith("第") and s[-1] in "位名":
        v, _ = parse_number(s[1:])
        return Parsed(v, None, None, "位", s[-1], "rank")
    if s.startswith("百分之"):
        v, rest = parse_number(s[3:])
        assert not rest, text
        return Parsed(v, None, None, "%", "百分之", "percent")
    if "分之" in s:
        a, b = s.split("分之")
        den, _ = parse_number(a)
        num, rest = parse_number(b)
        assert not rest, text
        return Parsed(num / den, None, None, "倍", "分之", "ratio")
    v, rest = parse_number(s)
    low = None
    m = re.match(r"^(?:[-—–~～至到])", rest)
    if m:
        low, rest = v, rest[m.end():]
        v, rest = parse_number(rest)
    inner = None
    if rest[:1] in ("余", "多"):
        inner, rest = ">", rest[1:]
    f, mag, rest = _magnitude(rest)
    if low is not None and rest[:1] in "%":
        pass
    if rest[:1] in ("余", "多"):
        inner, rest = ">", rest[1:]
    if rest in UNITS:
        base, uf, kind = UNITS[rest]
    elif rest == "" and unit_hint:
        base, uf, kind = UNITS[unit_hint]
    else:
        raise ValueError(f"unit {rest!r} of {text!r} not in the table")
    written = mag + rest
    if low is not None:
        return Parsed(None, low * f * uf, v * f * uf, base, written, kind, inner)
    return Parsed(v * f * uf, None, None, base, written, kind, inner)


def is_digitish(c: str) -> bool:
    return c.isdigit() or c in ".．,０１２３４５６７８９" or c in CN_DIGIT or c in "十百千"


def find_all(text: str, needle: str, lo: int, hi: int) -> list[int]:
    """Start offsets of needle in text[lo:hi] that are not the tail of a longer number."""
    out = []
    i = text.find(needle, lo)
    while i != -1 and i + len(needle) <= hi:
        prev = text[i - 1] if i > 0 else ""
        if not (is_digitish(needle[0]) and prev and is_digitish(prev)):
            out.append(i)
        i = text.find(needle, i + 1)
    return out


@dataclass
class Q:
    text: str
    role: str
    ind: str | None = None
    occ: int | None = None
    key: str | None = None
    target: str | None = None
    of: str | None = None
    change_of: str | None = None
    date: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class D:
    text: str
    start_date: str
    end_date: str
    grain: str
    occ: int | None = None
    key: str | None = None


@dataclass
class T:
    seq: str
    start: str
    end: str
    departments: list[str]
    title: str = ""
    start_occ: int | None = None
    end_occ: int | None = None
    period: tuple[str, str] | None = None


def q(text: str, role: str, ind: str | None = None, occ: int | None = None,
      key: str | None = None, target: str | None = None, of: str | None = None,
      change_of: str | None = None, date: str | None = None, **extra: Any) -> Q:
    return Q(text, role, ind, occ, key, target, of, change_of, date, dict(extra))


def d(text: str, start_date: str, end_date: str, grain: str, occ: int | None = None,
      key: str | None = None) -> D:
    return D(text, start_date, end_date, grain, occ, key)


def locate(text: str, needle: str, occ: int | None, lo: int, hi: int, what: str) -> int:
    hits = find_all(text, needle, lo, hi)
    if occ is None:
        assert len(hits) == 1, f"{what} {needle!r}: {len(hits)} occurrences, give occ"
        return hits[0]
    assert 1 <= occ <= len(hits), f"{what} {needle!r}: occ {occ} of {len(hits)}"
    return hits[occ - 1]


def auto_qualifier(text: str, s: int, e: int, inner: str | None) -> str:
    before = "".join(text[max(0, s - 6):s].split())
    after = "".join(text[e:e + 4].split())
    for w, qv in APPROX_AFTER:
        if after.startswith(w):
            return qv
    for w, qv in APPROX_BEFORE:
        if before.endswith(w):
            return qv
    return inner or "="


def auto_sign(text: str, s: int) -> float:
    before = "".join(text[max(0, s - 6):s].split())
    before = before.rstrip("了")
    return -1.0 if any(before.endswith(c) for c in NEG_CUES) else 1.0


def tidy(v: float | None) -> float | None:
    return None if v is None else float(f"{v:.12g}")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_doc(doc_id: str, text: str, *, quantities: list[Q], dates: list[D],
              tasks: list[T] | None = None, period: tuple[str, str] | None = None,
              source: Any = None, reference_date: str | None = None,
              annotated_range: tuple[int, int] | None = None,
              layers: list[str] | None = None, standoff: bool = False,
              genre: str | None = None) -> dict[str, Any]:
    lo, hi = annotated_range or (0, len(text))
    task_out, task_spans = [], []
    for i, t in enumerate(tasks or [], 1):
        s = locate(text, t.start, t.start_occ, lo, hi, "task start")
        e = locate(text, t.end, t.end_occ, s, hi, "task end") + len(t.end)
        per = t.period or period
        task_out.append({"id": f"T{i}", "seq": t.seq, "start": s, "end": e,
                         "title": t.title, "departments": t.departments,
                         "period": {"start_date": per[0], "end_date": per[1]} if per else None})
        task_spans.append((s, e, f"T{i}"))

    def task_of(s: int, e: int) -> str | None:
        for ts, te, tid in task_spans:
            if ts <= s and e <= te:
                return tid
        return None

    keys: dict[str, str] = {}
    used: set[tuple[int, int]] = set()
    date_out = []
    for i, dd in enumerate(dates, 1):
        s = locate(text, dd.text, dd.occ, lo, hi, "date")
        e = s + len(dd.text)
        assert (s, e) not in used, f"date {dd.text!r} annotated twice"
        used.add((s, e))
        did = f"D{i}"
        if dd.key:
            keys[dd.key] = did
        date_out.append({"id": did, "task": task_of(s, e), "start": s, "end": e,
                         "text": dd.text, "start_date": dd.start_date,
                         "end_date": dd.end_date, "grain": dd.grain})
    q_out = []
    for i, qq in enumerate(quantities, 1):
        qid = f"Q{i}"
        if qq.key:
            assert qq.key not in keys, f"key {qq.key} twice"
            keys[qq.key] = qid
        x = dict(qq.extra)
        anchor = x.pop("anchor", None)
        if anchor:
            assert anchor.count(qq.text) == 1, f"{qq.text!r} not once in anchor {anchor!r}"
            s = locate(text, anchor, qq.occ, lo, hi, "anchor") + anchor.index(qq.text)
        else:
            s = locate(text, qq.text, qq.occ, lo, hi, "quantity")
        e = s + len(qq.text)
        assert (s, e) not in used, f"quantity {qq.text!r} annotated twice"
        for us, ue in used:
            assert ue <= s or e <= us, f"quantity {qq.text!r} overlaps another mention"
        used.add((s, e))
        p = parse_mention(qq.text, x.pop("unit_hint", None))
        value = x.pop("value", p.value)
        if qq.role == "change" and value is not None and "value" not in qq.extra:
            value = value * auto_sign(text, s)
        rec = {"id": qid, "task": task_of(s, e), "start": s, "end": e, "text": qq.text,
               "value": tidy(value), "low": tidy(p.low), "high": tidy(p.high), "unit": p.unit,
               "written_unit": p.written_unit, "unit_inferred": False, "kind": p.kind,
               "qualifier": auto_qualifier(text, s, e, p.inner_qualifier),
               "role": qq.role, "indicator": qq.ind,
               "target": qq.target, "of": qq.of, "change_of": qq.change_of, "date": qq.date}
        rec.update(x)
        q_out.append(rec)
    for rec in q_out:
        for link in ("target", "of", "change_of", "date"):
            if rec[link] is not None:
                assert rec[link] in keys, f"{rec['text']!r}: unknown key {rec[link]!r}"
                rec[link] = keys[rec[link]]
    doc: dict[str, Any] = {"doc_id": doc_id}
    if standoff:
        doc["source"] = source
        doc["text_sha256"] = sha256(text)
    else:
        doc["source"] = source or f"corpus/docs/{doc_id}.txt"
        doc["text"] = text
    if genre:
        doc["genre"] = genre
    if reference_date:
        doc["reference_date"] = reference_date
    if annotated_range:
        doc["annotated_range"] = list(annotated_range)
    if layers:
        doc["layers"] = layers
    doc["period"] = {"start_date": period[0], "end_date": period[1]} if period else None
    doc["tasks"] = task_out
    doc["quantities"] = sorted(q_out, key=lambda r: r["start"])
    doc["dates"] = sorted(date_out, key=lambda r: r["start"])
    return doc


def review(doc: dict[str, Any], text: str) -> str:
    """One line per mention: context, value, unit, kind, qualifier, role, indicator, links."""
    lines = [f"== {doc['doc_id']}: {len(doc['quantities'])} quantities, {len(doc['dates'])} "
             f"dates, {len(doc['tasks'])} tasks, period {doc.get('period')}"]
    byid = {m["id"]: m for m in doc["quantities"] + doc["dates"]}
    for t in doc["tasks"]:
        title = f"«{t['title']}» " if t.get("title") else ""
        lines.append(f"  {t['id']} seq {t['seq']} [{t['start']},{t['end']}) {title}{t['departments']}")
    for m in doc["quantities"]:
        ctx = (text[max(0, m["start"] - 10):m["start"]] + "[" + m["text"] + "]"
               + text[m["end"]:m["end"] + 5]).replace("\n", "⏎")
        links = " ".join(f"{k}→{byid[m[k]]['text']!r}" for k in ("target", "of", "change_of", "date")
                         if m.get(k))
        val = m["value"] if m["value"] is not None else f"{m['low']}..{m['high']}"
        inf = " (inferred)" if m.get("unit_inferred") else ""
        lines.append(f"  {m['id']:>4} {m['task'] or '-':>3} {ctx:<36} {val} {m['unit']}{inf} "
                     f"{m['kind']} {m['qualifier']} {m['role']} «{m['indicator']}» {links}")
    for m in doc["dates"]:
        lines.append(f"  {m['id']:>4} {m['task'] or '-':>3} {m['text']!r} {m['start_date']}.."
                     f"{m['end_date']} {m['grain']}")
    return "\n".join(lines)
