"""`rasid topics check / explain / test` through the real command line, on real files and SQLite."""

import json
from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

GOOD = "id: good\ntitle: حسن\nquery: (التحالف OR coalition) NEAR/10 @moves\n"
LISTS = "moves:\n  - انسحاب*\n  - withdraw*\n"


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_check_accepts_the_seed_topics():
    result = runner.invoke(app, ["topics", "check"])
    assert result.exit_code == 0, result.output
    assert "coalition-withdrawal" in result.output and "militia-attacks" in result.output


def test_check_reports_one_precise_error_per_bad_file_and_exits_1(tmp_path):
    topics = write(tmp_path / "topics", {
        "good.yaml": GOOD,
        "syntax.yaml": "id: syntax\ntitle: t\nquery: >\n  التحالف AND\n  (انسحاب OR\n",
        "list.yaml": "id: list\ntitle: t\nquery: التحالف AND @bases\n",
        "field.yaml": "id: field\ntitle: t\nquery: a\nalert: sometimes\n",
        "zdup.yaml": GOOD,
    })
    lists = write(tmp_path, {"lists.yaml": LISTS}) / "lists.yaml"
    result = runner.invoke(app, ["topics", "check", "--topics", str(topics), "--lists", str(lists)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(errors) == 4, result.output
    assert any(f"{topics / 'syntax.yaml'}:5:13: expected a term" in e for e in errors)
    assert any(f"{topics / 'list.yaml'}:3:20: unknown list @bases" in e for e in errors)
    assert any(f"{topics / 'field.yaml'}:4:8: alert: expected one of" in e for e in errors)
    assert any("zdup.yaml" in e and "already used by" in e for e in errors)
    assert "ok    " + str(topics / "good.yaml") in result.output


def test_explain_prints_the_parsed_tree_and_list_forms(tmp_path):
    topics = write(tmp_path / "topics", {"good.yaml": GOOD})
    lists = write(tmp_path, {"lists.yaml": LISTS}) / "lists.yaml"
    result = runner.invoke(app, ["topics", "explain", "good", "--topics", str(topics), "--lists", str(lists)])
    assert result.exit_code == 0, result.output
    assert "NEAR/10" in result.output and "word التحالف  → تحالف" in result.output
    assert "@moves (2): انسحاب* | withdraw*" in result.output
    missing = runner.invoke(app, ["topics", "explain", "nope", "--topics", str(topics), "--lists", str(lists)])
    assert missing.exit_code == 1 and "no topic 'nope' (topics: good)" in " ".join(missing.output.split())


def test_backtest_counts_matches_per_outlet_and_day_on_the_stored_archive(tmp_path):
    from storage.db import open_db
    from storage.models import Article

    db = tmp_path / "rasid.db"
    url = f"sqlite:///{db}"
    rows = [("erem", "2025-01-05", "انسحاب قوات التحالف من قاعدة", "نص"),
            ("erem", "2025-01-06", "طقس", "بدأ انسحاب التحالف الدولي أمس."),
            ("masalah", "2025-01-06", "Coalition to withdraw", "The coalition will withdraw."),
            ("masalah", "2025-01-07", "رياضة", "فاز الفريق"),
            ("masalah", "2024-12-01", "انسحاب التحالف", "قديم")]
    with open_db(url) as session:
        for number, (outlet, day, title, text) in enumerate(rows):
            session.add(Article(url=f"https://x.example/{number}", outlet_id=outlet, title=title, text=text,
                                content_hash=str(number),
                                published=datetime.fromisoformat(day).replace(tzinfo=timezone.utc)))
    config = write(tmp_path, {"config.yaml": f"database_url: {url}\n"}) / "config.yaml"
    topics = write(tmp_path / "topics", {"good.yaml": GOOD.replace("query:", "enabled: false\nquery:")})
    lists = write(tmp_path, {"lists.yaml": LISTS}) / "lists.yaml"
    result = runner.invoke(app, ["topics", "test", "good", "--since", "2025-01-01", "--json", "--config", str(config),
                                 "--topics", str(topics), "--lists", str(lists)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["scanned"], report["matched"]) == (4, 3)       # disabled topics can be backtested
    assert report["per_outlet"] == {"erem": 2, "masalah": 1}
    assert report["per_day"] == {"2025-01-05": 1, "2025-01-06": 2}
    assert "«انسحاب» قوات «التحالف»" in report["samples"][0]["snippet"]
    readable = runner.invoke(app, ["topics", "test", "good", "--config", str(config), "--topics", str(topics),
                                   "--lists", str(lists)])
    assert readable.exit_code == 0 and "4 of 5 stored articles match" in readable.output
