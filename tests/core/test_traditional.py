"""Traditional-Chinese reports read as well as simplified ones (issue 15).

* The script fold (pipeline/core/normalize.py, OpenCC t2s one character for one): length kept,
  idempotent, simplified text unchanged.
* Golden cases in traditional characters (tests/golden/traditional.toml), each also
  against its simplified twin.
* With ../shared: the real narrative documents of the train and dev splits, converted to
  traditional with OpenCC s2t one character for one (offsets stay), their gold copied
  with the converted text; value+unit F1 on them must be at least 0.97 of the figure on
  the simplified originals.  And each real traditional document of the corpus must score
  as its simplified twin does.

Run as a script to write the converted gold files and print both figures:
``python tests/core/test_traditional.py /tmp/hant`` (then ``zhibiao eval /tmp/hant/*.json``).
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import opencc
import pytest
import tomllib
from helpers import ROOT

import pipeline
from pipeline.core.normalize import fold, fold_chars, script_fold, simplify
from pipeline.learn import evaluate

CASES = ROOT / "tests" / "golden" / "traditional.toml"
SHARED = evaluate.resolve_shared_root()  # ../shared, or $ZHIBIAO_SHARED
REAL_TRADITIONAL = ("real-notices-08", "real-plans-10", "real-plans-12")
MIN_RATIO = 0.97
REFERENCE = "2024-07-01"
FIELDS = ("text", "unit", "written_unit", "kind", "qualifier", "role")
TWIN_FIELDS = ("start", "end", "value", "low", "high", "unit", "written_unit", "kind",
               "qualifier", "role", "indicator_key", "target", "of", "change_of", "date")


# --------------------------------------------------------------------------- conversion

@functools.cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """OpenCC s2t one character for one (a character whose conversion is not one
    character stays as it is), so every offset into ``text`` holds in the result."""
    conv = _s2t()
    return "".join(out if len(out := conv.convert(ch)) == 1 else ch for ch in text)


def traditional_gold(gold: dict) -> dict:
    """A copy of a loaded gold document over its text converted to traditional: the
    mentions' text and indicators converted the same way, everything else unchanged."""
    text = to_traditional(gold["text"])
    out = {k: v for k, v in gold.items() if k not in ("source", "text_sha256", "_document")}
    out["text"] = text
    out["source"] = f"OpenCC s2t of {gold['source']['file']}" if isinstance(
        gold.get("source"), dict) else "OpenCC s2t"
    for layer in ("quantities", "dates"):
        out[layer] = [dict(m, text=text[m["start"]:m["end"]]) for m in gold.get(layer, [])]
    out["quantities"] = [dict(q, indicator=to_traditional(q["indicator"]) if q.get("indicator")
                              else q.get("indicator")) for q in out["quantities"]]
    return out


def narrative_ids(splits: tuple[str, ...] = ("train", "dev")) -> list[str]:
    """The real (../shared) narrative documents of the given splits."""
    layouts = {}
    for line in (ROOT / "corpus" / "sources.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        layouts[rec["doc_id"]] = rec.get("layout")
    return [d for s in splits for d in evaluate.split_doc_ids(s)
            if d.startswith("real-") and layouts.get(d) == "narrative"]


def load_real(ids: list[str]) -> list[dict]:
    docs = [evaluate.load_gold(ROOT / "corpus" / "gold" / f"{d}.json", SHARED) for d in ids]
    return [d for d in docs if d is not None]


def value_unit_f1(docs: list[dict]) -> float:
    return float(evaluate.run_evaluation(docs)["overall"]["value_unit_f1"])


needs_shared = pytest.mark.skipif(not (SHARED / "corpus" / "real").is_dir(),
                                  reason="../shared (the real corpus) is absent")


# --------------------------------------------------------------------------- the fold

def test_opencc_folds_what_the_old_hand_table_folded():
    assert simplify("萬億兩點為畝噸個項處間場張臺輛負幾對") == "万亿两点为亩吨个项处间场张台辆负几对"


def test_issue_words_fold():
    assert fold_chars("統計 億元 同比增長 個百分點 萬畝 下降 約 餘") == \
        "统计 亿元 同比增长 个百分点 万亩 下降 约 余"


def test_simplified_characters_stay():
    # 坏 is simplified (壞) though t2s reads it as the old variant of 坯; 著 is both
    assert simplify("破坏耕地，显著改善，干部，发展") == "破坏耕地，显著改善，干部，发展"
    seed = (ROOT / "samples" / "seed_2024q2.txt").read_text(encoding="utf-8")
    assert simplify(seed) == seed


def test_every_han_character_folds_one_for_one_and_idempotently():
    han = "".join(chr(cp) for cp in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000),
                                     *range(0xF900, 0xFB00)))
    once = fold_chars(han)
    assert len(once) == len(han)
    assert fold_chars(once) == once
    assert all(len(script_fold(ch)) == 1 for ch in "乾於後髮發麵裡鐘")


def test_view_maps_traditional_spans_back():
    v = fold("完成投資\n3.5億元，佔比約\n４０％")
    assert v.folded == "完成投资3.5亿元，占比约40%"
    s, e = v.span(v.folded.index("3.5"), v.folded.index("，"))
    assert v.text[s:e] == "3.5億元"
    assert v.written(0, len(v.folded)) == "完成投資3.5億元，佔比約40%"
    assert v.as_written("完成投资", v.folded.index("3.5")) == "完成投資"
    assert v.as_written("无此短语", len(v.folded)) == "无此短语"


# --------------------------------------------------------------------------- golden cases

def _cases() -> list:
    with CASES.open("rb") as fh:
        cases = tomllib.load(fh)["case"]
    return [pytest.param(c, id=c["id"]) for c in cases]


def _extract(text: str) -> list[dict]:
    return pipeline.extract(text, reference_date=REFERENCE)["quantities"]


@pytest.mark.parametrize("case", _cases())
def test_golden_traditional(case):
    got = _extract(case["text"])
    assert [q["text"] for q in got] == [e["text"] for e in case["q"]]
    for q, e in zip(got, case["q"]):
        assert {k: q[k] for k in FIELDS} == {k: e[k] for k in FIELDS}, q["text"]
        assert q["value"] == pytest.approx(e["value"], rel=1e-9), q["text"]
        assert case["text"][q["start"]:q["end"]] == e["text"]
        if "indicator_key" in e:  # in simplified script, whatever the text's script
            assert q["indicator_key"] == e["indicator_key"], q["text"]


@pytest.mark.parametrize("case", _cases())
def test_traditional_reads_as_its_simplified_twin(case):
    got, twin = _extract(case["text"]), _extract(simplify(case["text"]))
    assert [{k: q[k] for k in TWIN_FIELDS} for q in got] == \
        [{k: q[k] for k in TWIN_FIELDS} for q in twin]


@pytest.mark.parametrize("case", [c for c in _cases()
                                  if any("indicator" in e for e in c.values[0]["q"])])
def test_indicator_as_written(case):
    got = {q["text"]: q["indicator"] for q in _extract(case["text"])}
    assert {e["text"]: e["indicator"] for e in case["q"] if "indicator" in e} == \
        {e["text"]: got.get(e["text"]) for e in case["q"] if "indicator" in e}


# --------------------------------------------------------------------------- ../shared

@needs_shared
@pytest.mark.slow
def test_converted_narratives_keep_value_unit_f1():
    simplified = load_real(narrative_ids())
    assert len(simplified) >= 20
    traditional = [traditional_gold(g) for g in simplified]
    assert all(len(t["text"]) == len(s["text"]) for t, s in zip(traditional, simplified))
    assert sum(t["text"] != s["text"] for t, s in zip(traditional, simplified)) >= 20
    simp_f1, trad_f1 = value_unit_f1(simplified), value_unit_f1(traditional)
    assert simp_f1 > 0.5
    assert trad_f1 >= MIN_RATIO * simp_f1, (trad_f1, simp_f1)


@needs_shared
@pytest.mark.slow
@pytest.mark.parametrize("doc_id", REAL_TRADITIONAL)
def test_real_traditional_document_scores_as_its_simplified_twin(doc_id):
    (gold,) = load_real([doc_id])
    assert simplify(gold["text"]) != gold["text"]  # it is written in traditional
    twin = dict(gold, text=simplify(gold["text"]))
    as_written, simplified = evaluate.run_evaluation([gold]), evaluate.run_evaluation([twin])
    for key in ("quantity_strict_f1", "value_unit_f1", "qualifier_accuracy", "date_strict_f1"):
        assert as_written["overall"].get(key) == simplified["overall"].get(key), key


# --------------------------------------------------------------------------- as a script

def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/core/test_traditional.py OUT_DIR", file=sys.stderr)
        return 2
    if not (SHARED / "corpus" / "real").is_dir():
        print(f"{SHARED} is absent: put the shared data beside the project or set ZHIBIAO_SHARED",
              file=sys.stderr)
        return 1
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    simplified = load_real(narrative_ids())
    traditional = [traditional_gold(g) for g in simplified]
    for doc in traditional:
        (out / f"{doc['doc_id']}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
    simp_f1, trad_f1 = value_unit_f1(simplified), value_unit_f1(traditional)
    print(f"{len(traditional)} documents written to {out}")
    print(f"value+unit F1: simplified {simp_f1:.4f}, traditional {trad_f1:.4f}, "
          f"ratio {trad_f1 / simp_f1:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
