"""Footnoted claims and their sources: extraction and link checking."""
