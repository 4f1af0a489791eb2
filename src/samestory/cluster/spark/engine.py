"""The story pipeline on Spark: read, sign, near-copies, embed, candidate pairs, link, write.

The stages are those of ``pipeline.cluster_articles`` and each calls the same code per Arrow
batch (see ``stages``); what changes is how the work is split so that no stage ever forms
all pairs and no stage needs the whole corpus on one machine:

- near-copies: MinHash LSH bands are Spark keys; only members of one bucket are compared
  (each with at most 20 earlier members), and the copy pairs are joined into groups by
  connected components in DataFrames; they are found before embedding, so that a
  near-copy takes its group's first vector instead of being embedded (as locally);
- candidate pairs: embedding buckets (an inverted file: k-means cells fitted on the first
  articles; ``candidates.cell_search`` is the same search on one machine);
  each article is searched exactly among the articles whose nearest cell is one of its
  ``probes`` nearest cells, keeping its ``k`` nearest neighbours; the time window is
  applied to those pairs as in the local engine;
- grouping: the candidate pairs at least as similar as the threshold (less a small margin),
  plus the copy pairs, are split into connected components, and the local engine's average link runs inside
  each component, in parallel (a merge needs a candidate pair between the two sides, and in
  practice the most similar pair is one: a merge across components is what is given up);
- on the driver only bounded samples: the lexical model is fitted on the first 20,000
  articles (as the local engine does), the threshold chosen on the first
  ``threshold_sample`` articles, and the k-means cells on the first 10,000–200,000.

Outputs: Parquet tables ``articles``, ``near_duplicates`` and ``stories`` under ``out``, and
optionally a samestory store that ``samestory story``, ``serve`` and ``add`` can open.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...article import Article
from ...errors import InputError
from ..candidates import cell_count
from ..core import (
    AUTO_MIN_ITEMS,
    PROBE_KIND,
    PROVISIONAL_THRESHOLD,
    ClusterOptions,
    lexical_text,
    story_headline,
)
from ..lexical import FIT_SAMPLE, LexicalModel
from ..neardup import _BUCKET_PEERS, lsh_bands
from . import stages
from .graph import connected_components
from .session import SparkOptions, spark_session
from .sources import literal_path, read_inputs

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Progress = Callable[[str], None]
# Passes of linking (see ``_Run.link``); the second finds nothing on the data measured here.
MAX_LINK_PASSES = 5
# LSH bucket members handed to one near-copy group call (signatures of 512 bytes: ~50 MB)
BUCKET_BLOCK_ROWS = 100_000


@dataclass
class SparkReport:
    """What one Spark run did, and how long each stage took (seconds)."""

    read: int = 0
    articles: int = 0
    texts: int = 0
    copies_sharing_vectors: int = 0
    near_duplicate_groups: int = 0
    candidate_pairs: int = 0
    stories: int = 0
    threshold: float | None = None
    cells: int = 1
    largest_component: int = 0
    link_passes: int = 0
    model_checks: int = 0
    model_vetoes: int = 0
    model_unchecked: int = 0
    model_note: str = ""
    out: str = ""
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def pairs_per_article(self) -> float:
        return self.candidate_pairs / self.articles if self.articles else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["seconds"] = {k: round(v, 2) for k, v in self.seconds.items()}
        data["pairs_per_article"] = round(self.pairs_per_article, 2)
        return data


def cluster_with_spark(
    inputs: list[str] | str,
    out: str | Path,
    options: ClusterOptions | None = None,
    *,
    spark_options: SparkOptions | None = None,
    db: str | Path | None = None,
    spark: SparkSession | None = None,
    progress: Progress | None = None,
) -> SparkReport:
    """Cluster the articles of ``inputs`` into stories on Spark; tables are written to ``out``.

    ``spark``: a session to use (default: the active one, or one started from
    ``spark_options``). ``db``: also write a new samestory store there.
    """
    options = options or ClusterOptions()
    spark_options = spark_options or SparkOptions()
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    if db is not None and Path(db).exists() and Path(db).stat().st_size > 0:
        from ...store import open_store

        with open_store(db) as store:
            if store.article_count():
                raise InputError(
                    str(db), "already holds articles; the Spark engine writes a new store "
                    "(use `samestory add` to add to this one)",
                )  # fmt: skip
    if db is not None and not Path(db).parent.is_dir():
        raise InputError(str(db), f"there is no folder {Path(db).parent}; create it first")
    spark = spark or spark_session(spark_options)
    run = _Run(spark, str(out), options, spark_options, progress or (lambda stage: None))
    try:
        report = run.execute(inputs)
        if db is not None:
            started = time.perf_counter()
            run.write_store(Path(db))
            report.seconds["store"] = time.perf_counter() - started
    finally:  # the intermediate tables go, whether the run ended or failed
        run.clean_up()
    return report


class _Run:
    def __init__(
        self,
        spark: SparkSession,
        out: str,
        options: ClusterOptions,
        spark_options: SparkOptions,
        progress: Progress,
    ) -> None:
        self.spark = spark
        self.out = out.rstrip("/")  # a local folder or a URI Spark can write (hdfs://, s3a://)
        self.work = f"{self.out}/_work"
        self.options = options
        self.spark_options = spark_options
        self.progress = progress
        self.partitions = spark_options.shuffle_partitions() or int(
            spark.conf.get("spark.sql.shuffle.partitions") or 200
        )
        self.report = SparkReport(out=str(out))
        self.lexical: LexicalModel | None = None
        self.threshold = PROVISIONAL_THRESHOLD
        self.threshold_chosen = False
        self._clock = time.perf_counter()
        self._saved: dict[str, int] = {}

    # -- helpers -------------------------------------------------------------------------
    def _lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = now - self._clock
        self._clock = now

    def _save(self, frame: DataFrame, name: str) -> DataFrame:
        """Write a stage's result and read it back: Spark's plans stay short, work is kept.

        Each write goes to a new folder (a later plan may still read an earlier one).
        """
        self._saved[name] = self._saved.get(name, 0) + 1
        frame.write.mode("overwrite").parquet(self._path(name))
        return self._load(name)

    def _path(self, name: str) -> str:
        return f"{self.work}/{name}-{self._saved[name]}"

    def _load(self, name: str) -> DataFrame:
        return self.spark.read.parquet(literal_path(self._path(name)))

    def clean_up(self) -> None:
        if "://" not in self.work:  # elsewhere the _work folder is left for the user to remove
            shutil.rmtree(self.work, ignore_errors=True)

    # -- stages --------------------------------------------------------------------------
    def execute(self, inputs: list[str]) -> SparkReport:
        from pyspark.sql import functions as F

        self.progress("read")
        articles = self.read(inputs)
        self._lap("read")
        self.progress("sign (lexical vectors, MinHash)")
        signed = self.sign(articles)
        self._lap("sign")
        self.progress("near-duplicates")
        near = self.near_duplicates(
            articles.select("seq", "content_hash").join(signed, "content_hash")
        )
        self._lap("near_duplicates")
        self.progress("embed")
        rows = self.embed(articles, signed, near)
        self._lap("embed")
        self.progress("candidate pairs")
        edges = self.candidates(rows)
        self._lap("candidates")
        self.progress("threshold")
        self.choose_threshold(rows, near, edges)
        self._lap("threshold")
        self.progress("link")
        assigned = self.link(rows, near, edges, articles)
        self._lap("link")
        self.progress("write")
        self.write_tables(articles, near, assigned)
        self._lap("write")
        self.report.stories = int(_first(assigned.select(F.countDistinct("story_seq")))[0])
        return self.report

    def read(self, inputs: list[str]) -> DataFrame:
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        raw = self._save(read_inputs(self.spark, inputs, self.partitions), "raw")
        skipped = raw.where(F.col("skipped").isNotNull())
        self.report.skipped = [r[0] for r in skipped.select("skipped").limit(100).collect()]
        good = raw.where(F.col("skipped").isNull())
        self.report.read = good.count()
        first = Window.partitionBy("id").orderBy("file_no", "record_no")
        unique = good.withColumn("copy", F.row_number().over(first)).where("copy = 1")
        # after a global sort the increasing id follows the sort order: the corpus order
        ordered = unique.orderBy("file_no", "record_no").withColumn(
            "seq", F.monotonically_increasing_id()
        )
        day = F.datediff(F.to_date("published"), F.lit("1970-01-01"))
        articles = ordered.select(
            "seq", "id", "content_hash", "title", "text", "lang", "published", "url", "author",
            "source", day.alias("day"), F.length("text").alias("length"),
        )  # fmt: skip
        articles = self._save(articles, "articles")
        self.report.articles = articles.count()
        if self.report.articles == 0:
            raise InputError(", ".join(inputs), "no articles could be read")
        return articles

    def _texts(self, articles: DataFrame) -> DataFrame:
        """(content_hash, title, text): each distinct text once."""
        return (
            articles.dropDuplicates(["content_hash"])
            .select("content_hash", "title", "text")
            .repartition(self.partitions)
        )

    def sign(self, articles: DataFrame) -> DataFrame:
        """(content_hash, lexical, signature) of each distinct text."""
        if self.options.lexical_weight > 0:  # fitted on the first articles, as the local engine
            sample = articles.orderBy("seq").select("title", "text").limit(FIT_SAMPLE).collect()
            self.lexical = LexicalModel.fit(
                [
                    lexical_text(Article(title=t or "", text=x or ""), self.options.lexical_chars)
                    for t, x in sample
                ]
            )
        sign = stages.text_signer(self.options, self.lexical.to_bytes() if self.lexical else None)
        return self._save(self._texts(articles).mapInPandas(sign, stages.SIGNED_COLUMNS), "signed")

    def embed(self, articles: DataFrame, signed: DataFrame, near: DataFrame) -> DataFrame:
        """(seq, day, vector, signature) of every article.

        Each distinct text is embedded once; with ``copies_share_vectors`` (the default, as
        in the local engine) a near-copy takes the vector of its group's first article
        instead of being embedded: the stage then embeds one text per group.
        """
        from pyspark.sql import functions as F

        source = F.col("content_hash")
        sourced = articles.select("seq", "content_hash")
        if self.options.copies_share_vectors:
            first = articles.select(
                F.col("seq").alias("near_group"), F.col("content_hash").alias("first_hash")
            )
            sourced = sourced.join(near, "seq", "left").join(first, "near_group", "left")
            source = F.coalesce(F.col("first_hash"), F.col("content_hash"))
        # a text read twice is one text: its source is the one of its first article
        sources = (
            sourced.select("content_hash", source.alias("source_hash"), "seq")
            .groupBy("content_hash")
            .agg(F.min_by("source_hash", "seq").alias("source_hash"))
        )
        sources = self._save(sources, "sources")
        wanted = sources.select(F.col("source_hash").alias("content_hash")).distinct()
        texts = self._texts(articles).join(wanted, "content_hash")
        embedded = self._save(
            texts.mapInPandas(stages.text_embedder(self.options), stages.EMBEDDED_COLUMNS),
            "embedded",
        )
        self.report.texts = embedded.count()
        shared = sources.join(
            embedded.select(F.col("content_hash").alias("source_hash"), "semantic"), "source_hash"
        ).select("content_hash", "semantic")
        vectors = shared.join(signed, "content_hash").select(
            "content_hash", "semantic", "lexical", "signature"
        )
        vectors = self._save(vectors, "vectors")
        self.report.copies_sharing_vectors = vectors.count() - self.report.texts
        combined = vectors.select("content_hash", "semantic", "lexical").mapInPandas(
            stages.vector_combiner(self.options), stages.COMBINED_COLUMNS
        )
        rows = (
            articles.select("seq", "content_hash", "day")
            .join(combined, "content_hash")
            .join(signed.select("content_hash", "signature"), "content_hash")
        )
        return self._save(rows.select("seq", "day", "vector", "signature"), "rows")

    def near_duplicates(self, rows: DataFrame) -> DataFrame:
        """(seq, group): every article in a near-copy group, group = its first member's seq."""
        from pyspark.sql import functions as F

        settings = self.options.near_duplicates
        bands, width = lsh_bands(settings.threshold, settings.num_perm, settings.recall_weight)
        keys = rows.select("seq", "signature").mapInPandas(
            stages.band_keys(bands, width), stages.BAND_COLUMNS
        )
        keys = self._save(keys, "bands")
        shared = keys.groupBy("band", "key").count().where("count > 1").drop("count")
        buckets = keys.join(shared, ["band", "key"]).join(rows.select("seq", "signature"), "seq")
        # whole buckets in blocks of about BUCKET_BLOCK_ROWS members, one group call per block
        blocks = max(self.partitions, math.ceil(self.report.articles * bands / BUCKET_BLOCK_ROWS))
        block = F.pmod(F.xxhash64("band", "key"), F.lit(blocks))
        pairs = (
            buckets.withColumn("block", block)
            .groupBy("block")
            .applyInPandas(
                stages.bucket_pairs(settings.check_bar, _BUCKET_PEERS), stages.PAIR_COLUMNS
            )
        )
        pairs = self._save(pairs.distinct(), "near_pairs")
        groups = connected_components(pairs).select(
            F.col("node").alias("seq"), F.col("component").alias("near_group")
        )
        groups = self._save(groups, "near")
        self.report.near_duplicate_groups = groups.select("near_group").distinct().count()
        return groups

    def candidates(self, rows: DataFrame) -> DataFrame:
        """(a, b, score) with a < b: the local engine's candidate pairs (k nearest neighbours,
        cosine ≥ the floor, inside the time window), searched in embedding buckets."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        n = self.report.articles
        k = min(self.options.k + 1, n)  # each article finds itself
        first_vector = _first(rows.select("vector"))[0]
        dim = len(first_vector) // 4
        cells = cell_count(n, self.spark_options.cell_size)
        probes = self.spark_options.probes
        if cells <= probes:  # small enough to search exactly, in one bucket
            cells, centroids = 1, np.ones((1, dim), dtype=np.float32) / math.sqrt(dim)
        else:
            centroids = self._centroids(rows, cells, dim)
        self.report.cells = cells
        assign = stages.cell_assigner(centroids.astype(np.float32).tobytes(), dim, probes)
        assigned = rows.select("seq", "vector").mapInPandas(assign, stages.CELL_COLUMNS)
        found = assigned.groupBy("cell").applyInPandas(
            stages.cell_neighbours(k), stages.NEIGHBOUR_COLUMNS
        )
        if cells > 1:  # an article searched in several cells keeps its k best overall
            best = Window.partitionBy("seq").orderBy(F.desc("score"), "nb")
            found = found.withColumn("rank", F.row_number().over(best)).where(F.col("rank") <= k)
        found = found.where(
            (F.col("score") >= self.options.candidate_floor) & (F.col("seq") != F.col("nb"))
        )
        if self.options.window_days is not None:
            days = rows.select("seq", "day")
            found = (
                found.join(days, "seq")
                .join(days.select(F.col("seq").alias("nb"), F.col("day").alias("nb_day")), "nb")
                .where(  # an undated article may link to any date, as in the local engine
                    F.coalesce(
                        F.abs(F.col("day") - F.col("nb_day")) <= self.options.window_days,
                        F.lit(True),
                    )
                )
            )
        edges = (
            found.select(
                F.least("seq", "nb").alias("a"), F.greatest("seq", "nb").alias("b"), "score"
            )
            .groupBy("a", "b")
            .agg(F.max("score").alias("score"))
        )
        edges = self._save(edges, "edges")
        self.report.candidate_pairs = edges.count()
        return edges

    def _centroids(self, rows: DataFrame, cells: int, dim: int) -> np.ndarray:
        """k-means cells fitted on the first articles in corpus order, as the local engine's
        ``candidates.cell_search`` fits them (so both search the same cells)."""
        from ..candidates import centroid_sample_size, fit_centroids

        wanted = centroid_sample_size(self.report.articles, cells)
        sample = rows.orderBy("seq").select("vector").limit(wanted).collect()
        matrix = np.vstack([np.frombuffer(r[0], dtype=np.float32) for r in sample])
        return fit_centroids(matrix.reshape(-1, dim), cells)

    def choose_threshold(self, rows: DataFrame, near: DataFrame, edges: DataFrame) -> None:
        """The local engine's label-free choice, on the first ``threshold_sample`` articles."""
        from pyspark.sql import functions as F

        from ..core import choose_threshold

        if self.options.threshold is not None:
            self.threshold = self.options.threshold
        elif self.report.articles >= AUTO_MIN_ITEMS:
            first = rows.orderBy("seq").limit(self.spark_options.threshold_sample)
            sample = (
                first.select("seq", "vector").join(near, "seq", "left").orderBy("seq").collect()
            )
            row_of = {int(r["seq"]): i for i, r in enumerate(sample)}
            vectors = np.vstack([np.frombuffer(r["vector"], dtype=np.float32) for r in sample])
            initial = np.arange(len(sample))
            group_start: dict[int, int] = {}
            for i, r in enumerate(sample):
                if r["near_group"] is not None:
                    initial[i] = group_start.setdefault(int(r["near_group"]), i)
            last = max(row_of)
            inside = edges.where(F.col("b") <= last).select("a", "b").collect()
            pairs = np.array(
                [(row_of[a], row_of[b]) for a, b in inside if a in row_of and b in row_of],
                dtype=np.int64,
            ).reshape(-1, 2)
            self.threshold = choose_threshold(vectors, initial, pairs)
            self.threshold_chosen = True
        self.report.threshold = self.threshold

    def link(
        self, rows: DataFrame, near: DataFrame, edges: DataFrame, articles: DataFrame
    ) -> DataFrame:
        """(seq, story_seq, central, component): each article's story, named by its first
        article.

        Average link runs inside connected components of the pairs at least as similar as
        the threshold less ``link_margin`` (and the copy pairs). Two stories of different components can still
        have a mean similarity at or above the threshold (through pairs that are not
        candidates); such pairs are found after each pass, their components joined, and the
        pass repeated until none is left, so no merge the local engine would make across
        components is missed for want of a pair.
        """
        from pyspark.sql import functions as F

        bar = self.threshold - self.spark_options.link_margin
        strong = edges.where(F.col("score") >= bar).select("a", "b")
        copies = near.where(F.col("seq") != F.col("near_group")).select(
            F.col("near_group").alias("a"), F.col("seq").alias("b")
        )
        graph = strong.unionByName(copies)
        for _ in range(MAX_LINK_PASSES):
            self.report.link_passes += 1
            assigned = self._link_pass(rows, near, edges, articles, graph)
            joins = self._merges_across(rows, edges, assigned)
            if joins.limit(1).count() == 0:
                break
            graph = graph.unionByName(joins)
        return assigned

    def _link_pass(
        self, rows: DataFrame, near: DataFrame, edges: DataFrame, articles: DataFrame,
        graph: DataFrame,
    ) -> DataFrame:  # fmt: skip
        from pyspark.sql import functions as F

        self._save(connected_components(graph), "components")
        components = self._load("components").withColumnRenamed("node", "seq")
        sizes = components.groupBy("component").count()
        self.report.largest_component = int(_first(sizes.agg(F.max("count")))[0] or 0)
        members = (
            components.join(rows.select("seq", "vector"), "seq")
            .join(near, "seq", "left")
            .join(articles.select("seq", "title", "text", "lang", "published", "url"), "seq")
        )
        starts = self._load("components").select(
            F.col("node").alias("a"), F.col("component").alias("ca")
        )
        ends = self._load("components").select(
            F.col("node").alias("b"), F.col("component").alias("cb")
        )
        inner = (
            edges.join(starts, "a")
            .join(ends, "b")
            .where(F.col("ca") == F.col("cb"))
            .select(F.col("ca").alias("component"), "a", "b")
        )
        options = replace(self.options, threshold=self.threshold)
        linked = (
            members.groupBy("component")
            .cogroup(inner.groupBy("component"))
            .applyInPandas(stages.component_linker(self.threshold, options), stages.STORY_COLUMNS)
        )
        linked = self._save(linked, "linked")
        summary = _first(
            linked.agg(F.sum("checks"), F.sum("vetoes"), F.sum("unchecked"), F.max("note"))
        )
        self.report.model_checks = int(summary[0] or 0)
        self.report.model_vetoes = int(summary[1] or 0)
        self.report.model_unchecked = int(summary[2] or 0)
        self.report.model_note = summary[3] or ""
        alone = (
            rows.select("seq")
            .join(components, "seq", "left_anti")
            .select(
                "seq",
                F.col("seq").alias("story_seq"),
                F.lit(True).alias("central"),
                F.col("seq").alias("component"),
            )
        )
        return self._save(
            linked.select("seq", "story_seq", "central", "component").unionByName(alone),
            "assigned",
        )

    def _merges_across(self, rows: DataFrame, edges: DataFrame, assigned: DataFrame) -> DataFrame:
        """(a, b): one candidate pair for each two stories of different components whose
        mean similarity reaches the threshold."""
        from pyspark.sql import functions as F

        totals = (
            rows.select("seq", "vector")
            .join(assigned.select("seq", "story_seq"), "seq")
            .groupBy((F.col("story_seq") % self.partitions).alias("bucket"))
            .applyInPandas(stages.story_sums, stages.SUM_COLUMNS)
        )
        self._save(totals, "story_sums")
        side_a = self._load("assigned").select(
            F.col("seq").alias("a"), F.col("story_seq").alias("sa"), F.col("component").alias("ca")
        )
        side_b = self._load("assigned").select(
            F.col("seq").alias("b"), F.col("story_seq").alias("sb"), F.col("component").alias("cb")
        )
        pairs = (
            edges.join(side_a, "a")
            .join(side_b, "b")
            .where(F.col("ca") != F.col("cb"))
            .groupBy("sa", "sb")
            .agg(F.min("a").alias("a"), F.min("b").alias("b"))
        )
        sums_a = self._load("story_sums").select(
            F.col("story_seq").alias("sa"), F.col("total").alias("total_a"),
            F.col("size").alias("size_a"),
        )  # fmt: skip
        sums_b = self._load("story_sums").select(
            F.col("story_seq").alias("sb"), F.col("total").alias("total_b"),
            F.col("size").alias("size_b"),
        )  # fmt: skip
        scored = pairs.join(sums_a, "sa").join(sums_b, "sb")
        return self._save(
            scored.mapInPandas(stages.mergeable(self.threshold), stages.PAIR_COLUMNS), "joins"
        )

    # -- outputs -------------------------------------------------------------------------
    def write_tables(self, articles: DataFrame, near: DataFrame, assigned: DataFrame) -> None:
        from pyspark.sql import functions as F

        ids = articles.select(F.col("seq").alias("story_seq"), F.col("id").alias("first_id"))
        story = assigned.join(ids, "story_seq").select(
            "seq", "story_seq", "central",
            F.concat(F.lit("s"), F.substring("first_id", 1, 12)).alias("story_id"),
        )  # fmt: skip
        group_ids = near.join(
            articles.select(F.col("seq").alias("near_group"), F.col("id").alias("group_id")),
            "near_group",
        ).select("seq", "group_id")
        table = (
            articles.join(story, "seq")
            .join(group_ids, "seq", "left")
            .drop("day", "length", "story_seq")
            .orderBy("seq")
        )
        table.write.mode("overwrite").parquet(f"{self.out}/articles")
        table = self.spark.read.parquet(literal_path(f"{self.out}/articles"))
        table.where(F.col("group_id").isNotNull()).select(
            F.col("id").alias("article_id"), "group_id"
        ).write.mode("overwrite").parquet(f"{self.out}/near_duplicates")
        # a lambda: PySpark reads a function's type hints to guess a pandas UDF, and warns
        headline = F.udf(lambda title, text: story_headline(title, text), "string")
        stories = table.groupBy("story_id").agg(
            F.count("*").alias("size"),
            F.max(F.when(F.col("central"), headline("title", "text"))).alias("headline"),
            F.min("published").alias("first_seen"),
            F.max("published").alias("last_seen"),
            F.array_sort(F.collect_set("lang")).alias("languages"),
            F.min_by("id", "seq").alias("first_article_id"),
        )
        stories.orderBy(F.desc("size"), "story_id").write.mode("overwrite").parquet(
            f"{self.out}/stories"
        )

    def write_store(self, db: Path) -> None:
        """A samestory store holding what the tables hold, plus the cached vectors, MinHash
        signatures, threshold and lexical model, so that ``samestory add`` can continue."""
        from ...store import open_store
        from ..pipeline import (
            _LEXICAL_KEY,
            _PROBE_KEY,
            _REGROUPED_KEY,
            _THRESHOLD_KEY,
            _batches,
            lexical_kind,
        )

        table = self.spark.read.parquet(literal_path(f"{self.out}/articles")).orderBy("seq")
        vectors = self._load("vectors")
        probe_kind = f"{PROBE_KIND}:{self.options.probe_chars}"
        lexical_key = lexical_kind(self.lexical) if self.lexical is not None else None

        with open_store(db) as store:
            assignments: dict[str, str] = {}
            headlines: dict[str, str] = {}
            near: dict[str, str] = {}
            columns = ["id", "title", "text", "lang", "published", "url", "author", "source"]
            rows = table.select(*columns, "story_id", "central", "group_id").toLocalIterator()
            for batch in _batches(rows, 2000):
                store.add_articles(_stored_article(r) for r in batch)
                for r in batch:
                    assignments[r["id"]] = r["story_id"]
                    if r["central"]:
                        headlines[r["story_id"]] = story_headline(r["title"], r["text"])
                    if r["group_id"] is not None:
                        near[r["id"]] = r["group_id"]
            for batch in _batches(vectors.toLocalIterator(), 2000):
                store.put_vectors(
                    probe_kind,
                    {r["content_hash"]: np.frombuffer(r["semantic"], np.float32) for r in batch},
                )
                if lexical_key is not None:
                    store.put_vectors(
                        lexical_key,
                        {r["content_hash"]: np.frombuffer(r["lexical"], np.float32) for r in batch},
                    )
                store.put_signatures(
                    {r["content_hash"]: np.frombuffer(r["signature"], np.uint32) for r in batch}
                )
            settings: dict[str, bytes] = {}
            if self.threshold_chosen:
                settings[_THRESHOLD_KEY] = json.dumps(self.threshold).encode()
            if self.lexical is not None:
                settings[_LEXICAL_KEY] = self.lexical.to_bytes()
            # one full grouping of every article, as a local batch run records it
            settings[_REGROUPED_KEY] = json.dumps(len(assignments)).encode()
            settings[_PROBE_KEY] = json.dumps(self.options.probe_chars).encode()
            store.write_clustering(
                new_stories={sid: headlines.get(sid, "") for sid in set(assignments.values())},
                assignments=assignments, merges=[], headlines=headlines,
                near_duplicates=near, settings=settings,
            )  # fmt: skip


def _stored_article(row: Any) -> Article:
    from ...read.formats import parse_date

    return Article(
        title=row["title"] or "", text=row["text"] or "", lang=row["lang"],
        published=parse_date(row["published"]), url=row["url"], author=row["author"],
        source=row["source"],
    )  # fmt: skip


def _first(frame: DataFrame) -> Any:
    row = frame.first()
    if row is None:  # aggregates always have a row; an empty input was refused earlier
        raise InputError("spark", "a stage produced no rows")
    return row
