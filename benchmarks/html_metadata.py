"""Titles and publication dates of HTML pages against WCXB's ground truth (issue #6): the
diagnosis behind ``read.html.without_site_name`` and ``read.html._DATES``.

    python benchmarks/html_metadata.py ../shared/data/extraction/wcxb-articles

Titles: trafilatura's metadata title as it comes, and without a trailing site name (the
shipped rule; the page's site name and the host of its ground-truth url), each compared with
``ground_truth.title`` (whitespace and case ignored). Dates: trafilatura's metadata date
(comments left out, the original date preferred) with and without htmldate's extensive
search, against ``ground_truth.publish_date``: right, wrong, none given; on pages whose
ground truth has no date, how many get one anyway.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
from pathlib import Path

import trafilatura

from samestory.read.blocks import parse_html
from samestory.read.html import _host, without_site_name


def _same(x: str, y: str) -> bool:
    return " ".join(x.split()).casefold() == " ".join(y.split()).casefold()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a WCXB folder: html/ and ground-truth/")
    args = parser.parse_args()
    counts = {True: collections.Counter(), False: collections.Counter()}
    titles: collections.Counter[str] = collections.Counter()
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
            if not extensive:
                title = (getattr(document, "title", None) or "").strip()
                shipped = without_site_name(
                    title, getattr(document, "sitename", None), _host(truth.get("url"))
                )
                wanted_title = truth["ground_truth"].get("title") or ""
                titles["pages"] += 1
                titles["as it comes"] += _same(title, wanted_title)
                titles["without the site name (shipped)"] += _same(shipped, wanted_title)
            if wanted:
                kind = "right" if found == wanted else "wrong" if found else "none given"
            else:
                kind = "given where the truth has none" if found else "none where it has none"
            counts[extensive][kind] += 1
    for extensive, kinds in counts.items():
        given = kinds["right"] + kinds["wrong"] + kinds["given where the truth has none"]
        name = "extensive search" if extensive else "markup and metadata only (shipped)"
        print(f"{name}: {dict(kinds)}; right among the dates given {kinds['right'] / given:.3f}")
    print(f"titles equal to the ground truth's: {dict(titles)}")


if __name__ == "__main__":
    main()
