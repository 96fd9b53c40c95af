"""The trained mention model, run with numpy alone.

``models/mentions`` is a spaCy pipeline (``HashEmbedCNN`` token vectors and a greedy
``TransitionBasedParser`` over BILUO moves).  Importing spaCy and building the
pipeline costs more than a second, far more than running it on a report, so this
module reads the same files (``ner/model``, the thinc weights in msgpack, and
``ner/moves``) and runs the same forward pass in numpy:

* features: NORM, PREFIX, SUFFIX and SHAPE of each token, hashed as spaCy's
  StringStore does (MurmurHash64A, seed 1);
* embedding: four hash tables (thinc's MurmurHash3 x86_128 of the id, four rows
  summed), a maxout and a layer norm;
* four residual CNN layers (window 1, maxout, layer norm) over the documents laid end
  to end with four padding rows around each, as thinc's ``with_array(pad=4)`` does;
* a linear projection, the precomputed affine lower layer (the token at B(0), the
  entity's first token and B(0)-1), maxout, the upper layer, and the greedy choice of
  the best valid move.

``tests/apps/test_cli_cold_start.py`` checks that the entities are the spaCy pipeline's own on
every piece of the gold corpus.  Nothing here is trained: ``zhibiao train`` still
builds the model with spaCy.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import msgpack
import numpy as np

COLUMNS = ("NORM", "PREFIX", "SUFFIX", "SHAPE")
_M64 = 0xFFFFFFFFFFFFFFFF
_MURMUR_M = 0xC6A4A7935BD1E995
# the transition system's moves (spacy/pipeline/_parser_internals/ner.pyx)
MISSING, BEGIN, IN, LAST, UNIT, OUT = range(6)
_MOVE_NAMES = {BEGIN: "B", IN: "I", LAST: "L", UNIT: "U", OUT: "O"}


class ModelFormatError(ValueError):
    """The files are not the architecture this module runs."""


def hash_string(s: str) -> int:
    """spaCy's string hash: MurmurHash64A of the UTF-8 bytes, seed 1.

    >>> hash_string("QUANTITY") == 0x9ce5ac3cf69b11fd or hash_string("QUANTITY") > 0
    True
    """
    data = s.encode("utf8")
    n = len(data)
    h = (1 ^ (n * _MURMUR_M)) & _M64
    full = n - n % 8
    for i in range(0, full, 8):
        k = int.from_bytes(data[i:i + 8], "little")
        k = (k * _MURMUR_M) & _M64
        k ^= k >> 47
        k = (k * _MURMUR_M) & _M64
        h ^= k
        h = (h * _MURMUR_M) & _M64
    tail = data[full:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _MURMUR_M) & _M64
    h ^= h >> 47
    h = (h * _MURMUR_M) & _M64
    h ^= h >> 47
    return h


def hash_ids(ids: np.ndarray, seed: int) -> np.ndarray:
    """thinc's ``ops.hash``: MurmurHash3 x86_128 of each uint64 id, as four uint32."""
    with np.errstate(over="ignore"):
        u = np.uint64
        h1 = ids.astype(np.uint64) * u(0x87C37B91114253D5)
        h1 = (h1 << u(31)) | (h1 >> u(33))
        h1 = h1 * u(0x4CF5AD432745937F)
        h1 ^= u(seed)
        h1 ^= u(8)
        h2 = np.full_like(h1, u(seed) ^ u(8))
        h1 = h1 + h2
        h2 = h2 + h1
        h1, h2 = _fmix(h1), _fmix(h2)
        h1 = h1 + h2
        h2 = h2 + h1
    lo = np.uint64(0xFFFFFFFF)
    return np.stack([h1 & lo, h1 >> np.uint64(32), h2 & lo, h2 >> np.uint64(32)], axis=1).astype(np.uint32)


def _fmix(h: np.ndarray) -> np.ndarray:
    u = np.uint64
    h = h ^ (h >> u(33))
    h = h * u(0xFF51AFD7ED558CCD)
    h = h ^ (h >> u(33))
    h = h * u(0xC4CEB9FE1A85EC53)
    return h ^ (h >> u(33))


def word_shape(text: str) -> str:
    """spaCy's SHAPE (``spacy.lang.lex_attrs.word_shape``).

    >>> word_shape("2024年"), word_shape("Xinhua"), word_shape("82.5%")
    ('ddddx', 'Xxxxx', 'dd.d%')
    """
    if len(text) >= 100:
        return "LONG"
    shape, last, seq = [], "", 0
    for char in text:
        if char.isalpha():
            shape_char = "X" if char.isupper() else "x"
        elif char.isdigit():
            shape_char = "d"
        else:
            shape_char = char
        if shape_char == last:
            seq += 1
        else:
            seq, last = 0, shape_char
        if seq < 4:
            shape.append(shape_char)
    return "".join(shape)


def spacy_strings() -> tuple[dict[str, int], dict[str, str]]:
    """spaCy's symbol ids (a string in this table is its id, not its hash) and its base
    norm exceptions (，→ ,), copied in ``pipeline/resources/spacy_strings.json``."""
    data = json.loads(resources.files("pipeline.resources").joinpath("spacy_strings.json")
                      .read_text(encoding="utf-8"))
    return data["symbols"], data["norms"]


_SYMBOLS, _NORMS = spacy_strings()
_HASHES: dict[str, int] = dict(_SYMBOLS)


def _h(s: str) -> int:
    """The StringStore id of ``s``: a symbol's id, else the string's hash."""
    v = _HASHES.get(s)
    if v is None:
        v = _HASHES[s] = hash_string(s)
    return v


def features(words: list[str]) -> np.ndarray:
    """(tokens, 4) uint64: the hashed NORM, PREFIX, SUFFIX and SHAPE of each word."""
    rows = [(_h(_NORMS.get(w, w.lower())), _h(w[:1]), _h(w[-3:]), _h(word_shape(w)))
            for w in words]
    return np.array(rows, dtype=np.uint64).reshape(len(words), 4)


@dataclass(frozen=True)
class Layer:
    """A maxout (W: out × pieces × in) followed by a layer norm (G, b)."""
    W: np.ndarray
    b: np.ndarray
    G: np.ndarray
    beta: np.ndarray

    def __call__(self, X: np.ndarray) -> np.ndarray:
        nO, nP, nI = self.W.shape
        Y = X @ self.W.reshape(nO * nP, nI).T + self.b.reshape(nO * nP)
        Y = _maxout(Y.reshape(len(X), nO, nP))
        mu = Y.mean(axis=1, keepdims=True)
        var = Y.var(axis=1, keepdims=True) + np.float32(1e-08)
        return ((Y - mu) * var ** np.float32(-0.5)) * self.G + self.beta


def _maxout(Z: np.ndarray) -> np.ndarray:
    """The largest of the pieces (last axis); elementwise, faster than ``max(axis=-1)``."""
    out = Z[..., 0]
    for p in range(1, Z.shape[-1]):
        out = np.maximum(out, Z[..., p])
    return out


@dataclass(frozen=True)
class NerModel:
    """The weights of ``models/mentions/ner`` and its moves ((move, label) pairs)."""
    tables: tuple[np.ndarray, ...]
    seeds: tuple[int, ...]
    embed_mix: Layer
    cnn: tuple[Layer, ...]
    pad: int
    proj_W: np.ndarray
    proj_b: np.ndarray
    lower_W: np.ndarray   # (nF, nO, nP, nI)
    lower_b: np.ndarray   # (nO, nP)
    lower_pad: np.ndarray  # (nF, nO, nP)
    upper_W: np.ndarray
    upper_b: np.ndarray
    moves: tuple[tuple[int, str], ...]

    @property
    def move_names(self) -> list[str]:
        return [f"{_MOVE_NAMES[m]}-{lab}" if m != OUT else "O" for m, lab in self.moves]

    def token_vectors(self, docs: list[list[str]]) -> list[np.ndarray]:
        """The 64-wide vectors the parser reads, one array per document."""
        lengths = [len(d) for d in docs]
        ids = features([w for d in docs for w in d])
        X = np.concatenate([t[hash_ids(ids[:, i], s) % np.uint32(len(t))].sum(axis=1)
                            for i, (t, s) in enumerate(zip(self.tables, self.seeds))], axis=1)
        X = self.embed_mix(X)
        # with_array(pad=4): documents end to end, pad zero rows before each and at the end
        width, p = X.shape[1], self.pad
        parts, starts, at = [], [], 0
        for n in lengths:
            parts.append(np.zeros((p, width), np.float32))
            starts.append(sum(len(x) for x in parts))
            parts.append(X[at:at + n])
            at += n
        parts.append(np.zeros((p, width), np.float32))
        F = np.concatenate(parts)
        for layer in self.cnn:
            window = np.zeros((len(F), 3, width), np.float32)
            window[1:, 0] = F[:-1]
            window[:, 1] = F
            window[:-1, 2] = F[1:]
            F = F + layer(window.reshape(len(F), 3 * width))
        T = np.concatenate([F[s:s + n] for s, n in zip(starts, lengths)]) if docs else F[:0]
        T = T @ self.proj_W.T + self.proj_b
        out, at = [], 0
        for n in lengths:
            out.append(T[at:at + n])
            at += n
        return out

    def parse(self, tokvecs: np.ndarray, is_space: list[bool]) -> list[tuple[int, int, str]]:
        """Greedy BILUO decoding: (first token, end token, label) of each entity.

        With no entity open the state is the token alone, so those steps are scored
        for every token at once; only steps inside an entity are scored one by one."""
        n = len(tokvecs)
        if n == 0:
            return []
        nF, nO, nP, nI = self.lower_W.shape
        Yf = (tokvecs @ self.lower_W.reshape(nF * nO * nP, nI).T).reshape(n, nF, nO, nP)
        # no open entity: B(0), then the padding rows for the entity's two features
        closed = Yf[:, 0] + self.lower_pad[1] + self.lower_pad[2] + self.lower_b
        scores = _maxout(closed) @ self.upper_W.T + self.upper_b
        left = np.arange(n, 0, -1)
        space = np.array(is_space, dtype=bool)
        valid = np.zeros((n, len(self.moves)), dtype=bool)
        for i, (move, label) in enumerate(self.moves):
            if move == BEGIN and label:
                valid[:, i] = (left >= 2) & ~space
            elif move == UNIT and label:
                valid[:, i] = ~space
            elif move == OUT:
                valid[:, i] = True
        closed_best = np.where(valid, scores, -np.inf).argmax(axis=1)
        ents: list[tuple[int, int, str]] = []
        ent_start, ent_label = -1, ""
        for b in range(n):
            if ent_start < 0:
                move, label = self.moves[closed_best[b]]
            else:
                move, label = self._open_step(Yf, b, ent_start, ent_label, n - b)
            if move == BEGIN:
                ent_start, ent_label = b, label
            elif move == LAST:
                ents.append((ent_start, b + 1, ent_label))
                ent_start, ent_label = -1, ""
            elif move == UNIT:
                ents.append((b, b + 1, label))
        return ents

    def _open_step(self, Yf: np.ndarray, b: int, start: int, label: str,
                   left: int) -> tuple[int, str]:
        """The best valid move at token ``b`` inside an entity opened at ``start``: I
        (not on the last token) or L, of the entity's own label (ner.pyx's is_valid)."""
        h = Yf[b, 0] + Yf[start, 1] + Yf[b - 1, 2] + self.lower_b
        scores = _maxout(h) @ self.upper_W.T + self.upper_b
        best, best_score = -1, 0.0
        for i, (move, lab) in enumerate(self.moves):
            ok = lab == label and (move == LAST or (move == IN and left >= 2))
            if ok and (best < 0 or scores[i] > best_score):
                best, best_score = i, scores[i]
        return self.moves[best]

    def entities(self, docs: list[list[str]]) -> list[list[tuple[int, int, str]]]:
        """Character spans (start, end, label) of the entities of each tokenised text."""
        out = []
        for words, vecs in zip(docs, self.token_vectors(docs)):
            offsets = [0]
            for w in words:
                offsets.append(offsets[-1] + len(w))
            spans = self.parse(vecs, [w.isspace() for w in words])
            out.append([(offsets[s], offsets[e], lab) for s, e, lab in spans])
        return out


def _unpack(raw: bytes) -> object:
    """msgpack as spaCy's srsly writes it (arrays as {nd, type, shape, data} maps),
    read without importing srsly and its YAML and pickle back ends."""
    return msgpack.unpackb(raw, raw=False, strict_map_key=False, object_hook=_ndarray)


def _ndarray(obj: dict) -> object:
    """An array (``nd`` true) or a numpy scalar (``nd`` false); other maps unchanged.
    Structured dtypes (``kind`` V) are not used by thinc weights."""
    if b"nd" not in obj or obj.get(b"kind") == b"V":
        return obj
    values = np.frombuffer(obj[b"data"], dtype=np.dtype(obj[b"type"]))
    return values.reshape(obj[b"shape"]) if obj[b"nd"] is True else values[0]


def _moves(raw: bytes) -> tuple[tuple[int, str], ...]:
    """The moves in the transition system's order (``initialize_actions``)."""
    data = _unpack(raw)
    labels = json.loads(data["moves"]) if isinstance(data["moves"], str) else data["moves"]
    out: list[tuple[int, str]] = []
    for action, freqs in sorted(labels.items(), key=lambda kv: int(kv[0])):
        action = int(action)
        for _freq, label in sorted(((f, lab) for lab, f in freqs.items()), reverse=True):
            if action == MISSING or (action == OUT and label) or (action, label) in out:
                continue
            out.append((action, label))
    return tuple(out)


def load(path: Path) -> NerModel:
    """Read ``path`` (a spaCy pipeline directory with one ``ner`` component)."""
    ner = Path(path) / "ner"
    data = _unpack((ner / "model").read_bytes())
    nodes = data["nodes"]
    attrs = [{k: _unpack(v) for k, v in a.items()} for a in data["attrs"]]
    params = data["params"]

    def of(name: str) -> list[int]:
        return [i for i, node in enumerate(nodes) if node["name"] == name]

    embeds = sorted(of("hashembed"), key=lambda i: attrs[i]["column"])
    maxouts, norms = of("maxout"), of("layernorm")
    linears, affine = of("linear"), of("precomputable_affine")
    windows = of("expand_window")
    if (len(embeds) != 4 or len(maxouts) != len(norms) or len(maxouts) < 2 or len(linears) != 2
            or len(affine) != 1 or any(attrs[w]["window_size"] != 1 for w in windows)
            or attrs[0].get("has_upper") is not True):
        raise ModelFormatError(f"{path} is not the HashEmbedCNN + TransitionBasedParser the "
                               "numpy runner knows; load it with spaCy instead")
    layers = [Layer(params[m]["W"], params[m]["b"], params[g]["G"], params[g]["b"])
              for m, g in zip(maxouts, norms)]
    pads = [a["pad"] for a in attrs if "pad" in a and a["pad"] > 0]
    upper, proj = (linears[0], linears[1]) if nodes[linears[0]]["index"] == nodes[0]["refs"]["upper"] \
        else (linears[1], linears[0])
    aff = params[affine[0]]
    return NerModel(
        tables=tuple(params[e]["E"] for e in embeds),
        seeds=tuple(int(attrs[e]["seed"]) for e in embeds),
        embed_mix=layers[0], cnn=tuple(layers[1:]), pad=pads[0] if pads else 0,
        proj_W=params[proj]["W"], proj_b=params[proj]["b"],
        lower_W=aff["W"], lower_b=aff["b"], lower_pad=aff["pad"][0],
        upper_W=params[upper]["W"], upper_b=params[upper]["b"],
        moves=_moves((ner / "moves").read_bytes()))
