"""Bad input: every case gives ReadError with a stable code and a sentence."""
from __future__ import annotations

import io
import os
import socket
import zipfile
from pathlib import Path

import fixtures_build as fb
import pytest

from pipeline.core.ingest import ReadError, read_bytes, read_path
from pipeline.core.records import Document


def code_of(path: Path | str, **kw: object) -> str:
    with pytest.raises(ReadError) as info:
        read_path(path, **kw)  # type: ignore[arg-type]
    err = info.value
    assert str(path) in err.message
    return err.code


def bytes_code(data: bytes, source: str, **kw: object) -> str:
    with pytest.raises(ReadError) as info:
        read_bytes(data, source, **kw)  # type: ignore[arg-type]
    assert source in info.value.message
    return info.value.code


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


# -- the file system ------------------------------------------------------------------

def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert code_of(p) == "empty_file"
    assert bytes_code(b"", "empty.pdf") == "empty_file"


def test_directory(tmp_path: Path) -> None:
    assert code_of(tmp_path) == "is_directory"


def test_missing_path(tmp_path: Path) -> None:
    assert code_of(tmp_path / "nope.pdf") == "not_found"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    assert code_of(p) == "not_a_file"  # and the test does not hang on open()


def test_socket_is_not_a_file(tmp_path: Path) -> None:
    p = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(p))
        assert code_of(p) == "not_a_file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("报告", encoding="utf-8")
    p.chmod(0)
    try:
        assert code_of(p) == "unreadable"
    finally:
        p.chmod(0o644)


def test_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes("完成率82.5%\n".encode() * 100)
    assert code_of(p, max_bytes=1000) == "too_large"
    assert read_path(p, max_bytes=10_000).text.startswith("完成率")
    assert bytes_code(b"x" * 11, "b.txt", max_bytes=10) == "too_large"


# -- PDF ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return fb.write_pdf(tmp_path_factory.mktemp("pdf")).read_bytes()


def test_truncated_pdf(tmp_path: Path, pdf_bytes: bytes) -> None:
    p = tmp_path / "cut.pdf"
    p.write_bytes(pdf_bytes[: len(pdf_bytes) // 2])
    assert code_of(p) == "truncated_pdf"


def test_pdf_cut_but_ending_in_eof_marker(pdf_bytes: bytes) -> None:
    data = pdf_bytes[: len(pdf_bytes) // 2] + b"\n%%EOF\n"
    assert bytes_code(data, "patched.pdf") == "corrupt_pdf"


def test_garbage_after_pdf_magic() -> None:
    assert bytes_code(b"%PDF-1.4\nnot a pdf at all\n%%EOF\n", "fake.pdf") == "corrupt_pdf"


def test_encrypted_pdf(tmp_path: Path) -> None:
    p = fb.write_pdf(tmp_path, "locked.pdf", encrypt_password="secret")
    assert code_of(p) == "encrypted_pdf"


def test_pdf_encrypted_without_user_password_does_not_crash(tmp_path: Path) -> None:
    p = fb.write_pdf(tmp_path, "owner-only.pdf", encrypt_password="")
    try:
        doc = read_path(p)
    except ReadError as err:
        # pdfminer opens it but cannot map reportlab's encrypted CID font to Unicode
        assert err.code == "unmapped_font"
    else:
        assert isinstance(doc, Document) and doc.text


# -- DOCX / XLSX ----------------------------------------------------------------------

def test_renamed_zip_of_text_as_docx(tmp_path: Path) -> None:
    p = tmp_path / "report.docx"
    p.write_bytes(_zip({"report.txt": "截至6月底，完成率82.5%。"}))
    assert code_of(p) == "not_a_docx"


def test_text_file_renamed_docx_is_read_as_text(tmp_path: Path) -> None:
    p = tmp_path / "notes.docx"
    p.write_bytes("截至6月底".encode())
    assert read_path(p).format == "text"


def test_broken_docx_package(tmp_path: Path) -> None:
    p = tmp_path / "broken.docx"
    p.write_bytes(_zip({"word/document.xml": "<w:document/>"}))
    assert code_of(p) == "not_a_docx"


def test_zip_not_named_office() -> None:
    assert bytes_code(_zip({"a.txt": "x"}), "bundle.zip") == "unsupported_format"


def test_legacy_office_file() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert bytes_code(data, "old.doc") == "unsupported_format"




def test_xlsx_with_no_sheets(tmp_path: Path) -> None:
    p = tmp_path / "nosheets.xlsx"
    p.write_bytes(_zip({"[Content_Types].xml": fb.CT, "_rels/.rels": fb.RELS,
                        "xl/workbook.xml": fb.NO_SHEETS,
                        "xl/_rels/workbook.xml.rels": fb.EMPTY_RELS}))
    assert code_of(p) == "no_sheets"


def test_xlsx_with_only_empty_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook
    p = tmp_path / "blank.xlsx"
    Workbook().save(str(p))
    assert code_of(p) == "no_sheets"


def test_invalid_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "invalid.xlsx"
    p.write_bytes(_zip({"xl/workbook.xml": "this is not xml"}))
    assert code_of(p) == "not_an_xlsx"


def test_corrupt_zip_named_xlsx() -> None:
    data = _zip({"xl/workbook.xml": fb.NO_SHEETS})
    assert bytes_code(data[:40] + b"\x00" * 60, "cut.xlsx") in ("not_an_xlsx", "binary")




def _hostname() -> str:
    try:
        return Path("/etc/hostname").read_text().strip()
    except OSError:
        return "\x00never"


def _docx_with(document_xml: str | bytes, tmp_path: Path) -> bytes:
    base = fb.write_docx(tmp_path)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, document_xml if info.filename == "word/document.xml" else data)
    return out.getvalue()


def test_docx_external_entity_is_not_loaded(tmp_path: Path) -> None:
    data = _docx_with(fb.XXE, tmp_path)
    try:
        doc = read_bytes(data, "xxe.docx")
    except ReadError as err:
        assert err.code == "unsafe_xml"
        assert _hostname() not in err.message
    else:  # pragma: no cover - the reader refuses such packages
        assert _hostname() not in doc.text


def test_docx_entity_declared_in_utf16_part_is_refused(tmp_path: Path) -> None:
    xml16 = fb.XXE.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    data = _docx_with(xml16, tmp_path)
    with pytest.raises(ReadError) as info:
        read_bytes(data, "xxe16.docx")
    assert info.value.code in ("unsafe_xml", "not_a_docx")


def test_xlsx_external_entity_is_not_loaded(tmp_path: Path) -> None:
    base = fb.write_xlsx(tmp_path)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8")
                head, sep, rest = text.partition("?>")
                text = (head + sep + '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                        + rest.replace("序号", "序号&x;", 1))
                data = text.encode("utf-8")
            dst.writestr(info, data)
    try:
        doc = read_bytes(out.getvalue(), "xxe.xlsx")
    except ReadError as err:
        assert err.code == "unsafe_xml"
    else:  # pragma: no cover
        assert _hostname() not in doc.text


def test_zip_bomb_bound(tmp_path: Path) -> None:
    p = fb.write_docx(tmp_path)
    data = p.read_bytes()
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("word/media/zeros.bin", b"\x00" * 2_000_000)
    blob = padded.getvalue()
    assert bytes_code(blob, "bomb.docx", max_bytes=len(blob) + 1000) == "too_large"


# -- text -----------------------------------------------------------------------------

def test_gbk_bytes_in_a_txt_file(tmp_path: Path) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes("截至6月底，全市处置完成批而未供土地1.98万亩。".encode("gbk"))
    doc = read_path(p)  # detected, not an error
    assert (doc.text, doc.encoding) == ("截至6月底，全市处置完成批而未供土地1.98万亩。", "gb18030")
    # claimed as UTF-8, it is refused instead of being decoded wrongly
    assert code_of(p, encoding="utf-8") == "decode_error"


def test_unknown_claimed_encoding() -> None:
    assert bytes_code("报告".encode(), "a.txt", encoding="no-such-codec") == "decode_error"


def test_binary_junk(tmp_path: Path) -> None:
    p = tmp_path / "junk.txt"
    p.write_bytes(os.urandom(4096) + b"\x00\x00\x01\x02")
    assert code_of(p) == "binary"


def test_high_bytes_without_nul_are_binary() -> None:
    assert bytes_code(bytes(range(128, 256)) * 8, "junk.dat") == "binary"


def test_utf8_with_many_control_characters_is_binary() -> None:
    data = ("报告" + "\x01\x02\x03\x04" * 20).encode()
    assert bytes_code(data, "ctl.txt") == "binary"


def test_html_without_visible_text() -> None:
    data = b"<html><head><title>t</title></head><body><script>var a=1;</script></body></html>"
    assert bytes_code(data, "blank.html") == "no_text"


def test_read_errors_carry_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as info:
        read_path(tmp_path)
    err = info.value
    assert err.code == "is_directory"
    assert str(err) == f"is_directory: {err.message}"
    assert err.message[0].isascii() and " " in err.message
