"""jieba with the domain dictionary (``resources/domain_dict.txt``): the one segmenter
that the roles, regions and the mention model read words with."""
from __future__ import annotations

import functools
from importlib import resources
from typing import Any


@functools.cache
def tokenizer() -> Any:
    """The jieba tokenizer with the domain dictionary, loaded once (about a second)."""
    import jieba  # its dictionary loads in about a second: only when text is segmented
    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    with resources.as_file(resources.files("pipeline.resources").joinpath("domain_dict.txt")) as p:
        tk.load_userdict(str(p))
    return tk


def cut(text: str) -> list[str]:
    """The words of ``text`` (jieba's precise mode without its HMM for unknown words)."""
    return tokenizer().lcut(text, HMM=False)


def is_word(chars: str) -> bool:
    """Whether jieba's dictionary holds ``chars`` as a word (天津, 年终, 成本)."""
    return tokenizer().FREQ.get(chars, 0) > 0
