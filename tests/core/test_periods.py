"""Each quantity's period and the dates its figures are stated at (pipeline/core/periods.py,
pipeline/core/links.py): golden cases of the rules of ANNOTATION.md and corpus/real rulings."""
from __future__ import annotations

import pytest

import pipeline
from pipeline.core.records import Document


def _q(result: dict, written: str) -> dict:
    hits = [q for q in result["quantities"] if q["text"] == written]
    assert len(hits) == 1, (written, [q["text"] for q in result["quantities"]])
    return hits[0]


def _dates(result: dict) -> dict[str, str]:
    return {d["text"]: d["start_date"] for d in result["dates"]}


def test_dates_without_a_year_in_a_review_take_last_year() -> None:
    text = ("一、2024年工作回顾\n去年一季度经济开局良好。9月26日中央政治局会议部署增量政策。\n"
            "二、2025年工作任务\n6月底前完成。")
    result = pipeline.extract(text, title="2025年政府工作报告")
    assert result["period"] == {"start_date": "2025-01-01", "end_date": "2025-12-31"}
    assert _dates(result) == {"2024年": "2024-01-01", "一季度": "2024-01-01",
                              "9月26日": "2024-09-26", "2025年": "2025-01-01", "6月底": "2025-06-30"}


def test_the_report_year_is_not_the_date_of_a_part_year_reports_figures() -> None:
    """A report on 1—6月 2020: 2020年计划实施…71个 and 今年… take the report's period."""
    text = ("2020年1-6月重点项目建设进展情况\n2020年计划实施重点建设项目71个，总投资337.13亿元。"
            "1-6月份累计完成投资35.9亿元。今年全市新开工项目12个。")
    result = pipeline.extract(text)
    half = {"start_date": "2020-01-01", "end_date": "2020-06-30"}
    assert result["period"] == half
    for written in ("71个", "337.13亿元", "12个"):
        q = _q(result, written)
        assert q["date"] is None and q["period"] == half, written
    assert _q(result, "35.9亿元")["period"] == half


def test_a_whole_year_report_keeps_its_year_dates() -> None:
    result = pipeline.extract("2023年全市粮食产量52万吨。")
    assert _q(result, "52万吨")["period"] == {"start_date": "2023-01-01", "end_date": "2023-12-31"}


def test_a_pages_date_line_dates_no_figure() -> None:
    text = ("发布日期 | 2022-08-03 |\n项目支出绩效自评表\n指标 | 年度目标 | 实际完成\n"
            "扶持经营主体(个) | 15 | 6 |\n")
    result = pipeline.extract(text)
    assert "2022-08-03" in _dates(result)
    assert all(q["date"] is None for q in result["quantities"]), result["quantities"]


def test_a_month_in_the_title_gives_the_year_and_the_months_to_its_end() -> None:
    """大姚县2024年4月财政预算收支完成情况: a monthly execution report, its figures to the
    end of April; its 4月 (no year in the text) is April 2024."""
    text = "一、收入情况\n4月,一般公共预算收入累计完成24627万元,下降4.2%。"
    result = pipeline.extract(text, title="某县2024年4月财政预算收支完成情况")
    assert result["period"] == {"start_date": "2024-01-01", "end_date": "2024-04-30"}
    assert _dates(result) == {"4月": "2024-04-01"}
    # a month in a table row is no title: only its year counts, when nothing else names one
    rows = "工作任务 完成时限\n新建绿道10公里 2024年12月\n1-6月份完成6公里。"
    assert pipeline.extract(rows)["period"] == {"start_date": "2024-01-01", "end_date": "2024-06-30"}
    assert pipeline.extract("完成时限 2024年12月\n已完成6公里。")["period"] == \
        {"start_date": "2024-01-01", "end_date": "2024-12-31"}


def test_a_column_of_last_years_figures_is_dated_the_year_before() -> None:
    """2016年预算数 | 上年完成数 | 比上年增减额: the 上年完成数 column holds 2015's figures;
    the comparison columns stay in the document's year."""
    text = ("单位:万元\n项目 | 2016年预算数 | 上年完成数 | 比上年增减额 | 比上年增减% |\n"
            "一、共享收入 | 24039 | 21561 | 2478 | 11.49 |\n1、增值税 | 2319 | 2070 | 249 | 12.03 |\n")
    result = pipeline.extract(text)
    years = {q["text"]: q["period"]["start_date"][:4] for q in result["quantities"]}
    assert years == {"24039": "2016", "21561": "2015", "2478": "2016", "11.49": "2016",
                     "2319": "2016", "2070": "2015", "249": "2016", "12.03": "2016"}


def test_a_titles_span_of_days_or_cut_off_is_the_documents_period() -> None:
    """魏县2020年1月1日至7月27日空气质量目标进展: those days; …任务进度(截至8月20日…): that
    day, at which what the report counts stands (ANNOTATION.md: a period is its date's)."""
    span = pipeline.extract("优良天数为127天。", title="魏县2020年1月1日至7月27日空气质量目标进展")
    assert span["period"] == {"start_date": "2020-01-01", "end_date": "2020-07-27"}
    cut = pipeline.extract("全省共完成改厕48.39万户。", title="2019年农村户用卫生厕所改建任务进度(截至8月20日)")
    assert cut["period"] == {"start_date": "2019-08-20", "end_date": "2019-08-20"}


def test_a_five_year_plan_names_its_own_years() -> None:
    """“十三五”时期 is 2016-2020 in any report; 过去五年 is the five years before the report's."""
    text = ("“十三五”时期全县累计完成固定资产投资500亿元。\n"
            "“十四五”期间计划新建学校12所。\n过去五年城镇新增就业5000人。")
    result = pipeline.extract(text, reference_date="2024-03-15")
    periods = {q["text"]: q["period"] for q in result["quantities"]}
    assert periods == {
        "500亿元": {"start_date": "2016-01-01", "end_date": "2020-12-31"},
        "12所": {"start_date": "2021-01-01", "end_date": "2025-12-31"},
        "5000人": {"start_date": "2019-01-01", "end_date": "2023-12-31"},
    }


def test_a_base_year_header_dates_no_figure_the_year_before() -> None:
    """指数（以上年为100）: last year is the base of the index, not whose figure it is."""
    text = ("表2 2023年居民消费价格指数\n类 别 指 数（以上年为 100）\n居民消费价格指数 100.2\n"
            "城市 99.9\n农村 100.1\n")
    doc = Document(text=text, source="cpi.pdf", doc_id="cpi", format="pdf")
    result = pipeline.extract_document(doc, reference_date="2024-03-01").to_dict()
    assert {q["text"]: q["period"]["start_date"] for q in result["quantities"]} == {
        "100.2": "2023-01-01", "99.9": "2023-01-01", "100.1": "2023-01-01"}


def test_a_date_opening_a_paragraph_after_its_heading_and_across_pdf_line_breaks() -> None:
    """一、全市经济稳健发展。上半年，… : the date opens the paragraph after its heading and
    dates every figure of it; a PDF's line break inside a sentence does not stop it."""
    text = ("一、全市经济稳健发展。上半年,全市完成地区生产总值726.4亿元,同比增长10.7%。"
            "完成财政总收入110.3亿元,同比增长20.0%。\n"
            "（一）主动公开情况。2024 年，我区在政\n府网站平台主动发布各类政府信息 2428 条。\n")
    result = pipeline.extract(text, reference_date="2024-07-01")
    dates = {d["id"]: d["text"] for d in result["dates"]}
    linked = {q["text"]: dates.get(q.get("date") or "") for q in result["quantities"]}
    assert linked["110.3亿元"] == linked["726.4亿元"] == "上半年"
    assert linked["2428 条"] == "2024 年"


def test_a_fiscal_quarter_in_the_title_is_the_documents_period() -> None:
    result = pipeline.extract("本財政年度首3個月錄得60億元赤字。", reference_date="2006-07-31",
                              title="香港特區政府2006/07財政年度首3個月財政狀況")
    assert result["period"] == {"start_date": "2006-04-01", "end_date": "2006-06-30"}
    assert result["quantities"][0]["period"] == result["period"]


def test_a_section_of_one_five_year_plan_takes_its_years() -> None:
    """二、“十三五”时期主要目标任务: its plans run 2016-2020, not the report's year alone."""
    text = ("一、2015年工作回顾\n城镇新增就业1312万人。\n二、“十三五”时期主要目标任务和重大举措\n"
            "实现城镇新增就业5000万人以上。\n三、2016年重点工作\n城镇新增就业1000万人以上。\n")
    result = pipeline.extract(text, title="2016年国务院政府工作报告")
    periods = {q["text"]: (q["period"]["start_date"], q["period"]["end_date"]) for q in result["quantities"]}
    assert periods["5000万人"] == ("2016-01-01", "2020-12-31")
    assert periods["1000万人"] == ("2016-01-01", "2016-12-31")


@pytest.mark.xfail(strict=True, reason="the parts after 其中 are not dated by the sentence before: tried in "
                   "session 8, it lowered the test split's date-link precision below its baseline")
def test_the_parts_after_a_full_stop_keep_the_time_of_the_sentence_before() -> None:
    result = pipeline.extract("据统计，全区规上工业增加值1-8月份同比增长5.1%。其中，采矿业增加值同比增长3.7%。",
                              reference_date="2023-09-20")
    periods = {q["text"]: (q["period"]["start_date"], q["period"]["end_date"]) for q in result["quantities"]}
    assert periods["3.7%"] == ("2023-01-01", "2023-08-31")


def test_a_year_compared_with_dates_nothing() -> None:
    text = ("1-8月份，全区规上工业增加值同比增长5.1%。其中，采矿业增加值同比增长3.7%。\n"
            "与2020年相比，两年平均增长2.5%，人均生产总值为74331元。其中，农业增加值57116万元。")
    result = pipeline.extract(text, reference_date="2023-09-20")
    periods = {q["text"]: (q["period"]["start_date"], q["period"]["end_date"]) for q in result["quantities"]}
    assert periods["57116万元"] == ("2023-01-01", "2023-12-31")  # 与2020年相比 is a baseline


def test_last_year_counts_from_the_year_the_report_was_issued() -> None:
    text = ("2018年度全省造林绿化工作情况\n发布日期：2019-01-14\n"
            "去年，全省完成植树造林120.8万亩，完成年度任务的120.8%。")
    result = pipeline.extract(text)
    assert [(q["text"], q["period"]["start_date"]) for q in result["quantities"]] == [
        ("120.8万亩", "2018-01-01"), ("120.8%", "2018-01-01")]


def test_a_targets_span_does_not_date_the_figures_after_it() -> None:
    result = pipeline.extract("1-5月，全市重点项目完成投资244.2亿元，占上半年目标任务的94%，其中产业项目完成投资120亿元。",
                              reference_date="2023-06-10")
    dates = {d["id"]: d["text"] for d in result["dates"]}
    assert [dates[q["date"]] for q in result["quantities"]] == ["1-5月", "1-5月", "1-5月"]


def test_a_deadline_in_the_lead_does_not_set_the_reports_period() -> None:
    result = pipeline.extract("党的十五大提出2000年底前建成。2023年10月17日，全县完成投资5亿元。")
    assert result["period"] == {"start_date": "2023-01-01", "end_date": "2023-12-31"}
