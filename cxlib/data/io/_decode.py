"""Turn a CSV file's bytes into text, with the encoding decided once for the whole file.

* A byte-order mark decides: UTF-8 with BOM, UTF-16 (Excel's "Unicode text").
* UTF-16 without a BOM is recognised by its zero bytes in every other position.
* Otherwise the file is UTF-8 if all of it decodes as UTF-8. A file that is UTF-8
  except for a few stray bytes is *not* silently re-read as another encoding: the
  stray bytes are reported with their line and column (or the ``encoding`` option is
  honoured). A file with no UTF-8 letters at all is a Windows export: Windows-1256
  (Persian/Arabic) when its non-ASCII bytes come in runs (words), Windows-1252
  (Western European) when they are single letters between ASCII ones. "No UTF-8" means that
  most of its non-ASCII bytes do not form UTF-8 characters.
* A NUL byte in a text file is an error with its line, never a silent truncation;
  a file with many NUL bytes is not a text file at all.
"""

from __future__ import annotations

import codecs
import re

from cxlib.errors import SHOW, CxError, Problem

_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
    rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH = re.compile(rb"[\x80-\xff]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
ENCODING_FIX = (
    "pass the file's encoding: --encoding cp1256 (Windows Persian/Arabic), --encoding "
    "cp1252 (Windows Western European) or --encoding utf-8 (encoding='...' in Python)"
)


def _where(raw: bytes, pos: int) -> tuple[int, int]:
    """(line, column) of a byte offset, both counted from 1."""
    line = raw.count(b"\n", 0, pos) + 1
    return line, pos - (raw.rfind(b"\n", 0, pos) + 1) + 1


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is (almost always) zero."""
    n = len(sample) // 2 * 2
    if n < 4:
        return None
    even, odd = sample[0:n:2], sample[1:n:2]
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.3 * len(zeros) and other.count(0) <= 0.01 * len(other):
            return name
    return None


def _stray_bytes(raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """A mostly-UTF-8 file with bytes that are not UTF-8: where they are."""
    text = raw.decode("utf-8", errors="replace")
    bad = [i for i, ch in enumerate(text) if ch == "\ufffd"]
    first_line, first_col = _where(raw, exc.start)
    lines = sorted({text.count("\n", 0, i) + 1 for i in bad[:200]})
    return Problem(
        "not valid UTF-8 (stray bytes in a UTF-8 file)",
        rows=tuple(lines[:SHOW]),
        values=(f"byte 0x{raw[exc.start]:02X} at line {first_line}, column {first_col}",),
        count=len({text.count("\n", 0, i) + 1 for i in bad}),
        fix="The file is UTF-8 except for these bytes (often text pasted from another program "
        "or a file cut in the middle of a character). Correct them and save the file as "
        f"UTF-8 again, or, if the whole file is in another encoding, {ENCODING_FIX}.",
    )


def _mostly_utf8(raw: bytes) -> bool:
    """Most non-ASCII bytes form valid UTF-8 characters (a UTF-8 file, whatever else is in it).

    A Windows-1256 file can hold a valid UTF-8 pair by chance (``آگ`` is C2 AF), but not
    most of its letters.
    """
    high = len(_HIGH.findall(raw))
    return sum(len(m) for m in _UTF8_SEQ.findall(raw)) >= 0.8 * high


def _legacy(raw: bytes) -> str:
    """cp1256 or cp1252 for a file that is not UTF-8 and has no UTF-8 letters."""
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "cp1256"  # bytes cp1252 does not define (0x81, 0x8D, ...) are Persian letters (پ, چ)
    high = len(_HIGH.findall(raw))
    in_runs = sum(len(m) for m in _HIGH_RUN.findall(raw))
    return "cp1256" if in_runs >= 0.5 * high else "cp1252"


def _given(raw: bytes, encoding: str, name: str) -> tuple[str, str, list[Problem]]:
    try:
        enc = codecs.lookup(encoding).name
    except LookupError:
        raise CxError(
            f"{name}: unknown encoding {encoding!r}. Use one such as utf-8, cp1256 "
            "(Windows Persian/Arabic), cp1252 (Windows Western European) or utf-16."
        ) from None
    if enc == "utf-8" and raw.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    if enc == "utf-16" and raw[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        enc = _utf16_without_bom(raw[:65536]) or "utf-16-le"
    try:
        return raw.decode(enc), enc, []
    except UnicodeDecodeError as exc:
        line, col = _where(raw, exc.start)
        return (
            "",
            enc,
            [
                Problem(
                    f"not valid {encoding} (the encoding given)",
                    rows=(line,),
                    values=(f"byte 0x{raw[exc.start]:02X} at line {line}, column {col}",),
                    count=1,
                    fix="The file is not in the encoding given with --encoding: "
                    "leave the option out to have it detected, or " + ENCODING_FIX + ".",
                )
            ],
        )


def _nul_problem(raw: bytes, name: str) -> list[Problem]:
    sample = raw[:65536]
    if sample.count(0) > max(3, 0.001 * len(sample)):
        raise CxError(
            f"{name}: does not look like a text (CSV) file (it contains binary data). "
            "Export the table as CSV (UTF-8) or .xlsx."
        )
    pos = [m.start() for m in re.finditer(rb"\x00", raw)]
    lines = sorted({raw.count(b"\n", 0, p) + 1 for p in pos})
    line, col = _where(raw, pos[0])
    return [
        Problem(
            "NUL characters in the file (a byte 0x00, not text)",
            rows=tuple(lines[:SHOW]),
            values=(f"line {line}, column {col}",),
            count=len(lines),
            fix="A NUL byte does not belong in a CSV file (a damaged or partly binary "
            "export). Export the table again, or remove these characters; nothing "
            "after them is read silently.",
        )
    ]


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str | None, list[Problem]]:
    """Decode a CSV file's bytes. Returns (text, encoding used, problems).

    Examples
    --------
    >>> decode("a,b\\nشیراز,1\\n".encode("utf-8"), "x.csv")[1]
    'utf-8'
    >>> decode("a,b\\nشيراز,1\\n".encode("cp1256"), "x.csv")[1]
    'cp1256'
    >>> decode("a,b\\nآگاه,1\\n".encode("cp1256"), "x.csv")[1]   # C2 AF is valid UTF-8 by chance
    'cp1256'
    >>> decode("a,b\\nMüller,1\\n".encode("cp1252"), "x.csv")[1]
    'cp1252'
    >>> decode("a,b\\n1,2\\n".encode("utf-16-le"), "x.csv")[1]
    'utf-16-le'
    >>> raw = "a,b\\nشیراز,1\\n".encode("utf-8") + b"M\\xfcller,2\\n"   # one cp1252 byte in UTF-8
    >>> text, enc, problems = decode(raw, "x.csv")
    >>> problems[0].kind, problems[0].values
    ('not valid UTF-8 (stray bytes in a UTF-8 file)', ('byte 0xFC at line 3, column 2',))
    """
    if raw[:4] == b"PK\x03\x04":
        raise CxError(f"{name}: this is a zip/Excel workbook, not a CSV. If it is an Excel file, rename it to .xlsx.")
    if encoding:
        return _given(raw, encoding, name)
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return raw.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            line, col = _where(raw, exc.start)
            return (
                "",
                "utf-16",
                [
                    Problem(
                        "not valid UTF-16",
                        rows=(line,),
                        count=1,
                        fix="The file starts as UTF-16 but is damaged: export it again.",
                    )
                ],
            )
    utf16 = _utf16_without_bom(raw[:65536])
    if utf16:
        return _given(raw, utf16, name)
    if b"\x00" in raw:
        return "", None, _nul_problem(raw, name)
    try:
        if raw.startswith(codecs.BOM_UTF8):
            return raw.decode("utf-8-sig"), "utf-8-sig", []
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        if raw.startswith(codecs.BOM_UTF8) or _mostly_utf8(raw):
            return "", "utf-8", [_stray_bytes(raw, exc)]
        enc = _legacy(raw)
        return raw.decode(enc), enc, []
