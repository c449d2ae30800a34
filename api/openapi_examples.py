"""The worked example of each endpoint's JSON, generated from the synthetic demo store.

``REQUESTS`` names, for each operationId, the request its example is the answer to; the
generator builds the demo store (seed 7, derived indicators and the benchmark table, as the
tests' ``demo_tables`` and ``tiny_store`` build it, with a fixed release id), sends each request
through the app's Flask test client and writes the answers to ``api/openapi_examples.json``
(sorted keys, indent 2), which ``api/openapi.py`` embeds in the OpenAPI document. Regenerate
it after changing what an endpoint answers (``app.openapi_examples``, the composition root,
does the generating; this module only declares and shapes)::

    python -m app openapi-examples

Every list of rows (objects) in an answer is cut to its first ``KEEP`` rows; lists of plain
values (quartile breaks, periods, codes) are kept whole, and counts (``count``,
``ranked_count``...) stay as served, so a count may exceed the rows shown. The tests check
that the committed file equals a fresh generation and that each example fits its schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The generated examples, keyed by operationId.
EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")
#: The command that rewrites ``EXAMPLES_FILE``.
COMMAND = "python -m app openapi-examples"
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
    "expected": f"/api/v1/expected?indicator={_INDICATOR}&period=2024",
    "neighbours": f"/api/v1/neighbours?area={_LA}&indicator={_INDICATOR}&period=2024",
    "profile": "/api/v1/profile?area=E06000009",  # Blackpool
    "improvement": f"/api/v1/improvement?indicator={_INDICATOR}&from=2019&to=2024",
    "context": "/api/v1/context?area=E06000009",  # Blackpool
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


def examples_text(examples: dict[str, Any]) -> str:
    """The examples as ``EXAMPLES_FILE`` holds them: sorted keys, indent 2, a final newline."""
    return json.dumps(examples, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
