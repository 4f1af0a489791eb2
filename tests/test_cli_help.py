"""Every command, option and argument of the CLI explains itself (walks the whole command tree)."""

from __future__ import annotations

from typing import Any

import typer

from samestory.cli import app


def _walk(command: Any, path: str):
    yield path, command
    if hasattr(command, "commands"):  # a group (typer ships its own click)
        for name, sub in command.commands.items():
            yield from _walk(sub, f"{path} {name}".strip())


def test_every_command_and_parameter_has_help() -> None:
    missing = []
    commands = list(_walk(typer.main.get_command(app), ""))
    assert len(commands) > 10
    for path, command in commands:
        if path and not command.help:
            missing.append(f"{path}: no help text")
        for param in command.params:
            if param.name == "help":
                continue
            if not getattr(param, "help", None):
                missing.append(f"{path or 'samestory'} {param.name}: no help text")
    assert not missing, missing
