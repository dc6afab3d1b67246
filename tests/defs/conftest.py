import dagster as dg
import pytest

from pipeline.defs.resources import PipelineConfig, SpacyModel, StateIOManager
from tests.conftest import MODEL


@pytest.fixture
def out_dir(tmp_path):
    return tmp_path / "extracted"


@pytest.fixture
def resources(raw_dir, out_dir):
    return {
        "settings": PipelineConfig(raw_dir=str(raw_dir), out_dir=str(out_dir), offline=True),
        "spacy": SpacyModel(model=MODEL),
        "io_manager": StateIOManager(out_dir=str(out_dir)),
    }


@pytest.fixture
def instance():
    with dg.instance_for_test() as inst:
        yield inst
