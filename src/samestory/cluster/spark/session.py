"""Starting (or reusing) a SparkSession, with clear errors when PySpark or Java is missing."""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import MissingDependencyError, OptionsError
from ..candidates import CELL_SIZE, PROBES

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class MissingJavaError(MissingDependencyError):
    """PySpark is installed but no Java runtime was found to start Spark with."""

    def __init__(self) -> None:
        self.package = "java"
        self.extra = "spark"
        Exception.__init__(
            self,
            "Spark needs a Java runtime (17 or newer) and none was found on PATH or in "
            "JAVA_HOME; install one, e.g. `apt-get install default-jre-headless` on Debian/Ubuntu",
        )


DEFAULT_MASTER = "local[2]"


@dataclass(frozen=True, kw_only=True)
class SparkOptions:
    """How the Spark engine runs.

    ``master``: the Spark master URL (``local[2]``: two worker threads on this machine, or a
    cluster's URL); ``None``: the one ``spark-submit`` was given, or ``local[2]`` when not
    run by ``spark-submit``. ``partitions``: shuffle
    partitions and input slices (``None``: twice the local cores, or Spark's default on a
    cluster). ``cell_size``: articles per embedding bucket (inverted-file cell) for the
    candidate search; each article is compared with the ``probes`` cells nearest to it, so
    the exact search is ``probes × cell_size`` dot products per article, whatever the corpus
    size (corpora of at most ``probes × cell_size`` articles are searched exactly, as the
    local engine does below its HNSW cut). ``threshold_sample``: the first articles the
    similarity threshold is chosen on (on the driver) when it is not given.
    ``link_margin``: stories are grouped inside connected components of the candidate pairs
    at least ``threshold - link_margin`` similar; average link is greedy (the best merge
    first), so a merge across two components made early by the local engine can change its
    later merges. A margin of 0.05 gave identical stories on the GoogleNews-TS slices
    measured (0: ARI 0.990, smaller components); larger margins cost larger components, which
    bound the memory of one task. ``config``:
    extra Spark settings, e.g. ``{"spark.driver.memory": "4g"}``.
    """

    master: str | None = None
    partitions: int | None = None
    cell_size: int = CELL_SIZE
    probes: int = PROBES
    threshold_sample: int = 20_000
    link_margin: float = 0.05
    app_name: str = "samestory"
    config: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cell_size < 10:
            raise OptionsError(f"cell_size must be at least 10, got {self.cell_size}")
        if self.probes < 1:
            raise OptionsError(f"probes must be at least 1, got {self.probes}")
        if not 0.0 <= self.link_margin <= 1.0:
            raise OptionsError(f"link_margin must be in [0, 1], got {self.link_margin}")
        if self.partitions is not None and self.partitions < 1:
            raise OptionsError(f"partitions must be at least 1, got {self.partitions}")

    def resolved_master(self) -> str | None:
        """The master to set (None: leave it to ``spark-submit``, which launched us)."""
        if self.master is not None:
            return self.master
        return None if os.environ.get("PYSPARK_GATEWAY_PORT") else DEFAULT_MASTER

    def local_cores(self) -> int | None:
        """Worker threads of a ``local[N]`` master (None for a cluster)."""
        master = self.resolved_master()
        if master is None:
            return None
        found = re.fullmatch(r"local(?:\[(\d+|\*)(?:,\d+)?\])?", master)
        if not found:
            return None
        count = found.group(1)
        return os.cpu_count() or 1 if count in (None, "*") else int(count)

    def shuffle_partitions(self) -> int | None:
        if self.partitions is not None:
            return self.partitions
        cores = self.local_cores()
        return 2 * cores if cores else None


def require_pyspark() -> None:
    """Raise MissingDependencyError / MissingJavaError unless Spark can start here."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as error:
        raise MissingDependencyError("pyspark (with pandas and pyarrow)", "spark") from error
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (
        java_home and os.path.exists(os.path.join(java_home, "bin", "java"))
    ):
        raise MissingJavaError()


def spark_session(options: SparkOptions | None = None) -> SparkSession:
    """The active SparkSession, or a new one built from ``options``.

    Python workers run this interpreter (``PYSPARK_PYTHON``), so they import the same
    samestory and models; the web UI is off and Spark binds to the loopback address unless
    told otherwise.
    """
    options = options or SparkOptions()
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if options.local_cores() is not None:  # on a cluster, spark-submit says which Python
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(options.app_name)
    master = options.resolved_master()
    if master is not None:
        builder = builder.master(master)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.python.worker.reuse": "true",  # models stay loaded in each Python worker
        "spark.sql.session.timeZone": "UTC",
    }
    partitions = options.shuffle_partitions()
    if partitions is not None:
        settings["spark.sql.shuffle.partitions"] = str(partitions)
        settings["spark.default.parallelism"] = str(partitions)
    cores = options.local_cores()
    if cores is not None:  # share this machine's cores between the Python workers
        threads = max(1, (os.cpu_count() or 1) // cores)
        settings["spark.executorEnv.SAMESTORY_THREADS"] = str(threads)
    settings.update(options.config)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
