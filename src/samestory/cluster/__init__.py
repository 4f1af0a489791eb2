"""Stories: near-duplicates, candidate links, average-link grouping, batch and incremental."""

from .core import ClusterOptions
from .estimator import StoryClusterer
from .neardup import NearDuplicateOptions

__all__ = ["ClusterOptions", "NearDuplicateOptions", "StoryClusterer"]
