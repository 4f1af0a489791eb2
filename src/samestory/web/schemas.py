"""Request and response bodies of the JSON API (pydantic), shown in the OpenAPI docs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..article import Article
from ..errors import InputError

MAX_ARTICLES_PER_REQUEST = 1000


class ArticleIn(BaseModel):
    """One report: the text (plain or HTML) and what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article body, plain text or HTML.")
    title: str | None = Field(None, description="Headline; taken from the text when missing.")
    lang: str | None = Field(None, description="ISO 639-1 code; detected when missing.")
    published: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    url: str | None = None
    author: str | None = None
    source: str | None = Field(None, description="Outlet or feed name, used by the filters.")

    def to_article(self, where: str) -> Article:
        from ..read import article_from_text

        article = article_from_text(
            self.text,
            source=where,
            title=self.title,
            lang=self.lang,
            published=self.published,
            url=self.url,
            author=self.author,
        )
        return dataclasses.replace(article, source=self.source)


def side_article(value: str | ArticleIn, where: str) -> Article:
    if isinstance(value, str):
        if not value.strip():
            raise InputError(where, "the text is empty; paste or upload a report")
        from ..read import article_from_text

        return article_from_text(value, source=where)
    return value.to_article(where)


class CompareIn(BaseModel):
    """Two reports, each a text or an object with title, text, lang, published."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "a": "Police in Las Cruces said an officer was shot on Monday ...",
                "b": {"title": "Officer named", "text": "The officer shot in Las Cruses ..."},
            }
        },
    )

    a: str | ArticleIn
    b: str | ArticleIn


class ArticlesIn(BaseModel):
    """Articles to store and assign to stories (existing story ids never change)."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES_PER_REQUEST)


class IngestedArticle(BaseModel):
    id: str
    story_id: str | None
    new: bool = Field(description="False when the store already held this article.")


class ArticlesOut(BaseModel):
    articles: list[IngestedArticle]


class StoryOut(BaseModel):
    id: str
    headline: str
    size: int
    first_seen: str | None
    last_seen: str | None
    languages: list[str]
    sources: list[str]


class StoriesOut(BaseModel):
    stories: list[StoryOut]
    total: int
    page: int
    per_page: int
    pages: int
    filters: dict[str, Any]


class ErrorOut(BaseModel):
    """Every error the API answers: a status, a short kind and a message that says the fix."""

    status: int
    error: str
    message: str
    details: list[dict[str, Any]] | None = None


class HealthOut(BaseModel):
    status: str
    version: str
    articles: int
    stories: int
