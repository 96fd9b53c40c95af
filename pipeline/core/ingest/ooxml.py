"""Checks on an Office Open XML (ZIP) package before a library parses it.

No XML part may declare a DOCTYPE or ENTITY (python-docx's parser already has
``resolve_entities=False``, openpyxl's depends on what is installed, so the package is
refused up front instead), and the parts together may not inflate past a bound (a ZIP
bomb).
"""
from __future__ import annotations

import io
import zipfile
import zlib

from pipeline.core.ingest.errors import ReadError

INFLATE_FACTOR = 20
_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_MARKERS16 = tuple(m.decode("ascii").encode(enc) for m in _MARKERS
                   for enc in ("utf-16-le", "utf-16-be"))


def check_package(data: bytes, source: str, max_bytes: int, bad_code: str,
                  kind: str) -> None:
    """Raise ReadError when the package is broken, inflates too far, or declares
    entities.  ``bad_code``/``kind`` word the error for a broken package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > INFLATE_FACTOR * max_bytes:
                raise ReadError("too_large", f"{source} inflates to {total} bytes, over "
                                f"{INFLATE_FACTOR}x the {max_bytes}-byte limit; it may be a "
                                "ZIP bomb")
            for info in infos:
                name = info.filename.lower()
                if not (name.endswith(".xml") or name.endswith(".rels")):
                    continue
                part = zf.read(info)
                if any(m in part for m in _MARKERS) or any(m in part for m in _MARKERS16):
                    raise ReadError("unsafe_xml", f"{source} has a DOCTYPE/ENTITY "
                                    f"declaration in {info.filename}; such files are refused "
                                    "because they can pull in outside content")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            zlib.error, NotImplementedError) as err:
        raise ReadError(bad_code, f"{source} is not a readable {kind} package ({err}); "
                        "re-save it from the office application") from err
