"""Publication dates of HTML pages against WCXB's ground truth, with and without htmldate's
extensive search (issue #6). A diagnosis behind ``read.html._DATES``.

    python benchmarks/html_dates.py ../shared/data/extraction/wcxb-articles

For each page, trafilatura's metadata date (as samestory reads it: comments left out, the
original date preferred) is compared with ``ground_truth.publish_date``: right, wrong, none
given; on pages whose ground truth has no date, how many get one anyway.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
from pathlib import Path

import trafilatura

from samestory.read.blocks import parse_html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a WCXB folder: html/ and ground-truth/")
    args = parser.parse_args()
    counts = {True: collections.Counter(), False: collections.Counter()}
    for path in sorted((args.folder / "html").glob("*.html.gz")):
        number = path.name.split(".")[0]
        truth = json.loads((args.folder / "ground-truth" / f"{number}.json").read_text())
        wanted = str(truth["ground_truth"].get("publish_date") or "")[:10]
        wanted = "" if wanted == "None" else wanted
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        for extensive in (True, False):
            document = trafilatura.bare_extraction(
                parse_html(html), with_metadata=True, include_comments=False,
                date_extraction_params={"extensive_search": extensive, "original_date": True},
            )  # fmt: skip
            found = str(getattr(document, "date", None) or "")[:10]
            if wanted:
                kind = "right" if found == wanted else "wrong" if found else "none given"
            else:
                kind = "given where the truth has none" if found else "none where it has none"
            counts[extensive][kind] += 1
    for extensive, kinds in counts.items():
        given = kinds["right"] + kinds["wrong"] + kinds["given where the truth has none"]
        name = "extensive search" if extensive else "markup and metadata only (shipped)"
        print(f"{name}: {dict(kinds)}; right among the dates given {kinds['right'] / given:.3f}")


if __name__ == "__main__":
    main()
