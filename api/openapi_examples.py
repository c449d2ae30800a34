"""The worked example of each endpoint's JSON, generated from the synthetic demo store.

``REQUESTS`` names, for each operationId, the request its example is the answer to; the
generator builds the demo store (seed 7, derived indicators and the benchmark table, as the
tests' ``demo_tables`` and ``tiny_store`` build it, with a fixed release id), sends each request
through the app's Flask test client and writes the answers to ``api/openapi_examples.json``
(sorted keys, indent 2), which ``api/openapi.py`` embeds in the OpenAPI document. Regenerate
it after changing what an endpoint answers::

    python -m api.openapi_examples

Every list of rows (objects) in an answer is cut to its first ``KEEP`` rows; lists of plain
values (quartile breaks, periods, codes) are kept whole, and counts (``count``,
``ranked_count``...) stay as served, so a count may exceed the rows shown. The tests check
that the committed file equals a fresh generation and that each example fits its schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: The generated examples, keyed by operationId.
EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")
#: The command that rewrites ``EXAMPLES_FILE``.
COMMAND = "python -m api.openapi_examples"
#: How many rows of each list an example keeps.
KEEP = 2
#: The demo store the examples are taken from.
SEED = 7
RELEASE = "20250601T120000-0123456789"
BUILT_AT = "2025-06-01T12:00:00+00:00"

_INDICATOR = "cpp_subsequent_pct"
_LA = "E09000002"  # Barking and Dagenham
#: operationId -> the request whose answer is its example.
REQUESTS: dict[str, str] = {
    "indicators": "/api/v1/indicators",
    "areas": "/api/v1/areas",
    "values": f"/api/v1/values?indicator={_INDICATOR}&area={_LA}",
    "rankings": f"/api/v1/rankings?indicator={_INDICATOR}&period=2024&n=2",
    "variation": f"/api/v1/variation?indicator={_INDICATOR}&period=2024",
    "neighbours": f"/api/v1/neighbours?area={_LA}&indicator={_INDICATOR}&period=2024",
    "profile": "/api/v1/profile?area=E06000009",  # Blackpool
    "improvement": f"/api/v1/improvement?indicator={_INDICATOR}&from=2019&to=2024",
    "health": "/healthz",
}


def shortened(answer: Any) -> Any:
    """``answer`` with every list of objects cut to its first ``KEEP`` items, at any depth."""
    if isinstance(answer, dict):
        return {key: shortened(value) for key, value in answer.items()}
    if isinstance(answer, list):
        rows = answer[:KEEP] if any(isinstance(item, dict) for item in answer) else answer
        return [shortened(item) for item in rows]
    return answer


def demo_tables(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The synthetic demo tables (``seed``) with the derived indicators added."""
    import pandas as pd

    from data.synthetic import build_demo_tables
    from indicators import derive_indicators

    tables, _ = build_demo_tables(seed=seed)
    extra_values, extra_meta = derive_indicators(tables["values"], tables["indicators"])
    tables["values"] = pd.concat([tables["values"], extra_values], ignore_index=True)
    tables["indicators"] = pd.concat([tables["indicators"], extra_meta], ignore_index=True)
    return tables


def generate(tables: dict[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """Each operationId's example: its request's answer from the demo store, shortened.

    ``tables``: the demo tables (``demo_tables()`` when not given; the tests hand in the ones
    their session already built). The store gets a fixed release id and build time, and the
    app default settings rather than the environment's, so the examples do not depend on when
    or where they are generated (a Redis URL would change /healthz's shared_state).
    """
    from app import create_app
    from config import Settings
    from data.schema import SCHEMA_VERSION
    from data.store import Store
    from indicators.benchmark_table import benchmark_frames

    tables = demo_tables() if tables is None else tables
    manifest = {
        "release": RELEASE,
        "synthetic": True,
        "built_at": BUILT_AT,
        "schema_version": SCHEMA_VERSION,
    }
    store = Store.from_tables(tables, manifest, benchmark=benchmark_frames(tables))
    client = create_app(Settings(), store=store).server.test_client()
    examples = {}
    for operation, url in REQUESTS.items():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{operation}: GET {url} answered {response.status_code}")
        examples[operation] = shortened(response.get_json())
    return examples


def examples_text(examples: dict[str, Any]) -> str:
    """The examples as ``EXAMPLES_FILE`` holds them: sorted keys, indent 2, a final newline."""
    return json.dumps(examples, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Rewrite ``EXAMPLES_FILE`` from the demo store."""
    EXAMPLES_FILE.write_text(examples_text(generate()), encoding="utf-8")
    print(f"wrote {EXAMPLES_FILE}")


if __name__ == "__main__":
    main()
