"""`rasid topics ...`: validate topic files, show how a query is read, backtest it on the archive."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer

from extractors.errors import ConfigError
from flows.cli.app import ConfigOption, console, err_console, settings_from, topics_app, user_errors

TopicsOption = typer.Option(None, "--topics", help="Topics directory (default: settings topics_dir).",
                            file_okay=False)
ListsOption = typer.Option(None, "--lists", help="Term lists file used as @name (default: settings lists_file).",
                           dir_okay=False)


def _lists(lists_file: Optional[Path], settings) -> dict:
    from flows.pipeline.watch import load_lists

    path = lists_file or settings.lists_file
    if lists_file is not None and not Path(lists_file).is_file():
        raise ConfigError("lists file not found", source=str(lists_file))
    return load_lists(path)


@topics_app.command("check")
def check(topics: Optional[Path] = TopicsOption, lists: Optional[Path] = ListsOption,
          config: Optional[Path] = ConfigOption) -> None:
    """Validate every topic file and the lists file; one error per bad file with file:line:column, exit 1 if any."""
    from flows.pipeline.topic_files import load_topics_dir

    with user_errors():
        settings = settings_from(config)
        named = _lists(lists, settings)
        found, errors = load_topics_dir(topics or settings.topics_dir, named)
    for topic in found:
        state = "" if topic.enabled else " (disabled)"
        console.print(f"[green]ok[/]    {topic.source}  {topic.id}{state}", highlight=False, soft_wrap=True)
    for error in errors:
        err_console.print(f"[red]error[/] {error}", highlight=False, soft_wrap=True)
    console.print(f"{len(found)} topic(s) valid, {len(errors)} with errors; {len(named)} list(s)", highlight=False)
    if errors:
        raise typer.Exit(1)


def _find_topic(name: str, topics_dir: Optional[Path], settings, named: dict):
    """A topic by id from the topics directory, or a topic file given by path."""
    from extractors.topics import parse_topic
    from flows.pipeline.topic_files import load_topics_dir
    from flows.pipeline.watch import read_text

    if name.endswith((".yaml", ".yml")) and Path(name).is_file():
        return parse_topic(read_text(Path(name)), name, named)
    found, errors = load_topics_dir(topics_dir or settings.topics_dir, named)
    for topic in found:
        if topic.id == name:
            return topic
    known = ", ".join(topic.id for topic in found) or "none"
    hint = f"; {len(errors)} topic file(s) have errors (run `rasid topics check`)" if errors else ""
    raise ConfigError(f"no topic {name!r} (topics: {known}){hint}", source=str(topics_dir or settings.topics_dir))


@topics_app.command("explain")
def explain_command(topic: str = typer.Argument(..., help="Topic id, or path to a topic YAML file."),
                    topics: Optional[Path] = TopicsOption, lists: Optional[Path] = ListsOption,
                    config: Optional[Path] = ConfigOption) -> None:
    """Print how a topic's query is parsed: the operator tree and the normalized form each word is matched by."""
    from extractors.query import explain, list_refs, parse_query, term_from_text

    with user_errors():
        settings = settings_from(config)
        named = _lists(lists, settings)
        found = _find_topic(topic, topics, settings, named)
        tree = parse_query(found.query, source=found.source)
    console.print(f"[bold]{found.id}[/]  {found.title}  (alert: {found.alert}, "
                  f"{'enabled' if found.enabled else 'disabled'})", highlight=False)
    console.print(explain(tree), highlight=False, markup=False)
    for name in dict.fromkeys(ref.name for ref in list_refs(tree)):
        items = named[name]
        forms = [" ".join(w.form + ("*" if w.prefix else "") for w in
                          term_from_text(item, 0, _list_error, quoted=True).words) for item in items]
        console.print(f"\n@{name} ({len(items)}): " + " | ".join(forms), highlight=False, markup=False)


def _list_error(message: str, offset: int) -> ConfigError:
    return ConfigError(message)


def _parse_since(value: Optional[str]) -> Optional[datetime]:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-01-31") from None


@topics_app.command("test")
def test_command(topic: str = typer.Argument(..., help="Topic id (enabled or not), or path to a topic YAML file."),
                 since: Optional[str] = typer.Option(None, "--since", help="Only articles published on or after "
                                                     "this date (YYYY-MM-DD)."),
                 samples: int = typer.Option(5, "--samples", min=0, help="How many matching snippets to show."),
                 as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
                 topics: Optional[Path] = TopicsOption, lists: Optional[Path] = ListsOption,
                 config: Optional[Path] = ConfigOption) -> None:
    """Backtest a topic on the stored archive: matches per outlet and per day, with sample snippets."""
    from extractors.matcher import TopicMatcher
    from storage.db import open_db
    from storage.repo import iter_articles

    after = _parse_since(since)
    with user_errors():
        settings = settings_from(config)
        named = _lists(lists, settings)
        found = replace(_find_topic(topic, topics, settings, named), enabled=True)
        matcher = TopicMatcher.compile([found], named)
        report = _backtest(matcher, open_db, iter_articles, settings, after, samples)
    report["topic"] = found.id
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print_backtest(report)


def _backtest(matcher, open_db, iter_articles, settings, since, samples: int) -> dict:
    scanned, per_outlet, per_day, shown = 0, Counter(), Counter(), []
    with open_db(settings) as session:
        for article in iter_articles(session, since=since):
            scanned += 1
            hits = matcher.match(article.title or "", article.text or "")
            if not hits:
                continue
            per_outlet[article.outlet_id] += 1
            per_day[article.published.date().isoformat() if article.published else "undated"] += 1
            if len(shown) < samples:
                shown.append({"outlet": article.outlet_id, "title": article.title, "url": article.url,
                              "published": article.published.isoformat() if article.published else None,
                              "terms": list(hits[0].terms), "snippet": hits[0].marked()})
    return {"scanned": scanned, "matched": sum(per_outlet.values()), "per_outlet": dict(per_outlet.most_common()),
            "per_day": dict(sorted(per_day.items())), "samples": shown}


def _print_backtest(report: dict) -> None:
    from rich.table import Table

    console.print(f"[bold]{report['topic']}[/]: {report['matched']} of {report['scanned']} stored articles match",
                  highlight=False)
    if not report["scanned"]:
        console.print("the archive holds no articles in that range (fill it with `rasid poll`, or use the database "
                      "of a `rasid demo --state-dir DIR` run: RASID_STATE_DIR=DIR)", highlight=False)
    for title, key in (("outlet", "per_outlet"), ("day", "per_day")):
        if report[key]:
            table = Table(title=f"matches per {title}")
            table.add_column(title)
            table.add_column("articles", justify="right")
            for name, count in report[key].items():
                table.add_row(name, str(count))
            console.print(table)
    for sample in report["samples"]:
        console.print(f"\n[bold]{sample['title']}[/]  ({sample['outlet']}, {sample['published'] or 'undated'})",
                      highlight=False)
        console.print(f"  {sample['snippet']}", highlight=False, markup=False)
        console.print(f"  {sample['url']}", highlight=False, markup=False)
