"""Golden comparison: every page callback and API answer for a sample, before and after a change.

``capture`` opens each page with a sample of LAs, indicators and periods in its query string
(as a shared link would), sends every callback that fires when the page opens, asks the API
the same questions, and writes each answer (numbers rounded to 10 significant digits) to a
JSON file. ``compare`` lists what differs between two such files. Run ``capture`` on the old
commit and on the new one with the same real store contents, then ``compare``::

    python bench/golden.py capture --store-dir store --out bench/out/golden-after.json
    python bench/golden.py compare bench/out/golden-before.json bench/out/golden-after.json

Everything goes through Flask's test client (no server, no rate limit).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

#: LAs that exercise the rules: a unitary, a London borough (sub-region comparators), an
#: LA created in 2023, the two smallest LAs, and an LA abolished in 2021.
LAS = ("E06000009", "E09000012", "E06000063", "E06000053", "E09000001", "E10000021")
PAGES = ("/", "/benchmark", "/profile", "/improvement", "/compare", "/value", "/map", "/context")


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def sample_indicators(store: Any, n: int) -> list[str]:
    """Every ``len/n``-th indicator of the catalogue (a spread across topics and sources)."""
    ids = [i for i, _, _ in store.catalogue.indicators if store.catalogue.periods.get(i)]
    step = max(1, len(ids) // n)
    wanted = {"lait_lacstable_2016on", "cla_at_31_march_rate", "lait_16_17_neet"}
    return sorted({*ids[::step][:n], *(w for w in wanted if w in ids)})


def capture(store_dir: Path, out: Path, n: int) -> None:
    from app import create_app
    from bench.dash_payloads import UPDATE, page_callbacks
    from config import Settings
    from data.store import Store

    store = Store.open(store_dir)
    # One client asking fast: the rate limit (on by default) would answer 429s.
    settings = replace(Settings.from_env(), rate_limit="off")
    client = create_app(settings, store=store).server.test_client()

    def get(path: str) -> Any:
        return client.get(path).get_json()

    def post(path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        response = client.post(path, json=body)
        return response.status_code, response.data

    answers: dict[str, Any] = {}
    for k, indicator in enumerate(sample_indicators(store, n)):
        periods = [tp for tp, _ in store.catalogue.periods[indicator]]
        for period in {periods[-1], periods[len(periods) // 2]}:
            la = LAS[k % len(LAS)]
            search = f"?la={la}&indicator={indicator}&period={period}"
            for path in PAGES:
                for callback in page_callbacks(get, post, path, search)[1:]:
                    status, raw = post(UPDATE, callback.body)
                    key = f"{path}{search} {callback.body['output']}"
                    answers[key] = (
                        _round(json.loads(raw).get("response"))
                        if status == 200
                        else f"HTTP {status}"
                    )
            for query in (
                f"/api/v1/rankings?indicator={indicator}&period={period}&n=10",
                f"/api/v1/neighbours?indicator={indicator}&period={period}&area={la}",
                f"/api/v1/values?indicator={indicator}&period={period}",
                f"/api/v1/improvement?indicator={indicator}&draws=50",
                f"/api/v1/variation?indicator={indicator}&period={period}",
                f"/api/v1/expected?indicator={indicator}&period={period}",
                f"/api/v1/profile?area={la}",
                f"/api/v1/context?area={la}",
            ):
                response = client.get(query)
                body = response.get_json() if response.is_json else response.status_code
                if isinstance(body, dict):
                    body.pop("release", None)
                    body.pop("built_at", None)
                answers[query] = _round(body)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(answers, indent=1, sort_keys=True))
    print(f"{len(answers)} answers written to {out}")


def _diff(a: Any, b: Any, where: str, found: list[str]) -> None:
    if type(a) is not type(b):
        found.append(f"{where}: {str(a)[:80]!r} -> {str(b)[:80]!r}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                found.append(f"{where}.{k}: {'added' if k in b else 'removed'}")
            else:
                _diff(a[k], b[k], f"{where}.{k}", found)
    elif isinstance(a, list):
        if len(a) != len(b):
            found.append(f"{where}: {len(a)} items -> {len(b)}")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{where}[{i}]", found)
    elif a != b:
        found.append(f"{where}: {str(a)[:80]!r} -> {str(b)[:80]!r}")


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    same = changed = 0
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            print(f"ONLY IN {'AFTER' if key in b else 'BEFORE'}: {key}")
            continue
        found: list[str] = []
        _diff(a[key], b[key], "", found)
        if found:
            changed += 1
            print(f"CHANGED {key}")
            for line in found[:8]:
                print(f"   {line}")
        else:
            same += 1
    print(f"{same} identical, {changed} changed, of {len(set(a) | set(b))} answers")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("--store-dir", type=Path, default=ROOT / "store")
    cap.add_argument("--out", type=Path, required=True)
    cap.add_argument("--n", type=int, default=24, help="indicators in the sample")
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.store_dir, args.out, args.n)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
