"""Inputs as Spark sources: JSONL lines and Parquet rows split by Spark, other files read
whole by ``samestory.read`` in the workers (text, HTML, JSON, CSV, WARC, gzipped files).
Inputs given as URIs (``hdfs://``, ``s3a://`` ...) are read by Spark alone: Parquet when the
name ends in ``.parquet``, JSON lines otherwise (folders and globs allowed).

Every article keeps its place in the input (file number, record number), so the engine can
number articles in the same order the local engine stores them: the order decides which
copy of a repeated article is kept, which articles the lexical model is fitted on, and how
ties between equal similarities break.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import InputError
from ...read.formats import format_from_name, iter_folder
from .stages import ARTICLE_COLUMNS, read_files, record_parser

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def list_inputs(inputs: list[str]) -> list[Path]:
    """The files of ``inputs`` in the local engine's reading order (folders walked sorted)."""
    files: list[Path] = []
    for item in inputs:
        if "://" in item:  # read by Spark itself, see read_inputs
            continue
        if item == "-":
            raise InputError("-", "the Spark engine cannot read stdin; write it to a file first")
        path = Path(item)
        if path.is_dir():
            if any(path.glob("*.parquet")):  # a Parquet data set written by Spark or pandas
                files.append(path)
                continue
            files.extend(iter_folder(path))
            files.extend(sorted(p for p in path.rglob("*.parquet") if p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(str(path), "no such file or folder; check the path")
    return files


def _kind(path: Path) -> str:
    name = path.name.lower()
    if path.is_dir() or name.endswith(".parquet"):
        return "parquet"
    if format_from_name(name) == "jsonl" and not name.endswith((".gz", ".gzip")):
        return "lines"  # splittable: Spark reads large JSONL files in parallel
    return "file"


_GLOB = re.compile(r"([\\{}\[\]*?])")


def literal_path(path: str) -> str:
    """``path`` with Hadoop's glob characters escaped: Spark's readers expand globs, so a
    folder named ``out[1]`` would otherwise be read as ``out1``."""
    return _GLOB.sub(r"\\\1", path)


def read_inputs(spark: SparkSession, inputs: list[str], partitions: int) -> DataFrame:
    """Every input record as a row of ``stages.ARTICLE_COLUMNS`` (skipped items included)."""
    from pyspark.sql import functions as F

    files = list_inputs(inputs)
    remote = [item for item in inputs if "://" in item]
    if not files and not remote:
        raise InputError(", ".join(inputs), "no input files of a known format found")
    numbers = {str(path.resolve()): number for number, path in enumerate(files)}
    parts: list[DataFrame] = []
    by_kind: dict[str, list[Path]] = {"lines": [], "parquet": [], "file": []}
    for path in files:
        by_kind[_kind(path)].append(path)
    parse = record_parser(numbers)
    if by_kind["lines"]:
        lines = spark.read.text([literal_path(str(p.resolve())) for p in by_kind["lines"]])
        # Rows keep file order within a file, and a file's splits go to partitions in
        # offset order, so this id orders the lines of each file.
        records = lines.select(
            F.input_file_name().alias("file"),
            F.monotonically_increasing_id().alias("record_no"),
            F.col("value"),
        )
        parts.append(records.mapInPandas(parse, ARTICLE_COLUMNS))
    for path in by_kind["parquet"]:
        table = spark.read.parquet(literal_path(str(path.resolve())))
        records = table.select(
            F.lit(str(path.resolve())).alias("file"),
            F.monotonically_increasing_id().alias("record_no"),
            F.to_json(F.struct(*table.columns)).alias("value"),
        )
        parts.append(records.mapInPandas(parse, ARTICLE_COLUMNS))
    if by_kind["file"]:
        listing = spark.createDataFrame(
            [(numbers[str(p.resolve())], str(p)) for p in by_kind["file"]],
            "file_no long, path string",
        ).repartition(min(len(by_kind["file"]), max(1, partitions * 4)))
        parts.append(listing.mapInPandas(read_files, ARTICLE_COLUMNS))
    for uri in remote:  # hdfs://, s3a://, file://: Parquet by name, otherwise JSON lines
        if uri.rstrip("/").endswith(".parquet"):
            table = spark.read.parquet(uri)
            value = F.to_json(F.struct(*table.columns))
        else:
            table = spark.read.text(uri)
            value = F.col("value")
        records = table.select(
            F.input_file_name().alias("file"),
            F.monotonically_increasing_id().alias("record_no"),
            value.alias("value"),
        )
        parts.append(records.mapInPandas(parse, ARTICLE_COLUMNS))
    out = parts[0]
    for part in parts[1:]:
        out = out.unionByName(part)
    return out
