"""Packaging: ``python -m build`` gives a wheel and an sdist with the models, the package data
and the licence files; the wheel installs in a fresh venv (offline) and runs ``samestory``.

The build runs with ``--no-isolation`` (hatchling from the test extra), so it needs no network;
the fresh venv takes its dependencies from the dev venv (see ``_offline``) and installs the
wheel itself with ``--no-deps``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from _offline import make_venv, offline_env

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "samestory"
EXAMPLE = REPO / "examples" / "event-pair"
LICENCE_FILES = ("LICENSE", "THIRD_PARTY_LICENSES.md", "licenses/swagger-ui-Apache-2.0.txt")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build", reason="build is not installed (extra: test)")
    pytest.importorskip("hatchling", reason="hatchling is not installed (extra: test)")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel",
         "--outdir", str(out), str(REPO)],
        capture_output=True, text=True, timeout=600, env=offline_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def package_data() -> list[str]:
    """Every file of the package that is not Python source, as a path inside the wheel."""
    return sorted(
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def test_wheel_holds_models_package_data_and_licences(dist: Path):
    (wheel,) = dist.glob("samestory-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(f"{info}/METADATA").decode()
    models = {
        "samestory/compare/pair_model.json.gz",
        "samestory/compare/pair_model_accurate.json.gz",
    }
    assert models <= names
    assert "samestory/read/block_model.txt.gz" in names and "samestory/py.typed" in names
    missing = [name for name in package_data() if name not in names]
    assert not missing, f"package data left out of the wheel: {missing}"
    for licence in LICENCE_FILES:
        assert f"{info}/licenses/{licence}" in names
    assert "License-Expression: MIT" in metadata
    for extra in ("server", "docs", "notebook", "test"):
        assert f"Provides-Extra: {extra}" in metadata


def test_sdist_holds_sources_docs_and_licences(dist: Path):
    (sdist,) = dist.glob("samestory-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for path in (*LICENCE_FILES, "CHANGELOG.md", "README.md", "mkdocs.yml", "docs/index.md",
                 "examples/event-pair/first-report-web-copy.txt", "examples/samestory-tour.ipynb",
                 "src/samestory/compare/pair_model.json.gz"):  # fmt: skip
        assert path in names, path


def test_wheel_installs_in_a_fresh_venv_and_compares(dist: Path, tmp_path: Path):
    (wheel,) = dist.glob("samestory-*.whl")
    python = make_venv(tmp_path / "venv")
    env = offline_env()
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    samestory = tmp_path / "venv" / "bin" / "samestory"
    where = subprocess.run(
        [str(python), "-c", "import samestory; print(samestory.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert where.startswith(str(tmp_path / "venv")), where  # the wheel, not the source tree

    version = subprocess.run([str(samestory), "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.strip().startswith("samestory 0.")

    compared = subprocess.run(
        [str(samestory), "compare", str(EXAMPLE / "first-report-web-copy.txt"),
         str(EXAMPLE / "update-translated.txt"), "--format", "json"],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert compared.returncode == 0, compared.stderr[-3000:]

    result = json.loads(compared.stdout)
    assert result["same_event"] is True
    assert {"kind": "place", "a": "Las Cruses", "b": "Las Cruces"}.items() <= result["conflicts"][
        0
    ].items()
    assert result["model_version"]  # the shipped model was found inside the installed package
