"""Readers: file or bytes -> Document (text + Blocks with offsets into it).

The format is chosen by sniffing the content (``%PDF``, a ZIP holding
``word/document.xml`` or ``xl/workbook.xml``, leading HTML tags); the file's suffix is
only a hint, used to word the error when the content is not what the name claims.

ReadError codes: not_found, unreadable, is_directory, not_a_file (FIFO, socket, device),
empty_file, too_large, binary, decode_error, unsupported_format (legacy .doc/.xls, other
ZIPs), truncated_pdf, corrupt_pdf, encrypted_pdf, unmapped_font, no_text, not_a_docx,
not_an_xlsx, no_sheets, unsafe_xml (DOCTYPE/ENTITY in an OOXML part).

>>> doc = read_bytes("一、总体情况\\n完成率82.5%".encode("gb18030"), "r/q2.txt")
>>> doc.encoding, doc.doc_id, doc.title
('gb18030', 'q2', '一、总体情况')
>>> sniff(b"%PDF-1.7 ..."), sniff(b"<!DOCTYPE html><html>"), sniff("报告".encode())
('pdf', 'html', 'text')
"""
from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path, PurePath

from pipeline.core.ingest.errors import ReadError
from pipeline.core.ingest.text import read_text
from pipeline.core.records import Document

MAX_BYTES = 100 * 1024 * 1024

__all__ = ["MAX_BYTES", "ReadError", "read_bytes", "read_path", "sniff"]


def read_path(path: str | Path, max_bytes: int = MAX_BYTES,
              encoding: str | None = None) -> Document:
    """Read one file of any supported format.

    ``encoding`` claims the encoding of a text or HTML file; when the bytes do not decode
    with it, ReadError("decode_error") is raised instead of guessing.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as err:
        raise ReadError("not_found", f"{p} does not exist; check the path") from err
    except OSError as err:
        raise ReadError("unreadable", f"cannot read {p}: {err.strerror}; "
                        "check its permissions") from err
    if stat.S_ISDIR(st.st_mode):
        raise ReadError("is_directory", f"{p} is a directory; pass the files inside it")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not_a_file", f"{p} is not a regular file (a pipe, socket or "
                        "device); copy its content to a file first")
    if st.st_size == 0:
        raise ReadError("empty_file", f"{p} is empty (0 bytes); re-export or re-download it")
    if st.st_size > max_bytes:
        raise ReadError("too_large", f"{p} is {st.st_size} bytes, over the {max_bytes}-byte "
                        "limit; split it or raise max_bytes")
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise ReadError("unreadable", f"cannot read {p}: {err.strerror}; "
                        "check its permissions") from err
    return read_bytes(data, str(p), max_bytes=max_bytes, encoding=encoding)


def read_bytes(data: bytes, source: str, max_bytes: int = MAX_BYTES,
               encoding: str | None = None) -> Document:
    """Read a file's content; ``source`` names it (its suffix is a hint only)."""
    if not data:
        raise ReadError("empty_file", f"{source} is empty (0 bytes); re-export or "
                        "re-download it")
    if len(data) > max_bytes:
        raise ReadError("too_large", f"{source} is {len(data)} bytes, over the "
                        f"{max_bytes}-byte limit; split it or raise max_bytes")
    suffix = PurePath(source).suffix.lower()
    fmt = sniff(data, suffix)
    if fmt == "pdf":
        from pipeline.core.ingest.pdf import read_pdf  # pdfplumber, only for PDF files
        return read_pdf(data, source)
    if fmt == "docx":
        from pipeline.core.ingest.docx import read_docx  # python-docx, only for DOCX files
        return read_docx(data, source, max_bytes)
    if fmt == "xlsx":
        from pipeline.core.ingest.xlsx import read_xlsx  # openpyxl, only for XLSX files
        return read_xlsx(data, source, max_bytes)
    if fmt == "html":
        from pipeline.core.ingest.html import read_html  # BeautifulSoup and lxml, only for HTML files
        return read_html(data, source, encoding)
    if fmt == "zip":
        raise _wrong_zip(source, suffix)
    if fmt == "ole2":
        raise ReadError("unsupported_format", f"{source} is a legacy Office (.doc/.xls) or "
                        "password-protected Office file; save it as .docx/.xlsx without a "
                        "password")
    return read_text(data, source, encoding)


def _wrong_zip(source: str, suffix: str) -> ReadError:
    if suffix == ".docx":
        return ReadError("not_a_docx", f"{source} is named .docx but is not a Word document "
                         "(a ZIP without word/document.xml); check what was renamed")
    if suffix in (".xlsx", ".xlsm"):
        return ReadError("not_an_xlsx", f"{source} is named {suffix} but is not an Excel "
                         "workbook (a ZIP without xl/workbook.xml); check what was renamed")
    return ReadError("unsupported_format", f"{source} is a ZIP archive that is neither DOCX "
                     "nor XLSX; unpack it and pass the files inside")


_HTML_START = re.compile(
    r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*"
    r"<(!doctype\s+html|html|head|body|meta|title|table|div|p|h[1-6])\b",
    re.IGNORECASE | re.DOTALL)


def sniff(data: bytes, suffix: str = "") -> str:
    """The format of ``data``: pdf | docx | xlsx | zip | ole2 | html | text.

    ``suffix`` (".docx", ".html", ...) only breaks ties: a ZIP that cannot be opened is
    reported as the format its name claims so the error can say so.
    """
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole2"
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head_text = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be",
                                    errors="ignore")
    else:
        head_text = head.decode("latin-1")
    head_text = head_text.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    if _HTML_START.match(head_text):
        return "html"
    if suffix in (".html", ".htm", ".xhtml") and head_text.startswith("<"):
        return "html"
    return "text"
