"""Articles into stories inside a store: read, embed (cached), near-copies, link, record.

Each stage is idempotent and commits per batch, and the linking step writes its whole result
in one transaction, so a run killed at any moment and started again with the same command
ends with the same stories: cached work is reused, nothing is stored twice. Batch
clustering and incremental adding are the same code: articles not yet in a story are linked
to each other and to the stories already stored; once the store has grown by
``ClusterOptions.regroup_share`` (10 %) since its last full grouping, every article is grouped
afresh (threshold chosen again) and the new groups take the ids of the stories they continue
(``core.reconcile``), so a story id never changes and an absorbed one resolves by its merge.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from ..article import Article
from ..store import Store
from .core import (
    AUTO_MIN_ITEMS,
    PROBE_CHARS,
    PROBE_KIND,
    PROVISIONAL_THRESHOLD,
    ClusterOptions,
    check_components,
    embed_probes,
    lexical_text,
    link,
    link_candidates,
    probe_text,
    reconcile,
    story_headline,
)
from .lexical import FIT_SAMPLE, LexicalModel, combine
from .neardup import group_ids, minhash_signatures, near_duplicate_groups

T = TypeVar("T")
Progress = Callable[[Iterable[Any], int | None, str], Iterator[Any]]

INGEST_BATCH = 500
EMBED_BATCH = 128
MINHASH_BATCH = 1000
LEXICAL_BATCH = 2000
_THRESHOLD_KEY = "threshold"
_LEXICAL_KEY = "lexical_model"
_REGROUPED_KEY = "regrouped_at"  # number of articles at the last full grouping
_PROBE_KEY = "probe_chars"  # ClusterOptions.probe_chars of the store's stories
_FIXED_KEY = "threshold_fixed"  # the stored threshold was given (--threshold), not chosen


def _no_progress(items: Iterable[T], total: int | None, description: str) -> Iterator[T]:
    yield from items


@dataclass
class ClusterReport:
    """What one run did, and how long each stage took (seconds)."""

    read: int = 0
    new_articles: int = 0
    embedded: int = 0
    copies_sharing_vectors: int = 0
    linked: int = 0
    new_stories: int = 0
    merges: int = 0
    stories: int = 0
    articles: int = 0
    near_duplicate_groups: int = 0
    threshold: float | None = None
    regrouped: bool = False
    moved: int = 0
    model_checks: int = 0
    model_vetoes: int = 0
    model_unchecked: int = 0
    model_note: str = ""
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["seconds"] = {k: round(v, 2) for k, v in self.seconds.items()}
        return data


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    store: Store, articles: Iterable[Article], report: ClusterReport, progress: Progress
) -> None:
    for batch in _batches(progress(articles, None, "read"), INGEST_BATCH):
        report.read += len(batch)
        report.new_articles += store.add_articles(batch)


def near_copy_groups(store: Store, options: ClusterOptions) -> list[list[int]]:
    """Groups of near-copies among all stored articles (rows in ``article_index`` order).

    Computed once per run (after ``sign_missing``) and used both to share vectors between
    copies and to start each group as one story.
    """
    hashes = [h for _, h, _ in store.article_index()]
    if len(hashes) < 2:
        return []
    stored = store.signatures()
    signatures = np.vstack([stored[h] for h in hashes])
    del stored
    return near_duplicate_groups(signatures, options.near_duplicates)


def embed_missing(
    store: Store,
    options: ClusterOptions,
    report: ClusterReport,
    progress: Progress,
    groups: list[list[int]] | None = None,
) -> None:
    """Embed the probes of texts without a vector; near-copies in ``groups`` share one."""
    kind = f"{PROBE_KIND}:{options.probe_chars}"
    missing = store.missing_hashes("vectors", kind)
    sources: dict[str, str] = {}
    if options.copies_share_vectors and missing and groups:
        sources = copy_sources([h for _, h, _ in store.article_index()], groups, missing)
    to_embed = [h for h in missing if h not in sources]
    chunks = list(_batches(to_embed, EMBED_BATCH))
    for chunk in progress(chunks, len(chunks), f"embed ({len(to_embed)} texts)"):
        texts = store.texts_for_hashes(chunk)
        probes = [
            probe_text(Article(title=texts[h][0], text=texts[h][1]), options.probe_chars)
            for h in chunk
        ]
        vectors = embed_probes(probes)
        store.put_vectors(kind, dict(zip(chunk, vectors, strict=True)))
        report.embedded += len(chunk)
    if sources:
        source_vectors = store.vectors(kind, sorted(set(sources.values())))
        store.put_vectors(kind, {h: source_vectors[s] for h, s in sources.items()})
        report.copies_sharing_vectors += len(sources)


def copy_sources(hashes: list[str], groups: list[list[int]], missing: list[str]) -> dict[str, str]:
    """For each missing text that is a near-copy of another: the text whose vector it takes.

    ``hashes``: the content hash of each article row; ``groups``: rows that are near-copies
    (as the link step sees them). Near-copies always end in one story, so embedding each of
    them again buys nothing; a syndicated corpus is mostly copies. The source is the group's
    first text in store order that has a vector already, else its first missing one
    (embedded in this run). Deterministic, so a killed run repeats the same choice.
    """
    wanted = set(missing)
    sources: dict[str, str] = {}
    for group in groups:
        members = list(dict.fromkeys(hashes[i] for i in group))
        source = next((h for h in members if h not in wanted), members[0])
        sources.update({h: source for h in members if h in wanted and h != source})
    return sources


def sign_missing(store: Store, options: ClusterOptions, progress: Progress) -> None:
    missing = store.missing_hashes("minhashes")
    chunks = list(_batches(missing, MINHASH_BATCH))
    for chunk in progress(chunks, len(chunks), "near-duplicate signatures"):
        texts = store.texts_for_hashes(chunk)
        full = [Article(title=texts[h][0], text=texts[h][1]).full_text for h in chunk]
        signatures = minhash_signatures(full, options.near_duplicates)
        store.put_signatures(dict(zip(chunk, signatures, strict=True)))


def lexical_kind(model: LexicalModel) -> str:
    return "lexical:" + model.digest


def lexical_model(
    store: Store, options: ClusterOptions, *, regrouping: bool = False
) -> LexicalModel | None:
    """The stored lexical model, fitted (again) on the store's texts when it is worth it.

    That is when the store has doubled since the fit, or, before a full grouping, when
    there are texts it was not fitted on (up to ``FIT_SAMPLE``): a full grouping then sees
    the same vectors as a batch run over the same articles.
    """
    if options.lexical_weight <= 0:
        return None
    stored = store.setting(_LEXICAL_KEY)
    model = LexicalModel.from_bytes(stored) if stored else None
    total = store.article_count()
    if model is not None:
        doubled = model.fitted_on < FIT_SAMPLE and total >= 2 * model.fitted_on
        behind = regrouping and model.fitted_on < min(total, FIT_SAMPLE)
        if not (doubled or behind):
            return model
    index = store.article_index()[:FIT_SAMPLE]
    hashes = [h for _, h, _ in index]
    texts = store.texts_for_hashes(hashes)
    model = LexicalModel.fit(
        [
            lexical_text(Article(title=texts[h][0], text=texts[h][1]), options.lexical_chars)
            for h in hashes
        ]
    )
    store.put_settings({_LEXICAL_KEY: model.to_bytes()})
    store.drop_vectors_except("lexical:", lexical_kind(model))
    return model


def lexical_missing(
    store: Store, model: LexicalModel, options: ClusterOptions, progress: Progress
) -> str:
    kind = lexical_kind(model)
    missing = store.missing_hashes("vectors", kind)
    chunks = list(_batches(missing, LEXICAL_BATCH))
    for chunk in progress(chunks, len(chunks), "lexical vectors"):
        texts = store.texts_for_hashes(chunk)
        vectors = model.transform(
            [
                lexical_text(Article(title=texts[h][0], text=texts[h][1]), options.lexical_chars)
                for h in chunk
            ]
        )
        store.put_vectors(kind, dict(zip(chunk, vectors, strict=True)))
    return kind


# The pair model sees the head of each article: analysing whole articles (every sentence
# embedded) would cost more than the rest of the pipeline; STS22, which it was trained on,
# also has texts cut to ~1.2k characters.
VERIFY_CHARS = 1500


def _head(article: Article) -> Article:
    if len(article.text) <= VERIFY_CHARS:
        return article
    cut = article.text.rfind(". ", 0, VERIFY_CHARS)
    return dataclasses.replace(article, text=article.text[: cut + 1 if cut > 0 else VERIFY_CHARS])


class PairModelCheck:
    """Puts uncertain merges of long articles to the pair model (see ClusterOptions).

    Average link asks it before joining two groups: a merge that is certain (well above the
    threshold and above ``model_certain``) or between short articles goes ahead; past the
    component's budget of checks an uncertain one does not (``unchecked`` counts them);
    otherwise the most central article of each group is compared by the pair model (its
    head only, see ``VERIFY_CHARS``). Subclasses say where articles and their analyses
    come from.
    """

    def __init__(self, vectors: np.ndarray, threshold: float, options: ClusterOptions) -> None:
        self.vectors = vectors
        self.certain = max(threshold + options.model_band, options.model_certain)
        self.options = options
        self.checks = 0
        self.vetoes = 0
        self.unchecked = 0  # uncertain merges not made because the budget was spent
        self.note = ""
        self.decided: dict[tuple[int, int], bool] = {}
        # component of each row (``core.check_components``): each has its own budget
        # (``ClusterOptions.check_budget`` of its size); None: all rows are one component
        # (the Spark engine checks one component per instance)
        self.components: np.ndarray | None = None
        self.used: Counter[int] = Counter()
        self.budgets: dict[int, int] = {}
        self._sizes: np.ndarray | None = None

    def _length(self, row: int) -> int:
        """Characters of the text of the article at ``row``."""
        raise NotImplementedError

    def _articles(self, a: int, b: int) -> tuple[Article, Article]:
        raise NotImplementedError

    def _analyses(self, articles: list[Article]) -> list[Any]:
        raise NotImplementedError

    def _central(self, rows: list[int]) -> int:
        members = self.vectors[rows]
        return rows[int(np.argmax(members @ members.sum(axis=0)))]

    def _budget(self, component: int) -> int:
        """Checks allowed in ``component`` (-1: all rows), by its size (``check_budget``)."""
        budget = self.budgets.get(component)
        if budget is None:
            if self.components is None:
                size = len(self.vectors)
            else:
                if self._sizes is None:  # counted once, not one pass per checked component
                    self._sizes = np.bincount(self.components)
                size = int(self._sizes[component])
            budget = self.budgets[component] = self.options.check_budget(size)
        return budget

    def __call__(self, rows_a: list[int], rows_b: list[int], similarity: float) -> bool:
        if similarity >= self.certain or self.note:
            return True
        component = -1 if self.components is None else int(self.components[rows_a[0]])
        if self.used[component] >= self._budget(component):
            # no central article searched past the budget (a story of thousands, merge after
            # merge): the groups' first articles say whether the texts are long
            if min(self._length(rows_a[0]), self._length(rows_b[0])) < self.options.model_min_chars:
                return True
            self.unchecked += 1
            return False
        a, b = self._central(rows_a), self._central(rows_b)
        key = (min(a, b), max(a, b))
        if key in self.decided:
            return self.decided[key]
        if min(self._length(a), self._length(b)) < self.options.model_min_chars:
            return True
        first, second = (_head(x) for x in self._articles(a, b))
        from ..compare import score_pairs
        from ..errors import SamestoryError

        try:
            analyses = self._analyses([first, second])
            _, probability = score_pairs([(analyses[0], analyses[1])])
        except SamestoryError as error:  # no pair model installed: link on embeddings alone
            self.note = f"(pair model not used: {error})"
            return True
        self.checks += 1
        self.used[component] += 1
        same = bool(probability[0] >= 0.5)
        self.vetoes += not same
        self.decided[key] = same
        return same


class ModelVerifier(PairModelCheck):
    """The pair-model check over a store's articles (analyses cached in the store)."""

    def __init__(
        self,
        store: Store,
        ids: list[str],
        vectors: np.ndarray,
        threshold: float,
        options: ClusterOptions,
    ) -> None:
        super().__init__(vectors, threshold, options)
        self.store = store
        self.ids = ids
        self.lengths = store.text_lengths()

    def _length(self, row: int) -> int:
        return int(self.lengths[row])

    def _articles(self, a: int, b: int) -> tuple[Article, Article]:
        first, second = self.store.articles([self.ids[a], self.ids[b]])
        return first, second

    def _analyses(self, articles: list[Article]) -> list[Any]:
        from .story import cached_analyses

        return list(cached_analyses(self.store, articles))


def story_id_for(first_article_id: str, taken: Container[str] = ()) -> str:
    """A new story is named after its first article, so a rerun names it the same: ``s`` and
    the first 12 hex digits of the article's id.

    When that id is ``taken`` (the article named a story that lives on or was absorbed, and a
    regrouping split it off into a new one), the name is ``s`` and 12 hex digits of a hash of
    the article id and a counter, counted up until the name is free: the same format, never
    an id a store held before, and no shared start with the story it was split from.
    """
    name = "s" + first_article_id[:12]
    salt = 0
    while name in taken:
        salt += 1
        key = f"{first_article_id}\x00{salt}".encode()
        name = "s" + hashlib.blake2b(key, digest_size=6).hexdigest()
    return name


def regroup_due(
    store: Store, options: ClusterOptions, total: int, existing: np.ndarray | None = None
) -> bool:
    """Whether this run groups every article afresh (see ``ClusterOptions.regroup_share``)."""
    if existing is None:
        memberships = store.memberships()
        assigned = len(memberships)
    else:
        assigned = int((existing >= 0).sum())
    stored = store.setting(_REGROUPED_KEY)
    # a store written before regrouping existed: its stories count as one full grouping
    grouped = int(json.loads(stored)) if stored is not None else assigned
    provisional = options.threshold is None and store.setting(_THRESHOLD_KEY) is None
    return options.regroup_due(total, grouped, provisional=provisional)


def stored_threshold(store: Store) -> float | None:
    """The threshold kept for this store (given or chosen); None while it is provisional."""
    stored = store.setting(_THRESHOLD_KEY)
    return None if stored is None else float(json.loads(stored))


def fixed_threshold(store: Store) -> float | None:
    """The threshold a user fixed for this store (``--threshold``), kept for later runs."""
    stored = store.setting(_THRESHOLD_KEY)
    if stored is None or store.setting(_FIXED_KEY) is None:
        return None
    return float(json.loads(stored))


def threshold_changed(store: Store, options: ClusterOptions) -> bool:
    """Whether ``options`` fix another threshold than the store's stories were grouped with:
    then all articles are grouped afresh (story ids carried), as after a new probe length."""
    if options.threshold is None or not store.story_count():
        return False
    stored = store.setting(_THRESHOLD_KEY)
    return stored is None or float(json.loads(stored)) != options.threshold


def stored_probe_chars(store: Store) -> int | None:
    """The ``probe_chars`` the store's stories were grouped with (None: no stories yet).

    A store grouped before the setting was kept holds 512-character probes, the only
    length there was then.
    """
    stored = store.setting(_PROBE_KEY)
    if stored is not None:
        return int(json.loads(stored))
    return PROBE_CHARS if store.story_count() else None


def probe_chars_for(store: Store, requested: int | None = None) -> int:
    """The probe length a run embeds with: ``requested``, else the store's, else the default."""
    return requested or stored_probe_chars(store) or PROBE_CHARS


def probe_changed(store: Store, options: ClusterOptions) -> bool:
    """Whether ``options`` embed another probe length than the store's stories were grouped
    with: then every article is embedded again and all are grouped afresh (ids carried)."""
    stored = stored_probe_chars(store)
    return stored is not None and stored != options.probe_chars


def link_pending(
    store: Store,
    options: ClusterOptions,
    lexical: str | None,
    report: ClusterReport,
    groups: list[list[int]] | None = None,
    *,
    force_regroup: bool = False,
) -> None:
    """Link articles not in a story yet to each other and to the stored stories (one commit).

    ``force_regroup``: group every article afresh even when none is new or the store has
    not grown enough (after a change of probe length).
    """
    index = store.article_index()
    ids = [i for i, _, _ in index]
    hashes = [h for _, h, _ in index]
    dates = [d for _, _, d in index]
    memberships = store.memberships()
    if all(i in memberships for i in ids) and not force_regroup:
        return
    stories = store.live_stories()
    number_of = {sid: n for n, sid in enumerate(stories)}
    existing = np.array([number_of[memberships[i]] if i in memberships else -1 for i in ids])

    probes = store.vectors(f"{PROBE_KIND}:{options.probe_chars}")
    semantic = np.vstack([probes[h] for h in hashes])
    if lexical is not None:
        lexical_vectors = store.vectors(lexical)
        vectors = combine(
            semantic, np.vstack([lexical_vectors[h] for h in hashes]), options.lexical_weight
        )
    else:
        vectors = semantic
    del probes

    if groups is None:
        groups = near_copy_groups(store, options)

    settings: dict[str, bytes] = {_PROBE_KEY: json.dumps(options.probe_chars).encode()}
    threshold = options.threshold
    edges: np.ndarray | None = None  # all rows' candidate pairs, when the threshold needs them
    stored = store.setting(_THRESHOLD_KEY)
    regroup = force_regroup or regroup_due(store, options, len(ids), existing)
    if threshold is not None:  # given: kept for the runs that do not give one
        settings[_THRESHOLD_KEY] = json.dumps(threshold).encode()
        settings[_FIXED_KEY] = b"1"
    elif (fixed := fixed_threshold(store)) is not None:
        threshold = fixed
    if threshold is None:
        if stored is not None and not regroup:  # kept between full groupings
            threshold = float(json.loads(stored))
        elif len(ids) < AUTO_MIN_ITEMS:  # too few to choose from: provisional, not kept
            threshold = PROVISIONAL_THRESHOLD
        else:  # chosen on all articles at each full grouping, kept until the next one
            from .core import choose_threshold

            initial, edges = _initial_and_edges(vectors, existing, groups, dates, options)
            threshold = choose_threshold(vectors, initial, edges)
            settings[_THRESHOLD_KEY] = json.dumps(threshold).encode()
    if regroup:
        settings[_REGROUPED_KEY] = json.dumps(len(ids)).encode()
    report.threshold = threshold
    report.regrouped = regroup
    from dataclasses import replace

    starting = np.full(len(ids), -1) if regroup else existing
    verifier = ModelVerifier(store, ids, vectors, threshold, options)
    candidates = None
    if options.model_checks > 0 and (starting < 0).any():
        # the candidate pairs link would search, found once: they also give the components
        # whose uncertain merges share a budget of pair-model checks (as on Spark)
        candidates = (
            edges
            if edges is not None and (starting < 0).all()
            else link_candidates(vectors, starting, options, dates)
        )
        verifier.components = check_components(vectors, candidates, groups, threshold)
    labels, merges, _ = link(
        vectors, options=replace(options, threshold=threshold), existing=starting,
        near_groups=groups, dates=dates, edges=candidates,
        verify=verifier if options.model_checks > 0 else None,
    )  # fmt: skip
    if regroup:  # the fresh groups take the ids of the stories they continue
        labels, merges = reconcile(existing, labels, vectors)
    report.model_checks = verifier.checks
    report.model_vetoes = verifier.vetoes
    report.model_unchecked = verifier.unchecked
    report.model_note = verifier.note

    # name clusters: existing numbers keep their story, new ones take their first article's id
    name_of: dict[int, str] = {n: sid for n, sid in enumerate(stories)}
    taken = store.story_ids()  # live and absorbed: a new story never takes an old one's id
    new_stories: dict[str, str] = {}
    for row, label in enumerate(labels.tolist()):
        if label not in name_of:
            name = story_id_for(ids[row], taken)
            taken.add(name)
            name_of[label] = name
            new_stories[name_of[label]] = ""
    story_merges = [
        (name_of[gone], name_of[keep], score)
        for gone, keep, score in merges
        if gone < len(stories) and keep < len(stories)
    ]
    changed = np.flatnonzero(labels != existing)
    assignments = {ids[row]: name_of[int(labels[row])] for row in changed}
    touched = {int(labels[row]) for row in changed}
    report.moved = int((existing[changed] >= 0).sum())
    headlines = _headlines(store, vectors, labels, touched, ids, name_of)
    for sid in new_stories:
        new_stories[sid] = headlines.get(sid, "")
    store.write_clustering(
        new_stories=new_stories, assignments=assignments, merges=story_merges,
        headlines=headlines, near_duplicates=group_ids(ids, groups), settings=settings,
    )  # fmt: skip
    report.linked = int((existing < 0).sum())
    report.new_stories = len(new_stories)
    report.merges = len(story_merges)


def _initial_and_edges(
    vectors: np.ndarray,
    existing: np.ndarray,
    groups: list[list[int]],
    dates: list[str | None],
    options: ClusterOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """The starting clusters and candidate edges ``link`` would use (to choose a threshold)."""
    initial = np.arange(len(vectors))
    for members in groups:
        initial[members] = members[0]
    every_row_new = np.full(len(vectors), -1)
    return initial, link_candidates(vectors, every_row_new, options, dates)


def _headlines(
    store: Store,
    vectors: np.ndarray,
    labels: np.ndarray,
    touched: set[int],
    ids: list[str],
    name_of: dict[int, str],
) -> dict[str, str]:
    """Each touched story's headline: the title of its most central member."""
    central: dict[int, str] = {}
    order = np.argsort(labels, kind="stable")
    boundaries = np.flatnonzero(np.diff(labels[order])) + 1
    for rows in np.split(order, boundaries):
        label = int(labels[rows[0]])
        if label not in touched:
            continue
        members = vectors[rows]
        scores = members @ members.sum(axis=0)
        central[label] = ids[int(rows[int(np.argmax(scores))])]
    articles = {a.id: a for a in store.articles(list(central.values()))}
    headlines = {}
    for label, article_id in central.items():
        article = articles[article_id]
        headlines[name_of[label]] = story_headline(article.title, article.text)
    return headlines


def cluster_articles(
    store: Store,
    articles: Iterable[Article],
    options: ClusterOptions | None = None,
    *,
    progress: Progress | None = None,
    on_wait: Callable[[], object] | None = None,
) -> ClusterReport:
    """Add ``articles`` to ``store`` and link every article not yet in a story.

    ``options`` default to ``ClusterOptions()`` with the probe length the store's stories
    were grouped with. Options with another ``probe_chars`` embed every article again and
    group all of them afresh; story ids are carried over as at any full grouping.

    ``on_wait`` is called when another process is writing to the store (this run waits for
    it to finish).
    """
    progress = progress or _no_progress
    report = ClusterReport()
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[stage] = now - clock
        clock = now

    # another process (a second `add`, the server) may be adding to the same store: one at a
    # time, or each would link the other's articles before they are embedded
    with store.exclusive(on_wait):
        lap("wait")
        if options is None:  # defaults, with the probe length the stories were grouped with
            options = ClusterOptions(probe_chars=probe_chars_for(store))
        reprobe = probe_changed(store, options)
        # a new probe length or a new fixed threshold: every article is grouped afresh
        afresh = reprobe or threshold_changed(store, options)
        ingest(store, articles, report, progress)
        lap("read")
        # signatures first: near-copies take their original's vector instead of being embedded
        sign_missing(store, options, progress)
        # nothing to link (a rerun after a finished run): no need to find the copies
        pending = bool(store.unassigned_ids()) or afresh
        groups = near_copy_groups(store, options) if pending else None
        lap("near_duplicates")
        embed_missing(store, options, report, progress, groups)
        lap("embed")
        regrouping = afresh or (pending and regroup_due(store, options, store.article_count()))
        model = lexical_model(store, options, regrouping=regrouping)
        kind = lexical_missing(store, model, options, progress) if model is not None else None
        lap("lexical")
        link_pending(store, options, kind, report, groups, force_regroup=afresh)
        if report.threshold is None:  # nothing to link: the threshold the stories were made with
            report.threshold = stored_threshold(store)
        if reprobe:  # the old length's vectors are never read again
            store.drop_vectors_except(f"{PROBE_KIND}:", f"{PROBE_KIND}:{options.probe_chars}")
        lap("link")
    report.stories = store.story_count()
    report.articles = store.article_count()
    report.near_duplicate_groups = len(set(store.near_duplicate_groups().values()))
    return report
