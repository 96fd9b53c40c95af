"""The contract's vocabulary, written once (../shared/CONTRACT.md): roles, kinds,
qualifiers, link types, date grains and the extractors.  Every other module imports
these; the records are typed with them.

>>> ROLES
('target', 'actual', 'rate', 'change', 'rank', 'other')
>>> QUANTITY_LINKS
('target', 'of', 'change_of')
"""
from __future__ import annotations

from typing import Literal, get_args

Role = Literal["target", "actual", "rate", "change", "rank", "other"]
Kind = Literal["area", "length", "mass", "volume", "money", "count", "percent", "percent_point",
               "ratio", "rank", "energy", "duration", "other"]
Qualifier = Literal["=", "~", ">=", "<=", ">", "<"]
#: a quantity's links: to its target, to the whole it is a share (or part) of, to the
#: quantity a change describes, and to the date it is stated at
LinkType = Literal["target", "of", "change_of", "date"]
QuantityLink = Literal["target", "of", "change_of"]
Grain = Literal["day", "month", "quarter", "half", "year"]
#: what finds the mentions: the patterns, the trained model, or both
Extractors = Literal["pattern", "model", "combined"]

ROLES: tuple[Role, ...] = get_args(Role)
KINDS: tuple[Kind, ...] = get_args(Kind)
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)
LINK_TYPES: tuple[LinkType, ...] = get_args(LinkType)
QUANTITY_LINKS: tuple[QuantityLink, ...] = get_args(QuantityLink)
GRAINS: tuple[Grain, ...] = get_args(Grain)
EXTRACTORS: tuple[Extractors, ...] = get_args(Extractors)
