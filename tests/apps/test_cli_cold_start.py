"""The fast cold start of ``zhibiao extract`` (issue 15), checked for what it does, not
timed (benchmarks/cold_start.py times it): the mention model runs in numpy with the same
entities as spaCy, and a fresh ``zhibiao extract`` imports none of the heavy libraries."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import GWR, ROOT, SEED

from pipeline.core.mentions import fastner, model
from pipeline.core.normalize import fold

HEAVY = ("spacy", "thinc", "sklearn", "scipy", "pandas", "matplotlib", "datasette", "joblib")


def corpus_pieces() -> list[str]:
    """The model's pieces (model.chunks) of the team documents and, when ../shared is
    there, of six government work reports."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "docs").glob("*.txt"))]
    if GWR.exists():
        with GWR.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["content"] for _, line in zip(range(6), fh)]
    texts.append(SEED.read_text(encoding="utf-8"))
    return [t for x in texts for _, t in model.chunks(fold(x).folded)]


@pytest.fixture(scope="module")
def spacy_nlp():
    nlp = model.load_spacy_mention_model()
    if nlp is None:
        pytest.skip("no trained mention model in models/")
    return nlp


def test_numpy_model_finds_the_same_entities_as_spacy(spacy_nlp) -> None:
    pieces = corpus_pieces()
    assert len(pieces) > 300
    ref = model.SpacyMentions(spacy_nlp).spans(pieces)
    fast = model.load_mention_model()
    assert isinstance(fast, model.FastMentions)
    got = fast.spans(pieces)
    differ = [(p, r, g) for p, r, g in zip(pieces, ref, got) if r != g]
    assert not differ, differ[:3]
    assert sum(map(len, ref)) > 300


def test_features_and_moves_match_spacy(spacy_nlp) -> None:
    ner = fastner.load(model.models_dir() / model.MENTION_MODEL)
    moves = spacy_nlp.get_pipe("ner").moves
    assert ner.move_names == [moves.get_class_name(i) for i in range(moves.n_moves)]
    text = "全市新增建设用地2.8万亩，同比增长5%。 Xinhua “QUANTITY” DATE X 一、"
    doc = spacy_nlp.make_doc(text)
    assert (doc.to_array(list(fastner.COLUMNS)) == fastner.features([t.text for t in doc])).all()


def test_copied_spacy_tables_match_the_installed_spacy() -> None:
    from spacy.lang.norm_exceptions import BASE_NORMS
    from spacy.strings import hash_string
    from spacy.symbols import IDS
    symbols, norms = fastner.spacy_strings()
    assert symbols == IDS and norms == BASE_NORMS
    for s in ("亩", "QUANTITY", "12345678", "全市新增建设用地指标", "x" * 17):
        assert fastner.hash_string(s) == hash_string(s)


def test_thinc_hash_is_reproduced() -> None:
    import numpy as np
    from thinc.api import NumpyOps
    ids = np.array([0, 1, 2**63 + 5, 12345678901234, 2**64 - 1], dtype=np.uint64)
    for seed in (8, 9, 10, 11):
        assert (NumpyOps().hash(ids, seed) == fastner.hash_ids(ids, seed)).all()


@pytest.mark.parametrize("path", [SEED, ROOT / "corpus" / "docs" / "team05.txt"])
def test_extract_output_is_the_same_with_spacy_and_sklearn(path: Path) -> None:
    """The whole contract output of the numpy runners equals that of spaCy and
    scikit-learn (team05 needs the role classifier, the seed does not)."""
    def run(env: dict[str, str]) -> dict:
        done = subprocess.run([sys.executable, "-m", "pipeline.apps.cli", "extract", str(path),
                               "--format", "json"], capture_output=True, text=True, timeout=300,
                              env={**os.environ, **env})
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    assert run({}) == run({"ZHIBIAO_NER": "spacy", "ZHIBIAO_ROLES": "sklearn"})


PROBE = """
import sys
from pipeline.apps.cli import main
status = main(["extract", sys.argv[1], "--out", sys.argv[2]])
print(" ".join(m for m in {heavy!r} if m in sys.modules))
sys.exit(status)
"""


def test_fresh_extract_imports_no_heavy_library(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), str(SEED),
                           str(tmp_path / "out.txt")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported: {done.stdout.strip()}"
    assert "1.98万亩" in (tmp_path / "out.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- role classifier

def role_features() -> list[str]:
    from pipeline import extract
    feats = []
    for p in sorted((ROOT / "corpus" / "docs").glob("*.txt")):
        r = extract(p.read_text(encoding="utf-8"), extractors="pattern")
        v = fold(r["text"])
        for q in r["quantities"]:
            fs, fe = v.to_folded(q["start"]), v.to_folded(q["end"] - 1) + 1
            feats.append(model.role_features(v.folded, fs, fe, q["kind"]))
    return feats


def test_numpy_role_classifier_matches_sklearn(tmp_path: Path, monkeypatch) -> None:
    import joblib
    import numpy as np

    from pipeline.core.mentions import fastroles
    path = model.models_dir() / model.ROLE_MODEL
    if not path.exists():
        pytest.skip("no trained role model in models/")
    monkeypatch.setenv("ZHIBIAO_CACHE", str(tmp_path))
    sk = joblib.load(path)
    fast = fastroles.load_cached(path)
    assert fastroles.cache_path(path).is_file()
    again = fastroles.load(fastroles.cache_path(path))
    feats = role_features()
    assert len(feats) > 300
    want, got = sk.predict_proba(feats), again.predict_proba(feats)
    assert np.allclose(want, got, rtol=0, atol=1e-12)
    assert list(again.classes_) == list(sk.classes_) == list(fast.classes_)
    assert (want.argmax(axis=1) == got.argmax(axis=1)).all()


def test_role_cache_is_built_once_then_no_sklearn(tmp_path: Path) -> None:
    """team05 needs the role classifier: the first process fills the cache (with
    scikit-learn), the next ones read it without importing scikit-learn; a damaged cache
    entry is rebuilt."""
    doc = ROOT / "corpus" / "docs" / "team05.txt"
    env = {**os.environ, "ZHIBIAO_CACHE": str(tmp_path / "cache")}

    def imported() -> str:
        done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), str(doc),
                               str(tmp_path / "out.txt")], capture_output=True, text=True,
                              timeout=300, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert "sklearn" in imported()
    entries = list((tmp_path / "cache").glob("roles-*.npz"))
    assert len(entries) == 1
    assert imported() == ""
    entries[0].write_bytes(b"damaged")
    assert "sklearn" in imported() and imported() == ""
