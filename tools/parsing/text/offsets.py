"""Offset maps: where each character of a normalised text came from, so spans found in it are
mapped back to the text the caller gave."""

from __future__ import annotations

from typing import Any


class OffsetMap:
    """Where each character of a normalised text came from in the text it was made from.

    ``span(a, b)`` turns offsets into the normalised text into offsets into the original: the
    first character's source start and the last character's source end. A character that
    replaced several (a collapsed run of spaces, CRLF, a composed accent) maps to all of them;
    several characters made from one (a ligature, an ellipsis) all map to that one.
    """

    __slots__ = ("_ends", "_length", "_starts")

    def __init__(self, starts: list[int] | None, ends: list[int] | None, length: int) -> None:
        self._starts = starts
        self._ends = ends
        self._length = length  # of the original text

    @property
    def identity(self) -> bool:
        return self._starts is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised text's [start, end)."""
        if self._starts is None or self._ends is None:
            return start, end
        n = len(self._starts)
        if n == 0:
            return 0, 0
        if end <= start:  # empty span: anchor it where its position maps to
            pos = self._starts[start] if start < n else self._length
            return pos, pos
        a = self._starts[min(start, n - 1)]
        b = self._ends[min(end, n) - 1]
        return a, max(a, b)

    def shifts(self) -> list[tuple[int, int, int]]:
        """The map, compactly: (i, start shift, end shift) wherever the shifts change; from
        character i of the normalised text on, character k came from
        ``original[k + start shift : k + 1 + end shift]``. Empty for the identity map."""
        if self._starts is None or self._ends is None or not self._starts:
            return []
        import numpy as np

        k = np.arange(len(self._starts))
        both = np.stack([np.asarray(self._starts) - k, np.asarray(self._ends) - k - 1], axis=1)
        change = np.flatnonzero(np.any(both[1:] != both[:-1], axis=1)) + 1
        at = np.concatenate([[0], change])
        return [(int(i), int(both[i, 0]), int(both[i, 1])) for i in at]


def remap_spans(model: Any, offsets: OffsetMap, original: str) -> None:
    """Point every ``Span`` inside `model` (a pydantic model, or a list of them) at
    `original`: offsets through `offsets`, text re-read from `original`. In place."""
    from pydantic import BaseModel

    from tools.schemas import Span

    if offsets.identity:
        return
    stack: list[Any] = [model]
    while stack:
        obj = stack.pop()
        if isinstance(obj, Span):
            a, b = offsets.span(obj.start, obj.end)
            obj.start, obj.end, obj.text = a, b, original[a:b]
        elif isinstance(obj, BaseModel):
            stack.extend(v for v in obj.__dict__.values() if isinstance(v, (BaseModel, list)))
        elif isinstance(obj, list):
            stack.extend(v for v in obj if isinstance(v, (BaseModel, list)))


def chain_maps(first: OffsetMap, second: OffsetMap) -> OffsetMap:
    """The map of ``first`` (C -> B) followed by ``second`` (B -> A): C -> A."""
    if second.identity:
        return first
    n = first._length if first.identity else len(first._starts or [])
    starts: list[int] = []
    ends: list[int] = []
    for i in range(n):
        a, b = second.span(*first.span(i, i + 1))
        starts.append(a)
        ends.append(b)
    return OffsetMap(starts, ends, second._length)


def scan_map(norm: str, original: str, *, window: int = 64) -> OffsetMap:
    """A coarse map from `norm` to the `original` it was made from by dropping and rejoining
    parts (tools.parsing.stuffing): each character of `norm` is looked up in `original` going
    forward, a letter or digit at most `window` characters ahead, a separator (space,
    punctuation) only right where the scan is — a separator that was inserted ("a, b" from a
    tab-separated list) maps to the current place without moving it."""
    starts: list[int] = []
    pos = 0
    n = len(original)
    for ch in norm:
        ahead = window if ch.isalnum() else 2
        found = original.find(ch, pos, pos + ahead)
        if found < 0:
            starts.append(min(pos, max(n - 1, 0)))
            continue
        starts.append(found)
        pos = min(found + 1, n)
    ends = [s + 1 for s in starts]
    return OffsetMap(starts, ends, n)
