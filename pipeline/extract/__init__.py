"""Extractors: patterns, the trained model, and the combiner.

This package shares its name with the contract's function ``pipeline.extract(text)``.
Importing a submodule makes Python bind ``pipeline.extract`` to this package, so the
package is made callable and forwards to ``pipeline.api.extract``: both
``pipeline.extract(text)`` and ``pipeline.extract.patterns`` keep working.
"""
from __future__ import annotations

import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, text, reference_date=None, doc_id=None, **kwargs):
        from pipeline.api import extract
        return extract(text, reference_date=reference_date, doc_id=doc_id, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
