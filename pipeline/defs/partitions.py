"""One dynamic partition per document in raw/; the key is the file name made safe for Dagster."""

import dagster as dg

documents = dg.DynamicPartitionsDefinition(name="documents")
