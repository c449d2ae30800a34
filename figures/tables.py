"""The numbers behind a chart, as a frame with display headers (for tables and CSV files).

Every chart's builder module offers a ``*_data`` function returning a ``DataView`` made from
the same result object as the figure, so the table view and the CSV download hold exactly
the numbers drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class DataView:
    """Rows of a chart: ``frame`` has display headers; ``decimals`` formats number columns.

    ``key`` names the column holding area codes (to mark the selected LA), if any.
    """

    frame: pd.DataFrame
    caption: str
    decimals: Mapping[str, int] = field(default_factory=dict)
    key: str | None = "Area code"

    @property
    def empty(self) -> bool:
        """Whether there are no rows."""
        return self.frame.empty
