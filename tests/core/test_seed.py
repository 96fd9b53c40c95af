"""The user's sample, end to end: every quantity, date, task, link and check.

The sample ships in samples/ (a copy of ../shared/corpus/seed/000_91978d1d437a04e2.txt).
"""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def seed(seed_result):
    return seed_result  # conftest.py: pipeline.extract of the seed


def _q(result, written):
    """The quantity whose text, line breaks removed, is ``written`` (unique)."""
    hits = [q for q in result["quantities"] if "".join(q["text"].split()) == written]
    assert len(hits) == 1, (written, [q["text"] for q in hits])
    return hits[0]


def _by_id(result, qid):
    return next(q for q in result["quantities"] if q["id"] == qid)


EXPECTED_QUANTITIES = [
    # written (line breaks removed), value, unit, qualifier, role, task
    ("2.8万亩", 28000, "亩", "=", "target", "T1"),
    ("1万亩", 10000, "亩", "=", "target", "T1"),
    ("2", 20000, "亩", "=", "target", "T1"),
    ("1.23万亩", 12300, "亩", "=", "actual", "T1"),
    ("1.98万亩", 19800, "亩", "=", "actual", "T1"),
    ("82.5%", 82.5, "%", "=", "rate", "T1"),
    ("4128亩", 4128, "亩", "=", "actual", "T1"),
    ("41.3％", 41.3, "%", "=", "rate", "T1"),
    ("3286亩", 3286, "亩", "=", "actual", "T1"),
    ("32.9％", 32.9, "%", "=", "rate", "T1"),
    ("2212亩", 2212, "亩", "=", "actual", "T1"),
    ("2328亩", 2328, "亩", "=", "actual", "T1"),
    ("8069亩", 8069, "亩", "=", "actual", "T1"),
    ("1.5%", 1.5, "%", "=", "change", "T1"),
    ("2宗", 2, "宗", "=", "target", "T2"),
    ("970万亩", 9_700_000, "亩", ">=", "target", "T3"),
    ("85亿斤", 8.5e9, "斤", ">=", "target", "T3"),
    ("14.38万亩", 143800, "亩", "=", "actual", "T3"),
    ("1.11万亩", 11100, "亩", "=", "actual", "T3"),
    ("27.09万亩", 270900, "亩", "=", "actual", "T3"),
    ("6.86万亩", 68600, "亩", "=", "actual", "T3"),
    ("45536个", 45536, "个", "=", "actual", "T3"),
    ("16.31万亩", 163100, "亩", "=", "actual", "T3"),
    ("38321个", 38321, "个", "=", "actual", "T3"),
    ("13.34万亩", 133400, "亩", "=", "actual", "T3"),
    ("84.16%", 84.16, "%", "=", "rate", "T3"),
    ("152亩", 152, "亩", "=", "actual", "T3"),
    ("89.2%", -89.2, "%", "=", "change", "T3"),
    ("28宗", 28, "宗", "=", "actual", "T3"),
    ("89.5%", -89.5, "%", "=", "change", "T3"),
    ("第9位", 9, "位", "=", "rank", "T3"),
]


def test_exactly_the_expected_quantities(seed):
    written = ["".join(q["text"].split()) for q in seed["quantities"]]
    assert written == [e[0] for e in EXPECTED_QUANTITIES]


@pytest.mark.parametrize("written,value,unit,qualifier,role,task", EXPECTED_QUANTITIES,
                         ids=[e[0] for e in EXPECTED_QUANTITIES])
def test_quantity(seed, written, value, unit, qualifier, role, task):
    q = _q(seed, written)
    assert q["value"] == pytest.approx(value, rel=1e-12)
    assert (q["unit"], q["qualifier"], q["role"], q["task"]) == (unit, qualifier, role, task)


def test_split_mentions_point_into_the_original_text(seed):
    text = seed["text"]
    assert _q(seed, "2.8万亩")["text"] == "2.8\n万亩"
    assert _q(seed, "14.38万亩")["text"] == "14.38万\n亩"
    assert _q(seed, "2宗")["text"] == "2\n宗"
    for q in seed["quantities"]:
        assert text[q["start"]:q["end"]] == q["text"]


def test_lost_unit_is_inherited(seed):
    q = _q(seed, "2")
    assert q["unit_inferred"] is True
    assert q["written_unit"] is None
    assert _by_id(seed, q["of"])["text"] == "2.8\n万亩"


NOT_QUANTITIES = ["一是", "二是", "三是", "四是", "五是", "六是", "5.", "第十二届", "一封信", "两本账",
                  "一批", "一系列", "一刀切", "二上成果", "两个季度"]


@pytest.mark.parametrize("phrase", NOT_QUANTITIES)
def test_not_a_quantity(seed, phrase):
    import re
    hits = list(re.finditer(r"\s*".join(map(re.escape, phrase)), seed["text"]))
    assert hits, phrase
    for m in hits:
        assert not any(q["start"] < m.end() and m.start() < q["end"] for q in seed["quantities"])


EXPECTED_DATES = [
    ("2024年第2季度", "2024-04-01", "2024-06-30", "quarter", "T1"),
    ("6月底", "2024-06-30", "2024-06-30", "day", "T1"),
    ("5月22日", "2024-05-22", "2024-05-22", "day", "T1"),
    ("2024年第2季度", "2024-04-01", "2024-06-30", "quarter", "T2"),
    ("2024年第2季度", "2024-04-01", "2024-06-30", "quarter", "T3"),
    ("6月27日", "2024-06-27", "2024-06-27", "day", "T3"),
    ("7月15日", "2024-07-15", "2024-07-15", "day", "T3"),
    ("1—5月份", "2024-01-01", "2024-05-31", "month", "T3"),
    ("6月18日-20日", "2024-06-18", "2024-06-20", "day", "T3"),
    ("6月25日", "2024-06-25", "2024-06-25", "day", "T3"),
]


def test_dates(seed):
    got = [("".join(d["text"].split()), d["start_date"], d["end_date"], d["grain"], d["task"])
           for d in seed["dates"]]
    assert got == EXPECTED_DATES
    assert any(d["text"] == "6月\n底" for d in seed["dates"])


def test_period_and_tasks(seed):
    assert seed["period"] == {"start_date": "2024-04-01", "end_date": "2024-06-30"}
    tasks = seed["tasks"]
    assert [t["seq"] for t in tasks] == ["1", "2", "3"]
    assert [t["departments"] for t in tasks] == [["用途管制科", "土地处置办"], ["矿产保护科"], ["耕地保护科"]]
    assert tasks[0]["title"] == "强化用地保障，落实新增建设用地指标2.8万亩，盘活工业低效用地1万亩。"
    assert all(t["period"] == seed["period"] for t in tasks)


LINKS = [
    ("1.23万亩", "target", "2.8万亩"),
    ("41.3％", "of", "4128亩"),
    ("32.9％", "of", "3286亩"),
    ("82.5%", "of", "1.98万亩"),
    ("1.5%", "change_of", "8069亩"),
    ("1.11万亩", "of", "14.38万亩"),
    ("6.86万亩", "of", "27.09万亩"),
    ("38321个", "of", "45536个"),
    ("13.34万亩", "of", "16.31万亩"),
    ("84.16%", "of", "45536个"),
    ("89.2%", "change_of", "152亩"),
    ("89.5%", "change_of", "28宗"),
]


@pytest.mark.parametrize("source,kind,target", LINKS, ids=[f"{s}-{k}" for s, k, _ in LINKS])
def test_links(seed, source, kind, target):
    q = _q(seed, source)
    assert q[kind] is not None
    assert "".join(_by_id(seed, q[kind])["text"].split()) == target


def test_date_links(seed):
    dates = {d["id"]: "".join(d["text"].split()) for d in seed["dates"]}
    assert dates[_q(seed, "1.98万亩")["date"]] == "6月底"
    assert dates[_q(seed, "45536个")["date"]] == "7月15日"
    assert dates[_q(seed, "152亩")["date"]] == "1—5月份"


def test_checks(seed):
    rules = {(c["rule"], c["reported"]): c for c in seed["checks"]}
    rate = rules[("rate_matches_ratio", 84.16)]
    assert rate["ok"] is True
    assert rate["expected"] == pytest.approx(38321 / 45536 * 100, abs=1e-6)
    implied = rules[("implied_target", 10000.0)]
    assert implied["ok"] is True
    assert implied["expected"] == pytest.approx(4128 / 0.413, abs=1e-3)
    progress = [c for c in seed["checks"] if c["rule"] == "progress"]
    assert any(c["expected"] == pytest.approx(12300 / 28000 * 100, abs=1e-4) for c in progress)


def test_extract_stays_the_function_after_submodule_imports():
    import pipeline.core.mentions.patterns  # noqa: F401  no subpackage is named extract any more
    assert pipeline.extract.__module__ == "pipeline.core.api"
    first = pipeline.extract("新增1万亩")
    second = pipeline.extract("新增1万亩")
    assert first == second
    assert [q["value"] for q in first["quantities"]] == [10000]
