"""Jobs: process one document (all its steps), rebuild the dataset, re-check links."""

import dagster as dg

from pipeline.defs.assets import GROUP, claims_dataset, url_checks

process_document = dg.define_asset_job(
    "process_document",
    selection=dg.AssetSelection.groups(GROUP),
    description="Parse one document and run every per-document step, with their checks.",
)

build_dataset = dg.define_asset_job(
    "build_dataset",
    selection=dg.AssetSelection.assets(claims_dataset),
    description="Write extracted/ from the latest per-document results.",
)

recheck_links = dg.define_asset_job(
    "recheck_links",
    selection=dg.AssetSelection.assets(url_checks),
    description="Re-check the links of one document (URLs within the TTL are skipped).",
)
