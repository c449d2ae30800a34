"""Which layer may import which (STYLE.md b.4), checked by walking every module's imports."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {
    "app",
    "wsgi",
    "api",
    "serving",
    "security",
    "callback_cache",
    "config",
    "data",
    "indicators",
    "figures",
    "layouts",
    "callbacks",
}

# layer -> (allowed project imports as prefixes, forbidden third-party top-level packages)
RULES = {
    "config": (set(), {"dash", "plotly", "pandas", "pyarrow"}),
    "callback_cache.py": (set(), {"dash", "plotly", "pandas", "pyarrow"}),
    "data/schema.py": (set(), {"dash", "plotly", "pandas"}),
    "data/errors.py": (set(), {"dash", "plotly", "pandas", "pyarrow"}),
    "data": ({"data", "config"}, {"dash", "plotly"}),
    "indicators": (
        {"indicators", "data.schema"},
        {"dash", "plotly", "flask", "requests", "urllib"},
    ),
    "figures": ({"figures", "indicators", "data.schema"}, {"dash"}),
    "layouts": ({"layouts", "data.schema", "data.store"}, {"plotly"}),
    "api": (
        {"api", "indicators", "data.store", "data.schema", "data.errors", "figures.tables"},
        {"dash", "plotly"},
    ),
    "callbacks": (
        {
            "callbacks",
            "layouts",
            "indicators",
            "figures",
            "data.store",
            "data.schema",
            "data.errors",
        },
        set(),
    ),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(layer: str) -> list[Path]:
    path = ROOT / layer
    if path.suffix == ".py" or layer == "config":
        return [path if path.suffix else ROOT / "config.py"]
    return sorted(path.rglob("*.py"))


@pytest.mark.parametrize("layer", list(RULES))
def test_layer_imports(layer):
    allowed, forbidden_libs = RULES[layer]
    problems = []
    for path in modules(layer):
        if layer == "data" and path.name in ("schema.py", "errors.py"):
            continue
        for name in imports_of(path):
            top = name.split(".")[0]
            if top in PROJECT and not any(name == a or name.startswith(a + ".") for a in allowed):
                problems.append(f"{path.relative_to(ROOT)} imports {name}")
            if top in forbidden_libs:
                problems.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not problems, "\n".join(problems)


def test_indicators_do_no_io():
    banned = ("open(", "read_csv", "read_parquet", "to_parquet", "to_csv(", "Path(", "requests.")
    for path in (ROOT / "indicators").rglob("*.py"):
        text = path.read_text()
        for word in banned:
            assert word not in text, f"{path.name} uses {word}"


def test_no_dash_callback_globals_or_debug():
    for path in [
        *(ROOT / "callbacks").rglob("*.py"),
        *(ROOT / "layouts").rglob("*.py"),
        ROOT / "app.py",
    ]:
        text = path.read_text()
        assert "@dash.callback" not in text and "dash.callback(" not in text, path
        assert "debug=True" not in text, path
        assert "dangerously_allow_html" not in text, path
