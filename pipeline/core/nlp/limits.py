"""Absurd input kept away from spaCy: giant tokens cut, giant paragraphs analysed in part.

Each cut leaves a warning on the document's row, so nothing is dropped silently.
"""

from __future__ import annotations

import re

from pipeline.core.models import NoteSplit, Paragraph, ParagraphKind

#: characters a cut token keeps, so the claim still shows what was there
_TOKEN_KEPT = 40


def _cut_long_tokens(para: Paragraph, max_token_chars: int) -> tuple[Paragraph, int]:
    """Tokens (runs without a space) longer than the limit keep their first characters and an
    ellipsis; marker offsets after a cut move with the text. Returns the paragraph and the cuts."""
    cuts: list[tuple[int, int, int]] = []  # (end of the token, characters removed, end of what was kept)
    parts: list[str] = []
    pos = 0
    for m in re.finditer(rf"\S{{{max_token_chars + 1},}}", para.text):
        kept = m.start() + _TOKEN_KEPT
        parts += [para.text[pos:kept], "…"]
        cuts.append((m.end(), m.end() - kept - 1, kept))
        pos = m.end()
    if not cuts:
        return para, 0

    def moved(offset: int) -> int:
        removed = 0
        for end, count, kept in cuts:
            if offset >= end:
                removed += count
            elif offset > kept:  # inside a cut token: at its ellipsis
                return kept + 1 - removed
        return offset - removed

    markers = [mk.model_copy(update={"offset": moved(mk.offset)}) for mk in para.markers]
    text = "".join([*parts, para.text[pos:]])
    return para.model_copy(update={"text": text, "markers": markers}), len(cuts)


def keep_within_limits(
    split: NoteSplit, *, max_paragraph_chars: int = 20_000, max_token_chars: int = 500
) -> tuple[NoteSplit, list[str]]:
    """Absurd input kept away from spaCy, with a warning for each paragraph that was touched.

    A 200,000-character token becomes thousands of junk sentences, and a 1.2-million-character
    paragraph takes minutes and gigabytes in the parser; real paragraphs are a few thousand
    characters and real tokens (URLs included) a few hundred. Tokens over ``max_token_chars``
    are cut (PIPELINE_MAX_TOKEN_CHARS); paragraphs over ``max_paragraph_chars`` are analysed up
    to that length only (PIPELINE_MAX_PARAGRAPH_CHARS). The split itself is not changed.
    """
    warnings: list[str] = []
    paragraphs: list[Paragraph] = []
    for para in split.paragraphs:
        if para.kind != ParagraphKind.BODY:
            paragraphs.append(para)
            continue
        where = f"paragraph {para.index} (page {para.page})"
        para, cut_tokens = _cut_long_tokens(para, max_token_chars)
        if cut_tokens:
            warnings.append(
                f"{where}: {cut_tokens} token(s) longer than {max_token_chars:,} characters were cut to "
                f"their first {_TOKEN_KEPT} before sentence analysis (setting PIPELINE_MAX_TOKEN_CHARS)"
            )
        if len(para.text) > max_paragraph_chars:
            space = para.text.rfind(" ", 0, max_paragraph_chars)
            cut = space if space > max_paragraph_chars // 2 else max_paragraph_chars
            warnings.append(
                f"{where} has {len(para.text):,} characters: only the first {cut:,} were analysed "
                "for claims (setting PIPELINE_MAX_PARAGRAPH_CHARS)"
            )
            markers = [mk for mk in para.markers if mk.offset <= cut]
            para = para.model_copy(update={"text": para.text[:cut], "markers": markers})
        paragraphs.append(para)
    if not warnings:
        return split, []
    return split.model_copy(update={"paragraphs": paragraphs}), warnings
