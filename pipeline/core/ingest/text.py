"""Plain text (and PDF-to-text dumps): encoding detection and line blocks.

The order of decoding attempts:

1. a BOM (UTF-8, UTF-32, UTF-16) decides;
2. strict UTF-8;
3. UTF-16 without a BOM, when one byte order decodes to plausible text;
4. NUL bytes left -> binary;
5. lines of UTF-8 and lines of GB18030 in one file (files concatenated from two
   systems): each line decoded by the codec it is valid in (encoding "utf-8+gb18030");
6. charset-normalizer's best guess, where any Chinese GB codec (gb2312, gbk, hz, cp936)
   is read as its superset gb18030; with no guess, strict gb18030.  The domain prior:
   when the guess is another codec (short samples come out as big5 or cp949) but the
   bytes decode strictly as gb18030 and at least 90% of their double-byte pairs fall in
   the GB2312 range (A1-F7, A1-FE), gb18030 is used.  EUC-KR text shares that byte range
   and would be read as Chinese; Big5 text (trail bytes 40-7E) usually falls below.

The text is returned exactly as decoded (line breaks, full-width characters and spaces
untouched); only a leading BOM is dropped.

>>> decode("截至6月底".encode("utf-16-le"), "x.txt")
('截至6月底', 'utf-16-le')
>>> decode(b"\\xef\\xbb\\xbf2.8\\r\\n\\xe4\\xb8\\x87\\xe4\\xba\\xa9", "x.txt")
('2.8\\r\\n万亩', 'utf-8-sig')
"""
from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from charset_normalizer import from_bytes

from pipeline.core.ingest.errors import ReadError
from pipeline.core.records import Block, Document

CHINESE_CODECS = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "x_mac_simp_chinese"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LINE = re.compile(r"[^\r\n]+")
SAMPLE = 65536


def _canonical(name: str) -> str:
    """Python's canonical codec name for ``name`` ('GBK' -> 'gbk', 'utf8' -> 'utf-8')."""
    return codecs.lookup(name).name


def _plausible(text: str) -> float:
    """Share of characters that are ASCII printable/whitespace, CJK or CJK punctuation."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        o = ord(ch)
        if (0x20 <= o < 0x7f or ch in "\t\r\n" or 0x4e00 <= o <= 0x9fff
                or 0x3000 <= o <= 0x303f or 0xff00 <= o <= 0xffef or 0x2010 <= o <= 0x206f
                or 0x3400 <= o <= 0x4dbf or 0x00b7 == o):
            good += 1
    return good / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """The byte order of BOM-less UTF-16 when exactly one decodes to plausible text."""
    if len(data) % 2:
        return None
    sample = data[:SAMPLE]
    scores = {}
    for name in ("utf-16-le", "utf-16-be"):
        try:
            scores[name] = _plausible(sample.decode(name))
        except UnicodeDecodeError:
            scores[name] = 0.0
    best = max(scores, key=lambda k: scores[k])
    other = min(scores, key=lambda k: scores[k])
    if scores[best] >= 0.95 and scores[other] < 0.8:
        return best
    return None


def gb2312_share(data: bytes) -> float:
    """Share of the non-ASCII byte pairs that lie in the GB2312 range (0 when none).

    >>> big5 = "政府資訊公開工作年度報告，本年新收申請數量二十一件".encode("big5")
    >>> gb2312_share("完成率".encode("gbk")), gb2312_share(big5) < 0.9
    (1.0, True)
    """
    sample = data[:SAMPLE]
    i = good = total = 0
    n = len(sample)
    while i < n:
        b = sample[i]
        if b < 0x80:
            i += 1
            continue
        total += 1
        if i + 1 < n and 0xA1 <= b <= 0xF7 and 0xA1 <= sample[i + 1] <= 0xFE:
            good += 1
        i += 2
    return good / total if total else 0.0


def looks_binary(text: str) -> bool:
    """NUL characters, or more than 5% control characters other than whitespace."""
    sample = text[:SAMPLE]
    if "\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > 0.05 * max(len(sample), 1)


def _binary(source: str) -> ReadError:
    return ReadError("binary", f"{source} holds binary data, not text, PDF, DOCX, XLSX "
                     "or HTML; check that it is a report file")


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise ReadError("decode_error", f"{source} is not valid {codec} (byte "
                        f"{err.start}); pass the right encoding or none to detect it") from err
    except LookupError as err:
        raise ReadError("decode_error", f"unknown encoding {codec!r} for {source}; "
                        "use a Python codec name such as utf-8 or gb18030") from err


def decode(data: bytes, source: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used) for the bytes of a text file; see the module doc."""
    if encoding:
        codec = _canonical_or_raw(encoding, source)
        text = _strict(data, codec, source)
        if text.startswith("\ufeff"):
            text = text[1:]
        if looks_binary(text):
            raise _binary(source)
        return text, codec
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec, source)
            text = text[1:] if text.startswith("\ufeff") else text
            if looks_binary(text):
                raise _binary(source)
            return text, codec
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass  # not UTF-8: the detectors below decide
    else:
        if looks_binary(text):
            raise _binary(source)
        return text, "utf-8"
    codec16 = _utf16_without_bom(data)
    if codec16:
        return data.decode(codec16), codec16
    if b"\x00" in data[:SAMPLE]:
        raise _binary(source)
    mixed = decode_mixed_lines(data)
    if mixed is not None:
        if looks_binary(mixed):
            raise _binary(source)
        return mixed, MIXED
    best = from_bytes(data).best()
    codec = _canonical(best.encoding) if best is not None else "gb18030"
    if codec in CHINESE_CODECS:
        codec = "gb18030"
    elif not codec.startswith("utf") and gb2312_share(data) >= 0.9:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass  # not GB after all: keep the detector's guess
        else:
            codec = "gb18030"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        codec = "gb18030"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            if best is None:
                raise _binary(source) from err
            raise ReadError("decode_error", f"{source} does not decode as "
                            f"{best.encoding} or gb18030; re-save it as UTF-8") from err
    if looks_binary(text):
        raise _binary(source)
    return text, codec


MIXED = "utf-8+gb18030"
#: a line counts as UTF-8 only with this many non-ASCII characters: a short GB line can
#: be valid UTF-8 by chance, a line of several Chinese characters hardly ever
MIXED_MIN_CHARS = 3


def decode_mixed_lines(data: bytes) -> str | None:
    r"""The text of a file whose lines are partly UTF-8 and partly GB18030, else None.

    None unless at least one line is UTF-8 with non-ASCII text and at least one line is
    GB18030 and not UTF-8; any line valid in neither gives None too.

    >>> decode_mixed_lines("完成耕地整改1.2万亩\n".encode() + "新增建设用地2.8万亩\n".encode("gbk"))
    '完成耕地整改1.2万亩\n新增建设用地2.8万亩\n'
    >>> decode_mixed_lines("只有国标码的文件\n".encode("gbk")) is None
    True
    """
    out: list[str] = []
    utf8 = gb = 0
    for line in data.splitlines(keepends=True):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and sum(ord(c) > 127 for c in text) >= MIXED_MIN_CHARS:
            utf8 += 1
        elif text is None or not text.isascii():
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError:
                return None
            gb += 1
        out.append(text)
    return "".join(out) if utf8 and gb else None


def _canonical_or_raw(name: str, source: str) -> str:
    """A claimed encoding name; the GB family is read as gb18030."""
    try:
        codec = _canonical(name)
    except LookupError as err:
        raise ReadError("decode_error", f"unknown encoding {name!r} claimed for {source}; "
                        "use a Python codec name such as utf-8 or gb18030") from err
    return "gb18030" if codec in CHINESE_CODECS else codec


def line_blocks(text: str) -> tuple[Block, ...]:
    """A ``line`` Block for every line with visible text (line breaks excluded)."""
    return tuple(Block(kind="line", start=m.start(), end=m.end())
                 for m in _LINE.finditer(text) if not m.group().isspace())


def first_line(text: str) -> str | None:
    for m in _LINE.finditer(text):
        line = m.group().strip()
        if line:
            return line
    return None


def read_text(data: bytes, source: str, encoding: str | None = None) -> Document:
    text, used = decode(data, source, encoding)
    return Document(text=text, source=source, doc_id=PurePath(source).stem, format="text",
                    encoding=used, blocks=line_blocks(text), title=first_line(text))
