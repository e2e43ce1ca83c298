"""sitrep on Apache Spark: `sitrep spark extract` runs the extraction over many files on a cluster (or local
cores) and writes the articles and events as Parquet, which `sitrep ingest` loads into the store.

plan.py cuts the inputs into tasks on the driver, worker.py runs a task in a Python worker, job.py drives the
run, schema.py names the output's tables and columns. pyspark is imported only inside job.py's functions: the
rest of sitrep works without the `spark` extra.
"""
