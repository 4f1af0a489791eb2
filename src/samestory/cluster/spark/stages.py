"""What Spark's Python workers run, one Arrow batch (a pandas DataFrame) at a time.

Each function is the batch form of a step of the local engine and calls the same code
(readers, probe embedding, lexical model, MinHash, exact neighbour search, average link), so
the two engines agree by construction. Models are loaded once per worker process: the
encoders through ``analyze.models`` (cached per process), the lexical model and the
centroids through the small caches here, keyed by their bytes' digest. Spark keeps its
Python workers alive between tasks (``spark.python.worker.reuse``), so a model is loaded
once per worker, not per batch or row.

Vectors travel between stages as float32 bytes (``binary`` columns), signatures as uint32
bytes: compact in Arrow and Parquet, and read back without copying.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...article import Article
from ..core import ClusterOptions, embed_probes, lexical_text, probe_text
from ..lexical import LexicalModel, combine
from ..neardup import bucket_chain_pairs, minhash_signatures
from ..pipeline import PairModelCheck

Batches = Iterator[pd.DataFrame]
# Analyses a pair-model check keeps for later checks of its component (most recently used)
ANALYSES_KEPT = 1000

ARTICLE_COLUMNS = (
    "file_no long, record_no long, id string, content_hash string, title string, "
    "text string, lang string, published string, url string, author string, source string, "
    "skipped string"
)
BAND_COLUMNS = "band int, key long, seq long"
PAIR_COLUMNS = "a long, b long"
NEIGHBOUR_COLUMNS = "seq long, nb long, score float"
CELL_COLUMNS = "cell int, seq long, vector binary, home boolean"
STORY_COLUMNS = (
    "seq long, story_seq long, central boolean, component long, checks int, vetoes int, "
    "unchecked int, note string"
)
SUM_COLUMNS = "story_seq long, total binary, size long"


def _vectors(column: pd.Series, dtype: Any = np.float32) -> np.ndarray:
    return np.vstack([np.frombuffer(value, dtype=dtype) for value in column])


def _bytes(matrix: np.ndarray, dtype: Any = np.float32) -> list[bytes]:
    return [row.tobytes() for row in np.ascontiguousarray(matrix, dtype=dtype)]


# --- reading ---------------------------------------------------------------------------------


def _article_row(file_no: int, record_no: int, item: Any) -> dict[str, Any]:
    from ...store import content_hash

    if not isinstance(item, Article):  # a SkippedItem: kept so that the driver can report it
        return {"file_no": file_no, "record_no": record_no, "skipped": str(item)}
    return {
        "file_no": file_no, "record_no": record_no, "id": item.id,
        "content_hash": content_hash(item), "title": item.title, "text": item.text,
        "lang": item.lang, "published": item.published.isoformat() if item.published else None,
        "url": item.url, "author": item.author, "source": item.source, "skipped": None,
    }  # fmt: skip


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a frame with the schema's types (a column of only missing values stays a
    string column, not float NaN, which Arrow could not turn into strings)."""
    columns: dict[str, Any] = {}
    for part in ARTICLE_COLUMNS.split(", "):
        name, kind = part.split()
        values = [row.get(name) for row in rows]
        columns[name] = (
            np.array(values, dtype=np.int64) if kind == "long" else pd.Series(values, dtype=object)
        )
    return pd.DataFrame(columns)


def read_files(batches: Batches) -> Batches:
    """(file_no, path) -> the file's articles, read by ``samestory.read`` (any format)."""
    from ...read import read_many

    for batch in batches:
        rows = []
        for file_no, path in zip(batch["file_no"], batch["path"], strict=True):
            stream = read_many([path], errors=lambda item: None)
            records = 0
            for article in stream:
                rows.append(_article_row(int(file_no), records, article))
                records += 1
            for skipped in stream.skipped:  # after the articles: record numbers stay dense
                rows.append(_article_row(int(file_no), records, skipped))
                records += 1
        yield _frame(rows)


def record_parser(path_numbers: dict[str, int]) -> Callable[[Batches], Batches]:
    """(file, record_no, value: one JSON record) -> articles, as the JSONL reader makes them.

    Used for JSONL lines read by Spark's text source and for Parquet rows turned to JSON.
    """

    def parse(batches: Batches) -> Batches:
        import json
        from urllib.parse import unquote, urlparse

        from ...read.formats import ReadOptions, SkippedItem, _record_to_article

        options = ReadOptions()
        for batch in batches:
            rows = []
            for file, record_no, value in zip(
                batch["file"], batch["record_no"], batch["value"], strict=True
            ):
                path = unquote(urlparse(file).path) if file.startswith("file:") else file
                file_no = path_numbers.get(path, path_numbers.get(str(Path(path).resolve()), -1))
                if not value or not value.strip():
                    continue
                try:
                    record = json.loads(value)
                except json.JSONDecodeError as error:
                    item: Any = SkippedItem(path, "record", f"not valid JSON ({error.msg})")
                else:
                    item = _record_to_article(record, path, "record", options)
                rows.append(_article_row(file_no, int(record_no), item))
            yield _frame(rows)

    return parse


# --- per-text analysis: probe embedding, lexical vector, MinHash signature -------------------


@lru_cache(maxsize=2)
def _lexical_model(data: bytes) -> LexicalModel:
    return LexicalModel.from_bytes(data)


SIGNED_COLUMNS = "content_hash string, lexical binary, signature binary"
EMBEDDED_COLUMNS = "content_hash string, semantic binary"
COMBINED_COLUMNS = "content_hash string, vector binary"


def _articles(part: pd.DataFrame) -> list[Article]:
    return [
        Article(title=title or "", text=text or "")
        for title, text in zip(part["title"], part["text"], strict=True)
    ]


def text_signer(options: ClusterOptions, lexical: bytes | None) -> Callable[[Batches], Batches]:
    """(content_hash, title, text) -> lexical vector and MinHash signature, exactly as the
    local engine computes them (per content hash)."""

    def sign(batches: Batches) -> Batches:
        from ..pipeline import EMBED_BATCH

        model = _lexical_model(lexical) if lexical else None
        for batch in batches:
            for start in range(0, len(batch), EMBED_BATCH):
                part = batch.iloc[start : start + EMBED_BATCH]
                articles = _articles(part)
                lexical_column: list[Any] = [None] * len(articles)
                if model is not None:
                    lexical_column = _bytes(
                        model.transform([lexical_text(a, options.lexical_chars) for a in articles])
                    )
                signatures = minhash_signatures(
                    [a.full_text for a in articles], options.near_duplicates
                )
                yield pd.DataFrame(
                    {
                        "content_hash": part["content_hash"].to_numpy(),
                        "lexical": lexical_column,
                        "signature": _bytes(signatures, np.uint32),
                    }
                )

    return sign


def text_embedder(options: ClusterOptions) -> Callable[[Batches], Batches]:
    """(content_hash, title, text) -> probe embedding (multilingual USE), as the local engine."""

    def embed(batches: Batches) -> Batches:
        from ..pipeline import EMBED_BATCH

        for batch in batches:
            for start in range(0, len(batch), EMBED_BATCH):
                part = batch.iloc[start : start + EMBED_BATCH]
                probes = [probe_text(a, options.probe_chars) for a in _articles(part)]
                yield pd.DataFrame(
                    {
                        "content_hash": part["content_hash"].to_numpy(),
                        "semantic": _bytes(embed_probes(probes)),
                    }
                )

    return embed


def vector_combiner(options: ClusterOptions) -> Callable[[Batches], Batches]:
    """(content_hash, semantic, lexical) -> the clustering vector (``lexical.combine``)."""

    def combined(batches: Batches) -> Batches:
        for batch in batches:
            if batch.empty:
                continue
            semantic = _vectors(batch["semantic"])
            if options.lexical_weight > 0 and batch["lexical"].notna().all():
                vectors = combine(semantic, _vectors(batch["lexical"]), options.lexical_weight)
            else:
                vectors = semantic
            yield pd.DataFrame(
                {"content_hash": batch["content_hash"].to_numpy(), "vector": _bytes(vectors)}
            )

    return combined


# --- near-duplicates: LSH bands ---------------------------------------------------------------


def band_keys(bands: int, rows: int) -> Callable[[Batches], Batches]:
    """(seq, signature) -> one (band, bucket key, seq) row per LSH band."""

    def keys(batches: Batches) -> Batches:
        for batch in batches:
            signatures = _vectors(batch["signature"], np.uint32)
            out_band, out_key, out_seq = [], [], []
            for band in range(bands):
                block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
                for seq, values in zip(batch["seq"], block, strict=True):
                    digest = hashlib.blake2b(values.tobytes(), digest_size=8).digest()
                    out_band.append(band)
                    out_key.append(int.from_bytes(digest, "little", signed=True))
                    out_seq.append(int(seq))
            yield pd.DataFrame({"band": out_band, "key": out_key, "seq": out_seq})

    return keys


def bucket_pairs(bar: float, peers: int) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A block of whole LSH buckets (band, key, seq, signature) -> the near-copy pairs in them.

    The local engine's rule (``neardup.bucket_chain_pairs``), so that both engines form the
    same groups: each member (in corpus order) is paired with its nearest earlier member whose
    signature gives an estimated Jaccard similarity of at least ``bar``, looking at most
    ``peers`` members back. A block holds many buckets (Spark hands a group function one
    pandas frame per group, at a cost of milliseconds each: one group per bucket made this
    stage grow with the number of buckets, not with their members).
    """

    def pairs(block: pd.DataFrame) -> pd.DataFrame:
        block = block.sort_values(["band", "key", "seq"])
        band, key = block["band"].to_numpy(), block["key"].to_numpy()
        new_bucket = np.ones(len(block), dtype=bool)
        new_bucket[1:] = (band[1:] != band[:-1]) | (key[1:] != key[:-1])
        seqs = block["seq"].to_numpy()
        a, b = bucket_chain_pairs(
            np.arange(len(block)), new_bucket, _vectors(block["signature"], np.uint32), bar, peers
        )
        return pd.DataFrame({"a": seqs[a], "b": seqs[b]}, dtype=np.int64)

    return pairs


# --- candidate pairs: embedding buckets (inverted-file cells) --------------------------------


@lru_cache(maxsize=2)
def _centroids(data: bytes, dim: int) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32).reshape(-1, dim)


def cell_assigner(centroids: bytes, dim: int, probes: int) -> Callable[[Batches], Batches]:
    """(seq, vector) -> one row per probed cell; ``home`` marks the article's nearest cell."""

    def assign(batches: Batches) -> Batches:
        from ..candidates import nearest_cells

        cells = _centroids(centroids, dim)
        count = min(probes, len(cells))
        for batch in batches:
            nearest = nearest_cells(_vectors(batch["vector"]), cells, probes)
            yield pd.DataFrame(
                {
                    "cell": nearest.reshape(-1).astype(np.int32),
                    "seq": np.repeat(batch["seq"].to_numpy(), count),
                    "vector": np.repeat(batch["vector"].to_numpy(), count),
                    "home": np.tile(np.arange(count) == 0, len(batch)),
                }
            )

    return assign


def cell_neighbours(k: int) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """One cell -> each member's ``k`` most similar home members of the cell (exact search,
    the blocked matrix product of ``candidates._exact``)."""

    def search(cell: pd.DataFrame) -> pd.DataFrame:
        from ..candidates import _exact

        homes = cell[cell["home"]]
        if homes.empty:
            return pd.DataFrame({"seq": [], "nb": [], "score": []}).astype(
                {"seq": np.int64, "nb": np.int64, "score": np.float32}
            )
        corpus = _vectors(homes["vector"])
        indices, scores = _exact(_vectors(cell["vector"]), corpus, k)
        home_seqs = homes["seq"].to_numpy()
        return pd.DataFrame(
            {
                "seq": np.repeat(cell["seq"].to_numpy(), indices.shape[1]),
                "nb": home_seqs[indices.reshape(-1)],
                "score": scores.reshape(-1),
            }
        )

    return search


# --- grouping: average link inside one connected component -----------------------------------


def component_linker(
    threshold: float, options: ClusterOptions
) -> Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]:
    """(members, candidate edges) of one component -> each member's story.

    Runs the local engine's ``average_link`` on the component, with the members in corpus
    order and near-copy groups starting together, so ties break the same way. Uncertain
    merges of long articles are put to the pair model as ``PairModelCheck`` does, with
    ``options.model_checks`` checks per component.
    """

    def link_component(members: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
        from threadpoolctl import threadpool_limits

        from ...analyze.models import worker_threads

        # BLAS and OpenMP (LightGBM) threads of this worker only: at their default each
        # worker would start one per core, and workers sharing the cores then spin against
        # each other (the 100k local[2] link stage: 212 s at the defaults, 140 s limited)
        with threadpool_limits(limits=worker_threads()):
            return _link_component(members, edges)

    def _link_component(members: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
        from ..linking import average_link

        members = members.sort_values("seq").reset_index(drop=True)
        seqs = members["seq"].to_numpy()
        row_of = {int(s): r for r, s in enumerate(seqs)}
        vectors = _vectors(members["vector"])
        initial = np.arange(len(members), dtype=np.int64)
        group_start: dict[int, int] = {}
        for row, group in enumerate(members["near_group"]):
            if group is not None and not pd.isna(group):
                initial[row] = group_start.setdefault(int(group), row)
        pairs = np.array(
            [
                (row_of[int(a)], row_of[int(b)])
                for a, b in zip(edges["a"], edges["b"], strict=True)
                if int(a) in row_of and int(b) in row_of
            ],
            dtype=np.int64,
        ).reshape(-1, 2)
        verifier = _Verifier(members, vectors, threshold, options)
        labels, _ = average_link(
            vectors, initial, pairs, threshold,
            verify=verifier if options.model_checks > 0 else None,
        )  # fmt: skip
        story_seq = np.empty(len(members), dtype=np.int64)
        central = np.zeros(len(members), dtype=bool)
        for label in np.unique(labels):
            rows = np.flatnonzero(labels == label)
            story_seq[rows] = seqs[rows[0]]
            block = vectors[rows]
            central[rows[int(np.argmax(block @ block.sum(axis=0)))]] = True
        first_row = np.arange(len(members)) == 0  # the component's counts, given once
        return pd.DataFrame(
            {
                "seq": seqs, "story_seq": story_seq, "central": central,
                "component": members["component"].to_numpy(),
                "checks": np.where(first_row, verifier.checks, 0),
                "vetoes": np.where(first_row, verifier.vetoes, 0),
                "unchecked": np.where(first_row, verifier.unchecked, 0),
                "note": verifier.note or None,
            }
        )  # fmt: skip

    return link_component


class _Verifier(PairModelCheck):
    """``pipeline.PairModelCheck`` over the texts of one component (no store: analyses are
    computed where the component is)."""

    def __init__(
        self, members: pd.DataFrame, vectors: np.ndarray, threshold: float, options: ClusterOptions
    ) -> None:
        super().__init__(vectors, threshold, options)
        self.members = members
        # analyses by article id, the most recently used kept: the central article of a
        # growing story is checked again and again (the local engine reads them back from
        # the store's cache instead); bounded, as a component may hold millions of articles
        self.analysed: OrderedDict[str, Any] = OrderedDict()

    def _article(self, row: int) -> Article:
        from ...read.formats import parse_date

        record = self.members.iloc[row]
        return Article(
            title=record["title"] or "", text=record["text"] or "", lang=record["lang"],
            published=parse_date(record["published"]), url=record["url"],
        )  # fmt: skip

    def _length(self, row: int) -> int:
        return len(self._article(row).text)

    def _articles(self, a: int, b: int) -> tuple[Article, Article]:
        return self._article(a), self._article(b)

    def _analyses(self, articles: list[Article]) -> list[Any]:
        from ...analyze import analyze_many

        missing = list({a.id: a for a in articles if a.id not in self.analysed}.values())
        for article, analysis in zip(missing, analyze_many(missing), strict=True):
            self.analysed[article.id] = analysis
        found = []
        for article in articles:
            self.analysed.move_to_end(article.id)
            found.append(self.analysed[article.id])
        while len(self.analysed) > ANALYSES_KEPT:  # ~70 KB each
            self.analysed.popitem(last=False)
        return found


def story_sums(stories: pd.DataFrame) -> pd.DataFrame:
    """(seq, story_seq, vector) of some stories -> each story's vector sum and size (the sum
    is what average link compares: mean cosine of A and B = sum(A) · sum(B) / (|A| |B|))."""
    stories = stories.sort_values("story_seq", kind="stable")
    labels = stories["story_seq"].to_numpy()
    vectors = _vectors(stories["vector"]).astype(np.float64)
    names, starts, counts = np.unique(labels, return_index=True, return_counts=True)
    totals = np.add.reduceat(vectors, starts, axis=0) if len(labels) else vectors
    return pd.DataFrame({"story_seq": names, "total": _bytes(totals, np.float64), "size": counts})


def mergeable(threshold: float) -> Callable[[Batches], Batches]:
    """Pairs of stories (with sums and sizes) -> the (a, b) of those average link would merge."""

    def keep(batches: Batches) -> Batches:
        for batch in batches:
            if batch.empty:
                continue
            left = _vectors(batch["total_a"], np.float64)
            right = _vectors(batch["total_b"], np.float64)
            sizes = batch["size_a"].to_numpy() * batch["size_b"].to_numpy()
            mean = np.einsum("ij,ij->i", left, right) / sizes
            chosen = batch[mean >= threshold]
            yield pd.DataFrame({"a": chosen["a"], "b": chosen["b"]}, dtype=np.int64)

    return keep
