"""Seeded mutations of PDF bytes, the way files get damaged: flipped bytes, cuts, lost or
repeated blocks, and edited tokens (numbers made extreme, names swapped) in the PDF syntax.

``mutations(seed, bases, n)`` is deterministic: the same seed gives the same files, so any
failure can be reproduced from its id.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_NAME = re.compile(rb"/[A-Za-z][A-Za-z0-9]*")
EXTREME_NUMBERS = [b"0", b"-1", b"2147483648", b"99999999999999999999", b"-0.0", b"1e308", b"3.4e38", b"NaN"]
NAMES = [b"/Page", b"/Pages", b"/Kids", b"/Parent", b"/Length", b"/Contents", b"/Font", b"/XObject", b"/Root"]


@dataclass(frozen=True)
class Mutation:
    id: str
    data: bytes


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(16, len(data))]


def drop_block(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 4096) :]


def repeat_block(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    block = data[start : start + rng.randint(1, 4096)]
    return data[:start] + block * rng.randint(2, 50) + data[start:]


def insert_garbage(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 512)) + data[at:]


def extreme_numbers(rng: random.Random, data: bytes) -> bytes:
    spans = [m.span() for m in _NUMBER.finditer(data)]
    if not spans:
        return flip_bytes(rng, data)
    out = data
    for start, end in sorted(rng.sample(spans, min(len(spans), rng.randint(1, 5))), reverse=True):
        out = out[:start] + rng.choice(EXTREME_NUMBERS) + out[end:]
    return out


def swap_names(rng: random.Random, data: bytes) -> bytes:
    spans = [m.span() for m in _NAME.finditer(data)]
    if not spans:
        return flip_bytes(rng, data)
    out = data
    for start, end in sorted(rng.sample(spans, min(len(spans), rng.randint(1, 5))), reverse=True):
        out = out[:start] + rng.choice(NAMES) + out[end:]
    return out


OPERATORS = [flip_bytes, truncate, drop_block, repeat_block, insert_garbage, extreme_numbers, swap_names]


def mutations(seed: int, bases: dict[str, bytes], n: int) -> Iterator[Mutation]:
    rng = random.Random(seed)
    names = sorted(bases)
    for i in range(n):
        name = names[i % len(names)]
        operator = OPERATORS[rng.randrange(len(OPERATORS))]
        yield Mutation(f"{seed}-{i}-{name}-{operator.__name__}", operator(rng, bases[name]))
