"""What an ingest tells the person running it: a progress bar, then a summary.

The summary (``python -m app ingest`` and the start-up of ``bash scripts/serve.sh``) gives each
file's row accounting, the rejections by file and rule (count, first row, reason; every one is in
the release's ``rejections.parquet``), the files not loaded (unexpected ones one by one, declared
ignored ones counted by family), and the reasons ``/healthz`` will report the release degraded.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from data.guards import degraded_reasons


class Progress:
    """A one-line progress bar on a terminal, one line per file otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()

    def step(self, label: str, seconds: float) -> None:
        """Record one finished file."""
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {self.done}/{self.total} {label} ({seconds:.2f}s)"
        if self.tty:
            self.stream.write("\r\x1b[2K" + line + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def summary_lines(manifest: Mapping[str, Any], *, width: int = 60) -> list[str]:
    """Rejections by file and rule: count, first row and reason (for the CLI's summary)."""
    rows = [("file", "rule", "action", "count", "first row", "reason")]
    for src in manifest.get("sources", []):
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for entry in src.get("rejections", []):
            key = (entry["rule"], entry["action"])
            seen = grouped.setdefault(key, {**entry, "count": 0, "reasons": set()})
            seen["count"] += entry["count"]
            seen["reasons"].add(entry["reason"])
            if entry["first_row"] < seen["first_row"]:
                seen.update(first_row=entry["first_row"], reason=entry["reason"])
        for (rule, action), seen in sorted(grouped.items()):
            reason = seen["reason"]
            if len(seen["reasons"]) > 1:
                reason = f"{reason} (+{len(seen['reasons']) - 1} similar)"
            if len(reason) > width:
                reason = reason[: width - 1] + "…"
            rows.append(
                (
                    Path(src["file"]).name,
                    rule,
                    action,
                    f"{seen['count']:,}",
                    str(seen["first_row"]),
                    reason,
                )
            )
    if len(rows) == 1:
        return ["rejected: nothing"]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [
        "  ".join(
            [
                c.rjust(w) if i in (3, 4) else c.ljust(w)
                for i, (c, w) in enumerate(zip(r[:5], widths, strict=True))
            ]
            + [r[5]]
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return lines


def summary_table(manifest: dict[str, Any]) -> str:
    """A plain-text account of the ingest for the CLI: files, rejections, files not loaded."""
    rows = [("file", "read", "loaded", "rejected", "values", "indicators")]
    for src in manifest.get("sources", []):
        rows.append(
            (
                Path(src["file"]).name,
                str(src["rows_read"]),
                str(src["rows_loaded"]),
                str(src["rows_rejected"]),
                str(src["values_written"]),
                str(src["indicators"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    tables = manifest.get("tables", {})
    lines.append("")
    lines.append(
        "store: "
        + ", ".join(f"{name} {count}" for name, count in tables.items())
        + f"; release {manifest.get('release')}"
    )
    lines += ["", *summary_lines(manifest)]
    lines += ["", *_not_loaded_lines(manifest)]
    for reason in degraded_reasons(manifest):
        lines.append(f"warning: {reason}")
    return "\n".join(lines)


def _not_loaded_lines(manifest: dict[str, Any]) -> list[str]:
    """Unexpected files one by one; declared ignored ones counted by family."""
    lines = []
    ignored: dict[str, int] = {}
    for item in manifest.get("skipped_files", []):
        if item.get("expected"):
            ignored[item["family"]] = ignored.get(item["family"], 0) + 1
        else:
            where = (
                f" (source family {item['family']}, {item['need']})" if item.get("family") else ""
            )
            lines.append(f"warning: not loaded: {item['file']}{where}: {item['reason']}")
    checks = manifest.get("checks", {}).get("sources", {})
    for path in checks.get("undeclared_loaded", []):
        lines.append(f"warning: loaded, but no source family declares {path} (data/sources.py)")
    if ignored:
        lines.append(
            "not loaded, declared ignored: "
            + ", ".join(f"{name} ({n} file{'s' * (n > 1)})" for name, n in sorted(ignored.items()))
        )
    return lines
