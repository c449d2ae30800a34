"""The warnings policy (pyproject.toml, tests/conftest.py), proven by running pytest on it.

Each test builds a small project in a temporary folder with this project's real configuration
(``pyproject.toml`` and ``tests/conftest.py`` copied as they are), a module that looks installed
(under ``.../site-packages/``) and modules named like ours, then runs pytest on it in a
subprocess: a dependency's warnings, at compile, import or run time, never stop the suite;
a warning from our own code always fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A third-party module whose source warns when it is compiled (an invalid escape sequence:
# DeprecationWarning on Python 3.11, SyntaxWarning from 3.12), when it is imported, and when
# its functions run (its own warning, and one it attributes to its caller, as pandas does).
THIRD_PARTY = """
import warnings

PATTERN = "\\d+ children"
warnings.warn("vendored_pkg: deprecated at import", DeprecationWarning)


def noisy():
    warnings.warn("vendored_pkg: deprecated inside", DeprecationWarning)
    return 1


def deprecated_for_caller():
    warnings.warn("vendored_pkg: your call is deprecated", FutureWarning, stacklevel=2)
    return 2
"""


def make_project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A project folder with our configuration, the third-party module and ``files``."""
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    shutil.copy(ROOT / "tests" / "conftest.py", project / "tests" / "conftest.py")
    (project / "tests" / "__init__.py").write_text("")
    site = tmp_path / "env" / "lib" / "site-packages" / "vendored_pkg"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text(THIRD_PARTY)
    for name, text in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project


def run_pytest(project: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "env" / "lib" / "site-packages"),
        "PYTHONDONTWRITEBYTECODE": "1",  # every module is compiled afresh
    }
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:randomly", "tests"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_dependencys_warnings_never_stop_the_suite(tmp_path):
    project = make_project(
        tmp_path,
        {
            # Imported by a conftest, so while pytest starts (as a plugin's import would be).
            "tests/unit/conftest.py": "import vendored_pkg  # noqa: F401\n",
            "tests/unit/test_uses_it.py": (
                "import vendored_pkg\n\n\n"
                "def test_it_runs():\n"
                "    assert vendored_pkg.noisy() == 1\n"
            ),
        },
    )
    result = run_pytest(project, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 passed" in output
    # The warnings did happen, and are reported: compile, import and run time.
    assert "invalid escape sequence" in output
    assert "vendored_pkg: deprecated at import" in output
    assert "vendored_pkg: deprecated inside" in output


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {
                "indicators/__init__.py": (
                    "import warnings\n\n\ndef old():\n"
                    "    warnings.warn('indicators: old', DeprecationWarning)\n"
                ),
                "tests/test_it.py": "from indicators import old\n\n\ndef test_it():\n    old()\n",
            },
            "DeprecationWarning: indicators: old",
            id="raised-by-our-module",
        ),
        pytest.param(
            {
                "figures/__init__.py": (
                    "import vendored_pkg\n\n\ndef draw():\n"
                    "    return vendored_pkg.deprecated_for_caller()\n"
                ),
                "tests/test_it.py": "from figures import draw\n\n\ndef test_it():\n    draw()\n",
            },
            "FutureWarning: vendored_pkg: your call is deprecated",
            id="raised-by-a-dependency-for-our-call",
        ),
        pytest.param(
            {
                "tests/test_it.py": (
                    "import warnings\n\n\ndef test_it():\n"
                    "    warnings.warn('tests: careless', UserWarning)\n"
                ),
            },
            "UserWarning: tests: careless",
            id="raised-by-a-test",
        ),
        pytest.param(
            {
                "data/__init__.py": 'PATTERN = "\\d+ rows"\n',
                "tests/test_it.py": "def test_it():\n    import data  # noqa: F401\n",
            },
            "invalid escape sequence",
            id="our-file-fails-to-compile-cleanly",
        ),
    ],
)
def test_a_warning_from_our_code_fails(tmp_path, files, message):
    result = run_pytest(make_project(tmp_path, files), tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed" in output
    assert message in output


def test_every_module_of_ours_is_named_in_the_error_rule():
    """A new top-level module or package must join the rule (or its warnings would pass)."""
    import re
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    rules = config["tool"]["pytest"]["ini_options"]["filterwarnings"]
    (ours,) = [r.split(":")[3] for r in rules if r.startswith("error:::")]
    names = {p.stem for p in ROOT.glob("*.py")} | {
        p.parent.name for p in ROOT.glob("*/*.py") if not p.parent.name.startswith(".")
    }
    assert names, "no modules found"
    missing = sorted(n for n in names if not re.match(ours, n) or not re.match(ours, n + ".x"))
    assert missing == [], f"add {missing} to the error rule in pyproject.toml"
    assert not re.match(ours, "pandas.core") and not re.match(ours, "dashboard")
