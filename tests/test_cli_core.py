"""The command line as a user runs it: demo, match, config show."""

import json

import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


@pytest.mark.usefixtures("prefect_harness")
def test_demo_json_then_nothing_new_on_the_same_state_dir(tmp_path):
    first = runner.invoke(app, ["demo", "--json", "--state-dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["articles_stored"] > 0 and report["alerts"]
    for alert in report["alerts"]:
        assert {"topic", "title", "url", "outlet", "published", "snippet"} <= set(alert)
    assert report["delivered_to_endpoint"] == len(report["alerts"])
    assert not report["nothing_new"]
    wave2 = report["waves"][1]
    assert wave2["alerts"] == 2, "one new development in the second wave, and the first denial of a claim"
    update = next(a for a in report["alerts"] if a["kind"] == "update")
    assert [(v["stance"], v["by"]) for v in update["provenance"]] == [("claim", "صوت الفصائل"),
                                                                        ("denial", "البنتاغون")]
    [copy] = wave2["attached"]  # the republished agency story: attached, counted, not alerted
    assert len(copy["reported_by"]) == 2 and copy["url"] not in {a["url"] for a in report["alerts"]}

    second = runner.invoke(app, ["demo", "--state-dir", str(tmp_path)])
    assert second.exit_code == 0, second.output
    assert "nothing new" in second.stdout
    assert "articles stored: 0, alerts: 0" in second.stdout


def test_match_jsonl(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in [
        {"id": "a", "title": "انسحاب قوات التحالف الدولي من قاعدة عين الأسد",
         "text": "أعلنت الحكومة العراقية بدء انسحاب قوات التحالف الدولي من قاعدة عين الأسد."},
        {"id": "b", "title": "مباراة كرة القدم", "text": "فاز المنتخب العراقي على نظيره الكويتي."},
    ]), encoding="utf-8")
    result = runner.invoke(app, ["match", str(docs), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert "coalition-withdrawal" in {t["id"] for t in lines[0]["topics"]}
    assert lines[0]["topics"][0]["snippet"] and lines[0]["topics"][0]["terms"]
    assert lines[1]["topics"] == []


def test_config_show_masks_channel_secrets(monkeypatch):
    monkeypatch.setenv("RASID_CHANNELS__OPS", "tgram://123456:SECRETTOKEN/987")
    monkeypatch.setenv("RASID_FETCH__ALLOW_NETWORKS", "127.0.0.1/32")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0, result.output
    assert "SECRETTOKEN" not in result.stdout
    shown = json.loads(result.stdout)
    assert "ops" in shown["channels"] and shown["fetch"]["allow_networks"] == ["127.0.0.1/32"]


def test_bad_settings_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "rasid.yaml"
    bad.write_text("fetch:\n  timeout_s: -3\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "show", "--config", str(bad)])
    assert result.exit_code == 1
    assert str(bad) in result.output and "timeout_s" in result.output
    assert "Traceback" not in result.output


def test_broken_settings_yaml_gives_position_but_never_quotes_the_line(tmp_path):
    bad = tmp_path / "rasid.yaml"
    bad.write_text("channels:\n  ops: tgram://123:SECRETTOKEN/9\n  x: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "show", "--config", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "SECRETTOKEN" not in result.output
