"""The README documents what the code does: every setting, every asset, check, sensor and schedule."""

import re

import pytest

from pipeline.core.settings import PipelineSettings, UrlCheckSettings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_ROWS = set(re.findall(r"^\| `(PIPELINE_[A-Z_]+)`", README, flags=re.M)) | {
    v
    for row in re.findall(r"^\| (`PIPELINE_[A-Z_]+`, `PIPELINE_[A-Z_]+`) \|", README, flags=re.M)
    for v in re.findall(r"`(PIPELINE_[A-Z_]+)`", row)
}


@pytest.mark.parametrize(
    "variable",
    [f"PIPELINE_{name.upper()}" for name in PipelineSettings.model_fields]
    + [f"PIPELINE_URL_{name.upper()}" for name in UrlCheckSettings.model_fields],
)
def test_every_setting_is_in_the_settings_table(variable):
    assert variable in SETTINGS_ROWS


def test_every_asset_check_sensor_and_schedule_is_described():
    from pipeline.definitions import defs

    d = defs()
    names = [k.path[-1] for k in d.resolve_asset_graph().get_all_asset_keys()]
    names += [c.name for c in d.resolve_asset_graph().asset_check_keys]
    names += [s.name for s in d.sensors or []] + [s.name for s in d.schedules or []]
    missing = [n for n in names if f"`{n}`" not in README]
    assert not missing
