"""Scale benchmark of the Spark engine (issue #8) against the local engine, in one run.

    nice python benchmarks/spark_scale.py --sizes 10000 30000 --data ../shared/data \
        --work /tmp/spark-scale --json benchmarks/spark_scale.json

For each size, the corpus is built as the local scale benchmark builds it
(``samestory.cluster.benchmark.write_scale_corpus``: real STS22/WCXB texts and GoogleNews
snippets multiplied by edited near-copies, dated over two weeks), then clustered by
``samestory cluster`` (local engine, fresh store), and by the Spark engine with
``local[1]`` and ``local[2]``, each in its own process. Wall time and peak memory (resident
memory of the whole process tree: driver, JVM and Python workers, sampled every 0.2 s) are
measured from outside; stage times, candidate pairs per article and the linked-component
sizes come from the engines' reports; the agreement of each Spark run with the local engine
is the adjusted Rand index over all articles. The last part projects, from the per-stage
throughput of the largest ``local[2]`` run, what 100M articles would need.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        process = psutil.Process(pid)
        processes = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for item in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += item.memory_info().rss
    return total


def measured(command: list[str], log: Path) -> tuple[dict[str, Any], float, float]:
    """Run ``command`` (it prints one JSON object last); its JSON, wall seconds, peak MB.

    The command's stderr goes to ``log``."""
    started = time.perf_counter()
    with log.open("w") as errors:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{command} failed with exit code {child.returncode}; see {log}")
    return json.loads(output.strip().splitlines()[-1]), wall, peak / 2**20


def cluster_options(text: str) -> Any:
    """ClusterOptions from a JSON object of its fields ("{}": the defaults)."""
    from samestory.cluster import ClusterOptions

    return ClusterOptions(**json.loads(text))


def run_local(corpus: str, db: str, options: str) -> None:
    from samestory.cluster.pipeline import cluster_articles
    from samestory.read import read_many
    from samestory.store import open_store

    with open_store(db) as store:
        report = cluster_articles(store, read_many([corpus]), cluster_options(options))
    print(json.dumps(report.to_dict()))


def run_spark(corpus: str, out: str, master: str, options: str) -> None:
    from samestory.cluster.spark import SparkOptions, cluster_with_spark

    report = cluster_with_spark(
        [corpus], out, cluster_options(options), spark_options=SparkOptions(master=master)
    )
    print(json.dumps(report.to_dict()))


def agreement(db: str, out: str) -> float:
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    from samestory.store import open_store

    with open_store(db) as store:
        local = store.memberships()
    table = pd.read_parquet(Path(out) / "articles", columns=["id", "story_id"])
    spark = dict(zip(table["id"], table["story_id"], strict=True))
    ids = sorted(set(local) & set(spark))
    return float(adjusted_rand_score([local[i] for i in ids], [spark[i] for i in ids]))


def projection(size: int, run: dict[str, Any], cores: int = 2) -> dict[str, Any]:
    """Core-hours per stage for 100M articles, from the measured per-article cost."""
    target = 100_000_000
    per_stage = {}
    for stage, seconds in run["report"]["seconds"].items():
        core_seconds_per_article = seconds * cores / size
        per_stage[stage] = round(core_seconds_per_article * target / 3600, 1)
    return {
        "articles": target,
        "core_hours": per_stage,
        "total_core_hours": round(sum(per_stage.values()), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--work", type=Path, default=Path("/tmp/spark-scale"))
    parser.add_argument("--engines", nargs="+", default=["local", "local[1]", "local[2]"])
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--options", default="{}",
        help='ClusterOptions fields for every engine, as JSON, e.g. \'{"model_checks": 0}\'',
    )  # fmt: skip
    args = parser.parse_args()
    cluster_options(args.options)  # fail early on a misspelt field

    from samestory.cluster.benchmark import write_scale_corpus

    args.work.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    results: list[dict[str, Any]] = []
    for size in args.sizes:
        corpus = args.work / f"scale{size}.jsonl"
        if not corpus.exists():
            write_scale_corpus(args.data, size, corpus, seed=5)
        db = str(args.work / f"local{size}.db")
        for engine in args.engines:
            if engine == "local":
                Path(db).unlink(missing_ok=True)
                command = [python, __file__, "_local", str(corpus), db, args.options]
            else:
                # no brackets in the folder name: Spark reads paths as glob patterns
                cores = engine.removeprefix("local[").removesuffix("]")
                out = str(args.work / f"spark{size}-local{cores}")
                command = [python, __file__, "_spark", str(corpus), out, engine, args.options]
            report, wall, peak = measured(
                command, args.work / f"{size}-{engine.replace('[', '').replace(']', '')}.log"
            )
            row: dict[str, Any] = {
                "size": size, "engine": engine, "wall_s": round(wall, 1),
                "peak_mb": round(peak), "report": report,
            }  # fmt: skip
            if engine != "local" and Path(db).exists():
                row["ari_vs_local"] = round(agreement(db, out), 4)
            results.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "report"}), flush=True)
            print("  ", json.dumps(report.get("seconds")), report.get("pairs_per_article", ""),
                  report.get("largest_component", ""), flush=True)  # fmt: skip
    spark_runs = [r for r in results if r["engine"] == "local[2]"]
    if spark_runs:
        largest = max(spark_runs, key=lambda r: r["size"])
        results.append({"projection_from": largest["size"], **projection(largest["size"], largest)})
        print(json.dumps(results[-1]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    if sys.argv[1:2] == ["_local"]:
        run_local(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1:2] == ["_spark"]:
        run_spark(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        main()
