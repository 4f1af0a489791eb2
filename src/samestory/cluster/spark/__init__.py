"""The story pipeline on Apache Spark (``samestory cluster --engine spark``; extra ``[spark]``).

``cluster_with_spark(inputs, out)`` reads the inputs as Spark sources, finds near-copies and
embeds the texts in Arrow batches with the same models, finds candidate pairs by blocking
(never all pairs), links them with the local engine's rules and writes Parquet tables of articles,
near-duplicate groups and stories (and optionally a samestory store). Importing this package
does not import PySpark; a missing PySpark or Java raises ``MissingDependencyError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .session import MissingJavaError, SparkOptions, require_pyspark, spark_session

if TYPE_CHECKING:
    from .engine import SparkReport, cluster_with_spark

__all__ = [
    "MissingJavaError",
    "SparkOptions",
    "SparkReport",
    "cluster_with_spark",
    "require_pyspark",
    "spark_session",
]


def __getattr__(name: str) -> Any:
    if name in ("cluster_with_spark", "SparkReport"):
        require_pyspark()  # the engine imports pandas, which comes with the extra
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)
