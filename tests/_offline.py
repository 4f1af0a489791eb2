"""Fresh virtual environments that work offline: the dependencies come from the dev venv.

A new venv gets one ``.pth`` line naming the running interpreter's site-packages, so everything
installed there (numpy, spaCy, the models, hatchling, ...) imports without a download; pip runs
with ``PIP_NO_INDEX`` so nothing is fetched. Only the paths are shared: ``.pth`` files inside the
dev venv (its editable samestory) are not processed, so the new venv runs its own samestory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def offline_env(**extra: str) -> dict[str, str]:
    """The environment for pip and the new venv's commands: no index, no build isolation."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip reads this negated: 0 turns isolation off
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_MKDOCS_2_WARNING="1",
        COLUMNS="100",
    )
    env.update(extra)
    return env


def make_venv(path: Path) -> Path:
    """A new venv at ``path`` that sees the dev venv's packages; returns its python."""
    subprocess.run([BASE_PYTHON, "-m", "venv", str(path)], check=True, timeout=300)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "zz_samestory_dev_venv.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    return python
