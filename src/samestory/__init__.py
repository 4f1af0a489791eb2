"""samestory: do these news reports describe the same event, and where do they disagree?

The public API is small::

    import samestory
    comparison = samestory.compare("first.txt", "update.txt")
    comparison.same_event, comparison.scores.overall, comparison.conflicts

Heavy modules (models, spaCy, trafilatura) load lazily on first use.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from .article import Article
from .errors import InputError, SamestoryError

try:
    __version__ = version("samestory")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from .analyze import Analysis, analyze
    from .cluster import StoryClusterer
    from .compare import Comparison, compare
    from .read import read
    from .store import open_store

_LAZY = {
    "read": ("samestory.read", "read"),
    "analyze": ("samestory.analyze", "analyze"),
    "Analysis": ("samestory.analyze", "Analysis"),
    "compare": ("samestory.compare", "compare"),
    "open_store": ("samestory.store", "open_store"),
    "StoryClusterer": ("samestory.cluster", "StoryClusterer"),
    "Comparison": ("samestory.compare", "Comparison"),
}

__all__ = [
    "Analysis",
    "Article",
    "Comparison",
    "InputError",
    "SamestoryError",
    "StoryClusterer",
    "__version__",
    "analyze",
    "compare",
    "open_store",
    "read",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        package = import_module(module)
        # read, analyze and compare are packages that can be called like their function:
        # the package itself is bound, so `samestory.read.read_many` works whichever of
        # `samestory.read(...)` or `import samestory.read` comes first
        value = package if module == f"{__name__}.{attribute}" else getattr(package, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'samestory' has no attribute {name!r}")
