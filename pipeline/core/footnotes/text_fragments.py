"""Fragments of text input matched to the notes they continue.

Two-column interleaving puts the continuation of a note before or after it, among other notes.
A fragment is matched to the note whose end it completes: how the note visibly stops (a hyphen,
a comma, "Month D," without its year, a URL cut at a hyphen, a sentence left open) against how
the fragment starts (a lowercase word, a year, a URL, the rest of a URL). A fragment that is a
complete citation belongs to the note before the next label. No text is dropped.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.core.footnotes.cues import head_kind, tail_kind
from pipeline.core.footnotes.text_notes import Vocabulary, drops_line_hyphen, join_note_parts
from pipeline.core.footnotes.text_pieces import Piece

# How well a fragment start (column 2) continues a note end (column 1).
_FIT: dict[tuple[str, str], float] = {
    ("url_open", "urlpath"): 3.0,
    ("url_break", "urlpath"): 2.5,
    ("url_open", "lower"): 2.5,
    ("hyphen", "lower"): 2.5,
    ("month", "year"): 3.0,
    ("month", "url"): 0.5,
    ("month", "detail"): 0.5,
    ("dated", "url"): 2.5,
    ("dated", "detail"): 1.0,
    ("dated", "lower"): 0.5,
    ("comma", "url"): 2.0,
    ("comma", "detail"): 2.0,
    ("comma", "lower"): 1.5,
    ("comma", "year"): 1.5,
    ("semicolon", "cite"): 2.0,
    ("semicolon", "detail"): 1.0,
    ("open", "lower"): 2.5,
    ("open", "detail"): 2.0,
    ("open", "year"): 1.5,
    ("open", "url"): 1.0,
}
#: Fit lost per block between a note and a fragment; below MIN_FIT the fragment is not a continuation.
_FIT_PER_BLOCK = 0.1
_MIN_FIT = 1.0
_WINDOW = int((max(_FIT.values()) + 0.5 - _MIN_FIT) / _FIT_PER_BLOCK) + 1  # farthest block that can fit


def _fit(note_text: str, fragment: str, vocab: Vocabulary) -> float:
    """How well ``fragment`` continues a note that ends with ``note_text``."""
    tail, head = tail_kind(note_text), head_kind(fragment)
    score = _FIT.get((tail, head), 0.0)
    if tail == "hyphen" and head == "lower":
        a = re.search(r"([A-Za-z]+)-$", note_text.rstrip())
        b = re.match(r"[A-Za-z]+", fragment.lstrip())
        if a and b and drops_line_hyphen(a.group(1), b.group(0), vocab):
            score += 0.5
    return score


@dataclass
class _FragmentGroup:
    """Consecutive fragments that read as one stretch of note text."""

    first: int  # index of its first piece
    block: int
    parts: list[str]


def _fragment_groups(pieces: list[Piece], vocab: Vocabulary) -> list[_FragmentGroup]:
    """Join consecutive fragments that continue one another into groups."""
    groups: list[_FragmentGroup] = []
    prev: int | None = None
    for i, piece in enumerate(pieces):
        if piece.kind != "fragment":
            continue
        text = " ".join(piece.parts)
        if groups and prev == i - 1:
            g = groups[-1]
            tail = tail_kind(g.parts[-1])
            if _fit(join_note_parts(g.parts, vocab), text, vocab) >= 2.0 or (
                head_kind(text) == "cite" and tail in ("complete", "url_break", "dated", "semicolon")
            ):
                g.parts.extend(piece.parts)
                prev = i
                continue
        groups.append(_FragmentGroup(first=i, block=piece.block, parts=list(piece.parts)))
        prev = i
    return groups


def attach_fragments(pieces: list[Piece], vocab: Vocabulary) -> list[Piece]:
    """Give every fragment to a note; returns the notes. No text is dropped.

    Best fits first; a note's end changes when it takes a fragment, so its fits are re-scored.
    Only receivers within ``_WINDOW`` blocks can reach ``_MIN_FIT``, which keeps this near-linear.
    """
    notes = [p for p in pieces if p.kind == "note"]
    groups = _fragment_groups(pieces, vocab)
    if not notes:
        return []
    index = {id(p): i for i, p in enumerate(pieces)}
    # Receivers: notes, and complete citations (they may have continuations of their own).
    receivers = [_Receiver(index[id(n)], n.block, n.parts) for n in notes]
    receivers += [_Receiver(g.first, g.block, g.parts) for g in groups if head_kind(g.parts[0]) == "cite"]
    pending = [g for g in groups if head_kind(g.parts[0]) != "cite"]
    done = _Matching(receivers, pending, vocab).run()
    leftovers = [g for gi, g in enumerate(pending) if gi not in done]
    leftovers += [g for g in groups if head_kind(g.parts[0]) == "cite"]
    _give_leftovers(pieces, notes, leftovers)
    return notes


@dataclass(frozen=True)
class _Receiver:
    """Text that may take fragments: a note, or a fragment group that is a complete citation."""

    at: int  # index of its (first) piece
    block: int
    parts: list[str]  # grows as it takes fragments


class _Matching:
    """Fragment groups given to receivers, best fit first, re-scoring a receiver when its end changes."""

    def __init__(self, receivers: list[_Receiver], pending: list[_FragmentGroup], vocab: Vocabulary) -> None:
        self.receivers = receivers
        self.pending = pending
        self.vocab = vocab
        self.by_block: dict[int, list[int]] = {}
        for r, receiver in enumerate(receivers):
            self.by_block.setdefault(receiver.block, []).append(r)
        self.tails = [join_note_parts(receiver.parts, vocab) for receiver in receivers]
        self.version = [0] * len(receivers)
        self.heap: list[tuple[float, int, int, int]] = []  # -score, group, receiver, receiver version

    def run(self) -> set[int]:
        """Give the pending groups away; returns the indexes of those given."""
        for gi, g in enumerate(self.pending):
            for r in self._nearby(g.block):
                self._push(gi, r)
        done: set[int] = set()
        while self.heap:
            _, gi, r, seen_version = heapq.heappop(self.heap)
            if gi in done:
                continue
            if seen_version != self.version[r]:
                self._push(gi, r)  # the receiver's end changed since this fit was scored
                continue
            self._give(gi, r, done)
        return done

    def _give(self, gi: int, r: int, done: set[int]) -> None:
        """Group ``gi`` goes to receiver ``r``, whose fits with the groups still pending are re-scored."""
        receiver = self.receivers[r]
        receiver.parts.extend(self.pending[gi].parts)
        done.add(gi)
        self.tails[r] = join_note_parts(receiver.parts, self.vocab)
        self.version[r] += 1
        for gj, g in enumerate(self.pending):
            if gj not in done and abs(g.block - receiver.block) <= _WINDOW:
                self._push(gj, r)

    def _push(self, gi: int, r: int) -> None:
        """Score group ``gi`` against receiver ``r`` and queue the pair if it fits."""
        g = self.pending[gi]
        receiver = self.receivers[r]
        if receiver.block == g.block and receiver.at > g.first:
            return  # within a block, text runs forward
        score = _fit(self.tails[r], g.parts[0], self.vocab) - _FIT_PER_BLOCK * abs(receiver.block - g.block)
        if score >= _MIN_FIT:
            heapq.heappush(self.heap, (-score, gi, r, self.version[r]))

    def _nearby(self, block: int) -> Iterator[int]:
        """Receivers within ``_WINDOW`` blocks of ``block``."""
        for b in range(block - _WINDOW, block + _WINDOW + 1):
            yield from self.by_block.get(b, ())


def _give_leftovers(pieces: list[Piece], notes: list[Piece], leftovers: list[_FragmentGroup]) -> None:
    """Fragments no note end asked for go to the note before the next label (or the one before them)."""
    by_number = {n.number: n for n in notes}
    next_note: list[Piece | None] = [None] * (len(pieces) + 1)
    for k in range(len(pieces) - 1, -1, -1):
        next_note[k] = pieces[k] if pieces[k].kind == "note" else next_note[k + 1]
    prev_note: list[Piece | None] = [None] * (len(pieces) + 1)
    for k in range(1, len(pieces) + 1):
        prev_note[k] = pieces[k - 1] if pieces[k - 1].kind == "note" else prev_note[k - 1]
    for g in sorted(leftovers, key=lambda g: g.first):
        # a complete citation between notes continues the note numbered just before the next label
        following = next_note[g.first]
        if following is not None and following.number is not None and following.number - 1 in by_number:
            target = by_number[following.number - 1]
        else:
            target = prev_note[g.first] or notes[0]
        target.parts.extend(g.parts)
