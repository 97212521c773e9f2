"""Articles per second of the topic matcher with 10, 100 and 1,000 topics on the same articles.

The articles are whole real articles from ../shared: the five seed texts and the main text
of the 11 corpus pages. Topics beyond the two seed topics are generated from real vocabulary
written independently of those articles, as real topics are: the words, adjacent word pairs
and 5-letter word starts of the labelled items in tests/data/matching/ (which are about the
watched topics, so many generated terms do occur in the seed articles). `--same-vocabulary`
draws them from the benchmark articles instead, the harshest case: nearly every word of
every article is then some topic's term and the 1,000 topics match ~7 times per article.
Prints one JSON object; the 1,000-topic rate should stay above half
the 10-topic rate because all topics share one automaton.

    uv run python bench/matching.py [--rounds 30] [--same-vocabulary]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from extractors.arabic import tokenize
from extractors.matcher import TopicMatcher
from extractors.topics import Topic, parse_lists, parse_topic

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def load_articles() -> list[tuple[str, str]]:
    """Whole real articles: the five seed texts and the corpus pages' main text (trafilatura)."""
    import trafilatura

    articles = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        title, text = path.read_text(encoding="utf-8").split("\n", 1)
        articles.append((title, text))
    corpus = SHARED / "corpus"
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines() if corpus.is_dir() else ():
        page = json.loads(line)
        html = (corpus / page["file"]).read_bytes().decode(page.get("encoding") or "utf-8", "replace")
        articles.append((page.get("title") or "", trafilatura.extract(html) or ""))
    return articles


def labelled_items() -> list[tuple[str, str]]:
    """The one-paragraph labelled items of tests/data/matching/, written about the watched topics."""
    items = []
    for path in sorted((ROOT / "tests" / "data" / "matching").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            items.append((row["title"], row["text"]))
    return items


def seed_topics() -> tuple[list[Topic], dict]:
    lists = parse_lists((ROOT / "seeds" / "lists.yaml").read_text(encoding="utf-8"), "lists.yaml")
    topics = [parse_topic(p.read_text(encoding="utf-8"), str(p)) for p in sorted((ROOT / "seeds" / "topics").glob("*.yaml"))]
    return topics, lists


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]       # surface words of 4+ letters, as an analyst would type them
    stems: list[str]       # 5-letter starts of longer words, for prefix terms (انسحب*)
    phrases: list[str]     # two words that stand side by side in an article


def vocabulary(articles: list[tuple[str, str]]) -> Vocabulary:
    words, stems, phrases = set(), set(), set()
    for title, text in articles:
        source = f"{title}\n{text}"
        surfaces = [(source[t.start:t.end], t.norm) for t in tokenize(source)]
        for (word, norm), (after, _) in zip(surfaces, surfaces[1:] + [("", "")]):
            if len(norm) >= 4 and word.isalpha():
                words.add(word)
                if after.isalpha() and len(after) >= 3:
                    phrases.add(f"{word} {after}")
            if len(norm) >= 6 and word.isalpha():
                stems.add(norm[:5])
    return Vocabulary(sorted(words), sorted(stems), sorted(phrases))


def generated_topic(number: int, vocab: Vocabulary, rng: random.Random) -> Topic:
    def term() -> str:
        kind = rng.random()
        if kind < 0.2:
            return f'"{rng.choice(vocab.phrases)}"'
        if kind < 0.35:
            return rng.choice(vocab.stems) + "*"
        return rng.choice(vocab.words)

    left = " OR ".join(term() for _ in range(rng.randint(1, 4)))
    right = " OR ".join(term() for _ in range(rng.randint(1, 4)))
    query = f"({left}) NEAR/{rng.randint(5, 20)} ({right})"
    if rng.random() < 0.5:
        query += f" AND NOT {term()}"
    return Topic(id=f"gen-{number}", title=f"generated {number}", query=query)


def best_rates(matchers: dict[int, TopicMatcher], articles: list[tuple[str, str]], rounds: int) -> dict[int, float]:
    """Articles per second of each matcher: the best of `rounds` passes, taken in turn.

    Interleaving the matchers and keeping each one's fastest pass keeps other processes on
    the machine (which only ever slow a pass down) from skewing the comparison.
    """
    best = dict.fromkeys(matchers, 0.0)
    for _ in range(rounds):
        for count, matcher in matchers.items():
            start = time.perf_counter()
            for title, text in articles:
                matcher.match(title, text)
            best[count] = max(best[count], len(articles) / (time.perf_counter() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="passes per topic count (the best one counts)")
    parser.add_argument("--same-vocabulary", action="store_true",
                        help="draw topic words from the benchmark articles themselves (every word then hits)")
    args = parser.parse_args()
    articles = load_articles()
    topics, lists = seed_topics()
    vocab = vocabulary(articles if args.same_vocabulary else labelled_items())
    rng = random.Random(4)
    extra = [generated_topic(i, vocab, rng) for i in range(1000)]
    report: dict = {"articles": len(articles), "same_vocabulary": args.same_vocabulary, "chars": sum(len(t) + len(x) + 1 for t, x in articles),
                    "vocabulary": len(vocab.words), "rounds": args.rounds, "rates": {}}
    matchers = {count: TopicMatcher.compile(topics + extra[:count - len(topics)], lists) for count in (10, 100, 1000)}
    matched = {count: sum(len(m.match(title, text)) for title, text in articles) for count, m in matchers.items()}
    for count, per_second in best_rates(matchers, articles, args.rounds).items():
        report["rates"][str(count)] = {"articles_per_second": round(per_second, 1), "matches_per_pass": matched[count]}
    ten, thousand = (report["rates"][k]["articles_per_second"] for k in ("10", "1000"))
    report["ratio_1000_to_10"] = round(thousand / ten, 3)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
