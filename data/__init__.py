"""Data layer: raw official files -> validated Parquet store (no Dash, no plotly)."""
