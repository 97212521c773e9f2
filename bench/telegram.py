"""What reading a Telegram preview page costs: parse time per page and per post, as JSON.

`uv run python bench/telegram.py [--rounds N]` parses the real saved preview page
(tests/data/telegram/tchantest.html, 28 message blocks) and the replica's two channel pages.
A poll reads one such page per channel (up to 3 when it fills a gap), so this is the parser's
share of a channel's poll; fetching (one request at t.me's per-host pace) dominates it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from extractors.telegram import parse_preview

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "tests/data/telegram/tchantest.html",
         *sorted((ROOT / "seeds/replay/wave2/t.me/s").glob("*.html"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    results = []
    for path in PAGES:
        html = path.read_text(encoding="utf-8")
        page = parse_preview(html)
        start = time.perf_counter()
        for _ in range(args.rounds):
            parse_preview(html)
        per_page = (time.perf_counter() - start) / args.rounds
        results.append({"page": str(path.relative_to(ROOT)), "bytes": len(html.encode()), "posts": len(page.posts),
                        "ms_per_page": round(per_page * 1000, 3),
                        "ms_per_post": round(per_page * 1000 / max(1, len(page.posts)), 3)})
    print(json.dumps({"rounds": args.rounds, "pages": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
