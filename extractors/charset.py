"""Bytes of a page to text, getting Arabic legacy encodings right.

Order: a byte-order mark; the HTTP header's charset; the document's own declaration
(`<meta charset>`, `<meta http-equiv>`, `<?xml encoding?>`); detection. A declaration is
only believed when it fits the bytes: "utf-8" must decode strictly, and the Western
single-byte defaults many servers send (iso-8859-1, windows-1252, ascii) give way when the
bytes are plainly Arabic in windows-1256 or ISO-8859-6. Detection tries UTF-8, then scores
the two Arabic code pages by how much of the non-ASCII text comes out as Arabic letters
(generic detectors confuse them), then charset-normalizer for everything else.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']""")
_PRESCAN_BYTES = 8192
_WEAK = frozenset({"ascii", "iso8859-1", "cp1252", "iso8859-15"})
_ARABIC_PAGES = ("cp1256", "iso8859-6")
# Guesses are limited to encodings web pages really use; on short texts the detector
# otherwise picks oddities such as cp1006.
_ASCII = bytes(range(0x80))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_WESTERN_PUNCT = frozenset("\u00a0\u00ab\u00bb\u00b0\u00a9\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac")
_WEB_ENCODINGS = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1257", "iso8859_2",
                  "iso8859_5", "iso8859_7", "iso8859_8", "koi8_r", "gb18030", "big5", "shift_jis",
                  "euc_jp", "euc_kr", "cp874")
# WHATWG: these labels mean windows-1252 in a web page, whatever Python thinks.
_WHATWG = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "tis-620": "cp874",
           "gb2312": "gbk", "utf-16-le": "utf-8", "utf-16-be": "utf-8", "utf-16": "utf-8"}
_NAMES = {"utf-8": "utf-8", "cp1256": "windows-1256", "iso8859-6": "iso-8859-6", "cp1252": "windows-1252",
          "cp1254": "windows-1254", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be"}


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """(text, encoding name) of an HTML or XML body; never fails, bad bytes become U+FFFD."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), _name(name)
    header, document = _codec(header_charset, from_http=True), _codec(_declared_in_document(body))
    if document == "utf-8" and header not in (None, "utf-8") and not body.isascii() and _is_utf8(body):
        # A site moved to UTF-8 behind a server still labelling it windows-1256: its own <meta> and
        # bytes agree (non-ASCII text is valid UTF-8 almost never by chance); the header would garble it.
        return body.decode("utf-8", "replace"), "utf-8"
    weak: str | None = None
    for declared in (header, document):
        if declared is None or not _fits(body, declared):
            continue
        if declared in _WEAK:  # a server's Western default proves little; look further
            weak = weak or declared
            continue
        return body.decode(declared, "replace"), _name(declared)
    encoding = detect_encoding(body, fallback=weak)
    return body.decode(encoding, "replace"), _name(encoding)


def detect_encoding(body: bytes, fallback: str | None = None) -> str:
    """Python codec name for undeclared bytes: UTF-8, an Arabic code page, `fallback`, or a guess."""
    if _is_utf8(body):
        return "utf-8" if fallback is None or not body.isascii() else fallback
    arabic = _arabic_codepage(body)
    if arabic:
        return arabic
    if fallback is not None:
        return fallback
    if _reads_as_western(body):
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000], cp_isolation=list(_WEB_ENCODINGS)).best()
    return (_codec(best.encoding) or "cp1252") if best is not None else "cp1252"


def _name(codec: str) -> str:
    """The WHATWG-style label of a Python codec name (windows-1256, iso-8859-6, utf-8 ...)."""
    if codec in _NAMES:
        return _NAMES[codec]
    if re.fullmatch(r"cp12\d\d", codec):
        return "windows-" + codec[2:]
    if codec.startswith("iso8859-"):
        return "iso-8859-" + codec[8:]
    return codec.replace("_", "-")


def _declared_in_document(body: bytes) -> str | None:
    head = body[:_PRESCAN_BYTES]
    match = _XML_DECL.match(head) or _META.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None, *, from_http: bool = False) -> str | None:
    """Python codec name for a charset label, WHATWG-adjusted; None for unknown labels."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ("x-user-defined", "binary", "none"):
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith("utf-16") and from_http:
        return name
    return _WHATWG.get(name, name)


def _fits(body: bytes, codec: str) -> bool:
    if codec == "utf-8":
        return _is_utf8(body)
    if codec.startswith("utf-16"):
        return len(body) % 2 == 0
    return True


def _is_utf8(body: bytes) -> bool:
    sample = body[:1_000_000]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample boundary is still UTF-8.
        return exc.start >= len(sample) - 3 and len(sample) < len(body)
    return True


def _reads_as_western(body: bytes) -> bool:
    """Few high bytes among the letters, each a Latin-1 letter or typographic punctuation in windows-1252.

    Western text is mostly ASCII with an accent here and there; Cyrillic or Greek bytes also
    map onto Latin-1 letters, but make up nearly every letter.
    """
    sample = body[:200_000]
    high = sample.translate(None, _ASCII)
    ascii_letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    if len(high) > 0.3 * (len(high) + ascii_letters):
        return False
    return all("\u00c0" <= ch <= "\u00ff" or ch in _WESTERN_PUNCT for ch in high.decode("cp1252", "replace"))


def _arabic_codepage(body: bytes) -> str | None:
    """windows-1256 or ISO-8859-6 when the high bytes read as Arabic in one of them.

    Most high bytes must decode to Arabic letters, and alef and lam, a fifth of the letters
    of any Arabic text, must be common: Cyrillic or Greek bytes also land on Arabic letters
    in these code pages, but with a flat spread.
    """
    high = body[:200_000].translate(None, _ASCII)
    if len(high) < 4:
        return None
    best, best_score = None, 0.0
    for codec in _ARABIC_PAGES:
        text = high.decode(codec, "replace")
        letters = [ch for ch in text if "\u0621" <= ch <= "\u064a"]
        if not letters or (letters.count("\u0627") + letters.count("\u0644")) / len(letters) < 0.12:
            continue
        score = len(letters) / len(text)
        if score > best_score:
            best, best_score = codec, score
    return best if best_score >= 0.75 else None
