"""Dagster wiring only: every object here is loaded by pipeline/definitions.py."""
