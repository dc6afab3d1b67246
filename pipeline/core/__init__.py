"""Plain Python steps of the pipeline. Nothing here imports Dagster."""
