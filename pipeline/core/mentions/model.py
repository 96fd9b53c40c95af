"""Trained extractors beside the patterns.

* mentions: a spaCy pipeline (blank ``zh``, jieba words split at digit boundaries,
  a CNN ``ner`` with labels QUANTITY and DATE), trained on the gold corpus by
  ``zhibiao train``, run on the folded view; each span is resolved to a value by the
  same parsers the patterns use, so a span the parsers cannot read is dropped.
* roles: a scikit-learn logistic regression over the words around a quantity, used
  where the role rules are unsure (``role_source == "default"``).

Models load from ``models/`` beside the package (or ``$ZHIBIAO_MODELS``), never from a
hub.  Without trained models both extractors return nothing and say so once.

Loading is lazy and light: the mention model's weights are read from the spaCy files
and run in numpy (:mod:`pipeline.core.mentions.fastner`, the same entities as spaCy, tested),
so extracting a report never imports spaCy, which alone takes longer than the whole
extraction; spaCy is used to train and, with ``ZHIBIAO_NER=spacy``, to run.  The role
classifier is loaded only when some quantity needs it, from a numpy copy of its numbers
in the user's cache (:mod:`pipeline.core.mentions.fastroles`; ``ZHIBIAO_ROLES=sklearn`` runs
scikit-learn).
"""
from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from pipeline.core import dates
from pipeline.core.mentions import patterns
from pipeline.core.normalize import View, fold
from pipeline.core.records import DateMention, Quantity
from pipeline.core.words import cut

MENTION_MODEL = "mentions"
ROLE_MODEL = "roles.joblib"
LABELS = ("QUANTITY", "DATE")
_DIGIT_SPLIT = re.compile(r"(\d[\d.,%]*|[^\d]+)")
_CHUNK = re.compile(r"[^。；！？\n]{1,400}[。；！？]?")


def models_dir() -> Path:
    env = os.environ.get("ZHIBIAO_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "models"


def words(text: str) -> list[str]:
    """jieba words (with the domain dictionary), split again where digits meet other
    characters, so that 指标2 gives 指标 | 2 and mention edges fall on tokens."""
    out: list[str] = []
    for w in cut(text):
        out.extend(p for p in _DIGIT_SPLIT.findall(w) if p)
    return out


class JiebaDigitTokenizer:
    """The spaCy tokenizer of the mention model: :func:`words` as a Doc."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc  # spaCy only when the spaCy pipeline runs
        ws = words(text)
        return Doc(self.vocab, words=ws, spaces=[False] * len(ws))

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs):
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs):
        return self


@functools.cache
def _register() -> None:
    """Register the tokenizer with spaCy (once; spaCy is imported only when a model runs)."""
    import spacy  # spaCy: only when the mention model runs in spaCy

    def create_tokenizer():
        def make(nlp):
            return JiebaDigitTokenizer(nlp.vocab)
        return make
    spacy.registry.tokenizers.register("zhibiao.jieba_digits.v1", func=create_tokenizer)


def blank_nlp():
    import spacy  # spaCy: only when the mention model runs in spaCy
    _register()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhibiao.jieba_digits.v1"}}})
    return nlp


def _warn_once(message: str) -> None:
    if not getattr(_warn_once, "done", False):
        print(f"zhibiao: {message}", file=sys.stderr)
        _warn_once.done = True  # type: ignore[attr-defined]


class SpacyMentions:
    """The mention model run by spaCy: ``spans(texts)`` as :class:`fastner.NerModel`."""

    def __init__(self, nlp):
        self.nlp = nlp

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in self.nlp.pipe(texts, batch_size=64)]


class FastMentions:
    """The mention model run in numpy (:mod:`pipeline.core.mentions.fastner`)."""

    def __init__(self, ner):
        self.ner = ner

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        from threadpoolctl import threadpool_limits  # 9 ms, only when the model runs
        out: list[list[tuple[int, int, str]]] = []
        # one BLAS thread: the matrices are small, and idle BLAS threads spinning on a
        # busy machine made the same products a hundred times slower
        with threadpool_limits(1, user_api="blas"):
            for i in range(0, len(texts), 64):
                out += self.ner.entities([words(t) for t in texts[i:i + 64]])
        return out


@functools.cache
def load_spacy_mention_model():
    """The spaCy pipeline of ``models/mentions`` (for training and comparison)."""
    path = models_dir() / MENTION_MODEL
    if not (path / "config.cfg").exists():
        return None
    import spacy  # about a second: only to train, or with ZHIBIAO_NER=spacy
    _register()
    return spacy.load(path)


@functools.cache
def load_mention_model() -> FastMentions | SpacyMentions | None:
    """The mention model, or None (said once) when none is trained."""
    path = models_dir() / MENTION_MODEL
    if not (path / "config.cfg").exists():
        _warn_once(f"no trained mention model in {path}; run `zhibiao train` to build it "
                   "(the pattern extractor works without it)")
        return None
    if os.environ.get("ZHIBIAO_NER") != "spacy":
        from pipeline.core.mentions import fastner  # numpy, loaded with the model
        try:
            return FastMentions(fastner.load(path))
        except fastner.ModelFormatError:
            pass
    load_spacy_mention_model.cache_clear()  # a retrained model is read again
    return SpacyMentions(load_spacy_mention_model())


@functools.cache
def load_role_model():
    """The role classifier: its numbers from the user's cache, run in numpy
    (:mod:`pipeline.core.mentions.fastroles`), or the scikit-learn pipeline itself when the
    numpy runner does not fit it (or ``ZHIBIAO_ROLES=sklearn``).  None when untrained."""
    path = models_dir() / ROLE_MODEL
    if not path.exists():
        return None
    if os.environ.get("ZHIBIAO_ROLES") != "sklearn":
        try:
            from pipeline.core.mentions import fastroles  # numpy, loaded with the model
            return fastroles.load_cached(path)
        except fastroles.ModelFormatError:
            pass
    import joblib  # scikit-learn and SciPy: over a second to import
    return joblib.load(path)


def chunks(folded: str):
    """(offset, text) pieces of at most ~400 characters, cut after sentence ends."""
    for m in _CHUNK.finditer(folded):
        if re.search(r"[\d一二三四五六七八九十两百千万亿]", m.group()):
            yield m.start(), m.group()


def model_spans(view: View, pieces: list[tuple[int, str]] | None = None) -> list[tuple[int, int, str]]:
    """(folded start, folded end, label) of every span the NER model finds, in the
    given (offset, text) pieces of the folded text, or in all of it."""
    if pieces is None:
        pieces = list(chunks(view.folded))
    if not pieces:
        return []
    mentions = load_mention_model()
    if mentions is None:
        return []
    out = []
    for (offset, _), spans in zip(pieces, mentions.spans([t for _, t in pieces])):
        for start, end, label in spans:
            out.append((offset + start, offset + end, label))
    return out


def _resolve_quantity(view: View, fs: int, fe: int) -> Quantity | None:
    """The span read by the pattern parsers; None if they cannot read all of it."""
    q = patterns.quantity_at(view, fs, fe)
    return None if q is None else replace(q, extractor="model", confidence=0.7)


def find_quantities(view: View, pieces: list[tuple[int, str]] | None = None) -> list[Quantity]:
    out = []
    for fs, fe, label in model_spans(view, pieces):
        if label != "QUANTITY":
            continue
        q = _resolve_quantity(view, fs, fe)
        if q is not None:
            out.append(q)
    return out


def find_dates(view: View, default_year: int | None) -> list[DateMention]:
    out = []
    for fs, fe, label in model_spans(view):
        if label != "DATE":
            continue
        piece = fold(view.folded[fs:fe])
        for d in dates.find_dates(piece, default_year):
            if d.start == 0 and d.end == len(piece.text):
                start, end = view.span(fs, fe)
                out.append(replace(d, start=start, end=end, text=view.text[start:end],
                                   extractor="model"))
    return out


def role_features(folded: str, fs: int, fe: int, kind: str) -> str:
    """The text the role classifier reads: 16 characters before the mention, its kind
    as a token, and 6 characters after."""
    before = folded[max(0, fs - 16):fs]
    after = folded[fe:fe + 6]
    return f"{before} ⟨{kind}⟩ {after}"


def predict_roles(features: list[str]) -> list[tuple[str, float]] | None:
    if not features:
        return None
    model = load_role_model()
    if model is None:
        return None
    probs = model.predict_proba(features)
    labels = model.classes_
    return [(str(labels[row.argmax()]), float(row.max())) for row in probs]
