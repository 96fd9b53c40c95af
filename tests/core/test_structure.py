"""Tasks (table rows), columns and cell quantities across formats and encodings."""
from __future__ import annotations

import fixtures_build as fb
import pytest
from helpers import ROOT, SEED

from pipeline.core.api import extract, process_path


def _summary(result):
    tasks = [(t["seq"], tuple(t["departments"]), t["period"]["start_date"] if t["period"] else None)
             for t in result["tasks"]]
    qs = [("".join(q["text"].split()), q["value"], q["unit"], q["role"],
           next((t["seq"] for t in result["tasks"] if t["id"] == q["task"]), None))
          for q in result["quantities"]]
    return tasks, qs


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return fb.write_all(tmp_path_factory.mktemp("formats"))


EXPECTED_TASKS = [("1", ("用途管制科", "土地处置办"), "2024-04-01"), ("2", ("矿产保护科",), "2024-04-01"),
                  ("3", ("耕地保护科",), "2024-04-01")]
EXPECTED_QUANTITIES = [
    ("2.8万亩", 28000.0, "亩", "target", "1"), ("1万亩", 10000.0, "亩", "target", "1"),
    ("2万亩", 20000.0, "亩", "target", "1"), ("1.23万亩", 12300.0, "亩", "actual", "1"),
    ("1.98万亩", 19800.0, "亩", "actual", "1"), ("82.5%", 82.5, "%", "rate", "1"),
    ("2宗", 2.0, "宗", "target", "2"), ("2宗", 2.0, "宗", "target", "2"),
    ("970万亩", 9700000.0, "亩", "target", "3"), ("45536个", 45536.0, "个", "actual", "3"),
    ("38321个", 38321.0, "个", "actual", "3"), ("84.16%", 84.16, "%", "rate", "3"),
]


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html", "pdf", "utf8", "utf8_bom", "gb18030", "utf16",
                                 "utf16le_nobom", "utf16be_nobom"])
def test_same_table_in_every_format(written, fmt):
    result = process_path(written[fmt], reference_date="2024-06-30")
    assert result["errors"] == []
    tasks, qs = _summary(result)
    assert tasks == EXPECTED_TASKS
    assert qs == EXPECTED_QUANTITIES


def test_seed_reencoded_gives_the_same_extraction(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    results = {}
    for codec in ("utf-8", "gb18030", "utf-16"):
        path = tmp_path / f"seed.{codec}.txt"
        path.write_bytes(text.encode(codec))
        results[codec] = process_path(path)
    base = _summary(results["utf-8"])
    assert base[0] == [("1", ("用途管制科", "土地处置办"), "2024-04-01"), ("2", ("矿产保护科",), "2024-04-01"),
                       ("3", ("耕地保护科",), "2024-04-01")]
    assert _summary(results["gb18030"]) == base
    assert _summary(results["utf-16"]) == base
    assert results["gb18030"]["encoding"] == "gb18030"


TABLE_DUMP = """2024年上半年就业工作主要指标完成情况
指标名称\t目标任务\t进度\t完成目标(%)
城镇新增就业(人)\t26000\t32095\t123.4
失业人员再就业(人)\t8000\t4128\t51.6
就业困难人员就业(人)\t2000\t1500\t80.0
创业担保贷款(万元)\t30000\t12500\t41.7
"""


def test_bare_numbers_take_units_from_labels_and_headers(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text(TABLE_DUMP, encoding="utf-8")
    result = process_path(path)
    rows = {}
    for q in result["quantities"]:
        rows.setdefault(q["indicator"], {})[q["role"]] = (q["value"], q["unit"], q["unit_inferred"])
    assert rows["城镇新增就业"] == {"target": (26000, "人", True), "actual": (32095, "人", True),
                               "rate": (123.4, "%", True)}
    assert rows["创业担保贷款"]["target"] == (3e8, "元", True)
    assert rows["创业担保贷款"]["actual"] == (1.25e8, "元", True)
    assert result["period"] == {"start_date": "2024-01-01", "end_date": "2024-06-30"}
    by_id = {q["id"]: q for q in result["quantities"]}
    actual = next(q for q in result["quantities"] if q["indicator"] == "城镇新增就业" and q["role"] == "actual")
    assert by_id[actual["target"]]["value"] == 26000
    checks = {(c["rule"], c["reported"]): c["ok"] for c in result["checks"]}
    assert checks[("row_rate", 123.4)] is True
    assert checks[("row_rate", 80.0)] is False  # 1500/2000 is 75%, not the 80.0 printed


def test_rows_may_start_at_any_number():
    from pipeline.core.structure.tasks import tasks_from_dump
    text = " 7\n\n新增市场主体\n1.5万户\n\n商务局\n\n8\n\n稳定外贸\n\n商务局\n"
    tasks, _ = tasks_from_dump(text, None)
    assert [(t.seq, t.departments) for t in tasks] == [("7", ("商务局",)), ("8", ("商务局",))]


SIDE_BY_SIDE = ("2024年上半年民生实事进展情况表\n"
                "序号 工作任务 完成时限 进展情况 牵头单位\n"
                "1 新建城市公园，全年\n"
                "不少于5个 2024年12月 1-6月份建成公园3个，完成\n"
                "全年任务的60%。 住建局\n"
                "2 改造老旧小区\n"
                "40个 2024年11月 已开工32个，完工18个。 住建局\n"
                "街道办\n")


def test_rows_whose_columns_run_side_by_side_in_a_pdf_dump():
    """序号 header, then lines opening with the row's number: each row a task with its
    departments; the deadline dates nothing; the title's half-year dates what the
    progress states without a date of its own."""
    result = extract(SIDE_BY_SIDE)
    assert [(t["seq"], t["departments"]) for t in result["tasks"]] == [
        ("1", ["住建局"]), ("2", ["住建局", "街道办"])]
    q = {x["text"]: x for x in result["quantities"]}
    dates = {d["id"]: d["text"] for d in result["dates"]}
    assert [(q[t]["task"], q[t]["role"]) for t in ("5个", "3个", "60%", "40个", "32个")] == [
        ("T1", "target"), ("T1", "actual"), ("T1", "rate"), ("T2", "target"), ("T2", "actual")]
    assert dates[q["3个"]["date"]] == "1-6月份"
    assert dates[q["32个"]["date"]] == "2024年上半年"
    assert q["5个"]["date"] is None or dates[q["5个"]["date"]] != "2024年12月"


@pytest.mark.skipif(not (ROOT.parent / "shared" / "corpus" / "pdf" / "honze-2023-disclosure-report.pdf").exists(),
                    reason="../shared/corpus/pdf is absent")
def test_real_pdf_cells_carry_units_from_headers():
    result = process_path(ROOT.parent / "shared" / "corpus" / "pdf" / "honze-2023-disclosure-report.pdf")
    assert result["errors"] == []
    money = [q for q in result["quantities"] if q["text"] == "7730.28"]
    assert money and money[0]["unit"] == "元" and money[0]["value"] == pytest.approx(77302800)
    assert money[0]["unit_inferred"] is True


def test_sections_starred_rows_and_merged_departments(tmp_path):
    """A DOCX table as archives hold it: a section row over its rows, a row numbered
    9*, one responsible unit merged down three rows, units in the headers."""
    import docx
    d = docx.Document()
    d.add_paragraph("2024年上半年民生实事进展情况")
    rows = [
        ("序号", "重点任务", "目标任务(个)", "完成(个)", "责任单位"),
        ("一、就业促进工程", "", "", "", ""),
        ("8", "新建零工市场", "12", "9", "人社局"),
        ("9*", "建设创业孵化基地", "4", "4", ""),
        ("10", "开发公益性岗位", "300", "315", ""),
    ]
    table = d.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(1, 4)).text = "一、就业促进工程"
    table.cell(2, 4).merge(table.cell(4, 4)).text = "人社局"
    path = tmp_path / "table.docx"
    d.save(path)
    result = process_path(path)
    assert [(t["seq"], t["departments"], t["section"]) for t in result["tasks"]] == [
        ("8", ["人社局"], "一、就业促进工程"), ("9*", ["人社局"], "一、就业促进工程"),
        ("10", ["人社局"], "一、就业促进工程")]
    got = [(q["text"], q["role"], q["unit"], q["unit_inferred"]) for q in result["quantities"]]
    assert got == [("12", "target", "个", True), ("9", "actual", "个", True), ("4", "target", "个", True),
                   ("4", "actual", "个", True), ("300", "target", "个", True), ("315", "actual", "个", True)]
    assert result["period"] == {"start_date": "2024-01-01", "end_date": "2024-06-30"}


def test_a_department_merged_down_thirty_rows(tmp_path):
    """Each row is its own task: a merged cell written in row 1 does not stretch the
    later rows over the earlier ones."""
    import docx
    d = docx.Document()
    table = d.add_table(rows=31, cols=3)
    for c, h in enumerate(("序号", "重点任务", "责任单位")):
        table.cell(0, c).text = h
    for r in range(1, 31):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text = f"新建口袋公园{r}个"
    table.cell(1, 2).merge(table.cell(30, 2)).text = "住建局"
    path = tmp_path / "merged.docx"
    d.save(path)
    result = process_path(path)
    assert len(result["tasks"]) == 30
    assert all(t["departments"] == ["住建局"] for t in result["tasks"])
    seq_of = {t["id"]: t["seq"] for t in result["tasks"]}
    assert [(q["value"], seq_of[q["task"]]) for q in result["quantities"]] == [
        (float(r), str(r)) for r in range(1, 31)]


def test_a_column_of_consecutive_figures_is_no_row_numbers():
    from pipeline.core.structure.tasks import row_numbers
    assert row_numbers("单产(公斤)\n314\n315\n316\n") == []
    assert [m.group(1) for m in row_numbers(" 7\n任务\n8\n任务\n")] == ["7", "8"]
