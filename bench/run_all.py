"""Run every benchmark and print one table (``bash bench/run_all`` calls this).

    python bench/run_all.py [--store-dir STORE] [--data-dir ../shared/data] [--quick]
                            [--skip ingest,indicators,load,page_load,memory]
                            [--wait-quiet 120] [--quiet-load 1.0]

1. ``bench/load.py``: callback and API latency under load against the floor (wrk if
   installed: ``apt-get install -y wrk``; else asyncio + httpx); ``bench/profile_callbacks.py``
   (``cold``): what each main callback costs when nobody has asked it before (no memo);
   ``bench/soak.py``: 50 clients mixing pages, callbacks and API calls for 60 s, memory held;
2. ``bench/page_load.py``: page load in headless Chromium, bytes transferred;
3. ``bench/memory.py``: start to first answer, memory per worker;
4. ``bench/ingest.py`` and ``bench/indicators.py``: ingest and indicator-engine figures.

Each benchmark prints its own figures and the command that reproduces them; this script then
prints one table (also written to ``bench/out/summary.md``). Without a store in
``--store-dir`` it ingests ``--data-dir`` into it first. ``--wait-quiet N`` waits up to N
seconds before each benchmark for the machine's 1-minute load average to drop below
``--quiet-load`` (other work on a 2-core machine distorts every timing; the load average is
printed either way).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.loadgen import wrk_available  # noqa: E402
from bench.server import load_average, server_env  # noqa: E402

OUT = ROOT / "bench" / "out"
NAMES = ("load", "cold", "soak", "page_load", "memory", "ingest", "indicators")


def wait_quiet(limit: float, below: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and float(load_average().split()[0]) >= below:
        time.sleep(5)


def run(script: str, *args: str) -> str:
    """Run one benchmark, echoing its output; return the output."""
    command = [sys.executable, f"bench/{script}", *args]
    print(f"\n$ python bench/{script} {' '.join(args)}", flush=True)
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=server_env(), check=False
    )
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise RuntimeError(f"bench/{script} failed with exit code {done.returncode}")
    return done.stdout


def number(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def table(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    head = ("benchmark", "measure", "result", "floor / reference", "target", "met")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        lines.append(
            "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        )
    return "\n".join(lines)


def load_rows(data: dict) -> list[tuple[str, str, str, str, str, str]]:
    floor = data["floor"]
    rows = [
        (
            "1 load",
            "floor: GET /healthz",
            f"p95 {floor['p95']:.1f} ms, {floor['rps']:.0f} req/s",
            "",
            "",
            "",
        )
    ]
    limit = min(100.0, 2.5 * floor["p95"])
    for r in data["rows"]:
        if r["kind"] not in ("main", "api"):
            continue
        result = (
            f"p95 {r['p95']:.0f} ms (p50 {r['p50']:.0f}, p99 {r['p99']:.0f}), {r['rps']:.0f} req/s"
        )
        met = ("yes" if r["meets"] else "NO") if r["kind"] == "main" else ""
        target = f"p95 < {limit:.0f} ms, 0 errors" if r["kind"] == "main" else ""
        rows.append(("1 load", r["name"], result, f"{r['ratio']:.1f}x floor p95", target, met))
    others = [r for r in data["rows"] if r["kind"] == "callback"]
    if others:
        worst = max(others, key=lambda r: r["p95"])
        rows.append(
            (
                "1 load",
                f"other page-load callbacks ({len(others)}), worst",
                f"{worst['name']}: p95 {worst['p95']:.0f} ms",
                f"{worst['ratio']:.1f}x floor p95",
                "",
                "",
            )
        )
    errors = sum(r["errors"] for r in data["rows"])
    rows.append(
        ("1 load", "errors (all requests)", str(errors), "", "0", "yes" if not errors else "NO")
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store-dir", type=Path, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--quick", action="store_true", help="shorter runs (rougher figures)")
    parser.add_argument("--skip", default="", help="comma-separated: " + ",".join(NAMES))
    parser.add_argument("--wait-quiet", type=float, default=0.0, help="seconds, at most")
    parser.add_argument("--quiet-load", type=float, default=1.0, help="1-minute load average")
    args = parser.parse_args(argv)
    from config import Settings, default_data_dir

    store = args.store_dir or Settings.from_env().store_dir
    data_dir = args.data_dir or default_data_dir()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    command = " ".join(["bash bench/run_all", *(argv or sys.argv[1:])])
    print(f"command: {command}")
    print(
        f"load average: {load_average()}; load generator: "
        + ("wrk" if wrk_available() else "asyncio + httpx (apt-get install -y wrk for wrk)")
    )
    if not (store / "CURRENT").is_file():
        if data_dir is None:
            print(f"no store in {store} and no raw data: run `python -m app ingest` first")
            return 1
        print(f"no store in {store}: ingesting {data_dir} into it")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "ingest",
                "--data-dir",
                str(data_dir),
                "--store-dir",
                str(store),
                "--quiet",
            ],
            cwd=ROOT,
            check=True,
        )
    rows: list[tuple[str, str, str, str, str, str]] = []
    quick = args.quick
    if "load" not in skip:
        wait_quiet(args.wait_quiet, args.quiet_load)
        run("load.py", "--store-dir", str(store), "--seconds", "4" if quick else "10")
        rows += load_rows(json.loads((OUT / "load.json").read_text()))
    if "cold" not in skip:
        wait_quiet(args.wait_quiet, args.quiet_load)
        run("profile_callbacks.py", "--store-dir", str(store), "--runs", "3" if quick else "10")
        profiled = json.loads((OUT / "profile_callbacks.json").read_text())["rows"]
        for r in profiled:
            if not any(word in r["name"] for word in ("graph", "page layout")):
                continue
            rows.append(
                (
                    "1 cold",
                    r["name"],
                    f"{r['median_ms']:.0f} ms (best {r['best_ms']:.0f})",
                    "one request, no memo, one worker",
                    "",
                    "",
                )
            )
    if "soak" not in skip:
        wait_quiet(args.wait_quiet, args.quiet_load)
        seconds = "20" if quick else "60"
        run("soak.py", "--store-dir", str(store), "--clients", "50", "--seconds", seconds)
        soak = json.loads((OUT / "soak.json").read_text())
        st = soak["stats"]
        growth = ", ".join(f"{g * 100:+.1f}%" for g in soak["growth"].values())
        rows += [
            (
                "6 soak",
                f"{soak['clients']} clients, {soak['seconds']:.0f} s, mixed",
                f"{st['requests']} requests, p95 {st['p95']:.0f} ms (p50 {st['p50']:.0f}), "
                f"{st['errors']} errors",
                "",
                "0 errors",
                "yes" if st["errors"] == 0 else "NO",
            ),
            (
                "6 soak",
                "worker RSS, end vs start",
                growth,
                "",
                "within 10%",
                "yes" if soak["meets"] else "NO",
            ),
        ]
    if "page_load" not in skip:
        wait_quiet(args.wait_quiet, args.quiet_load)
        run("page_load.py", "--store-dir", str(store), "--repeat", "1" if quick else "3")
        for r in json.loads((OUT / "page_load.json").read_text())["rows"]:
            rows.append(
                (
                    "2 page load",
                    f"{r['page']} (cold; warm {r['warm_s']:.2f} s)",
                    f"{r['cold_s']:.2f} s, {r['cold_bytes'] / 1024:.0f} KB "
                    f"(warm {r['warm_bytes'] / 1024:.0f} KB)"
                    + ("" if r.get("tables_s") is None else f"; tables {r['tables_s']:.2f} s"),
                    "",
                    "< 1.5 s",
                    "yes" if r["cold_s"] < 1.5 else "NO",
                )
            )
    if "memory" not in skip:
        wait_quiet(args.wait_quiet, args.quiet_load)
        run("memory.py", "--store-dir", str(store), "--starts", "2" if quick else "5")
        m = json.loads((OUT / "memory.json").read_text())
        peak = m["peak_worker_rss_mib"]
        uss = max(w["uss"] for w in m["workers"])
        pss = max(w["pss"] for w in m["workers"])
        rows += [
            (
                "3 memory",
                "start to first answered request",
                f"{m['start_median_s']:.2f} s "
                f"(no bytecode cache: {m['start_no_bytecode_s']:.1f} s)",
                "",
                "< 3 s",
                "yes" if m["start_median_s"] < 3 else "NO",
            ),
            (
                "3 memory",
                "peak RSS per worker (full real store)",
                f"{peak:.0f} MiB ({peak * 1.048576:.0f} MB)",
                f"PSS {pss:.0f} MiB, USS {uss:.0f} MiB; "
                f"master peak {m['master']['peak_rss']:.0f} MiB",
                "< 300 MB",
                "yes" if peak * 1.048576 < 300 else "NO",
            ),
        ]
    if "ingest" not in skip and data_dir is not None:
        wait_quiet(args.wait_quiet, args.quiet_load)
        text = run("ingest.py", "--data-dir", str(data_dir), "--repeat", "1" if quick else "3")
        ingest, floor = (
            number(r"ingest \(full\)\s*:\s*([\d.]+)", text),
            number(r"floor \(read only\)\s*:\s*([\d.]+)", text),
        )
        if ingest and floor:
            rows.append(
                (
                    "4 ingest",
                    "ingest every raw file (best run)",
                    f"{ingest:.2f} s",
                    f"read-only floor {floor:.2f} s ({ingest / floor:.1f}x)",
                    "< 30 s, < 3x",
                    "yes" if ingest < 30 and ingest / floor < 3 else "NO",
                )
            )
    if "indicators" not in skip:
        wait_quiet(args.wait_quiet, args.quiet_load)
        text = run("indicators.py", "--store-dir", str(store))
        total = number(r"engine total\s+([\d.]+) s", text)
        if total is not None:
            rows.append(
                (
                    "4 indicators",
                    "engine: every indicator's latest period",
                    f"{total:.2f} s",
                    "",
                    "< 5 s",
                    "yes" if total < 5 else "NO",
                )
            )
    print(f"\nload average at end: {load_average()}\n")
    summary = table(rows)
    print(summary)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.md").write_text(f"{command}\n\n{summary}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
