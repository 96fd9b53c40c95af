"""The role classifier (``models/roles.joblib``) run with numpy alone.

The classifier is a scikit-learn pipeline: character 1–3-gram TF-IDF (sublinear tf, l2
norm) and a multinomial logistic regression.  Unpickling it imports scikit-learn and
SciPy, more than a second, on the first document that needs a role the rules could not
decide.  So the fitted numbers (vocabulary, idf, coefficients, intercepts, classes) are
copied once into a plain ``.npz`` in the user's cache, keyed by the SHA-256 of the
joblib file, and every later process reads that (no pickle, no scikit-learn).  A
retrained model has another hash, hence another cache file.

``tests/apps/test_cli_cold_start.py`` checks the probabilities against scikit-learn's.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")  # sklearn's VectorizerMixin._white_spaces


class ModelFormatError(ValueError):
    """The pipeline is not the TF-IDF + logistic regression this module runs."""


@dataclass(frozen=True)
class RoleModel:
    vocabulary: dict[str, int]
    idf: np.ndarray          # (features,)
    coef: np.ndarray         # (classes, features)
    intercept: np.ndarray    # (classes,)
    classes_: np.ndarray     # the labels, as scikit-learn names them
    ngram_range: tuple[int, int] = (1, 3)

    def ngrams(self, doc: str) -> list[str]:
        """scikit-learn's ``analyzer="char"`` (lowercased, runs of whitespace as one)."""
        text = _WHITE_SPACES.sub(" ", doc.lower())
        lo, hi = self.ngram_range
        return [text[i:i + n] for n in range(lo, min(hi, len(text)) + 1)
                for i in range(len(text) - n + 1)]

    def rows(self, docs: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each document's TF-IDF as (feature indexes, l2-normalised weights): the few
        n-grams a 22-character window holds, not a dense row of the whole vocabulary."""
        out = []
        for doc in docs:
            counts: dict[int, int] = {}
            for g in self.ngrams(doc):
                j = self.vocabulary.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            w = np.array([1.0 + math.log(c) for c in counts.values()]) * self.idf[idx]
            norm = math.sqrt(float(w @ w))
            out.append((idx, w / norm if norm > 0 else w))
        return out

    def transform(self, docs: list[str]) -> np.ndarray:
        """Dense TF-IDF rows (documents × features), as scikit-learn's would be."""
        X = np.zeros((len(docs), len(self.idf)))
        for row, (idx, w) in enumerate(self.rows(docs)):
            X[row, idx] = w
        return X

    def predict_proba(self, docs: list[str]) -> np.ndarray:
        scores = np.array([self.coef[:, idx] @ w for idx, w in self.rows(docs)]).reshape(
            len(docs), len(self.intercept)) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)


def from_sklearn(pipe: object) -> RoleModel:
    """Copy the fitted numbers out of the scikit-learn pipeline; ModelFormatError when
    it is not char n-gram TF-IDF (sublinear, l2) + multinomial logistic regression."""
    try:
        (_, vec), (_, lr) = pipe.steps  # type: ignore[attr-defined]
        params = vec.get_params()
    except (AttributeError, ValueError, TypeError) as err:
        raise ModelFormatError(f"not a TF-IDF + logistic regression pipeline ({err})") from None
    wanted = {"analyzer": "char", "lowercase": True, "sublinear_tf": True, "norm": "l2",
              "use_idf": True, "strip_accents": None, "preprocessor": None, "binary": False}
    wrong = {k: params.get(k) for k, v in wanted.items() if params.get(k) != v}
    if wrong or type(lr).__name__ != "LogisticRegression" or len(lr.classes_) < 3 \
            or getattr(lr, "multi_class", "auto") not in ("auto", "multinomial", "deprecated"):
        raise ModelFormatError(f"role model settings the numpy runner does not follow: {wrong}")
    return RoleModel(vocabulary={str(k): int(v) for k, v in vec.vocabulary_.items()},
                     idf=np.asarray(vec.idf_, dtype=np.float64),
                     coef=np.asarray(lr.coef_, dtype=np.float64),
                     intercept=np.asarray(lr.intercept_, dtype=np.float64),
                     classes_=np.asarray([str(c) for c in lr.classes_]),
                     ngram_range=tuple(params["ngram_range"]))


def save(model: RoleModel, path: Path) -> None:
    """Write ``path`` atomically (a killed writer leaves no half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"vocabulary": model.vocabulary, "classes": model.classes_.tolist(),
                       "ngram_range": list(model.ngram_range)}, ensure_ascii=False)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, idf=model.idf, coef=model.coef, intercept=model.intercept,
                     meta=np.frombuffer(meta.encode("utf-8"), dtype=np.uint8))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path) -> RoleModel:
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(z["meta"].tobytes().decode("utf-8"))
        return RoleModel(vocabulary=meta["vocabulary"], idf=z["idf"], coef=z["coef"],
                         intercept=z["intercept"], classes_=np.asarray(meta["classes"]),
                         ngram_range=tuple(meta["ngram_range"]))


def cache_dir() -> Path:
    """``$ZHIBIAO_CACHE``, else ``$XDG_CACHE_HOME/zhibiao``, else ``~/.cache/zhibiao``."""
    env = os.environ.get("ZHIBIAO_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhibiao"


def cache_path(joblib_path: Path) -> Path:
    digest = hashlib.sha256(Path(joblib_path).read_bytes()).hexdigest()[:16]
    return cache_dir() / f"roles-{digest}.npz"


def load_cached(joblib_path: Path) -> RoleModel:
    """The role model from the cache, building the cache entry (with scikit-learn) on
    the first use of this model file.  ModelFormatError when it cannot be run here."""
    cached = cache_path(joblib_path)
    if cached.is_file():
        try:
            return load(cached)
        except (OSError, ValueError, KeyError):
            pass  # a damaged entry is rebuilt below
    import joblib  # scikit-learn: once per model file, to fill the cache
    model = from_sklearn(joblib.load(joblib_path))
    try:
        save(model, cached)
    except OSError:
        pass  # a read-only home: run from memory, build again next time
    return model
