"""`python -m sitrep.spark INPUT... -o OUT`, and the file spark-submit runs on a cluster:

    spark-submit --master yarn ... "$(python -c 'import sitrep.spark.__main__ as m; print(m.__file__)')" \\
        /shared/news/ -o /shared/out/events.parquet

The same as `sitrep spark extract`; under spark-submit the master and settings are spark-submit's.
"""
import sys

from ..cli import main

if __name__ == "__main__":
    sys.exit(main(["spark", "extract", *sys.argv[1:]]))
