"""Article bodies as blocks: seed lines picked by number, or our own texts/*.txt."""

from __future__ import annotations

import re
from pathlib import Path

from catalog import OUTLETS

# Al-Masalah closes every agency piece with a credit line and a disclaimer; they are
# read from seed 001 (lines 11-12) so the wording stays the outlet's own.
MASALAH_CREDIT = ("001_1307333e084fff0c.txt", 11, 12)


def seed_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load_title(path: Path, line: int) -> str:
    return seed_lines(path)[line - 1].strip()


def _span(lines: list[str], spec: str) -> list[str]:
    start, _, end = spec.partition("-")
    chosen = lines[int(start) - 1:int(end or start)]
    return [line.strip() for line in chosen if line.strip()]


def _more_url(a: dict, title: str) -> str:
    """A plausible (unserved) address for a headline the seed shows in a related box:
    an older id than the article's own, as a related story is older."""
    own = re.search(r"/(\d{5,})(?:/|$)", a["url"])
    number = (int(own.group(1)) if own else 300000) - 1 - sum(map(ord, title)) % 900
    return OUTLETS[a["outlet"]]["more_url"].format(n=number, s=format(number * 7919, "x")[:7])


def _seed_blocks(a: dict, seeds: Path) -> list[dict]:
    lines = seed_lines(seeds / a["seed"])
    blocks: list[dict] = []
    for op in a["spec"]:
        kind, *args = op.split()
        if kind == "p":
            blocks += [{"kind": "p", "text": t} for t in _span(lines, args[0])]
        elif kind in ("h", "q"):
            blocks.append({"kind": "h" if kind == "h" else "quote", "text": lines[int(args[0]) - 1].strip()})
        elif kind == "rel":
            label, title = (lines[int(x) - 1].strip() for x in args)
            blocks.append({"kind": "related", "label": label,
                           "links": [{"title": title, "url": _more_url(a, title)}]})
        elif kind == "ra":
            title = lines[int(args[0]) - 1].strip()
            blocks.append({"kind": "readalso", "links": [{"title": title, "url": _more_url(a, title)}]})
        elif kind == "sum":
            blocks.append({"kind": "summary", "items": [t.lstrip("- ").strip() for t in _span(lines, args[0])]})
        elif kind == "src":
            first, second = (lines[int(x) - 1].strip() for x in args)
            blocks.append({"kind": "credit", "label": first, "text": second})
        else:
            raise ValueError(f"{a['key']}: unknown spec {op!r}")
    return blocks


def _text_blocks(a: dict, texts: Path, seeds: Path) -> list[dict]:
    filler = OUTLETS[a["outlet"]]["filler"]
    blocks: list[dict] = []
    raw = (texts / a["text"]).read_text(encoding="utf-8")
    for chunk in (c.strip() for c in raw.split("\n\n")):
        if not chunk:
            continue
        if chunk.startswith("## "):
            blocks.append({"kind": "h", "text": chunk[3:]})
        elif chunk.startswith("> "):
            blocks.append({"kind": "quote", "text": chunk[2:]})
        elif chunk == "@readalso":
            title, url = filler[len(blocks) % len(filler)]
            blocks.append({"kind": "readalso", "links": [{"title": title, "url": url}]})
        else:
            blocks.append({"kind": "p", "text": " ".join(chunk.split())})
    if a.get("credit"):
        lines = seed_lines(seeds / MASALAH_CREDIT[0])
        blocks.append({"kind": "credit", "label": lines[MASALAH_CREDIT[1] - 1].strip(),
                       "text": lines[MASALAH_CREDIT[2] - 1].strip()})
    return blocks


def body_blocks(a: dict, seeds: Path, texts: Path, articles: list[dict]) -> list[dict]:
    blocks = _seed_blocks(a, seeds) if "spec" in a else _text_blocks(a, texts, seeds)
    after = OUTLETS[a["outlet"]].get("inline_readalso_after")
    paragraphs = [i for i, b in enumerate(blocks) if b["kind"] == "p"]
    if after and len(paragraphs) > after:
        links = [{"title": title, "url": url} for title, url in OUTLETS[a["outlet"]]["filler"][:2]]
        blocks.insert(paragraphs[after - 1] + 1, {"kind": "readalso", "links": links})
    if a.get("dateline"):
        blocks.insert(0, {"kind": "dateline", "text": a["dateline"]})
    if a.get("source_credit"):
        blocks.append({"kind": "source", "text": a["source_credit"]})
    return blocks
