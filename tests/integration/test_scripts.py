"""scripts/: the lock check and scripts/test.sh's exit code, run as a developer runs them."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".venv-uv" / "bin" / "uv"


def bash(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of pyproject.toml and uv.lock (uv needs nothing else to check the lock)."""
    if not UV.exists():
        pytest.skip("no .venv-uv/bin/uv (run `. scripts/_env.sh uv`)")
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_lock_check_passes_when_the_lock_matches(project):
    done = bash("scripts/check_lock.sh", str(project))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_lock_check_fails_with_how_to_update_when_pyproject_moved_on(project):
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    assert '"ruff>=0.14",' in text
    pyproject.write_text(text.replace('"ruff>=0.14",', '"ruff>=0.13",'))
    done = bash("scripts/check_lock.sh", str(project))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "uv.lock does not match pyproject.toml" in done.stderr
    assert (
        ".venv-uv/bin/uv lock" in done.stderr and "git add pyproject.toml uv.lock" in done.stderr
    )


@pytest.mark.slow
def test_the_test_script_fails_when_no_test_is_collected():
    """pytest's exit 5 ("no tests collected") must not pass as success."""
    done = bash("scripts/test.sh", "-k", "no_test_is_named_like_this", timeout=1800)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "no tests collected: failing" in output
