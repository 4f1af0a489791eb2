"""Renderings of Comparisons and Stories: terminal (rich), JSON, standalone HTML."""
