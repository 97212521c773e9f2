"""Articles per second of the topic matcher with 10, 100 and 1,000 topics on the same articles.

The articles are the five seed texts (if ../shared is present) and the labelled sets in
tests/data/matching/. Topics beyond the two seed topics are generated from the articles'
own vocabulary (words, two-word phrases, prefixes; NEAR, AND, OR, NOT), so they hit as
real topics would. Prints one JSON object; the 1,000-topic rate should stay above half
the 10-topic rate because all topics share one automaton.

    uv run python bench/matching.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from extractors.arabic import tokenize
from extractors.matcher import TopicMatcher
from extractors.topics import Topic, parse_lists, parse_topic

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_articles() -> list[tuple[str, str]]:
    articles = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        title, text = path.read_text(encoding="utf-8").split("\n", 1)
        articles.append((title, text))
    for path in sorted((ROOT / "tests" / "data" / "matching").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            articles.append((row["title"], row["text"]))
    return articles


def seed_topics() -> tuple[list[Topic], dict]:
    lists = parse_lists((ROOT / "seeds" / "lists.yaml").read_text(encoding="utf-8"), "lists.yaml")
    topics = [parse_topic(p.read_text(encoding="utf-8"), str(p)) for p in sorted((ROOT / "seeds" / "topics").glob("*.yaml"))]
    return topics, lists


def vocabulary(articles: list[tuple[str, str]]) -> list[str]:
    """Surface words of 4+ letters seen in the articles (each once), as an analyst would type them."""
    seen: Counter[str] = Counter()
    for title, text in articles:
        source = f"{title}\n{text}"
        for token in tokenize(source):
            word = source[token.start:token.end]
            if len(token.norm) >= 4 and word.isalpha():
                seen[word] += 1
    return sorted(seen)


def generated_topic(number: int, words: list[str], rng: random.Random) -> Topic:
    def term() -> str:
        kind = rng.random()
        if kind < 0.2:
            return f'"{rng.choice(words)} {rng.choice(words)}"'
        if kind < 0.35:
            return rng.choice(words)[:4] + "*"
        return rng.choice(words)

    left = " OR ".join(term() for _ in range(rng.randint(1, 4)))
    right = " OR ".join(term() for _ in range(rng.randint(1, 4)))
    query = f"({left}) NEAR/{rng.randint(5, 20)} ({right})"
    if rng.random() < 0.5:
        query += f" AND NOT {term()}"
    return Topic(id=f"gen-{number}", title=f"generated {number}", query=query)


def rate(matcher: TopicMatcher, articles: list[tuple[str, str]], seconds: float, repeats: int = 3) -> tuple[float, int]:
    """Best of `repeats` runs of articles per second (other processes only ever slow a run down),
    and how many topic matches one pass found."""
    matched = sum(len(matcher.match(title, text)) for title, text in articles)   # warm caches
    best = 0.0
    for _ in range(repeats):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / repeats:
            for title, text in articles:
                matcher.match(title, text)
            done += len(articles)
        best = max(best, done / (time.perf_counter() - start))
    return best, matched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    articles = load_articles()
    topics, lists = seed_topics()
    words = vocabulary(articles)
    rng = random.Random(4)
    extra = [generated_topic(i, words, rng) for i in range(1000)]
    report: dict = {"articles": len(articles), "chars": sum(len(t) + len(x) + 1 for t, x in articles),
                    "vocabulary": len(words), "rates": {}}
    for count in (10, 100, 1000):
        matcher = TopicMatcher.compile(topics + extra[:count - len(topics)], lists)
        per_second, matched = rate(matcher, articles, args.seconds)
        report["rates"][str(count)] = {"articles_per_second": round(per_second, 1), "matches_per_pass": matched}
    ten, thousand = (report["rates"][k]["articles_per_second"] for k in ("10", "1000"))
    report["ratio_1000_to_10"] = round(thousand / ten, 3)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
