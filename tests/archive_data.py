"""A small archive stored through the real write path, on SQLite or PostgreSQL, for the archive tests.

The sentences are written for these tests (not taken from the corpus). Dates are relative
to now so retention cut-offs stay meaningful whenever the tests run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

NOW = datetime.now(timezone.utc).replace(microsecond=0)

WITHDRAWAL = ('(التحالف OR "القوات الأمريكية" OR coalition) NEAR/15 (انسحاب* OR انسحب* OR غادر* OR withdraw*)')


@dataclass(frozen=True)
class Doc:
    key: str
    outlet: str
    days_ago: int | None     # None: undated (the fetch time counts)
    title: str
    text: str
    lang: str = "ar"


DOCS = (
    # only the clitic form بالتحالف, never التحالف itself; not a withdrawal
    Doc("clitic", "alpha", 3, "تغييرات في الانتشار العسكري غرب العراق",
        "أفادت مصادر محلية بأن القوات المرتبطة بالتحالف أخلت مواقع في الأنبار خلال الليل."),
    # Persian letters ی and ک, as some Iraqi sites write them
    Doc("persian", "beta", 5, "مسؤول: مستشارون یبقون في أربیل",
        "قال مسؤول کردي إن الولایات المتحدة ستبقي عددا من المستشارين في أربیل بعد نهاية المهمة."),
    Doc("withdrawal", "beta", 2, "انسحاب التحالف من بغداد يكتمل العام المقبل",
        "أعلن مسؤول عراقي أن انسحاب التحالف من قواعد بغداد سيكتمل العام المقبل وفق الجدول المتفق عليه."),
    Doc("english", "gamma", 4, "Coalition forces withdraw from a western base",
        "Officials said coalition troops were withdrawing equipment over several days.", lang="en"),
    Doc("apart", "alpha", 6, "دوريات قرب السفارة",
        "نشرت القوات العراقية دوريات إضافية قرب السفارة الأمريكية في بغداد."),
    Doc("phrase", "gamma", 1, "مغادرة قوات من قاعدة فكتوريا",
        "غادرت القوات الأمريكية قاعدة فكتوريا قرب مطار بغداد صباح اليوم."),
    # old: one unmatched (its body may be pruned), one matched (its body must stay)
    Doc("old_unmatched", "alpha", 400, "اجتماع انتخابي في بغداد",
        "عقد التحالف الانتخابي اجتماعا لمناقشة قوائم المرشحين في العاصمة."),
    Doc("old_matched", "beta", 420, "التحالف يعلن جدول الانسحاب",
        "قال متحدث إن التحالف سيبدأ الانسحاب من القاعدة الجوية خلال أسابيع."),
    Doc("undated", "gamma", None, "بيان عن الحدود",
        "أصدرت وزارة الداخلية بيانا عن ضبط الحدود الغربية.\nوفي سطر ثان قالت إن الدوريات مستمرة."),
)


def published(doc: Doc) -> datetime | None:
    return None if doc.days_ago is None else NOW - timedelta(days=doc.days_ago)


def prepared_docs(docs=DOCS) -> list[tuple]:
    """(article, matches, signature, None) per doc, as repo.store_articles takes them: real
    matches (the withdrawal topic) and real signatures (the shipped gazetteer)."""
    import hashlib

    from extractors.grouping import story_signature
    from extractors.matcher import TopicMatcher
    from extractors.topics import Topic
    from flows.pipeline.watch import load_gazetteer
    from flows.settings import SEEDS_DIR
    from storage.repo import NewArticle

    gazetteer = load_gazetteer(SEEDS_DIR / "gazetteer.yaml")
    matcher = TopicMatcher.compile([Topic(id="withdrawal", title="انسحاب", query=WITHDRAWAL)])
    items = []
    for doc in docs:
        matches = matcher.match(doc.title, doc.text)
        article = NewArticle(
            url=f"https://{doc.outlet}.example/{doc.key}", outlet_id=doc.outlet, title=doc.title, text=doc.text,
            content_hash=hashlib.sha256(f"{doc.title}\n{doc.text}".encode()).hexdigest(),
            published=published(doc), lang=doc.lang)
        signature = story_signature(doc.title, doc.text, published=published(doc),
                                    topics=[m.topic_id for m in matches], lang=doc.lang, gazetteer=gazetteer)
        items.append((article, matches, signature, None))
    return items


def store_docs(url: str, docs=DOCS) -> dict[str, int]:
    """Store `docs` one by one through repo.store_article; key -> article id."""
    from sqlmodel import Session

    from storage.db import init_db
    from storage.repo import store_article

    engine = init_db(url)
    ids = {}
    with Session(engine, expire_on_commit=False) as session:
        for doc, (article, matches, signature, _) in zip(docs, prepared_docs(docs)):
            outcome = store_article(session, article, matches, signature, {})
            assert outcome.created
            ids[doc.key] = outcome.article_id
    return ids


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh database: a real SQLite file, or a fresh PostgreSQL database (skipped if none runs)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request, tmp_path_factory):
    """(url, key -> id): DOCS stored once per test module, for tests that only read.

    Module-scoped because creating, migrating and dropping a PostgreSQL database costs seconds.
    """
    if request.param == "sqlite":
        yield (url := f"sqlite:///{tmp_path_factory.mktemp('archive') / 'archive.db'}"), store_docs(url)
        return
    from conftest import pg_database

    with pg_database() as url:
        yield url, store_docs(url)
