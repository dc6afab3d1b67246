"""Word frequencies: is a fragment an English word, and how common is it?"""

from functools import lru_cache


@lru_cache(maxsize=65536)
def word_score(word: str) -> float:
    """Zipf frequency of an English word (0 for unknown words and non-words)."""
    if not word or not word.isalpha():
        return 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")
