"""`rasid stories`: group articles into stories, as the pipeline does, for evaluation and inspection."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Iterator

import typer

from extractors.errors import ConfigError
from flows.cli.app import app, console, user_errors
from flows.settings import SEEDS_DIR


def read_docs(path: Path) -> Iterator[dict]:
    """JSONL lines {"id", "title", "text", "published"?}; a bad line names its number."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                published = doc.get("published")
                doc["published"] = datetime.fromisoformat(published) if published else None
                if not isinstance(doc.get("id"), (str, int)):
                    raise ValueError("missing 'id'")
            except ValueError as exc:
                raise ConfigError(f"bad document line: {exc}", source=str(path), line=number) from None
            yield doc


@app.command()
def stories(
    docs: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help='JSONL, one article per line: {"id", "title", "text", "published"?} '
                                     "(published in ISO 8601). Read in order, like a stream of polls."),
    as_json: bool = typer.Option(False, "--json", help='Print one line per input: {"id", "story"}.'),
    gazetteer: Path = typer.Option(SEEDS_DIR / "gazetteer.yaml", dir_okay=False,
                                   help="Entity gazetteer (YAML) whose bilingual names link copies."),
    places: Path = typer.Option(SEEDS_DIR / "places.tsv", dir_okay=False,
                                help="Place table (TSV, seeds/make_places.py) added to the gazetteer, so two "
                                     "places of it named by two articles tell two events; a missing file: none."),
    window_hours: float = typer.Option(72.0, help="Only articles published this close are compared."),
) -> None:
    """Group articles into stories: one story per development, however each outlet worded it."""
    from datetime import timedelta

    from extractors.entities import parse_gazetteer
    from extractors.grouping import StoryGrouper
    from extractors.places import parse_places

    with user_errors():
        gaz = parse_gazetteer(gazetteer.read_text(encoding="utf-8"), str(gazetteer))
        if places.is_file():
            gaz = gaz.with_places(parse_places(places.read_text(encoding="utf-8"), str(places)))
        grouper = StoryGrouper(gaz, window=timedelta(hours=window_hours))
        for doc in read_docs(docs):
            story = grouper.add(str(doc["id"]), doc.get("title") or "", doc.get("text") or "", doc["published"])
            if as_json:
                print(json.dumps({"id": doc["id"], "story": story}, ensure_ascii=False))
            else:
                console.print(f"{story:>5}  {doc['id']}  {(doc.get('title') or '')[:90]}", highlight=False)
