"""Views: the numbers of one page block or one API resource, assembled once.

A view turns (store, validated ids, release) into a frozen, typed view model, reading the
benchmark table that ingest builds per release. Pages and the API read the same views, so a
number shown and a number served cannot differ; a figure, its table and its CSV come from one
view. Views may import pandas, ``indicators``, ``data.store`` (read API) and ``data.schema``;
never dash, plotly, figures, layouts, callbacks or loaders.
"""
