"""Paywalls: a page that says it is not free to read.

Publishers tell search engines so in their JSON-LD (``"isAccessibleForFree": false``, Google's
documented markup for paywalled content) or an ``article:content_tier`` of ``locked`` (a metered
page still holds the article, so it is not one);
other paywalls show only a teaser that asks the reader to subscribe. Such a page is reachable
(never dead), but its text is not the article, so it is not evidence either way.
"""

from __future__ import annotations

import re

_FREE_FALSE = re.compile(rb"""["']isAccessibleForFree["']\s*:\s*(?:false|["']false["']|["']no["'])""", re.I)
_CONTENT_TIER = re.compile(
    rb"""<meta[^>]+(?:property|name)=["'](?:article:)?content_tier["'][^>]+content=["']locked["']"""
    rb"""|<meta[^>]+content=["']locked["'][^>]+(?:property|name)=["'](?:article:)?content_tier["']""",
    re.I,
)
#: what a teaser says to a reader who has not paid (read in the page's main text)
_TEASER = re.compile(
    r"""
    \bsubscribe\s+(?:now\s+)?to\s+(?:continue|keep)\s+reading\b
    | \bto\s+(?:continue|keep)\s+reading,?\s+(?:please\s+)?(?:subscribe|log\s*in|sign\s*in|register)\b
    | \b(?:this|the)\s+(?:article|story|content|page)\s+is\s+(?:only\s+)?(?:available\s+)?(?:exclusively\s+)?
      (?:for|to)\s+(?:paying\s+)?(?:subscribers|members)\b
    | \b(?:subscribers|members)[-\s]only\s+(?:article|content|story)\b
    | \bread\s+the\s+full\s+(?:article|story)\s+(?:with|by\s+subscribing)\b
    """,
    re.I | re.X,
)
#: a teaser is short: a long main text with a subscription line in it is an article
TEASER_MAX_CHARS = 2000


def is_paywalled(body: bytes, main_text: str | None) -> bool:
    """The page says it is not free to read: its markup, or a short teaser asking to subscribe."""
    if _FREE_FALSE.search(body) or _CONTENT_TIER.search(body[:65536]):
        return True
    return bool(main_text and len(main_text) <= TEASER_MAX_CHARS and _TEASER.search(main_text))
