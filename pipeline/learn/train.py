"""``zhibiao train``: rebuild models/ from corpus/ deterministically.

* models/mentions/   spaCy NER (QUANTITY, DATE) on the folded text of the train split
* models/roles.joblib  scikit-learn role classifier on the train split's quantities
* models/links.joblib  scikit-learn link candidate scorer (pipeline/learn/linker.py)
* models/MODEL_CARD.md  data, splits, metrics on dev and test, date, how to retrain

Fixed seeds; about two minutes on 2 cores.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.core.mentions import model as mdl
from pipeline.core.normalize import fold
from pipeline.core.vocab import EXTRACTORS
from pipeline.learn import linker
from pipeline.learn.evaluate import evaluate_corpus, load_docs

SEED = 0


def _docs(split: str, shared_root=None) -> list[dict[str, Any]]:
    docs, _skipped = load_docs(split=split, shared_root=shared_root)
    return docs


def _spans(doc: dict[str, Any]) -> tuple[str, list[tuple[int, int, str]], int, int]:
    """The folded text, the gold spans moved onto it (relative to the annotated range),
    and the annotated range in folded offsets."""
    view = fold(doc["text"])
    lo, hi = doc.get("annotated_range") or (0, len(doc["text"]))
    spans = []
    for label, items in (("QUANTITY", doc.get("quantities", [])), ("DATE", doc.get("dates", []))):
        for m in items:
            if lo <= m["start"] and m["end"] <= hi:
                spans.append((view.to_folded(m["start"]), view.to_folded(m["end"] - 1) + 1, label))
    start, end = view.to_folded(lo), view.to_folded(hi)
    return view.folded, [(s - start, e - start, lab) for s, e, lab in spans if start <= s and e <= end], start, end


def ner_examples(nlp, docs: list[dict[str, Any]]):
    from spacy.training import Example  # spaCy: only to train the mention model
    examples, dropped = [], 0
    for doc in docs:
        folded, spans, start, end = _spans(doc)
        text = folded[start:end]
        by_chunk = list(mdl.chunks(text)) or [(0, text)]
        for offset, piece in by_chunk:
            pdoc = nlp.make_doc(piece)
            ents = []
            for s, e, label in spans:
                if offset <= s and e <= offset + len(piece):
                    span = pdoc.char_span(s - offset, e - offset, label=label, alignment_mode="strict")
                    if span is None:
                        dropped += 1
                    else:
                        ents.append(span)
            try:
                examples.append(Example.from_dict(pdoc, {"entities": [(e.start_char, e.end_char, e.label_) for e in ents]}))
            except ValueError:
                dropped += len(ents)
    return examples, dropped


def _quiet(step: str) -> None:
    """The default ``progress`` callback of the training functions: says nothing."""


def train_mentions(train_docs, out_dir: Path, epochs: int = 25,
                   progress: Callable[[str], None] = _quiet) -> dict[str, Any]:
    import spacy  # spaCy: only to train the mention model
    from spacy.util import fix_random_seed, minibatch  # spaCy: only to train the mention model
    fix_random_seed(SEED)
    random.seed(SEED)
    nlp = mdl.blank_nlp()
    ner = nlp.add_pipe("ner")
    for label in mdl.LABELS:
        ner.add_label(label)
    examples, dropped = ner_examples(nlp, train_docs)
    optimizer = nlp.initialize(lambda: examples)
    losses_by_epoch = []
    for epoch in range(epochs):
        progress(f"mention model: epoch {epoch + 1} of {epochs}")
        random.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=8):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        losses_by_epoch.append(round(float(losses.get("ner", 0.0)), 3))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    nlp.to_disk(out_dir)
    return {"examples": len(examples), "spans_not_on_token_edges": dropped,
            "epochs": epochs, "loss_by_epoch": losses_by_epoch, "spacy": spacy.__version__}


def role_examples(docs) -> tuple[list[str], list[str]]:
    X, y = [], []
    for doc in docs:
        view = fold(doc["text"])
        lo, hi = doc.get("annotated_range") or (0, len(doc["text"]))
        for q in doc.get("quantities", []):
            if not (lo <= q["start"] and q["end"] <= hi) or not q.get("role"):
                continue
            fs, fe = view.to_folded(q["start"]), view.to_folded(q["end"] - 1) + 1
            X.append(mdl.role_features(view.folded, fs, fe, q.get("kind", "other")))
            y.append(q["role"])
    return X, y


def train_roles(train_docs, out_path: Path) -> dict[str, Any]:
    import joblib  # scikit-learn: only to train the role classifier
    import sklearn  # scikit-learn: only to train the role classifier
    from sklearn.feature_extraction.text import TfidfVectorizer  # scikit-learn: only to train the role classifier
    from sklearn.linear_model import LogisticRegression  # scikit-learn: only to train the role classifier
    from sklearn.pipeline import make_pipeline  # scikit-learn: only to train the role classifier
    X, y = role_examples(train_docs)
    clf = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=1, sublinear_tf=True),
                        LogisticRegression(max_iter=2000, C=4.0, random_state=SEED))
    clf.fit(X, y)
    joblib.dump(clf, out_path)
    return {"examples": len(X), "labels": sorted(set(y)), "sklearn": sklearn.__version__}


def train_all(out_dir: Path | None = None, shared_root=None, epochs: int = 25,
              progress: Callable[[str], None] = _quiet) -> dict[str, Any]:
    """Train every model into ``out_dir``; ``progress`` hears each step as a phrase."""
    out_dir = out_dir or mdl.models_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    train_docs = _docs("train", shared_root)
    info = {"trained_on": [d["doc_id"] for d in train_docs],
            "mentions": train_mentions(train_docs, out_dir / mdl.MENTION_MODEL, epochs, progress)}
    progress("role classifier")
    info["roles"] = train_roles(train_docs, out_dir / mdl.ROLE_MODEL)
    os.environ["ZHIBIAO_MODELS"] = str(out_dir)  # evaluate the models just written
    mdl.load_mention_model.cache_clear()
    mdl.load_role_model.cache_clear()
    # the link scorer reads the system's own mentions and roles: those just written
    progress("link scorer")
    info["links"] = linker.train_links(train_docs, out_dir / linker.LINK_MODEL)
    metrics = {}
    for split in ("dev", "test"):
        metrics[split] = {}
        for ex in EXTRACTORS:
            progress(f"evaluating {ex} on {split}")
            metrics[split][ex] = _headline(evaluate_corpus(split, extractor=ex, shared_root=shared_root))
    info["metrics"] = metrics
    info["date"] = _dt.date.today().isoformat()
    (out_dir / "training.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n")
    (out_dir / "MODEL_CARD.md").write_text(model_card(info))
    return info


HEADLINE = [("quantity F1", "quantity_strict_f1"), ("value+unit", "value_unit_accuracy"),
            ("role acc", "role_accuracy"), ("link F1", "link_all_f1"),
            ("date F1", "date_strict_f1"), ("date norm", "date_normalisation_accuracy")]


def _headline(result: dict[str, Any]) -> dict[str, Any]:
    overall = result["overall"]
    return {name: overall.get(key) for name, key in HEADLINE}


def model_card(info: dict[str, Any]) -> str:
    rows = []
    for split, by_ex in info["metrics"].items():
        for ex, vals in by_ex.items():
            cells = " | ".join("-" if v is None else f"{v:.3f}" for v in vals.values())
            rows.append(f"| {split} | {ex} | {cells} |")
    head = " | ".join(vals_name for vals_name, _ in HEADLINE)
    return f"""# zhibiao models

Built by `zhibiao train` on {info['date']} (fixed seed {SEED}).

## mentions/ — spaCy NER (QUANTITY, DATE)
- Pipeline: blank `zh`, jieba words (domain dictionary in pipeline/resources) split where
  digits meet other characters, CNN tok2vec + transition-based `ner`; CPU only, no torch.
- Input: the folded text (full-width folded, PDF line breaks removed); spans map back
  to the original offsets.
- Data: the train split of corpus/splits.json ({len(info['trained_on'])} documents:
  {', '.join(info['trained_on'])}); {info['mentions']['examples']} chunks;
  {info['mentions']['spans_not_on_token_edges']} gold spans fell inside a token and were left out.
- Epochs {info['mentions']['epochs']}, loss by epoch {info['mentions']['loss_by_epoch']}.
- A span is kept only when the pattern parsers can resolve it to a value.

## roles.joblib — scikit-learn role classifier
- TF-IDF of character 1–3-grams over the 16 characters before a quantity, its kind
  and the 6 characters after; logistic regression (C=4).
- {info['roles']['examples']} training quantities; labels {info['roles']['labels']}.
- Used only where the role rules fall to their default.

## links.joblib — scikit-learn link candidate scorer (pipeline/learn/linker.py)
- One logistic regression per link type (class_weight balanced, C=1) over pair features
  (distances, same sentence, units, value ratio, role pair, indicator similarity, cue
  words, the rules' choice); {info.get('links', {}).get('positives', '-')} gold links
  (positives) among {info.get('links', {}).get('examples', '-')} candidates.
- Thresholds (t_low, t_high) tuned on dev: {info.get('links', {}).get('thresholds', '-')}.
- Switched off (plugged in only by linker.enable()) until it beats the rules on test.

## Metrics (dev and test splits, `zhibiao eval --split SPLIT --extractor EX`)

| split | extractor | {head} |
|---|---|{'---|' * len(HEADLINE)}
{chr(10).join(rows)}

## Retrain

    zhibiao train            # writes models/, then this card

Needs ../shared beside the project for the standoff gold (seed, government work reports);
without it the model trains on the team's documents only.
"""
