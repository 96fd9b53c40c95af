"""The spaCy component (pipeline/apps/spacy_component.py), tested as a spaCy component."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from helpers import ROOT
from spacy.tokens import Doc, DocBin

import pipeline
from pipeline.apps.spacy_component import Zhibiao

SEED = (ROOT / "samples" / "seed_2024q2.txt").read_text(encoding="utf-8")
# jieba makes 排名第 and 季度末 tokens: the mentions 第3位 and 二季度 cut through them
CUT = SEED + "\n全省排名第3位，二季度末新开工24套。\n"
TEXTS = ["新建高标准农田0.82万亩，完成全年任务的23.4%。",
         "1—5月，全市一般公共预算收入85亿元，同比增长5.2%。",
         "没有数字的一句话。",
         "截至6月底，已完成改造提升1800亩，占年度目标的60%。",
         "粮食产量1.3万亿斤以上，居民消费价格涨幅3%左右。"]


def blank(segmenter: str = "char") -> spacy.Language:
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})


@pytest.fixture(scope="module")
def seed_doc() -> Doc:
    nlp = blank()
    nlp.add_pipe("zhibiao")  # the default extractors, as pipeline.extract
    return nlp(SEED)


def test_factory_is_an_entry_point() -> None:
    eps = entry_points(group="spacy_factories")
    assert [ep.value for ep in eps if ep.name == "zhibiao"] == ["pipeline.apps.spacy_component:make_zhibiao"]


def test_add_pipe_works_without_importing_zhibiao_first() -> None:
    code = ("import sys, spacy\n"
            "assert 'pipeline' not in sys.modules\n"
            "nlp = spacy.blank('zh'); nlp.add_pipe('zhibiao', config={'extractors': 'pattern'})\n"
            "doc = nlp('新建高标准农田0.82万亩，完成全年任务的23.4%。')\n"
            "print([(s.text, s.label_, s._.value, s._.unit) for s in doc.spans['quantities']])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[('0.82万亩', 'actual', 8200.0, '亩'), ('23.4%', 'rate', 23.4, '%')]"


def test_spans_carry_the_contract(seed_doc: Doc) -> None:
    result = pipeline.extract(SEED)
    spans = list(seed_doc.spans["quantities"])
    assert len(spans) == len(result["quantities"]) == 31
    for span, q in zip(spans, result["quantities"]):
        assert span.text == q["text"]  # the char segmenter: every span is exact
        assert (span.id_, span.label_) == (q["id"], q["role"])
        assert (span._.value, span._.unit, span._.role, span._.indicator) == (
            q["value"], q["unit"], q["role"], q["indicator"])
    dates = list(seed_doc.spans["dates"])
    assert [(d.text, d._.start_date, d._.end_date) for d in dates] == [
        (d["text"], d["start_date"], d["end_date"]) for d in result["dates"]]
    assert seed_doc._.zhibiao["period"] == {"start_date": "2024-04-01", "end_date": "2024-06-30"}


def test_target_and_date_are_spans(seed_doc: Doc) -> None:
    by_text = {s.text: s for s in seed_doc.spans["quantities"]}
    actual = by_text["1.23万亩"]
    assert isinstance(actual._.target, spacy.tokens.Span)
    assert actual._.target.text == "2.8\n万亩" and actual._.target._.role == "target"
    assert by_text["4128亩"]._.target.text == "1万亩"
    assert by_text["1.98万亩"]._.date.text == "6月\n底"
    assert by_text["2.8\n万亩"]._.target is None
    assert by_text["1.23万亩"]._.task["id"] == "T1"


@pytest.mark.parametrize("segmenter", ["char", "jieba"])
def test_segmenters_give_the_same_quantities(segmenter: str) -> None:
    nlp = blank(segmenter)
    nlp.add_pipe("zhibiao", config={"extractors": "pattern"})
    doc = nlp(CUT)
    result = pipeline.extract(CUT, extractors="pattern")
    spans = list(doc.spans["quantities"])
    assert len(spans) == len(result["quantities"])
    inexact = 0
    for span, q in zip(spans, result["quantities"]):
        assert span.start_char <= q["start"] and q["end"] <= span.end_char  # "expand" covers it
        assert (span._.mention_text, span._.mention_start, span._.mention_end) == (q["text"], q["start"], q["end"])
        assert span._.value == q["value"]
        inexact += span.text != q["text"]
    if segmenter == "char":
        assert inexact == 0
    else:
        assert inexact == 1  # 第3位 is the span 排名第3位


def test_strict_alignment_drops_what_the_tokens_cannot_hold() -> None:
    nlp = blank("jieba")
    nlp.add_pipe("zhibiao", config={"extractors": "pattern", "alignment_mode": "strict"})
    doc = nlp(CUT)
    spans = list(doc.spans["quantities"])
    assert 0 < len(spans) == len(pipeline.extract(CUT, extractors="pattern")["quantities"]) - 1
    assert all(s.text == s._.mention_text for s in spans)


def test_nlp_pipe_in_batches_matches_one_by_one() -> None:
    nlp = blank()
    nlp.add_pipe("zhibiao", config={"extractors": "pattern"})
    def values(doc: Doc) -> list[tuple[str, str, float]]:
        return [(s.text, s.label_, s._.value) for s in doc.spans["quantities"]]
    single = [values(nlp(t)) for t in TEXTS]
    batched = [values(d) for d in nlp.pipe(TEXTS, batch_size=2)]
    assert batched == single
    assert single[2] == [] and len(single[1]) == 2
    tuples = list(nlp.pipe([(t, i) for i, t in enumerate(TEXTS)], as_tuples=True, batch_size=3))
    assert [i for _, i in tuples] == list(range(len(TEXTS)))


def test_nlp_pipe_in_two_processes() -> None:
    nlp = blank()
    nlp.add_pipe("zhibiao", config={"extractors": "pattern"})
    docs = list(nlp.pipe(TEXTS, batch_size=2, n_process=2))
    got = [[(s.text, s._.value, s._.target and s._.target.text) for s in d.spans["quantities"]] for d in docs]
    want = []
    for t in TEXTS:
        doc = nlp(t)
        want.append([(s.text, s._.value, s._.target and s._.target.text) for s in doc.spans["quantities"]])
    assert got == want


def test_reference_date_from_config_and_per_call() -> None:
    text = "截至6月底，已完成改造提升1800亩。"
    nlp = blank()
    nlp.add_pipe("zhibiao", config={"extractors": "pattern", "reference_date": "2023-12-31"})
    doc = nlp(text)
    [date] = doc.spans["dates"]
    assert (date._.start_date, date._.end_date) == ("2023-06-30", "2023-06-30")
    [doc] = nlp.pipe([text], component_cfg={"zhibiao": {"reference_date": "2024-12-31"}})
    assert doc.spans["dates"][0]._.end_date == "2024-06-30"


def test_pipeline_serializes_and_loads_in_a_fresh_process(tmp_path: Path) -> None:
    nlp = blank("jieba")
    nlp.add_pipe("zhibiao", config={"extractors": "pattern", "reference_date": "2024-06-30"})
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == ["zhibiao"]
    assert loaded.get_pipe("zhibiao").reference_date == "2024-06-30"
    code = ("import sys, spacy, json\n"
            f"nlp = spacy.load({str(tmp_path / 'nlp')!r})\n"
            "assert nlp.tokenizer.segmenter == 'jieba'\n"
            f"doc = nlp({TEXTS[0]!r})\n"
            "print(json.dumps([(s.id_, s._.value) for s in doc.spans['quantities']]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [["Q1", 8200.0], ["Q2", 23.4]]


def test_docs_serialize_with_their_spans_and_attributes(seed_doc: Doc) -> None:
    nlp = blank()
    again = Doc(nlp.vocab).from_bytes(seed_doc.to_bytes())
    bin_ = DocBin(store_user_data=True)
    bin_.add(seed_doc)
    [from_bin] = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    expected = [(s.text, s.id_, s.label_, s._.value, s._.unit, s._.target and s._.target.id_)
                for s in seed_doc.spans["quantities"]]
    for doc in (again, from_bin):
        got = [(s.text, s.id_, s.label_, s._.value, s._.unit, s._.target and s._.target.id_)
               for s in doc.spans["quantities"]]
        assert got == expected
        assert [d._.end_date for d in doc.spans["dates"]] == [d._.end_date for d in seed_doc.spans["dates"]]


def test_bad_settings_are_refused() -> None:
    nlp = blank()
    with pytest.raises(ValueError, match="use pattern, model or combined"):
        nlp.add_pipe("zhibiao", config={"extractors": "regex"})
    with pytest.raises(ValueError, match="alignment_mode"):
        Zhibiao(nlp, alignment_mode="nearest")


def test_a_span_made_elsewhere_has_no_values(seed_doc: Doc) -> None:
    other = seed_doc[0:3]
    assert other._.value is None and other._.target is None and other._.start_date is None
