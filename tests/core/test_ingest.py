"""Readers on fixtures the tests build (DOCX, XLSX, HTML, PDF, text in five encodings)
and on the real PDF in ../shared (skipped when absent)."""
from __future__ import annotations

from pathlib import Path

import fixtures_build as fb
import pytest
from helpers import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.ingest import ReadError, read_bytes, read_path, sniff
from pipeline.core.ingest.grid import Covered, TextBuilder
from pipeline.core.records import Document

REAL_PDF = SHARED / "corpus" / "pdf" / \
    "honze-2023-disclosure-report.pdf"

TABLE_FORMATS = ["docx", "xlsx", "html", "pdf"]
EXPECTED = [list(fb.HEADERS)] + [list(row) for row in fb.ROWS]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fixtures")
    out = fb.write_all(d)
    out["numbers"] = fb.write_xlsx_numbers(d)
    return out


@pytest.fixture(scope="module")
def docs(files: dict[str, Path]) -> dict[str, Document]:
    return {name: read_path(path) for name, path in files.items()}


def assert_offsets(doc: Document) -> None:
    n = len(doc.text)
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= n, b
        if b.kind != "cell":
            assert doc.text[b.start:b.end].strip(), b


def cells(doc: Document, table: int = 0) -> dict[tuple[int, int], str]:
    return {(b.row, b.col): doc.text[b.start:b.end]
            for b in doc.blocks if b.kind == "cell" and b.table == table}


# -- the three-row table in every structured format ----------------------------------

@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_table_cells_per_row_and_column(docs: dict[str, Document], fmt: str) -> None:
    doc = docs[fmt]
    got = cells(doc)
    for r, row in enumerate(EXPECTED):
        for c, value in enumerate(row):
            assert got[(r, c)] == value, (fmt, r, c)
    assert len(got) == len(EXPECTED) * len(fb.HEADERS)
    assert_offsets(doc)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_document_fields(docs: dict[str, Document], files: dict[str, Path], fmt: str) -> None:
    doc = docs[fmt]
    assert doc.format == fmt
    assert doc.doc_id == "table"
    assert doc.source == str(files[fmt])
    assert doc.title == fb.TITLE
    assert doc.encoding == ("utf-8" if fmt == "html" else None)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_merged_cell_written_once_and_applied_to_each_row(docs: dict[str, Document],
                                                          fmt: str) -> None:
    doc = docs[fmt]
    first, last, col = fb.MERGED
    spans = {(b.start, b.end) for b in doc.blocks
             if b.kind == "cell" and b.col == col and first <= b.row <= last}
    assert len(spans) == 1
    # the title, row 1 (merged with row 2) and row 3: written three times, not four
    assert doc.text.count("2024年第2季度") == 3


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_headers_and_row_lines(docs: dict[str, Document], fmt: str) -> None:
    doc = docs[fmt]
    for b in doc.blocks:
        if b.kind == "cell":
            assert b.header == fb.HEADERS[b.col]
            assert b.table == 0
    lines = doc.text.split("\n")
    assert lines[0] == fb.TITLE
    assert lines[1] == "\t".join(fb.HEADERS)
    assert [line.count("\t") for line in lines[1:]] == [5, 5, 5, 5]
    assert lines[2] == "\t".join(fb.ROWS[0])
    assert lines[3].split("\t")[2] == ""  # the merged slot is not written twice


def test_all_structured_formats_give_the_same_text(docs: dict[str, Document]) -> None:
    texts = {fmt: docs[fmt].text for fmt in TABLE_FORMATS}
    assert len(set(texts.values())) == 1, texts


def test_block_locations(docs: dict[str, Document]) -> None:
    assert {b.page for b in docs["pdf"].blocks} == {1}
    assert {b.sheet for b in docs["xlsx"].blocks} == {fb.TITLE}
    heading = docs["xlsx"].blocks[0]
    assert (heading.kind, docs["xlsx"].text[heading.start:heading.end]) == ("heading", fb.TITLE)
    assert docs["docx"].blocks[0].kind == "heading"
    assert docs["html"].blocks[0].kind == "heading"
    assert docs["pdf"].blocks[0].kind == "paragraph"


def test_xlsx_numbers_shown_as_formatted(docs: dict[str, Document]) -> None:
    doc = docs["numbers"]
    got = cells(doc)
    assert got[(0, 0)] == "指标"
    for r, (label, _value, _fmt, shown) in enumerate(fb.NUMBER_ROWS, 1):
        assert got[(r, 0)] == label
        assert got[(r, 1)] == shown, label
        assert [b.header for b in doc.blocks if b.kind == "cell" and b.row == r] == \
            list(fb.NUMBER_HEADERS)
    assert "82.5%" in doc.text and "0.825" not in doc.text
    assert_offsets(doc)


def test_html_skips_script_and_joins_source_line_breaks(docs: dict[str, Document]) -> None:
    doc = docs["html"]
    assert "不应出现" not in doc.text
    assert "td {" not in doc.text
    assert fb.ROWS[0][4] in doc.text


# -- text in several encodings ----------------------------------------------------------

@pytest.mark.parametrize("name,encoding", [
    ("utf8", "utf-8"), ("utf8_bom", "utf-8-sig"), ("gb18030", "gb18030"),
    ("utf16", "utf-16"), ("utf16le_nobom", "utf-16-le"), ("utf16be_nobom", "utf-16-be"),
])
def test_text_encodings_decode_to_the_same_text(docs: dict[str, Document], name: str,
                                                encoding: str) -> None:
    doc = docs[name]
    assert doc.text == fb.table_text()
    assert doc.encoding == encoding
    assert doc.format == "text"
    assert doc.title == fb.TITLE
    assert [doc.text[b.start:b.end] for b in doc.blocks] == fb.table_text().splitlines()
    assert_offsets(doc)


def test_text_kept_exactly_as_decoded() -> None:
    raw = "  一、总体情况\r\n\r\n截至6月\n底，完成率　82.5％。\n"
    for enc in ("utf-8", "gb18030", "utf-16"):
        doc = read_bytes(raw.encode(enc), "r/dump.txt")
        assert doc.text == raw
    doc = read_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"), "dump.txt")
    assert doc.text == raw
    assert doc.title == "一、总体情况"
    assert [doc.text[b.start:b.end] for b in doc.blocks] == \
        ["  一、总体情况", "截至6月", "底，完成率　82.5％。"]


def test_gbk_text_is_read_as_gb18030() -> None:
    for sample in ("完成", "截至6月底，全市处置完成批而未供土地1.98万亩，省任务完成率82.5%。"):
        doc = read_bytes(sample.encode("gbk"), "g.txt")
        assert (doc.text, doc.encoding) == (sample, "gb18030")
    # a character outside GBK, only in GB18030
    doc = read_bytes("截至6月底𠀀完成".encode("gb18030"), "g.txt")
    assert doc.text == "截至6月底𠀀完成"


def test_big5_text_is_not_forced_into_gb18030() -> None:
    sample = "政府資訊公開工作年度報告，本年新收申請數量二十一件，均在法定期限內答覆。"
    doc = read_bytes(sample.encode("big5"), "tw.txt")
    assert (doc.text, doc.encoding) == (sample, "big5")


def test_claimed_encoding_is_used() -> None:
    doc = read_bytes("截至6月底".encode("gbk"), "g.txt", encoding="GBK")
    assert (doc.text, doc.encoding) == ("截至6月底", "gb18030")


# -- sniffing: content decides, the suffix is a hint -------------------------------------

@pytest.mark.parametrize("fmt,wrong_name", [
    ("docx", "report.pdf"), ("xlsx", "report.docx"), ("html", "report.txt"),
    ("pdf", "report.html"),
])
def test_format_by_content_not_suffix(files: dict[str, Path], fmt: str, wrong_name: str) -> None:
    doc = read_bytes(files[fmt].read_bytes(), wrong_name)
    assert doc.format == fmt
    assert doc.doc_id == "report"


def test_sniff() -> None:
    assert sniff(b"%PDF-1.4\n") == "pdf"
    assert sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html></html>") == "html"
    assert sniff("<html><body>报告</body></html>".encode("utf-16")) == "html"
    assert sniff(b"<?xml version='1.0'?>\n<html xmlns='x'>") == "html"
    assert sniff("<p>报告</p>".encode("gb18030")) == "html"
    assert sniff("序号\t任务\n1\t出让2宗".encode()) == "text"
    assert sniff(b"<note>x</note>", ".txt") == "text"
    assert sniff(b"<note>x</note>", ".html") == "html"
    assert sniff(b"PK\x03\x04garbage", ".docx") == "zip"


# -- PDF cell lines: wraps joined, hard breaks kept ------------------------------------

def test_pdf_wrapped_cell_lines_joined_hard_breaks_kept(tmp_path: Path) -> None:
    rows = [["序号", "重点任务", "责任单位"],
            ["1", "落实新增建设用地指标2.8万亩，盘活工业低效用地1万亩。",
             "用途管制科<br/>土地处置办"],
            ["2", "结果维持", "耕地保护科"]]
    path = fb.write_pdf_cells(tmp_path, "wrap.pdf", rows, [40, 60, 200])
    doc = read_path(path)
    got = cells(doc)
    assert got[(1, 1)] == "落实新增建设用地指标2.8万亩，盘活工业低效用地1万亩。"
    assert got[(1, 2)] == "用途管制科\n土地处置办"
    assert got[(2, 1)] == "结果维持"
    assert_offsets(doc)


def test_docx_cell_paragraphs_and_body_order(tmp_path: Path) -> None:
    import docx
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "责任单位"
    t.cell(0, 1).text = "完成率"
    t.cell(1, 0).text = "用途管制科"
    t.cell(1, 0).add_paragraph("土地处置办")
    t.cell(1, 1).text = "82.5%"
    d.add_paragraph("二、下一步工作")
    path = tmp_path / "order.docx"
    d.save(str(path))
    doc = read_path(path)
    assert doc.text == "一、总体情况\n责任单位\t完成率\n用途管制科\n土地处置办\t82.5%\n二、下一步工作"
    assert cells(doc)[(1, 0)] == "用途管制科\n土地处置办"
    assert_offsets(doc)


def test_docx_horizontal_merge_and_title_row(tmp_path: Path) -> None:
    import docx
    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "表1 重点任务完成情况"
    for c, h in enumerate(["指标", "目标", "完成"]):
        t.cell(1, c).text = h
    for c, v in enumerate(["新增建设用地(万亩)", "2.8", "1.23"]):
        t.cell(2, c).text = v
    t.cell(3, 0).text = "合计"
    t.cell(3, 1).merge(t.cell(3, 2)).text = "见附件"
    path = tmp_path / "merge.docx"
    d.save(str(path))
    doc = read_path(path)
    got = cells(doc)
    assert got[(0, 0)] == got[(0, 1)] == got[(0, 2)] == "表1 重点任务完成情况"
    assert got[(3, 1)] == got[(3, 2)] == "见附件"
    assert doc.text.count("见附件") == 1
    headers = {(b.row, b.col): b.header for b in doc.blocks if b.kind == "cell"}
    assert headers[(2, 2)] == "完成"  # the caption row is skipped, row 1 is the header
    assert headers[(0, 0)] is None


def test_html_colspan_rowspan_br_and_nested_blocks() -> None:
    src = """<html><body><div><h2>附表</h2><div><p>截至6月底，
    全市完成<b>82.5%</b>。</p></div></div>
    <table><tr><th rowspan="2">指标</th><th colspan="2">2024年</th></tr>
    <tr><th>目标</th><th>完成</th></tr>
    <tr><td>新增<br>建设用地</td><td>2.8万亩</td><td>1.23万亩</td></tr></table>
    <ul><li>一是</li><li>二是</li></ul></body></html>"""
    doc = read_bytes(src.encode(), "page.html")
    assert doc.text.split("\n")[:3] == ["附表", "截至6月底，全市完成82.5%。", "指标\t2024年\t"]
    got = cells(doc)
    assert got[(1, 0)] == got[(0, 0)] == "指标"
    assert got[(0, 2)] == got[(0, 1)] == "2024年"
    assert got[(2, 0)] == "新增\n建设用地"
    headers = {(b.row, b.col): b.header for b in doc.blocks if b.kind == "cell"}
    assert headers[(2, 1)] == "2024年/目标"
    assert headers[(2, 0)] == "指标"
    assert doc.text.endswith("一是\n二是")
    assert doc.title == "附表"
    assert_offsets(doc)


def test_html_declared_charset_and_mislabelled_gbk() -> None:
    body = "<p>截至6月底，全市处置完成批而未供土地</p>"
    declared = f'<html><head><meta charset="gb2312"></head><body>{body}</body></html>'
    doc = read_bytes(declared.encode("gbk"), "a.html")
    assert (doc.text, doc.encoding) == ("截至6月底，全市处置完成批而未供土地", "gb18030")
    wrong = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    doc = read_bytes(wrong.encode("gbk"), "b.html")
    assert (doc.text, doc.encoding) == ("截至6月底，全市处置完成批而未供土地", "gb18030")


# -- the shared table layout -------------------------------------------------------------

slot_text = st.text(alphabet=st.sampled_from(list("万亩82.5%\t\n\r 科")), max_size=6)


@st.composite
def grids(draw: st.DrawFn) -> list[list[object]]:
    rows = draw(st.integers(1, 5))
    cols = draw(st.integers(1, 5))
    grid: list[list[object]] = []
    for r in range(rows):
        row: list[object] = []
        for c in range(cols):
            if draw(st.booleans()) and (r or c):
                row.append(Covered(draw(st.integers(-1, r + 1)), draw(st.integers(-1, c + 1))))
            else:
                row.append(draw(slot_text))
        grid.append(row)
    return grid


@settings(max_examples=200, deadline=None)
@given(grids(), st.lists(st.text(max_size=5), max_size=3))
def test_table_builder_offsets_always_valid(grid: list[list[object]], lines: list[str]) -> None:
    b = TextBuilder()
    for line in lines:
        b.add_line(line)
    b.add_table(grid)  # type: ignore[arg-type]
    text, blocks = b.build()
    rows = len(grid)
    cols = len(grid[0])
    cell_blocks = [k for k in blocks if k.kind == "cell"]
    assert len(cell_blocks) == rows * cols
    for k in blocks:
        assert 0 <= k.start <= k.end <= len(text)
    for k in cell_blocks:
        slot = grid[k.row][k.col]
        if isinstance(slot, str):
            expect = slot.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
            assert text[k.start:k.end] == expect
    if not any(isinstance(s, str) and ("\n" in s or "\r" in s) for row in grid for s in row):
        assert [line.count("\t") for line in text.split("\n")[-rows:]] == [cols - 1] * rows


@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_give_a_document_or_a_read_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, "fuzz.bin")
    except ReadError as err:
        assert err.code and err.message
        return
    assert_offsets(doc)


# -- the real PDF ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_pdf() -> Document:
    return read_path(REAL_PDF)


needs_real = pytest.mark.skipif(not REAL_PDF.exists(), reason="../shared corpus absent")


@needs_real
def test_real_pdf_reads_with_tables_as_cells(real_pdf: Document) -> None:
    doc = real_pdf
    assert doc.format == "pdf"
    assert doc.title == "洪泽区人民政府"
    assert {b.page for b in doc.blocks} == {1, 2, 3, 4, 5}
    assert_offsets(doc)
    found = [(b, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "cell"]
    numeric = [t for _, t in found if t.replace(".", "", 1).isdigit()]
    assert len(numeric) > 150
    by_text: dict[str, list] = {}
    for b, t in found:
        by_text.setdefault(t, []).append(b)
    assert by_text["4119"][0].header == "本年处理决定数量"
    assert by_text["7730.28"][0].header == "本年收费金额（单位：万元）"
    assert by_text["550"][0].page == 2
    assert "行政许可\t550" in doc.text
    assert "行政事业性收费\t7730.28" in doc.text


@needs_real
def test_real_pdf_merged_and_wrapped_cells(real_pdf: Document) -> None:
    doc = real_pdf
    found = [(b, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "cell"]
    # the vertically written, vertically merged row label spans rows 5-16 (its page)
    label = [b for b, t in found if t == "三、本年度办理结果"]
    assert len({(b.start, b.end) for b in label}) == 1
    assert sorted(b.row for b in label) == list(range(5, 17))
    assert {b.col for b in label} == {0}
    refused = [b for b, t in found if t == "（三）不予公开"]
    assert sorted(b.row for b in refused) == list(range(7, 15))
    # header rows combined over a three-row header
    row21 = next(b for b, t in found if t == "一、本年新收政府信息公开申请数量")
    line = [(b.col, t, b.header) for b, t in found if b.table == row21.table
            and b.row == row21.row]
    assert (9, "21", "申请人情况/总计") in line
    assert (4, "0", "申请人情况/法人或其他组织/商业企业") in line
    assert (3, "21", "申请人情况/自然人") in line
    # wrapped cell lines joined without a space or newline
    texts = {t for _, t in found}
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in texts
    assert "社会公益组织" in texts
    assert "一、本年新收政府信息公开申请数量\t\t\t21\t0\t0\t0\t0\t0\t21" in doc.text


@needs_real
def test_real_pdf_frame_tables_read_as_lines(real_pdf: Document) -> None:
    doc = real_pdf
    lines = doc.text.split("\n")
    assert "（一）主动公开情况。主要通过政府门户网站主动公开政府" in lines
    assert "府网站平台主动公开政府信息 1136 条。" in lines
    para = [b for b in doc.blocks if b.kind == "paragraph"
            and doc.text[b.start:b.end] == "一、总体情况"]
    assert para and para[0].page == 1


def _headers(builder: TextBuilder, table: int) -> set[str | None]:
    _text, blocks = builder.build()
    return {b.header for b in blocks if b.kind == "cell" and b.table == table}


def test_a_table_cut_by_a_page_break_keeps_its_headers() -> None:
    """pdfplumber gives a table per page: the part after the break opens with figures
    and goes on under the first part's headers (its first row is data, not a header)."""
    b = TextBuilder()
    b.add_table([["项目", "自然人", "总计"], ["新收申请", "3001", "3119"]], page=1)
    b.add_line("- 4 -", page=2)
    b.add_table([["重复申请", "25", "25"], ["其他", "0", "0"]], page=2)
    assert _headers(b, 1) == {"项目", "自然人", "总计"}
    text, blocks = b.build()
    first_row = [text[c.start:c.end] for c in blocks if c.kind == "cell" and c.table == 1 and c.row == 0]
    assert first_row == ["重复申请", "25", "25"]


@pytest.mark.parametrize(("second", "between"), [
    ([["指标", "单位", "数值"], ["粮食", "万吨", "12"]], "- 4 -"),  # a header of its own
    ([["指标", "2022", "2023"], ["粮食", "11", "12"]], "- 4 -"),     # years head the columns
    ([["粮食", "11"], ["棉花", "2"]], "- 4 -"),                      # another width
    ([["粮食", "11", "12"]], "二、主动公开政府信息情况：全年制发规范性文件八件，废止三件，现行有效六十六件"),  # text between
])
def test_a_table_that_does_not_continue_keeps_its_own_headers(second: list, between: str) -> None:
    b = TextBuilder()
    b.add_table([["项目", "自然人", "总计"], ["新收申请", "3001", "3119"]], page=1)
    b.add_line(between, page=2)
    b.add_table(second, page=2)
    assert "总计" not in _headers(b, 1)
