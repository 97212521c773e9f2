"""How often to poll a quiet outlet: requests a day against delay to first fetch, over real publication times.

    uv run python bench/poll_policy_sim.py [--table]

Replays the publication times of real feeds' items (tests/data/real_feeds: a BBC Urdu topic
feed, 26 items over five months, the quiet case; a day of shorouknews.com's business section,
nine items in six hours, the busy case; sources in tests/data/real_feeds/README.md) through
rasid's scheduling as `rasid serve` runs it: the outlet's group ticks every `poll_minutes` (15),
and at each tick the outlet is polled if its adaptive next poll (storage.repo.due_outlets) has
come. The adaptive interval is the real rule (flows.pipeline.discover.poll_policy, Miniflux's:
the average gap between the items seen in the last 7 days, within [floor, ceiling]) computed
from the items found so far, as the poll flow does from its archive.

For each policy and feed: requests per outlet per day (polls; for a feed, most are conditional
GETs answered 304), and the mean and 95th percentile (nearest rank) of the delay from an item's
publication to the first poll that can see it, over 24 starting phases a tick apart. Policies:
the ceiling before issue 20 (360 min, and the next poll counted from the poll's end with no slack: polled every other tick), ceilings
of 60 and 15 min (the new default with a feed), and a fixed 15 min. One JSON object, or a table.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.pipeline.discover import poll_policy  # noqa: E402

DATA = ROOT / "tests" / "data" / "real_feeds"
TICK = timedelta(minutes=15)
POLL_TAKES = timedelta(seconds=40)  # a poll's own duration, for the before-policy's "from its end"

POLICIES = {
    "before: ceiling 360, next poll from the poll's end": dict(ceiling=360, from_end=True, slack_s=0),
    "ceiling 60": dict(ceiling=60),
    "ceiling 15 (default with a feed)": dict(ceiling=15),
    "fixed 15": dict(ceiling=15, adaptive=False),
}


def feeds() -> dict[str, list[datetime]]:
    """Publication times by feed, oldest first, from the real captures kept as test data."""
    import feedparser

    parsed = feedparser.parse((DATA / "bbc-urdu-2018.xml").read_bytes())
    urdu = [datetime(*e.published_parsed[:6], tzinfo=timezone.utc) for e in parsed.entries if e.get("published_parsed")]
    shorouk = json.loads((DATA / "shorouknews-business-2023-11-08.json").read_text(encoding="utf-8"))
    busy = [datetime.fromisoformat(p).replace(tzinfo=timezone.utc) for p in shorouk["pubDates"]]
    return {"bbc-urdu (quiet)": sorted(urdu), "shorouknews business (busy)": sorted(busy)}


PHASES = 24  # start offsets, a tick apart: where the ticks fall against the items moves the delays


def simulate(published: list[datetime], **policy) -> dict:
    """`run` at PHASES start offsets (0, 15, ... 345 min): requests a day and delays over all of them."""
    runs = [run(published, published[0] - timedelta(days=1) + k * TICK, **policy) for k in range(PHASES)]
    delays = sorted(d for _, _, ds in runs for d in ds)
    days = sum(r[1] for r in runs)
    return {"requests_per_day": round(sum(r[0] for r in runs) / days, 1),
            "mean_delay_min": round(statistics.mean(delays), 1),
            "p95_delay_min": round(delays[math.ceil(0.95 * len(delays)) - 1], 1),
            "items": len(published), "days": round(days / PHASES, 1)}


def run(published: list[datetime], start: datetime, *, ceiling: float, adaptive: bool = True,
        from_end: bool = False, slack_s: float = 90, floor: float = 5) -> tuple[int, float, list[float]]:
    """Ticks from `start` to the last item: (polls, days, delay of each item in minutes)."""
    tick, next_poll, polls, seen, delays = start, None, 0, 0, []
    while tick <= published[-1] + TICK:
        if next_poll is None or next_poll <= tick + timedelta(seconds=slack_s):
            polls += 1
            while seen < len(published) and published[seen] <= tick:
                delays.append((tick - published[seen]).total_seconds() / 60)
                seen += 1
            policy = poll_policy(published[:seen], tick, adaptive=adaptive, fixed=15, minimum=floor, ceiling=ceiling)
            next_poll = (tick + (POLL_TAKES if from_end else timedelta(0))) + timedelta(minutes=policy.minutes)
        tick += TICK
    return polls, (tick - start).total_seconds() / 86400, delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", action="store_true", help="a table instead of JSON")
    args = parser.parse_args()
    results = {name: {feed: simulate(times, **policy) for feed, times in feeds().items()}
               for name, policy in POLICIES.items()}
    if not args.table:
        print(json.dumps(results, ensure_ascii=False))
        return
    print(f"{'policy':52} {'feed':28} {'req/day':>8} {'mean min':>9} {'p95 min':>8}")
    for name, by_feed in results.items():
        for feed, r in by_feed.items():
            print(f"{name:52} {feed:28} {r['requests_per_day']:8.1f} {r['mean_delay_min']:9.1f} "
                  f"{r['p95_delay_min']:8.1f}")


if __name__ == "__main__":
    main()
