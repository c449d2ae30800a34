"""Figure builders: indicator results -> plotly figures (no Dash, no data access)."""
