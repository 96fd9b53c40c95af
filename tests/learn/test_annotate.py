"""Label Studio round-trip (pipeline/learn/annotate.py): gold → tasks → gold, unchanged."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT

from pipeline.learn import annotate as an
from pipeline.learn import evaluate as ev

GOLD = ROOT / "corpus" / "gold"
TEXT_GOLD = sorted(GOLD.glob("team*.json"))  # the gold files that carry their text
ASTRAL = "\U00020000"  # 𠀀, CJK Extension B: two UTF-16 code units, one Python character


def ls_roundtrip(task: dict[str, Any]) -> dict[str, Any]:
    """What Label Studio hands back: the task as JSON, the pre-annotation submitted as the
    annotation (Label Studio keeps the region ids of predictions it copies)."""
    task = json.loads(json.dumps(task, ensure_ascii=False))
    task["id"] = 1
    body = (task.get("predictions") or task.get("annotations"))[0]
    task["annotations"] = [{"id": 7, "result": body["result"], "was_cancelled": False,
                            "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-29T10:00:00Z"}]
    return task


def nonbmp_gold() -> dict[str, Any]:
    text = f"{ASTRAL}县2024年第1季度新建高标准农田😀0.7万亩，完成全年任务的23.4%，{ASTRAL}比上年增长5%。"
    def span(s: str, occ: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(occ + 1):
            i = text.index(s, i + 1)
        return i, i + len(s)
    q = dict(task=None, low=None, high=None, unit_inferred=False, qualifier="=", target=None,
             of=None, change_of=None, date=None)
    s1, e1 = span("0.7万亩")
    s2, e2 = span("23.4%")
    s3, e3 = span("5%")
    sd, ed = span("2024年第1季度")
    quantities = [
        dict(q, id="Q1", start=s1, end=e1, text="0.7万亩", value=7000.0, unit="亩", written_unit="万亩",
             kind="area", role="actual", indicator=f"新建高标准农田{ASTRAL}", date="D1"),
        dict(q, id="Q2", start=s2, end=e2, text="23.4%", value=23.4, unit="%", written_unit="%",
             kind="percent", role="rate", indicator="完成全年任务", of="Q1"),
        dict(q, id="Q3", start=s3, end=e3, text="5%", value=5.0, unit="%", written_unit="%",
             kind="percent", role="change", indicator="增长", change_of="Q1"),
    ]
    quantities = [{k: m[k] for k in an.QUANTITY_FIELDS} for m in quantities]
    dates = [dict(id="D1", task=None, start=sd, end=ed, text="2024年第1季度", start_date="2024-01-01",
                  end_date="2024-03-31", grain="quarter")]
    return {"doc_id": "nonbmp", "source": "tests/nonbmp", "text": text, "genre": "narrative",
            "period": {"start_date": "2024-01-01", "end_date": "2024-03-31"}, "tasks": [],
            "quantities": quantities, "dates": dates}


# --------------------------------------------------------------------------- offsets

def test_utf16_offsets_count_astral_characters_twice() -> None:
    text = f"a{ASTRAL}b😀c"
    assert an.to_utf16_offsets(text, range(len(text) + 1)) == [0, 1, 3, 4, 6, 7]
    assert [an.from_utf16_offset(text, u) for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    assert len(text.encode("utf-16-le")) // 2 == 7  # what JavaScript's length says
    with pytest.raises(ValueError, match="not a character boundary"):
        an.from_utf16_offset(text, 2)  # inside the surrogate pair of 𠀀
    with pytest.raises(ValueError):
        an.from_utf16_offset(text, 8)


def test_nonbmp_export_writes_javascript_offsets() -> None:
    gold = nonbmp_gold()
    assert ev.validate_gold(gold) == []
    task = an.to_task(gold)
    regions = {r["id"]: r["value"] for r in task["predictions"][0]["result"] if r["type"] == "labels"}
    text = gold["text"]
    js = text.encode("utf-16-le")
    for q in gold["quantities"]:
        v = regions[q["id"]]
        assert v["text"] == q["text"]
        assert v["start"] == q["start"] + text[:q["start"]].count(ASTRAL) + text[:q["start"]].count("😀")
        assert v["start"] != q["start"]
        # the JavaScript slice of the text at those positions is the mention
        assert js[2 * v["start"]:2 * v["end"]].decode("utf-16-le") == q["text"]


def test_nonbmp_gold_round_trips_unchanged() -> None:
    gold = nonbmp_gold()
    back = an.from_task(ls_roundtrip(an.to_task(gold)))
    assert back == gold
    assert an.gold_json(back) == json.dumps(gold, ensure_ascii=False, indent=1) + "\n"


def test_code_point_offsets_from_other_label_studio_versions_are_read_too() -> None:
    gold = nonbmp_gold()
    task = ls_roundtrip(an.to_task(gold))
    for r in task["annotations"][0]["result"]:
        if "value" in r and "start" in r["value"]:
            by_id = {m["id"]: m for m in gold["quantities"] + gold["dates"]}
            r["value"]["start"], r["value"]["end"] = by_id[r["id"]]["start"], by_id[r["id"]]["end"]
    assert an.from_task(task) == gold


def test_offsets_that_match_neither_reading_are_refused() -> None:
    task = ls_roundtrip(an.to_task(nonbmp_gold()))
    region = next(r for r in task["annotations"][0]["result"] if r["type"] == "labels")
    region["value"]["start"] += 1
    with pytest.raises(an.AnnotateError, match="does not match the task text"):
        an.from_task(task)


# --------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("path", TEXT_GOLD + [GOLD / "seed.json"], ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", ["predictions", "annotations"])
def test_gold_round_trips_byte_for_byte(path: Path, kind: str) -> None:
    gold = ev.load_gold(path)
    if gold is None:
        pytest.skip("standoff gold (seed.json) and ../shared is absent")
    back = an.from_task(ls_roundtrip(an.to_task(gold, kind)))
    assert an.gold_json(back) == path.read_text(encoding="utf-8")


def test_every_gold_file_round_trips_as_json() -> None:
    checked = 0
    for path in sorted(GOLD.glob("*.json")):
        gold = ev.load_gold(path)
        if gold is None:  # standoff, ../shared absent
            continue
        back = an.from_task(ls_roundtrip(an.to_task(gold)))
        assert json.loads(an.gold_json(back)) == json.loads(path.read_text(encoding="utf-8")), path.name
        checked += 1
    assert checked >= len(TEXT_GOLD)
    if checked == len(TEXT_GOLD):
        pytest.skip("../shared is absent: only the gold with its text was checked")
    assert checked == len(list(GOLD.glob("*.json")))


def test_standoff_gold_round_trips_without_its_text() -> None:
    path = GOLD / "gwr2019.json"
    gold = ev.load_gold(path)
    if gold is None:
        pytest.skip("../shared is absent: the standoff gold's text is there")
    back = an.from_task(ls_roundtrip(an.to_task(gold)))
    written = an.gold_json(back)
    assert "text" not in json.loads(written)
    assert json.loads(written) == json.loads(path.read_text(encoding="utf-8"))


def test_cli_round_trip_and_eval_reads_the_result(tmp_path: Path) -> None:
    src = GOLD / "team01.json"
    tasks = tmp_path / "tasks.json"
    run = [sys.executable, "-m", "pipeline.apps.cli"]
    out = subprocess.run(run + ["annotate", "export", str(src), "--out", str(tasks)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    (tmp_path / "export.json").write_text(json.dumps([ls_roundtrip(t) for t in exported],
                                                     ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(run + ["annotate", "import", "export.json", "--out", "gold"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    written = tmp_path / "gold" / "team01.json"
    assert written.read_bytes() == src.read_bytes()
    docs, skipped = ev.load_docs([written])  # what `zhibiao eval gold/team01.json` reads
    assert [d["doc_id"] for d in docs] == ["team01"] and skipped == []
    out = subprocess.run(run + ["eval", str(written), "--extractor", "pattern"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "quantity" in out.stdout


# --------------------------------------------------------------------------- corrections

def test_a_relation_drawn_backwards_is_turned_around() -> None:
    gold = ev.load_gold(GOLD / "team01.json")
    task = ls_roundtrip(an.to_task(gold))
    rel = next(r for r in task["annotations"][0]["result"] if r["type"] == "relation")
    rel["from_id"], rel["to_id"], rel["direction"] = rel["to_id"], rel["from_id"], "left"
    assert an.gold_json(an.from_task(task)) == (GOLD / "team01.json").read_text(encoding="utf-8")


def test_corrections_come_back_as_gold() -> None:
    gold = ev.load_gold(GOLD / "team01.json")
    assert gold is not None
    task = ls_roundtrip(an.to_task(gold))
    result = task["annotations"][0]["result"]
    # the annotator deletes Q2 and the region of 1800亩 (with their fields and relations),
    # relabels Q1 as actual, and draws 1800亩 again with its fields and a date relation
    redrawn = next(q["id"] for q in gold["quantities"] if q["text"] == "1800亩")
    gone = {"Q2", redrawn}
    result[:] = [r for r in result if r.get("id") not in gone and not gone & {r.get("from_id"), r.get("to_id")}]
    for r in result:
        if r.get("id") == "Q1" and r["type"] == "labels":
            r["value"]["labels"] = ["actual"]
    text = gold["text"]
    s = text.index("1800亩")
    new = "xY3_kq9Lm0"  # Label Studio's ids for new regions look like this
    val = {"start": s, "end": s + len("1800亩")}
    result += [
        {"id": new, "from_name": "label", "to_name": "text", "type": "labels",
         "value": dict(val, text="1800亩", labels=["actual"])},
        {"id": new, "from_name": "value", "to_name": "text", "type": "textarea", "value": dict(val, text=["1800"])},
        {"id": new, "from_name": "unit", "to_name": "text", "type": "textarea", "value": dict(val, text=["亩"])},
        {"id": new, "from_name": "written_unit", "to_name": "text", "type": "textarea", "value": dict(val, text=["亩"])},
        {"id": new, "from_name": "kind", "to_name": "text", "type": "choices", "value": dict(val, choices=["area"])},
        {"id": new, "from_name": "qualifier", "to_name": "text", "type": "choices", "value": dict(val, choices=["="])},
        {"id": new, "from_name": "indicator", "to_name": "text", "type": "textarea", "value": dict(val, text=["改造提升"])},
        {"from_id": new, "to_id": "D2", "type": "relation", "direction": "right", "labels": ["date"]},
    ]
    back = an.from_task(task)
    assert ev.validate_gold(back) == []
    by_text = {q["text"]: q for q in back["quantities"]}
    assert "1.2\n万亩" not in by_text  # Q2 deleted
    added = by_text["1800亩"]
    n = max(int(q["id"][1:]) for q in gold["quantities"] if q["id"] not in gone)
    assert added["id"] == f"Q{n + 1}"  # numbered on after the kept ids
    assert (added["value"], added["unit"], added["role"], added["date"], added["task"]) == (1800.0, "亩", "actual", "D2", "T1")
    assert by_text["3.5万亩"]["role"] == "actual"
    assert [q["start"] for q in back["quantities"]] == sorted(q["start"] for q in back["quantities"])


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.__setitem__(slice(None), [x for x in r if not (x.get("id") == "Q1" and x.get("from_name") == "kind")]),
     "kind None"),
    (lambda r: next(x for x in r if x.get("id") == "Q1" and x.get("from_name") == "value")["value"].__setitem__("text", ["三万"]),
     "is not a number"),
    (lambda r: next(x for x in r if x.get("id") == "Q1" and x["type"] == "labels")["value"].__setitem__("labels", ["actual", "rate"]),
     "exactly one label"),
    (lambda r: r.append({"from_id": "Q1", "to_id": "gone", "type": "relation", "labels": ["target"]}),
     "deleted region"),
    (lambda r: r.append({"from_id": "Q1", "to_id": "Q2", "type": "relation", "direction": "right", "labels": []}),
     "has no label"),
    (lambda r: r.append({"from_id": "Q1", "to_id": "Q2", "type": "relation", "labels": ["part_of"]}),
     "is not one of"),
    (lambda r: r.append({"from_id": "D1", "to_id": "Q2", "type": "relation", "labels": ["of"]}),
     "links start at a quantity"),
])
def test_bad_corrections_get_one_sentence(edit: Any, message: str) -> None:
    gold = ev.load_gold(GOLD / "team01.json")
    task = ls_roundtrip(an.to_task(gold))
    edit(task["annotations"][0]["result"])
    with pytest.raises(an.AnnotateError, match=message):
        an.from_task(task)


@pytest.mark.parametrize("content, message", [
    ("not json", "not a Label Studio JSON export"),
    ('[{"no": "data"}]', "not a Label Studio JSON export"),
    ('[{"data": {"text": "x"}, "annotations": []}]', "no submitted annotation"),
    ('[{"data": {"text": "x"}, "annotations": {"result": []}}]', "is not a list of results"),
    ('[{"data": {"text": "x"}, "annotations": [{"result": [{"id": "a", "type": "labels", '
     '"from_name": "label", "value": {"labels": ["actual"]}}]}]}]', "has no start and end"),
])
def test_cli_bad_exports_exit_nonzero_without_traceback(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline.apps.cli", "annotate", "import", str(bad),
                          "--out", str(tmp_path / "gold")], capture_output=True, text=True)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "gold").exists()


def test_cli_import_into_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps([ls_roundtrip(an.to_task(nonbmp_gold()))], ensure_ascii=False),
                      encoding="utf-8")
    blocker = tmp_path / "gold"
    blocker.write_text("a file", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline.apps.cli", "annotate", "import", str(export),
                          "--out", str(blocker)], capture_output=True, text=True)
    assert out.returncode == 2 and "choose another --out" in out.stderr and "Traceback" not in out.stderr


def test_cli_export_of_a_missing_file_or_folder(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "pipeline.apps.cli", "annotate", "export"]
    out = subprocess.run(run + [str(tmp_path / "none.json")], capture_output=True, text=True)
    assert out.returncode == 2 and "is not a file" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run(run + [str(GOLD / "team01.json"), "--out", str(tmp_path / "no" / "t.json")],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "does not exist" in out.stderr and "Traceback" not in out.stderr


# --------------------------------------------------------------------------- predictions

def test_documents_export_as_predictions_and_import_as_valid_gold(tmp_path: Path) -> None:
    tasks = an.export_tasks([str(ROOT / "samples" / "seed_2024q2.txt")])
    assert len(tasks) == 1 and "predictions" in tasks[0]
    result = tasks[0]["predictions"][0]["result"]
    labels = [r["value"]["labels"][0] for r in result if r["type"] == "labels"]
    assert {"target", "actual", "rate", "date", "task"} <= set(labels)
    assert any(r["type"] == "relation" and r["labels"] == ["target"] for r in result)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    [path] = an.import_export(export, tmp_path / "gold", use="predictions")
    gold = ev.load_gold(path)
    assert gold is not None and ev.validate_gold(gold) == []
    assert "confidence" not in gold["quantities"][0]  # gold fields only
    truth = ev.load_gold(GOLD / "seed.json")
    assert truth is not None
    assert {(q["start"], q["end"]) for q in gold["quantities"]} == {(q["start"], q["end"]) for q in truth["quantities"]}


# --------------------------------------------------------------------------- Label Studio's own reader

def test_label_studio_converter_reads_the_config_and_the_tasks(tmp_path: Path) -> None:
    converter = pytest.importorskip("label_studio_converter", reason="pip install 'zhibiao[test]'")
    from label_studio_converter.utils import parse_config
    schema = parse_config(an.label_config())
    assert schema["label"]["type"] == "Labels"
    assert set(schema["label"]["labels"]) == {*an.ROLE_LABELS, "date", "task"}
    assert set(schema["qualifier"]["labels"]) == set(ev.QUALIFIERS)
    gold = nonbmp_gold()
    task = ls_roundtrip(an.to_task(gold))
    types = {"labels": "Labels", "textarea": "TextArea", "choices": "Choices"}
    for r in task["annotations"][0]["result"]:
        if r["type"] == "relation":
            continue
        tag = schema[r["from_name"]]
        assert tag["type"] == types[r["type"]] and tag["to_name"] == ["text"]
        for v in r["value"].get("labels", []) + r["value"].get("choices", []):
            assert v in tag["labels"]
    src = tmp_path / "export.json"
    src.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    conv = converter.Converter(an.label_config(), str(tmp_path))
    conv.convert(str(src), str(tmp_path / "min"), "JSON_MIN", is_dir=False)
    [record] = json.loads((tmp_path / "min" / "result.json").read_text(encoding="utf-8"))
    assert sorted(s["text"] for s in record["label"]) == sorted(
        m["text"] for m in gold["quantities"] + gold["dates"])
    assert record["value"] == ["7000", "23.4", "5"]  # the per-region values, as JSON_MIN prints them
    assert record["grain"] == "quarter"


def test_label_config_is_printed() -> None:
    out = subprocess.run([sys.executable, "-m", "pipeline.apps.cli", "annotate", "config"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout == an.label_config()
    assert '<Choice value="&lt;="/>' in out.stdout


def test_export_keeps_the_gold_untouched() -> None:
    gold = ev.load_gold(GOLD / "team02.json")
    before = copy.deepcopy(gold)
    an.to_task(gold)
    assert gold == before
