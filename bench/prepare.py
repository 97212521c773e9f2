"""Milliseconds of CPU per page for `prepare` (extract, match, sign) in a fresh process, cold and warm.

A scheduled poll is a fresh process and real pages are mostly distinct, so the caches
`prepare` keeps (word stems, token forms, compiled patterns) start empty: the cold figure is
what a real poll pays per page, the warm one (the same pages again) what `bench/pipeline.py`'s
replica (15 pages copied many times) mostly measures. Pages: every distinct real page at
hand (the shared corpus when it is checked out beside the repository, the replay seeds,
tests/data).

    uv run python bench/prepare.py

Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCES = (ROOT.parent / "shared" / "corpus", ROOT / "seeds" / "replay", ROOT / "tests" / "data")


def pages() -> list[Path]:
    return [path for source in SOURCES if source.is_dir() for path in sorted(source.rglob("*.html"))]


def main() -> None:
    from extractors.charset import decode_html
    from extractors.feeds import FeedItem
    from extractors.outlets import Outlet
    from flows.fetch.result import FetchResult
    from flows.pipeline.prepare import prepare
    from flows.pipeline.watch import load_watch
    from flows.settings import load_settings

    watch = load_watch(load_settings(None, state_dir=Path(tempfile.mkdtemp(prefix="rasid-prepare-"))))
    matcher, outlet = watch.matcher(), Outlet(id="bench", name="bench", home="")
    items = []
    for i, path in enumerate(pages()):
        text, encoding = decode_html(path.read_bytes(), None)
        url = f"https://bench.example/{i}"
        items.append((FeedItem(url=url), FetchResult(url=url, final_url=url, status=200, body=b"",
                                                     content_type="text/html", encoding=encoding, text=text,
                                                     elapsed_s=0.0)))

    def run() -> float:
        started = time.process_time()
        for item, page in items:
            prepare(matcher, outlet, item, page, watch.gazetteer)
        return (time.process_time() - started) / len(items) * 1000

    cold = run()
    print(json.dumps({"pages": len(items), "prepare_cold_ms": round(cold, 1), "prepare_warm_ms": round(run(), 1)}))


if __name__ == "__main__":
    main()
