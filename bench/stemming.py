"""Should rasid stem Arabic? Measures snowballstemmer's Arabic stemmer against rasid's clitic forms.

Two measurements, printed as one JSON object:
- word pairs: pairs that must match (clitics, plurals, verb forms) and pairs that must not
  (different words a stemmer may merge); counts how each method treats them;
- the seed topics on the labelled sets (tests/data/matching/*.jsonl): precision and recall
  with rasid's forms, with snowball stems added to them, and with snowball stems alone.

    uv run python bench/stemming.py
"""

from __future__ import annotations

import json
from pathlib import Path

import snowballstemmer

import extractors.compiled as compiled_module
import extractors.query as query_module
from extractors.arabic import normalize_word
from extractors.matcher import TopicMatcher
from extractors.stemming import query_word, token_forms
from extractors.topics import parse_lists, parse_topic

ROOT = Path(__file__).resolve().parents[1]
SNOWBALL = snowballstemmer.stemmer("arabic")

# (text word, query word): the query should find the text word.
SAME = [("قواعد", "قاعدة"), ("قاعدتي", "قاعدة"), ("القاعدتين", "قاعدة"), ("للتحالف", "التحالف"),
        ("وبالتحالف", "التحالف"), ("والتحالف", "التحالف"), ("ببغداد", "بغداد"), ("وبغداد", "بغداد"),
        ("القوات", "قوات"), ("الأمريكيين", "الأمريكي"), ("الأمريكية", "الأمريكي"), ("هجمات", "هجوم"),
        ("هجومين", "هجوم"), ("صواريخ", "صاروخ"), ("مسيرات", "مسيرة"), ("فصائل", "فصيل"), ("الفصائل", "فصائل"),
        ("جنود", "جندي"), ("المستشارين", "مستشار"), ("انسحبت", "انسحب"), ("الانسحاب", "انسحاب"),
        ("غارات", "غارة"), ("ضربات", "ضربة"), ("مهام", "مهمة"), ("السفارة", "سفارة"), ("كتائب", "الكتائب"),
        ("بالأنبار", "الأنبار"), ("لواشنطن", "واشنطن")]
# (text word, query word): the query must NOT find the text word.
DIFFERENT = [("قاعد", "قاعدة"), ("قاعدون", "قاعدة"), ("مهم", "مهمة"), ("عينة", "عين"), ("حر", "حرية"),
             ("حرير", "حرية"), ("مطر", "مطار"), ("سفر", "سفارة"), ("هجرة", "هجوم"), ("سحابة", "سحب"),
             ("فصل", "فصيل"), ("كتاب", "كتائب"), ("جند", "جندي"), ("مستشفى", "مستشار"), ("غداء", "بغداد"),
             ("ورد", "رد"), ("برد", "رد"), ("أمير", "أمريكي"), ("قوة", "قوات"), ("صيل", "فصيل"),
             ("ثلاثين", "ثلاث"), ("الأربعين", "أربع")]   # suffix folding's known cost: tens vs units


def snowball(word: str) -> str:
    return SNOWBALL.stemWord(word)


def variants():
    """name -> (token_forms, query_word) replacements."""
    def added_forms(word):
        norm, forms = token_forms(word)
        return norm, tuple(dict.fromkeys(forms + tuple(snowball(f) for f in forms)))

    def only_forms(word):
        stem = snowball(word)
        return stem, (stem,)

    return {
        "rasid_forms": (token_forms, query_word),
        "rasid_plus_snowball": (added_forms, lambda w, prefix=False: w if prefix else snowball(query_word(w))),
        "snowball_only": (only_forms, lambda w, prefix=False: w if prefix else snowball(w)),
    }


def finds(forms_of, query_of, text: str, query: str) -> bool:
    return query_of(normalize_word(query)) in forms_of(normalize_word(text))[1]


def pair_scores(forms_of, query_of) -> dict:
    found = [text for text, query in SAME if finds(forms_of, query_of, text, query)]
    merged = [f"{text}~{query}" for text, query in DIFFERENT if finds(forms_of, query_of, text, query)]
    return {"must_match": f"{len(found)}/{len(SAME)}", "wrongly_merged": merged,
            "wrongly_merged_count": f"{len(merged)}/{len(DIFFERENT)}"}


def topic_scores() -> dict:
    lists = parse_lists((ROOT / "seeds" / "lists.yaml").read_text(encoding="utf-8"), "lists.yaml")
    topics = [parse_topic(p.read_text(encoding="utf-8"), str(p)) for p in sorted((ROOT / "seeds" / "topics").glob("*.yaml"))]
    rows = [json.loads(line) for path in sorted((ROOT / "tests" / "data" / "matching").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]
    matcher = TopicMatcher.compile(topics, lists)
    found = [{m.topic_id for m in matcher.match(row["title"], row["text"])} for row in rows]
    out = {}
    for topic in topics:
        pairs = [(topic.id in got, topic.id in row["topics"]) for got, row in zip(found, rows)
                 if topic.id not in row.get("optional", ())]
        tp = sum(g and w for g, w in pairs)
        out[topic.id] = {"precision": round(tp / max(1, sum(g for g, _ in pairs)), 3),
                         "recall": round(tp / max(1, sum(w for _, w in pairs)), 3)}
    return out


def main() -> None:
    report = {}
    for name, (forms_of, query_of) in variants().items():
        compiled_module.token_forms = lambda word, f=forms_of: f(word)
        compiled_module.scan_text.cache_clear()
        query_module.query_word = query_of
        report[name] = {"pairs": pair_scores(forms_of, query_of), "topics": topic_scores()}
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
