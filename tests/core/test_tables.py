"""Flattened tables read back as grids: one case per layout, with exact expected values.

Texts written here in the shapes web pages and PDF dumps give (the real corpus's tables
are measured by `zhibiao eval`; these pin the behaviour down)."""
from __future__ import annotations

import pipeline
from pipeline.core.records import Document
from pipeline.core.structure import tables

TAB = ("2024年民生实事进度表（截至6月30日）\n"
       "序号\t项目名称\t年度目标（个）\t完成数（个）\t完成率\t责任单位\n"
       "1\t新建公厕\t30\t18\t60%\t市城管局\n"
       "2\t改造农贸市场\t10\t4\t40%\t市商务局\n")

PIPE_WRAPPED = ("单位:万元\n"
                "单位名称 | 一般公共预算收入 | 税收比重% | 一般公共预算支出 | ||||||\n"
                "当月 | 累计 | 为预算的% | 增幅% | 当月 | 累计 | 为预算的% | 增幅% | ||\n"
                "甲市 | 1000 | 4000 |\n"
                "| -2.5 | 70.0 | 2000 | 9000 |\n"
                "| 3.1 |\n"
                "乙县 | 300 | 1200 |\n"
                "| 1.5 | 65.0 | 800 | 3000 |\n"
                "| -0.4 |\n")

CELL_PER_LINE = ("序号 |\n省份 |\n新开工小区数(个) |\n|\n计划任务数 |\n开工数 |\n"
                 "1 |\n北京 |\n400 |\n411 |\n"
                 "2 |\n天津 |\n177 |\n170 |\n"
                 "3 |\n河北 |\n3698 |\n3700 |\n")

STATS = ("表1 地区生产总值\n"
         "指标 | 绝对数(万元) | 增长(%) | 构成(%) |\n"
         "地区生产总值 | 341881 | 7.2 | 100 |\n"
         "第一产业 | 56789 | 5.3 | 16.6 |\n"
         "第二产业 | 80349 | 19.4 | 23.5 |\n"
         "第三产业 | 204743 | 3.9 | 59.9 |\n")

YEARS = ("林业生产情况 |\n单位:千公顷 |\n指 标 |\n1990 |\n1995 |\n2000 |\n"
         "造林面积 |\n19.63 |\n27.20 |\n51.25 |\n"
         "用材林 |\n11.42 |\n12.44 |\n40.83 |\n")

SPACES = ("(截至2024年5月末)\n"
          "序号 地区 新开工小区数(个) 开工率\n"
          "1 江苏 982 94.8%\n"
          "2 山东 3269 81.0%\n"
          "3 河北 869 78.5%\n")


def _by_text(result: dict) -> dict:
    return {q["text"]: q for q in result["quantities"]}


def _ids(result: dict) -> dict:
    return {q["id"]: q for q in result["quantities"]}


def test_tab_table_rows_units_roles_and_links() -> None:
    r = pipeline.extract(TAB)
    q = _by_text(r)
    assert [(t["seq"], t["title"], t["departments"]) for t in r["tasks"]] == [
        ("1", "新建公厕", ["市城管局"]), ("2", "改造农贸市场", ["市商务局"])]
    assert (q["30"]["value"], q["30"]["unit"], q["30"]["role"], q["30"]["unit_inferred"]) == (30, "个", "target", True)
    assert (q["18"]["role"], _ids(r)[q["18"]["target"]]["text"]) == ("actual", "30")
    assert (q["60%"]["role"], _ids(r)[q["60%"]["of"]]["text"]) == ("rate", "30")
    assert q["18"]["task"] == r["tasks"][0]["id"] and q["4"]["task"] == r["tasks"][1]["id"]


def test_pipe_rows_that_wrap_and_a_two_level_header() -> None:
    r = pipeline.extract(PIPE_WRAPPED)
    q = _by_text(r)
    # 单位:万元 above the table scales the amounts; the growth columns are % changes of
    # the row's level
    assert (q["1000"]["value"], q["1000"]["unit"]) == (10_000_000, "元")
    assert (q["-2.5"]["value"], q["-2.5"]["unit"], q["-2.5"]["role"]) == (-2.5, "%", "change")
    assert q["70.0"]["role"] == "rate"
    # the growth of 支出 is of 支出's cumulative level, not of 收入's
    assert (q["3.1"]["role"], _ids(r)[q["3.1"]["change_of"]]["text"]) == ("change", "9000")
    assert _ids(r)[q["-2.5"]["change_of"]]["text"] == "4000"


def test_cell_per_line_with_row_numbers_and_two_level_header() -> None:
    r = pipeline.extract(CELL_PER_LINE)
    assert [t["title"] for t in r["tasks"]] == ["北京", "天津", "河北"]
    q = {(x["text"], x["task"]): x for x in r["quantities"]}
    plan, done = q[("400", "T1")], q[("411", "T1")]
    assert (plan["role"], plan["unit"], done["role"]) == ("target", "个", "actual")
    assert _ids(r)[done["target"]]["text"] == "400"


def test_statistics_table_has_no_tasks_and_links_growth_and_shares() -> None:
    r = pipeline.extract(STATS)
    q = _by_text(r)
    assert r["tasks"] == []
    assert (q["56789"]["value"], q["56789"]["unit"], q["56789"]["role"]) == (567_890_000, "元", "actual")
    assert (q["5.3"]["role"], _ids(r)[q["5.3"]["change_of"]]["text"]) == ("change", "56789")
    assert (q["16.6"]["role"], _ids(r)[q["16.6"]["of"]]["text"]) == ("rate", "341881")
    # the three sectors add up to the total: parts of it
    assert {_ids(r)[q[t]["of"]]["text"] for t in ("56789", "80349", "204743")} == {"341881"}


def test_years_heading_columns_date_their_cells() -> None:
    r = pipeline.extract(YEARS)
    q = _by_text(r)
    dates = {d["id"]: d for d in r["dates"]}
    assert (q["19.63"]["value"], q["19.63"]["unit"]) == (19630, "公顷")
    assert [dates[q[t]["date"]]["text"] for t in ("11.42", "12.44", "40.83")] == ["1990", "1995", "2000"]
    assert q["12.44"]["period"] == {"start_date": "1995-01-01", "end_date": "1995-12-31"}


def test_space_separated_table_and_its_title_date() -> None:
    r = pipeline.extract(SPACES)
    q = _by_text(r)
    dates = {d["id"]: d for d in r["dates"]}
    assert [t["title"] for t in r["tasks"]] == ["江苏", "山东", "河北"]
    assert (q["982"]["unit"], q["94.8%"]["role"]) == ("个", "rate")
    assert dates[q["982"]["date"]]["text"] == "2024年5月末"


def test_extract_table_output_shows_each_task_once() -> None:
    from pipeline.apps.display import render_table
    out = render_table(pipeline.extract(TAB))
    assert out.count("1 新建公厕") == 1 and out.count("2 改造农贸市场") == 1
    assert sum(1 for line in out.splitlines() if line.startswith("┃ task")) == 1  # one table


def test_a_table_counting_applications_counts_them_in_jian() -> None:
    """A disclosure report's 收到和处理政府信息公开申请情况 table states no unit: its title
    counts applications (lexicon.toml [counted_noun]), so its bare numbers are 件."""
    text = ("三、收到和处理政府信息公开申请情况\n"
            "项目 | 自然人 | 法人或其他组织 | 总计\n"
            "本年新收申请数量 | 95 | 3 | 98\n"
            "予以公开 | 50 | 2 | 52\n")
    qs = pipeline.extract(text)["quantities"]
    assert [q["text"] for q in qs] == ["95", "3", "98", "50", "2", "52"]
    assert all(q["unit"] == "件" and q["unit_inferred"] for q in qs)


BARRED = ("| 表3 各类粮食产量 | |||||||\n"
          "| 单位:万吨 | (10000 tons) | ||||||\n"
          "| 项 目 | item | 2002 | 2006 | 2007 | |||\n"
          "| 合 计 | total | 763.23 | 632.90 | 635.06 | |||\n"
          "| 按品种分 | by crop | ||||||\n"
          "| 稻谷 | rice | 557.52 | 499.00 | 501.00 | |||\n")


def test_rows_opened_by_a_bar_with_years_heading_the_columns() -> None:
    """Every line opens with ``|`` and closes with a run of empty cells: the bar opens the
    row (no empty first column), the empty cells are no columns, the years head the
    columns and the unit note sits in a cell of its own line."""
    r = pipeline.extract(BARRED)
    q = _by_text(r)
    dates = {d["id"]: d for d in r["dates"]}
    assert (q["632.90"]["value"], q["632.90"]["unit"], q["632.90"]["unit_inferred"]) == (6_329_000, "吨", True)
    assert [dates[q[t]["date"]]["text"] for t in ("557.52", "499.00", "501.00")] == ["2002", "2006", "2007"]
    assert q["501.00"]["indicator"] == "稻谷"


FORM = ("项目资金 (万元) | 全年预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 | |||||\n"
        "年度资金总额: | 9.48 | 9.10 | 10 | 96% | 9.6 | |||||\n"
        "其中:本年财政拨款 | 9.48 | 9.10 | 10 | 96% | 9.6 | |||||\n")


def test_empty_cells_closing_a_row_do_not_shift_its_columns() -> None:
    """A performance self-evaluation form whose rows end in ``| |||||``: each number stays
    under its own header (预算数 the target, 执行数 the actual, 执行率 the rate)."""
    q = _by_text(pipeline.extract(FORM))
    roles = {t: (q[t]["role"], q[t]["column"]) for t in ("9.48", "9.10", "96%")}
    assert roles == {"9.48": ("target", "target"), "9.10": ("actual", "actual"), "96%": ("rate", "rate")}
    assert (q["9.10"]["value"], q["9.10"]["unit"]) == (91_000, "元")


SELF_EVALUATION = ("一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分 |\n"
                   "产出指标 | 数量指标 | 扶持新型农业经营主体 (个) |\n"
                   "15 | 6 | 8.0 | |\n"
                   "数量指标 | 带动脱贫户(人) | 1144 | 416 | 7.3 | ||\n"
                   "满意度指标 | 服务对象满意度指标 | 满意度(%) | 90 | 100 | 11.1 | |\n")


def test_three_label_columns_and_a_first_row_whose_numbers_wrapped() -> None:
    """A performance self-evaluation form: the first row's labels fill a line of their own
    and its numbers the next; a row missing its merged first label is aligned right; the
    indicator is the last label (三级指标) with its unit, and 得分 counts points."""
    r = pipeline.extract(SELF_EVALUATION)
    got = [(q["text"], q["unit"], q["role"], q["indicator"]) for q in r["quantities"]]
    assert got == [("15", "个", "target", "扶持新型农业经营主体"), ("6", "个", "actual", "扶持新型农业经营主体"),
                   ("8.0", "分", "other", "扶持新型农业经营主体"),
                   ("1144", "人", "target", "带动脱贫户"), ("416", "人", "actual", "带动脱贫户"),
                   ("7.3", "分", "other", "带动脱贫户"),
                   ("90", "%", "target", "满意度"), ("100", "%", "actual", "满意度"), ("11.1", "分", "other", "满意度")]
    assert _ids(r)[_by_text(r)["416"]["target"]]["text"] == "1144"


FORMS = ("2021年为民办实事项目进展情况月报表(11月份)\n\n"
         "项 目 \n\n名 称 \n\n新建和改造提升城市绿道500公里 \n\n我市 \n\n任务 \n\n新建城市绿道130公里 \n\n"
         "进 展 \n\n情 况 \n\n已完成年度目标任务，共计建成绿道140.01公里。 \n\n存 在 \n\n困 难 \n\n和问题 \n\n无 \n\n"
         "2021年市为民办实事项目进展情况月报表(11月份) \n\n项目名称 \n\n增种林荫50处 \n\n"
         "进展情况 \n\n已完成该项任务，共计增种林荫51处。 \n\n来源:市园林中心\n")


def test_vertical_forms_one_task_each() -> None:
    """Forms printed one after another, each field's name spread over short lines above its
    value: each form is a task titled by its 项目名称; the amount in the name and in 我市任务
    are targets, the progress's amount an actual linked to the form's target."""
    r = pipeline.extract(FORMS)
    assert [t["title"] for t in r["tasks"]] == ["新建和改造提升城市绿道500公里", "增种林荫50处"]
    q = _by_text(r)
    assert [(q[t]["role"], q[t]["task"]) for t in ("500公里", "130公里", "140.01公里", "50处", "51处")] == [
        ("target", "T1"), ("target", "T1"), ("actual", "T1"), ("target", "T2"), ("actual", "T2")]
    assert _ids(r)[q["51处"]["target"]]["text"] == "50处"
    # narrative sections under bare headings are no forms: no project name opens them
    assert pipeline.extract("工作进展\n建成绿道12公里。\n存在问题\n资金不足。\n下一步计划\n再建10公里。")["tasks"] == []


CATEGORY = ("大类 | 序号 | 工作任务 | 牵头单位 | 落实进展情况 |\n"
            "一、提高民生保障水平 | 1 | 城乡低保标准提高到每人每月609元 | 市民政局 | 已完成,提高到616元 |\n"
            "2 | 新增养老床位300张 | 市民政局 | 已建成280张 |\n"
            "二、稳定就业 | 3 | 城镇新增就业1.2万人 | 市人社局 | 已新增1.3万人 |\n")


def test_a_row_opening_a_category_is_a_task_of_it() -> None:
    """The category cell (大类, merged over the rows below) opens the first row of each
    category: that row is a task all the same, in the category's section."""
    r = pipeline.extract(CATEGORY)
    assert [(t["seq"], t["section"]) for t in r["tasks"]] == [
        ("1", "一、提高民生保障水平"), ("2", "一、提高民生保障水平"), ("3", "二、稳定就业")]
    q = _by_text(r)
    assert [q[t]["task"] for t in ("609元", "616元", "300张", "1.3万人")] == ["T1", "T1", "T2", "T3"]


SUB_ROWS = ("序号 |\n类别 |\n项目名称 |\n目标任务 |\n牵头单位 |\n目标数 |\n累计完成 |\n累计进度 |\n备注 |\n"
            "1 |\n一、就业促进 |\n促进就业 |\n城镇新增就业1100人 |\n县人社局 |\n1100 |\n1063 |\n96.64% |\n|\n"
            "2 |\n家政行动 |\n培训家政服务人员613人次 |\n县商务局 |\n613 |\n626 |\n102.12% |\n|\n"
            "新增家政服务人员275人 |\n275 |\n284 |\n103.27% |\n|\n"
            "3 |\n敬老院提升 |\n规范运营6家敬老院 |\n县民政局 |\n6 |\n6 |\n100% |\n|\n")


def test_cell_per_line_sub_rows_and_a_progress_column() -> None:
    """A numbered row whose second line of figures (its label and department merged above)
    follows the row's empty 备注 cell: each part keeps its columns, the sub-row belongs to
    the task above, and a % alone in the 进度 column is the rate of the row's target."""
    r = pipeline.extract(SUB_ROWS)
    assert [t["seq"] for t in r["tasks"]] == ["1", "2", "3"]
    by = {(q["text"], q["start"]): q for q in r["quantities"]}
    got = {t: (q["role"], q["task"]) for (t, _), q in by.items() if t in ("626", "102.12%", "275", "284", "103.27%")}
    assert got == {"626": ("actual", "T2"), "102.12%": ("rate", "T2"), "275": ("target", "T2"),
                   "284": ("actual", "T2"), "103.27%": ("rate", "T2")}
    ids = _ids(r)
    rates = [q for q in r["quantities"] if q["text"] in ("96.64%", "102.12%", "103.27%")]
    assert [ids[q["of"]]["text"] for q in rates] == ["1100", "613", "275"]  # of the row's target


BOXED = ("2024年民生实事进度表（截至6月30日）\n"
         "┌────┬────────────┬────────┬────────┬──────┐\n"
         "│序号│项目名称    │年度目标│完成情况│责任单│\n"
         "│    │            │        │        │位    │\n"
         "├────┼────────────┼────────┼────────┼──────┤\n"
         "│1   │新建城市绿道│30公里  │18公里  │市住建│\n"
         "│    │（续建）    │        │        │局    │\n"
         "├────┼────────────┼────────┼────────┼──────┤\n"
         "│2   │改造农贸市场│10个    │4个     │市商务│\n"
         "│    │            │        │        │局    │\n"
         "└────┴────────────┴────────┴────────┴──────┘\n")


def test_box_drawn_table_with_cells_wrapped_inside_their_rows() -> None:
    """A box-drawn table: a row is the lines between two rules, a wrapped cell's pieces
    are joined (title 新建城市绿道（续建）, department 市住建局, header 责任单位)."""
    r = pipeline.extract(BOXED)
    assert [(t["seq"], t["title"], t["departments"]) for t in r["tasks"]] == [
        ("1", "新建城市绿道（续建）", ["市住建局"]), ("2", "改造农贸市场", ["市商务局"])]
    got = [(q["text"], q["role"], q["task"]) for q in r["quantities"]]
    assert got == [("30公里", "target", "T1"), ("18公里", "actual", "T1"), ("10个", "target", "T2"),
                   ("4个", "actual", "T2")]
    assert _ids(r)[_by_text(r)["4个"]["target"]]["text"] == "10个"


ONE_LINE = ("2024年民生实事进度表 序号 项目名称 年度目标(个) 完成数(个) 完成率 1 新建公厕 30 18 60% "
            "2 改造农贸市场 10 4 40% 3 新建停车场 5 5 100%")


def test_a_table_flattened_onto_one_line() -> None:
    """Every cell of the table on one line, a space apart (a page read without its row
    breaks): rows are cut at their 序号, the header is what precedes the first."""
    r = pipeline.extract(ONE_LINE)
    assert [(t["seq"], t["title"]) for t in r["tasks"]] == [("1", "新建公厕"), ("2", "改造农贸市场"), ("3", "新建停车场")]
    got = [(q["text"], q["unit"], q["role"], q["task"]) for q in r["quantities"]][:3]
    assert got == [("30", "个", "target", "T1"), ("18", "个", "actual", "T1"), ("60%", "%", "rate", "T1")]
    assert _ids(r)[_by_text(r)["4"]["target"]]["text"] == "10"


def test_a_space_separated_table_a_pdf_reader_left_as_text() -> None:
    """A PDF's reader found one table's header as cells but left its rows as text, with
    spaces between the cells: those rows are still read, under the header line."""
    from pipeline.core.api import extract_document
    from pipeline.core.records import Block, Document
    text = ("表1 年末户籍人口及其构成\n指标名称\t年末数（人）\t比重（%）\n"
            "全州总户籍人口 4899310 100.0\n#城镇 1654272 33.8\n乡村 3245038 66.2\n")
    head = text.index("指标名称")
    cells = tuple(Block("cell", head + text[head:].index(h), head + text[head:].index(h) + len(h), page=1,
                        table=0, row=0, col=c, header=h) for c, h in enumerate(("指标名称", "年末数（人）", "比重（%）")))
    r = extract_document(Document(text=text, format="pdf", blocks=cells)).to_dict()
    got = {q["text"]: (q["value"], q["unit"], q["role"]) for q in r["quantities"]}
    assert got["1654272"] == (1654272, "人", "actual") and got["33.8"] == (33.8, "%", "rate")


UNIT_COLUMN = ("表1 主要指标\n指标 | 单位 | 2023年 | 比上年增长(%) |\n粮食产量 | 万吨 | 123.4 | 2.1 |\n"
               "生猪出栏 | 万头 | 56.7 | -3.2 |\n地区生产总值 | 亿元 | 890.1 | 5.6 |\n")


def test_a_unit_column_gives_each_row_its_unit() -> None:
    """A statistics table with a 单位 column: each row's amount takes that row's unit; the
    growth column stays in %."""
    got = [(q["text"], q["value"], q["unit"], q["unit_inferred"], q["role"])
           for q in pipeline.extract(UNIT_COLUMN)["quantities"]]
    assert got == [("123.4", 1_234_000, "吨", True, "actual"), ("2.1", 2.1, "%", True, "change"),
                   ("56.7", 567_000, "头", True, "actual"), ("-3.2", -3.2, "%", True, "change"),
                   ("890.1", 89_010_000_000, "元", True, "actual"), ("5.6", 5.6, "%", True, "change")]


STARRED_ROWS = ("2024年重点工作任务进展情况表（截至9月30日）\n"
                "序号 | 工作任务 | 责任单位 | 完成时限 | 进展情况 |\n"
                "1 | 新建5G基站1200个 | 市工信局 | 2024年12月底 | 已建成980个，完成年度任务的81.7%。 |\n"
                "2* | 改造老旧小区35个 | 市住建局、各区政府 | 2024年11月 | 已开工33个，完工20个。 |\n")


def test_a_starred_row_is_a_task_and_a_deadline_dates_no_figure() -> None:
    """9* is a row number like 9; 完成时限 is a deadline column, so no figure is stated at
    its date (the title's cut-off dates the progress)."""
    r = pipeline.extract(STARRED_ROWS)
    assert [(t["seq"], t["departments"]) for t in r["tasks"]] == [
        ("1", ["市工信局"]), ("2*", ["市住建局", "各区政府"])]
    dates = {d["id"]: d["text"] for d in r["dates"]}
    q = _by_text(r)
    assert dates[q["980个"]["date"]] == "9月30日" and dates[q["33个"]["date"]] == "9月30日"
    assert q["33个"]["task"] == "T2"


# A statistics bulletin's PDF text: each table row is a line, a label and its figures;
# a page's number and rule (2 / — —) cut the last table in two.
BULLETIN_PDF_TEXT = (
    "年末全县常住人口86.60万人。\n"
    "表1 2023年末户籍人口及其构成\n"
    "指 标 年末数（人） 比重（%）\n"
    "全县户籍人口 489931 100.0\n"
    "#城镇 165427 33.8\n"
    "乡村 324504 66.2\n"
    "2\n"
    "— —\n"
    "#男性 261729 53.4\n"
    "女性 228202 46.6\n"
    "60周岁及以上 74593 15.2\n"
    "表2 2023年主要农产品产量\n"
    "指标 单位 绝对数 比上年增长(%)\n"
    "粮食 万吨 123.4 2.1\n"
    "油料 吨 3002 -1.5\n"
    "一、蔬菜 万吨 80.2 3.3\n"
    "全年全县实现新增城镇就业 7.52 万人，失业人员实现再就业 1.71 万人，就\n"
)


def _pdf_quantities(text: str) -> dict[str, dict]:
    doc = Document(text=text, source="bulletin.pdf", doc_id="bulletin", format="pdf")
    result = pipeline.extract_document(doc, reference_date="2024-03-01").to_dict()
    return {q["text"]: q for q in result["quantities"]}


def test_figure_lines_of_a_pdf_are_rows_with_the_headers_units_and_caption_date() -> None:
    qs = _pdf_quantities(BULLETIN_PDF_TEXT)
    assert (qs["165427"]["unit"], qs["165427"]["role"], qs["165427"]["indicator"]) == ("人", "actual", "城镇")
    assert (qs["33.8"]["unit"], qs["33.8"]["role"]) == ("%", "rate")
    # the rows after the page break go on under the same headers, title date and all
    assert (qs["261729"]["unit"], qs["53.4"]["unit"], qs["53.4"]["role"]) == ("人", "%", "rate")
    assert qs["261729"]["period"] == qs["165427"]["period"] == {"start_date": "2023-12-31",
                                                              "end_date": "2023-12-31"}
    # a 单位 column gives each row its unit; a numbered label (一、蔬菜) is a label
    assert [(qs[n]["value"], qs[n]["unit"], qs[n]["unit_inferred"]) for n in ("123.4", "3002", "80.2")] == [
        (1_234_000, "吨", True), (3002, "吨", True), (802_000, "吨", True)]  # 万吨, 吨, 万吨
    assert qs["2.1"]["role"] == "change"
    assert qs["123.4"]["period"] == {"start_date": "2023-01-01", "end_date": "2023-12-31"}
    assert "2" not in qs  # the page's number is no figure


def test_figure_lines_need_a_header_and_three_rows() -> None:
    text = "全年新增就业 7.52 万人。\n城镇 45.31\n乡村 54.69\n"  # no header, two rows
    assert "45.31" not in _pdf_quantities(text)
    assert tables.figure_line_cells(BULLETIN_PDF_TEXT.replace("指 标 年末数（人） 比重（%）\n", "")) != ()
    # a PDF's narrative line that ends in a figure is no row
    assert all(BULLETIN_PDF_TEXT[b.start:b.end] != "7.52"
               for b in tables.figure_line_cells(BULLETIN_PDF_TEXT))


def test_a_column_of_figures_a_pdf_glued_into_one_line() -> None:
    """866.60392.66473.94 under 年末数（万人）: each figure has two decimals, so the line reads
    one way only; the header's unit is theirs.  A run with no single reading is left."""
    text = "表1 2023年末常住人口\n年末数（万人）\n866.60392.66473.94\n城镇 392.66\n"
    qs = _pdf_quantities(text)
    assert [(n, qs[n]["value"], qs[n]["unit"]) for n in ("866.60", "392.66", "473.94")
            if n in qs] == [("866.60", 8_666_000, "人"), ("392.66", 3_926_600, "人"), ("473.94", 4_739_400, "人")]
    assert tables.glued_figure_cells("年末数（万人）\n10.0510.0.5\n") == ()


def test_a_performance_form_has_rows_of_indicators_not_tasks() -> None:
    """一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值: each row is an indicator (its
    label the indicator), so the form has no tasks, though it has target columns."""
    text = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n"
            "产出指标\t数量指标\t补助鱼塘面积(亩)\t3\t3\n"
            "产出指标\t数量指标\t补助家禽数量(只)\t200\t180\n"
            "效益指标\t经济效益\t带动贫困户(人)\t12\t12\n")
    result = pipeline.extract(text)
    assert result["tasks"] == []
    qs = {(q["text"], q["role"]) for q in result["quantities"]}
    assert {("200", "target"), ("180", "actual")} <= qs


def test_a_lone_row_of_counts_opening_with_1_is_no_task() -> None:
    """One row of figures whose first is 1 is no row 1 without a 序号 column; with one, it is."""
    assert pipeline.extract("行政复议情况\n结果维持\t结果纠正\t其他结果\t总计\n1\t0\t2\t3\n")["tasks"] == []
    tasks = pipeline.extract("序号\t任务\t目标\n1\t新建学校\t3所\n")["tasks"]
    assert [(t["seq"], t["title"]) for t in tasks] == [("1", "新建学校")]


ROW_STATED_UNITS = ("民生实事进度表\n"
                    "序号 | 项目名称 | 目标任务 | 责任单位 | 年度目标 | 累计完成 | 完成率 |\n"
                    "1 | 促进就业 | 城镇新增就业1100人 | 县人社局 | 1100 | 1063 | 96.64% |\n"
                    "2 | 家政培训 | 培训家政服务人员613人次，新建服务站3个 | 县商务局 | 613 | 626 | 102.12% |\n")


def test_a_bare_figure_takes_the_unit_its_row_states() -> None:
    """The task cell states the target with its unit (1100人): the bare target column
    repeats it and takes it; the actual beside it takes the row's one unit; where the
    row states two units, only the figure stated with one takes it."""
    q = _by_text(pipeline.extract(ROW_STATED_UNITS))
    assert [(q[t]["unit"], q[t]["unit_inferred"]) for t in ("1100", "1063", "613")] == [
        ("人", True), ("人", True), ("人次", True)]
    assert q["626"]["unit"] is None


RATIO_ROW = ("2024年民生工程资金拨付情况\n"
             "序号 | 地区 | 年初预算安排数(万元) | 资金拨付数(万元) | 资金拨付比例 |\n"
             "1 | 甲市 | 9820.00 | 9732.30 | 99.11% |\n"
             "2 | 乙县 | 500 | 480 | 96% |\n")


def test_a_rate_is_of_the_amount_its_row_divides_by() -> None:
    """9732.30 / 9820.00 is the 99.11% printed: the rate is of 9820.00, whatever the
    column's name says."""
    r = pipeline.extract(RATIO_ROW)
    q, ids = _by_text(r), _ids(r)
    assert ids[q["99.11%"]["of"]]["text"] == "9820.00" and ids[q["96%"]["of"]]["text"] == "500"


MARKDOWN = ("| 地区 | 当月产量(万吨) | 当月同比增长(%) |\n"
            "|---|---|---|\n"
            "| 北京市 | 0.02 | -3.5 |\n"
            "| 天津市 | 1.20 | 4.0 |\n"
            "| 河北省 | 30.5 | 1.1 |\n")


def test_a_markdown_table_keeps_its_header_over_the_rule() -> None:
    q = _by_text(pipeline.extract(MARKDOWN))
    assert (q["1.20"]["value"], q["1.20"]["unit"], q["4.0"]["unit"], q["4.0"]["role"]) == (12000, "吨", "%", "change")


GROWTH_ROWS = ("表1 主要指标完成情况\n指标 | 单位 | 数值 |\n"
               "地区生产总值增长率(按可比价格计算) | % | 7.2 |\n居民消费价格涨幅 | % | 2.1 |\n城镇化率 | % | 58.3 |\n")


def test_a_row_that_names_a_growth_holds_a_change() -> None:
    q = _by_text(pipeline.extract(GROWTH_ROWS))
    assert [q[t]["role"] for t in ("7.2", "2.1", "58.3")] == ["change", "change", "actual"]


GLUED_ROWS = ("表2—1 全市地区生产总值\n计量单位:亿元\n"
              "    2023年2023年为上年%占地区生产总值\n(按可比价计算)比重%\n"
              "地区生产总值6145.52112100\n第一产业164.27104.12.7\n    第二产业2760.84112.344.9\n"
              "建筑业370.33108.36\n金融业552.35111.89\n其他服务业1159.0111518.9\n"
              "附:按户籍人口计算的人均地区生产总值(元)96872111.4\n")


def test_rows_whose_figures_a_pdf_glued_together() -> None:
    """Every row a label and one run of digits: cut where the columns' decimals and
    sizes agree (112 for 112.0, 6 for 6.0); the index column is a level, the share
    column a rate of the total row."""
    r = pipeline.extract(GLUED_ROWS)
    q, ids = _by_text(r), _ids(r)
    rows = [[x["text"] for x in r["quantities"] if x["start"] >= GLUED_ROWS.index(label)][:3]
            for label in ("建筑业", "金融业", "其他服务业")]
    assert rows == [["370.33", "108.3", "6"], ["552.35", "111.8", "9"], ["1159.01", "115", "18.9"]]
    assert (q["6145.52"]["value"], q["6145.52"]["unit"]) == (614_552_000_000, "元")
    assert (q["104.1"]["role"], q["104.1"]["unit"]) == ("actual", None)
    assert q["2.7"]["role"] == "rate" and ids[q["2.7"]["of"]]["text"] == "6145.52"
    assert [x["text"] for x in r["quantities"]][-2:] == ["96872", "111.4"]


SPANNED_HEADER = ("2024年民生工程推进情况\n"
                  "序号 | 地区 | 项目推进情况(个) | | 资金拨付情况(万元) | | |\n"
                  "| | 目标任务 | 完成数 | 年初预算安排数 | 资金拨付数 | 拨付比例 |\n"
                  "1 | 成都 | 5 | 4 | 9820.00 | 9732.30 | 99.11% |\n"
                  "2 | 绵阳 | 8 | 6 | 780 | 700 | 89.74% |\n")


def test_an_upper_header_spans_the_empty_cells_after_it() -> None:
    """项目推进情况(个) | | : the upper name runs over the empty cell after it, so both
    columns under it count 个, and the three under 资金拨付情况(万元) count 万元 (but the %)."""
    q = _by_text(pipeline.extract(SPANNED_HEADER))
    assert [(q[t]["value"], q[t]["unit"]) for t in ("5", "4", "9820.00", "9732.30", "99.11%")] == [
        (5, "个"), (4, "个"), (98_200_000, "元"), (97_323_000, "元"), (99.11, "%")]


ENTITY_ROWS = ("1-9月份州重点项目投资完成情况汇总表\n单位:个、亿元\n"
               "隶 属 | 项目个数 | 年投资计划 | 完成投资额 | 年计划投资完成率 |\n"
               "吉首市 | 57 | 82.5 | 65.1 | 78.9% |\n泸溪县 | 27 | 42.6 | 31.2 | 73.2% |\n")


def test_rows_named_by_a_place_under_a_note_of_two_units() -> None:
    """单位:个、亿元: the count column (项目个数) counts 个, the other amounts are 亿元; a
    row named by its first cell is a task without a number, and 项目个数 is no label."""
    r = pipeline.extract(ENTITY_ROWS)
    assert [(t["seq"], t["title"]) for t in r["tasks"]] == [(None, "吉首市"), (None, "泸溪县")]
    q = _by_text(r)
    assert [(q[t]["value"], q[t]["unit"]) for t in ("57", "82.5", "65.1")] == [
        (57, "个"), (8_250_000_000, "元"), (6_510_000_000, "元")]


CPI_TABLE = ("表1 2023年居民消费价格指数\n指标 | 比上年涨跌(%) |\n居民消费价格总指数 | 101.0 |\n"
             "其中:食品烟酒 | 98.4 |\n衣着 | 101.4 |\n居住 | 102.0 |\n")


def test_a_column_of_indexes_under_a_percent_header() -> None:
    """The rows name an index (总指数) and every figure lies near 100: indexes, no %."""
    q = _by_text(pipeline.extract(CPI_TABLE))
    assert [(q[t]["unit"], q[t]["role"]) for t in ("101.0", "98.4")] == [(None, "actual"), (None, "actual")]


SHARE_SECTION = ("2、本地生产总值构成 | |||\n9月 | 1-9月累计 | 累计 | |\n增减百分点 | |||\n"
                 "本地生产总值(%) | —— | 100.0 | —— |\n第一产业 | —— | 2.3 | 0.4 |\n第二产业 | —— | 50.8 | 1.4 |\n")


def test_a_percent_row_label_opens_a_section_of_shares() -> None:
    """本地生产总值(%): the rows under it are shares too; a 增减百分点 column counts points."""
    q = _by_text(pipeline.extract("单位:亿元\n" + SHARE_SECTION))
    assert [(q[t]["value"], q[t]["unit"]) for t in ("2.3", "0.4")] == [(2.3, "%"), (0.4, "个百分点")]


VERTICAL_TARGETS = """2024年度全县综合目标任务分解表
考核项目
全县
甲镇
乙镇
地区生产总值(亿元)
120
45
38
固定资产投资(亿元)
86
30
21
人均可支配收入()
21400
22155
20330
15
市统计局
"""


def test_a_table_one_cell_per_line_with_row_units_gives_each_figure() -> None:
    qs = pipeline.extract(VERTICAL_TARGETS)["quantities"]
    assert [(q["text"], q["value"], q["unit"], q["role"], q["indicator"]) for q in qs][:4] == [
        ("120", 12000000000.0, "元", "target", "地区生产总值"),
        ("45", 4500000000.0, "元", "target", "地区生产总值"),
        ("38", 3800000000.0, "元", "target", "地区生产总值"),
        ("86", 8600000000.0, "元", "target", "固定资产投资")]
    # a unit left blank is no unit carried from the row above; a score is no row number
    assert [(q["text"], q["unit"], q["indicator"]) for q in qs][6:9] == [
        ("21400", None, "人均可支配收入"), ("22155", None, "人均可支配收入"), ("20330", None, "人均可支配收入")]
    assert pipeline.extract(VERTICAL_TARGETS)["tasks"] == []


def test_figures_one_per_line_need_row_units_to_be_a_table() -> None:
    assert tables.vertical_label_cells("说明\n120\n45\n另一行\n86\n30\n第三行\n1\n2\n") == ()


def _fields(text: str, *names: str) -> list[tuple]:
    return [tuple(q[n] for n in names) for q in pipeline.extract(text)["quantities"]]


def test_a_performance_form_reads_its_expected_value_and_weight_columns() -> None:
    text = ("项目支出绩效自评表\n三级指标 | 当年预期实现值 | 实际完成值 | 权重 |\n"
            "培训人次(人次) | 280 | 310 | 10 |\n课程数量(门) | 20 | 22 | 5 |\n")
    assert _fields(text, "text", "role", "unit") == [
        ("280", "target", "人次"), ("310", "actual", "人次"), ("10", "other", "分"),
        ("20", "target", "门"), ("22", "actual", "门"), ("5", "other", "分")]


def test_a_caption_over_the_header_gives_its_unit_and_growth() -> None:
    text = ("指标:工业增加值_同比增长(%) | |||\n地区 | 2020年11月 | 2020年10月 |\n"
            "河北省 | 8.7 | 10 |\n山西省 | 10.7 | -2.1 |\n")
    assert _fields(text, "text", "value", "unit", "role") == [
        ("8.7", 8.7, "%", "change"), ("10", 10.0, "%", "change"),
        ("10.7", 10.7, "%", "change"), ("-2.1", -2.1, "%", "change")]


def test_an_excerpt_of_a_table_may_start_at_any_row_under_its_seq_header() -> None:
    text = ("序号 | 工作任务 | 责任单位 | 进展情况 |\n"
            "24 | 新建口袋公园5个 | 城管局 | 已建成3个 |\n"
            "25 | 改造背街小巷12条 | 住建局 | 已完成8条 |\n")
    assert [(t["seq"], t["title"], t["departments"]) for t in pipeline.extract(text)["tasks"]] == [
        ("24", "新建口袋公园5个", ["城管局"]), ("25", "改造背街小巷12条", ["住建局"])]


def test_a_note_of_one_cell_under_a_row_does_not_swallow_the_next_row() -> None:
    text = ("序号 | 工作任务 | 责任单位 | 一季度目标 | 目标完成情况 |\n"
            "1 | 新改扩建公办中小学校1所 | 教体局 | 室内装修 | 顺利推进 |\n"
            "新增学位810个 | |||||\n"
            "2 | 结对帮扶学校2所 | 教体局 | 互派人员到位 | 顺利推进 |\n")
    assert [(t["seq"], t["title"]) for t in pipeline.extract(text)["tasks"]] == [
        ("1", "新改扩建公办中小学校1所"), ("2", "结对帮扶学校2所")]


def test_space_joined_rows_indented_and_spaced_by_blank_lines() -> None:
    text = ("        序號 省份 新開工小區數(個) 開工率\n\n"
            "        1 貴州 1071 全部開工\n\n"
            "        2 河北 1816 全部開工\n\n"
            "        3 湖北 4284 99%\n")
    result = pipeline.extract(text)
    assert [(t["seq"], t["title"]) for t in result["tasks"]] == [("1", "貴州"), ("2", "河北"), ("3", "湖北")]
    assert [(q["text"], q["unit"], q["task"]) for q in result["quantities"]] == [
        ("1071", "个", "T1"), ("1816", "个", "T2"), ("4284", "个", "T3"), ("99%", "%", "T3")]


MONTHLY_CELLS = """2022年8月社会消费品零售总额
指标
本月
比去年同月增长(%)
1-本月
比去年同期增长(%)
社会消费品零售总额(亿元)
1414.39
2.5
10386.09
-12.0
# 批发零售业
1299.92
2.7
9691.45
-10.7
其中:住宿餐饮业
114.47
0.8
694.65
-27.5
"""


def test_a_monthly_table_one_cell_per_line_under_its_header() -> None:
    qs = pipeline.extract(MONTHLY_CELLS)["quantities"]
    by_id = {q["id"]: q["text"] for q in qs}
    assert [(q["text"], q["unit"], q["role"], by_id.get(q["change_of"] or "")) for q in qs[:4]] == [
        ("1414.39", "元", "actual", None), ("2.5", "%", "change", "1414.39"),
        ("10386.09", "元", "actual", None), ("-12.0", "%", "change", "10386.09")]
    assert [q["indicator"] for q in qs[4::4]] == ["批发零售业", "住宿餐饮业"]


def test_label_and_figure_lines_of_a_spreadsheets_text() -> None:
    text = ("表1 部门收支总表\n单位:万元\n项目 预算数\n一般公共预算拨款收入 16,745.59\n"
            "教育支出 12,204.85\n社会保障和就业支出 1,663.86\n卫生健康支出 1,235.48\n")
    qs = pipeline.extract(text)["quantities"]
    assert [(q["text"], q["value"], q["unit"], q["role"]) for q in qs][:2] == [
        ("16,745.59", 167455900.0, "元", "target"), ("12,204.85", 122048500.0, "元", "target")]


def test_rows_labelled_by_years_under_a_time_header() -> None:
    text = ("| 时间 | 常住人口 (万人) | 城镇化率 (%) |\n|---|---|---|\n| 2023 | ||\n"
            "| 2017 | 73.07 | 58.80 |\n| 2016 | 73.07 | 57.74 |\n| 2015 | 73.71 | 56.45 |\n")
    result = pipeline.extract(text)
    assert [(q["text"], q["value"], q["unit"], q["period"]["start_date"][:4]) for q in result["quantities"]][:4] == [
        ("73.07", 730700.0, "人", "2017"), ("58.80", 58.8, "%", "2017"),
        ("73.07", 730700.0, "人", "2016"), ("57.74", 57.74, "%", "2016")]


def test_a_performance_forms_rows_of_figures_with_units_are_rows_not_headers() -> None:
    text = ("项目支出绩效目标表\n一级指标 | 二级指标 | 三级指标 | 指标值\n"
            "产出指标 | 数量指标 | 开设课程数量 | 220门\n产出指标 | 质量指标 | 培训完成率 | 100%\n")
    qs = pipeline.extract(text)["quantities"]
    assert [(q["text"], q["role"], q["indicator"]) for q in qs] == [
        ("220门", "target", "开设课程数量"), ("100%", "target", "培训完成率")]


def test_a_dump_rows_title_stops_at_a_line_of_a_bare_figure() -> None:
    text = "满意度测评表\n序号\n项目名称\n满意\n基本满意\n1\n教育惠民补短强基\n28\n1\n2\n公共卫生服务能力提升\n20\n8\n"
    assert [(t["seq"], t["title"]) for t in pipeline.extract(text)["tasks"]] == [
        ("1", "教育惠民补短强基"), ("2", "公共卫生服务能力提升")]


def test_a_rows_actual_links_to_the_target_of_its_own_indicator() -> None:
    text = ("序号 | 任务 | 进展 |\n"
            "26 | 新建建筑垃圾中转站8个、建筑垃圾分类池20个。 | 已建成建筑垃圾中转站3个、分类池10个。 |\n")
    qs = pipeline.extract(text)["quantities"]
    by_id = {q["id"]: q["text"] for q in qs}
    assert [(q["text"], by_id.get(q["target"] or "")) for q in qs if q["role"] == "actual"] == [
        ("3个", "8个"), ("10个", "20个")]


def test_a_rows_cells_that_add_up_to_its_total_cell_are_its_parts() -> None:
    text = ("申请情况(件) | 自然人 | 商业企业 | 其他 | 总计 |\n"
            "本年新收申请 | 3001 | 53 | 65 | 3119 |\n"
            "予以公开 | 1288 | 21 | 53 | 1362 |\n")
    qs = pipeline.extract(text)["quantities"]
    by_id = {q["id"]: q["text"] for q in qs}
    assert [(q["text"], by_id.get(q["of"] or "")) for q in qs][:4] == [
        ("3001", "3119"), ("53", "3119"), ("65", "3119"), ("3119", None)]


def test_a_year_to_date_column_and_its_growth_span_the_year_to_the_tables_month() -> None:
    periods = [(q["text"], q["period"]["start_date"], q["period"]["end_date"])
               for q in pipeline.extract(MONTHLY_CELLS)["quantities"][:4]]
    assert periods == [("1414.39", "2022-08-01", "2022-08-31"), ("2.5", "2022-08-01", "2022-08-31"),
                       ("10386.09", "2022-01-01", "2022-08-31"), ("-12.0", "2022-01-01", "2022-08-31")]


def test_a_ranking_column_gives_ranks_and_its_rows_are_no_tasks() -> None:
    text = ("GDP排行 | 区域 | 2021年GDP(亿元) | 增速(%) |\n1 | 潞州区 | 565.7 | 8 |\n"
            "2 | 襄垣县 | 320.7 | 9.9 |\n3 | 上党区 | 305.2 | 9.8 |\n")
    result = pipeline.extract(text)
    assert result["tasks"] == []
    assert [(q["text"], q["kind"], q["indicator"]) for q in result["quantities"] if q["role"] == "rank"] == [
        ("1", "rank", "GDP排行"), ("2", "rank", "GDP排行"), ("3", "rank", "GDP排行")]


def test_a_progress_table_of_words_alone_with_numbers_in_its_names() -> None:
    text = ("类别 | 民生事项名称 | 2022年度任务目标 | 责任单位 | 1-9月份工作完成情况 |\n"
            "四、教育文化 | 14.改扩建泉山学校及庙后吕家初级中学 | 完成泉山学校一期教学楼建设并投入使用 | 教育体育局 | 完成主体建筑结构施工，开始装饰装修 |\n"
            "15.推进学校塑胶运动场地建设 | 完成罗峰学校塑胶运动场地建成并投入使用 | 教育体育局 | 罗峰学校九月份开始施工，完成基础施工 |\n"
            "16.推进义务教育课后服务 | 对全市义务教育学校开展课后服务全覆盖 | 教育体育局 | 全市学校均已开展课后服务工作 |\n")
    assert [(t["seq"], t["title"], t["departments"]) for t in pipeline.extract(text)["tasks"]] == [
        ("14", "改扩建泉山学校及庙后吕家初级中学", ["教育体育局"]), ("15", "推进学校塑胶运动场地建设", ["教育体育局"]),
        ("16", "推进义务教育课后服务", ["教育体育局"])]


def test_a_space_joined_row_one_cell_short_goes_on() -> None:
    text = ("縣(市、區) 政務滿意度指數 經濟指數 綜合指數 綜合排名\n總體 60.95 17.17 78.12\n"
            "地區1 59.97 26 85.97 1\n地區2 61.95 22 83.95 2\n地區3 62.11 21 83.11 3\n")
    qs = pipeline.extract(text)["quantities"]
    assert [(q["text"], q["role"]) for q in qs][:5] == [
        ("60.95", "actual"), ("17.17", "actual"), ("78.12", "actual"), ("59.97", "actual"), ("26", "actual")]
    assert [q["text"] for q in qs if q["role"] == "rank"] == ["1", "2", "3"]


def test_a_header_written_one_cell_per_line_over_rows_of_bars() -> None:
    text = ("表1 粮食播种面积、单位面积产量及总产量 | |||\n播种面积 (千公顷) |\n单位面积产量 (公斤/公顷) |\n"
            "总产量 (万吨) |\n全年粮食 | 113028.2 | 5452.1 | 61623.9 |\n夏粮 | 27632.4 | 5037.7 | 13920.4 |\n"
            "早稻 | 5619.8 | 5832.4 | 3277.7 |\n秋粮 | 79776.0 | 5568.8 | 44425.8 |\n谷物 | 94370.8 | 5988.8 | 56516.5 |\n")
    assert _fields(text, "text", "value", "unit")[:3] == [
        ("113028.2", 113028200.0, "公顷"), ("5452.1", 5452.1, "公斤/公顷"), ("61623.9", 616239000.0, "吨")]
