"""Build the same small progress table as DOCX, XLSX, HTML, PDF and text files.

Tests call these with a temporary directory; nothing is stored in the repository.  The
table is :data:`HEADERS` + :data:`ROWS` under the title :data:`TITLE`.  In every
structured format the 时间节点 cell of rows 1 and 2 (identical values) is ONE merged
cell, so each reader's merged-cell path is exercised without changing the table's
content.  ``write_all(directory)`` returns ``{name: path}`` for every fixture.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

TITLE = "2024年第2季度重点工作进展"
HEADERS: tuple[str, ...] = ("序号", "重点任务", "时间节点", "季度目标", "工作进展", "责任单位")
ROWS: tuple[tuple[str, ...], ...] = (
    ("1", "落实新增建设用地指标2.8万亩，盘活工业低效用地1万亩。", "2024年第2季度",
     "落实新增建设用地指标2万亩",
     "前两个季度，全市报批建设用地使用新增建设用地指标1.23万亩。截至6月底，全市处置完成"
     "批而未供土地1.98万亩，省任务完成率82.5%。",
     "用途管制科、土地处置办"),
    ("2", "出让地热采矿权2宗。", "2024年第2季度", "出让2宗地热采矿权",
     "开展了河东区地热采矿权出让前期准备工作。", "矿产保护科"),
    ("3", "确保粮食播种面积稳定在970万亩以上。", "2024年第2季度", "确保完成耕地保护目标",
     "截至7月15日，共摸排上报问题线索45536个，已完成整改38321个，整改率84.16%。",
     "耕地保护科"),
)
#: (first data row, last data row, column) of the merged 时间节点 cell; rows count the
#: header as row 0.
MERGED = (1, 2, 2)

#: The completion-rate workbook (write_xlsx_numbers): header, then rows of
#: (label, value stored, number format, text Excel shows).
NUMBER_HEADERS = ("指标", "数值")
NUMBER_ROWS: tuple[tuple[str, float | int, str, str], ...] = (
    ("省任务完成率", 0.825, "0.0%", "82.5%"),
    ("整改率", 0.8416, "0.00%", "84.16%"),
    ("完成全年任务", 0.78, "0%", "78%"),
    ("问题线索(个)", 45536.0, "General", "45536"),
    ("已完成整改(个)", 38321, "#,##0", "38,321"),
    ("新增建设用地指标(万亩)", 1.23, "0.00", "1.23"),
)


def table_text(rows: Sequence[Sequence[str]] = ROWS) -> str:
    """The table as a plain-text dump: title, then TAB-separated rows, every cell written."""
    lines = [TITLE, "\t".join(HEADERS)] + ["\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def write_text(directory: Path, name: str, encoding: str, bom: bool = False,
               rows: Sequence[Sequence[str]] = ROWS) -> Path:
    """table_text() in ``encoding`` (``bom`` adds the codec's BOM where it has one)."""
    text = table_text(rows)
    data = text.encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe",
                "utf-16-be": b"\xfe\xff"}[encoding] + data
    path = Path(directory) / name
    path.write_bytes(data)
    return path


def write_docx(directory: Path, name: str = "table.docx",
               rows: Sequence[Sequence[str]] = ROWS) -> Path:
    import docx
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    table = document.add_table(rows=1 + len(rows), cols=len(HEADERS))
    table.style = "Table Grid"
    for c, head in enumerate(HEADERS):
        table.cell(0, c).text = head
    first, last, col = MERGED
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if c == col and first <= r <= last:
                continue
            table.cell(r, c).text = value
    merged = table.cell(first, col).merge(table.cell(last, col))
    merged.text = rows[first - 1][col]
    path = Path(directory) / name
    document.save(str(path))
    return path


def write_xlsx(directory: Path, name: str = "table.xlsx",
               rows: Sequence[Sequence[str]] = ROWS) -> Path:
    """The table on a sheet named TITLE; 序号 stored as floats (1.0 shows as 1)."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    ws.append(list(HEADERS))
    for row in rows:
        ws.append([float(row[0])] + list(row[1:]))
    first, last, col = MERGED
    ws.merge_cells(start_row=first + 1, start_column=col + 1, end_row=last + 1,
                   end_column=col + 1)
    path = Path(directory) / name
    wb.save(str(path))
    return path


def write_xlsx_numbers(directory: Path, name: str = "numbers.xlsx") -> Path:
    """A workbook of NUMBER_ROWS: numbers stored raw with their display formats."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(list(NUMBER_HEADERS))
    for label, value, fmt, _shown in NUMBER_ROWS:
        ws.append([label, value])
        ws.cell(row=ws.max_row, column=2).number_format = fmt
    path = Path(directory) / name
    wb.save(str(path))
    return path


def html_source(rows: Sequence[Sequence[str]] = ROWS) -> str:
    first, last, col = MERGED
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            if c == col and first < r <= last:
                continue
            if c == col and r == first:
                cells.append(f'<td rowspan="{last - first + 1}">{value}</td>')
            elif c == 4 and r == 1:
                # a source line break between CJK characters must vanish
                cut = value.index("截至")
                cells.append(f"<td>{value[:cut]}\n        {value[cut:]}</td>")
            else:
                cells.append(f"<td>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{TITLE}</title><style>td {{ border: 1px solid; }}</style>"
            "<script>var hidden = '不应出现的脚本文字';</script></head>\n<body>\n"
            f"<h1>{TITLE}</h1>\n<table>\n<tr>{head}</tr>\n" + "\n".join(body)
            + "\n</table>\n</body></html>\n")


def write_html(directory: Path, name: str = "table.html",
               rows: Sequence[Sequence[str]] = ROWS) -> Path:
    path = Path(directory) / name
    path.write_text(html_source(rows), encoding="utf-8")
    return path


def write_pdf(directory: Path, name: str = "table.pdf", encrypt_password: str | None = None,
              rows: Sequence[Sequence[str]] = ROWS) -> Path:
    """The table drawn as a ruled reportlab Table in the built-in STSong-Light font;
    ``encrypt_password`` protects it with that user password."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=9, leading=12,
                          wordWrap="CJK")
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=14, leading=18)
    first, last, col = MERGED
    data = [[Paragraph(h, cell) for h in HEADERS]]
    for r, row in enumerate(rows, 1):
        data.append([Paragraph("" if (c == col and first < r <= last) else v, cell)
                     for c, v in enumerate(row)])
    table = Table(data, colWidths=[32, 130, 70, 110, 260, 90])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (col, first), (col, last)),
    ]))
    path = Path(directory) / name
    encrypt = None
    if encrypt_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption
        encrypt = StandardEncryption(encrypt_password, ownerPassword="owner-" + encrypt_password,
                                     strength=128)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), encrypt=encrypt,
                            leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    doc.build([Paragraph(TITLE, title), Spacer(1, 8), table])
    return path


def write_all(directory: Path) -> dict[str, Path]:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    return {
        "docx": write_docx(d),
        "xlsx": write_xlsx(d),
        "html": write_html(d),
        "pdf": write_pdf(d),
        "utf8": write_text(d, "table-utf8.txt", "utf-8"),
        "utf8_bom": write_text(d, "table-utf8-bom.txt", "utf-8", bom=True),
        "gb18030": write_text(d, "table-gb18030.txt", "gb18030"),
        "utf16": write_text(d, "table-utf16.txt", "utf-16"),
        "utf16le_nobom": write_text(d, "table-utf16le.txt", "utf-16-le"),
        "utf16be_nobom": write_text(d, "table-utf16be.txt", "utf-16-be"),
    }


def write_pdf_cells(directory: Path, name: str, rows: list[list[str]],
                    col_widths: list[float]) -> Path:
    """A one-table PDF of ``rows`` (reportlab Paragraph markup: ``<br/>`` is a hard
    line break inside a cell), for tests of how cell lines are joined."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=10, leading=13,
                           wordWrap="CJK")
    table = Table([[Paragraph(v, style) for v in row] for row in rows], colWidths=col_widths)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    path = Path(directory) / name
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    return path


def long_rows(times: int) -> tuple[tuple[str, ...], ...]:
    """ROWS repeated ``times`` times, numbered on (for benchmarks: many rows, many pages)."""
    return tuple((str(i + 1),) + ROWS[i % len(ROWS)][1:] for i in range(times * len(ROWS)))


def write_long(directory: Path, times: int = 40) -> dict[str, Path]:
    """Every table format (and UTF-8/GB18030 text) with long_rows(times)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    rows = long_rows(times)
    return {
        "docx": write_docx(d, "long.docx", rows=rows),
        "xlsx": write_xlsx(d, "long.xlsx", rows=rows),
        "html": write_html(d, "long.html", rows=rows),
        "pdf": write_pdf(d, "long.pdf", rows=rows),
        "text-utf8": write_text(d, "long-utf8.txt", "utf-8", rows=rows),
        "text-gb18030": write_text(d, "long-gb18030.txt", "gb18030", rows=rows),
    }


# Hand-written OOXML parts for hostile inputs: a DOCX body with an external entity
# (XXE) and the parts of an XLSX workbook that has no sheets.
XXE = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
       '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       '<w:body><w:p><w:r><w:t>主机&x;结束</w:t></w:r></w:p></w:body></w:document>')
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="rels" ContentType="application/'
      'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
      '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
      'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
EMPTY_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"></Relationships>')
NO_SHEETS = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
