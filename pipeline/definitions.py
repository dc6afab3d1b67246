"""The code location: everything in pipeline/defs/ (assets, checks, jobs, sensors, schedules, resources)."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
