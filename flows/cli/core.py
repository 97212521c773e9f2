"""Core commands: demo, poll, match, relay, runs, alerts, config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

import typer
from rich.panel import Panel
from rich.table import Table

from flows.cli.app import ConfigOption, app, console, err_console, settings_from, user_errors
from flows.ops import prefect_env


_STANCE_WORDS = {"claim": "claimed", "confirmation": "confirmed", "denial": "denied"}


def _outlets(names: list[str]) -> str:
    """"1 outlets" reads wrong; the count helps only when there are several."""
    return names[0] if len(names) == 1 else f"{len(names)} outlets: {'، '.join(names)}"


def _provenance(voices: list[dict]) -> str:
    """«claimed by X (outlet, 02:41) · denied by Y (outlet, 11:47)», times in each outlet's own offset."""
    return " · ".join(f"{_STANCE_WORDS.get(v['stance'], v['stance'])} by {v['by']} ({v['outlet']}, {v['at'][11:16]})"
                      for v in voices)


@app.command()
def demo(
    state_dir: Optional[Path] = typer.Option(None, help="Keep the database here (default: a new temporary dir). "
                                             "A second run on the same dir stores and alerts nothing new."),
    database_url: Optional[str] = typer.Option(None, help="Use this database instead (e.g. postgresql://...)."),
    workers: int = typer.Option(1, min=1, max=8, help="Poll each wave with this many `rasid poll` processes at "
                                "once; the report counts duplicates (there must be none)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of the readable report."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's flow and task logs."),
) -> None:
    """Run the whole pipeline offline against replayed outlets (two waves) and print the alerts."""
    prefect_env.apply(quiet=not verbose)
    from flows.replay.demo import run_demo

    with user_errors():
        if not as_json:
            err_console.print("[dim]polling the replayed outlets (Prefect local mode starts in ~15 s)…[/]")
        report = run_demo(state_dir, database_url, workers)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print_demo(report)


def _print_demo(report: dict) -> None:
    for wave in report["waves"]:
        console.rule(f"{wave['wave']}: {wave['stored']} stored, {wave['alerts']} alerts, "
                     f"{wave['copies_attached']} copies of known stories")
        for alert in (a for a in report["alerts"] if a["wave"] == wave["wave"]):
            link = unquote(alert["url"])  # Arabic slugs readable; terminals link the IRI as well
            body = (f"[bold]{alert['title']}[/]\n{alert['outlet']} · {alert['published']}\n"
                    f"«{alert['snippet']}»\n[blue]{link}[/]")
            if alert["also_reported_by"]:
                body += f"\nalso reported by: {', '.join(alert['also_reported_by'])}"
            if alert.get("provenance"):
                body += "\n" + _provenance(alert["provenance"])
            if alert.get("entities"):
                body += "\n[dim]" + "، ".join(alert["entities"][:8]) + "[/]"
            console.print(Panel(body, title=f"{alert['kind']} · {alert['topic']}", title_align="right"))
        for copy in wave["attached"]:
            console.print(f"[dim]no alert[/] · {copy['outlet']}: «{copy['title']}» joins the story "
                          f"«{copy['story']}» — carried so far by {_outlets(copy['reported_by'])}")
        for error in wave["errors"]:
            err_console.print(f"[yellow]warning[/]: {error}")
    if report["workers"] > 1:
        console.print(f"pollers per wave: {report['workers']}, duplicates found: {report['duplicates']}")
    console.print(f"\narticles stored: {report['articles_stored']}, alerts: {len(report['alerts'])}, "
                  f"delivered to the local endpoint: {report['delivered_to_endpoint']}, copies joining known "
                  f"stories: {report['copies_attached']}\nstate: {report['state_dir']}")
    if report["nothing_new"]:
        console.print("[green]nothing new[/]: every article in this state dir was already stored and alerted.")


@app.command()
def poll(config: Optional[Path] = ConfigOption,
         outlet: Optional[list[str]] = typer.Option(None, "--outlet", "-o", help="Only these outlet ids."),
         as_json: bool = typer.Option(False, "--json", help="Print the poll's counts as JSON."),
         quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress line and no table; errors only.")) -> None:
    """Poll the configured outlets once (real network), store new articles and send due alerts.

    Shows a progress line (outlets polled, pages fetched, matches found) on a terminal.
    """
    prefect_env.apply(quiet=as_json or quiet)
    from flows.pipeline.progress import run_poll

    with user_errors():
        settings = settings_from(config)
        summary = run_poll(settings, outlet, show=not (as_json or quiet) and err_console.is_terminal)
    counts = {r.outlet_id: r.counts() for r in summary.outlets}
    if as_json:
        print(json.dumps({"outlets": counts, "alerts_sent": len(summary.relay.sent),
                          "config_errors": summary.config_errors}, ensure_ascii=False, default=str))
        return
    if quiet:
        return
    table = Table("outlet", "discovered", "new", "stored", "matched", "alerts", "failed")
    for r in summary.outlets:
        table.add_row(r.outlet_id, *(str(getattr(r, k)) for k in ("discovered", "new", "stored", "matched",
                                                                    "alerts", "failed")))
    console.print(table)
    console.print(f"alerts sent: {len(summary.relay.sent)}")


@app.command()
def match(docs: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSONL: {\"id\", \"title\", \"text\"} per line."),
          topics: Optional[Path] = typer.Option(None, "--topics", help="Topics directory (default: settings)."),
          config: Optional[Path] = ConfigOption,
          as_json: bool = typer.Option(False, "--json", help="One JSON line per input: {\"id\", \"topics\": [...]}.")) -> None:
    """Match documents against the topics; prints which topics each document matches and why."""
    from extractors.matcher import TopicMatcher
    from flows.pipeline.topic_files import load_topics_dir
    from flows.pipeline.watch import load_lists

    with user_errors():
        settings = settings_from(config)
        lists = load_lists(settings.lists_file)
        found, errors = load_topics_dir(topics or settings.topics_dir, lists)
        for error in errors:
            err_console.print(f"[red]topic skipped[/]: {error}")
        matcher = TopicMatcher.compile(found, lists)
    for number, line in enumerate(docs.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            hits = matcher.match(doc.get("title") or "", doc.get("text") or "")
        except (ValueError, AttributeError) as exc:
            err_console.print(f"[red]error[/]: {docs}:{number}: not a JSON object ({exc})")
            continue
        out = {"id": doc.get("id"), "topics": [{"id": h.topic_id, "snippet": h.snippet, "terms": list(h.terms)}
                                              for h in hits]}
        if as_json:
            print(json.dumps(out, ensure_ascii=False))
        else:
            console.print(f"[bold]{out['id']}[/]: " + (", ".join(h.topic_id for h in hits) or "no topic"))
            for h in hits:
                console.print(f"  {h.topic_id}: {h.marked('[', ']')}")


@app.command("relay")
def relay_command(config: Optional[Path] = ConfigOption) -> None:
    """Deliver due alerts from the outbox (retries failed ones whose backoff has passed)."""
    from flows.alerts.relay import deliver_due
    from flows.pipeline.watch import load_watch

    with user_errors():
        settings = settings_from(config)
        report = deliver_due(settings, load_watch(settings))
    console.print(f"sent {len(report.sent)}, will retry {report.retried}, failed {report.failed}")


@app.command("digest")
def digest_command(config: Optional[Path] = ConfigOption) -> None:
    """Send the digest now: follow-ups and digest-policy stories, one message per channel."""
    from flows.alerts.digest import deliver_digest

    with user_errors():
        report = deliver_digest(settings_from(config))
    console.print(f"digest: {report.messages} message(s), {report.stories} stories, "
                  f"{report.failed_channels} channel(s) failed (retried next time)")


config_app = typer.Typer(help="Show the effective settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(config: Optional[Path] = ConfigOption) -> None:
    """Print the effective settings (file, .env, RASID_* variables) with secrets masked."""
    with user_errors():
        settings = settings_from(config)
    print(json.dumps(settings.model_dump(mode="json"), ensure_ascii=False, indent=2, default=str))


