"""The ``samestory`` command line: one command per job, each a thin layer over a library call.

Command modules live beside this file; each has a ``register(app)`` function. Heavy imports
happen inside the commands, so ``samestory --help`` answers at once.
"""

from __future__ import annotations

from importlib import import_module

import typer

from ._common import version_callback

app = typer.Typer(
    name="samestory",
    help="Tell whether news reports describe the same event, how alike they are, "
    "and what they agree and disagree on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

eval_app = typer.Typer(
    help="Reproduce published benchmarks on files in their documented layouts.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")

# Each module registers its commands on ``app`` (and ``eval_app`` where it has an eval).
_COMMAND_MODULES = ["compare", "train", "eval_similarity", "extract", "eval_extraction"]
_COMMAND_MODULES += ["cluster", "eval_clustering"]
_COMMAND_MODULES += ["diff", "eval_conflicts"]
_COMMAND_MODULES += ["serve"]


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=version_callback,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """samestory: same event or not, with scores and evidence."""


for _name in _COMMAND_MODULES:
    import_module(f"{__name__}.{_name}").register(app, eval_app)


def main() -> None:
    app()
