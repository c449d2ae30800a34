"""One module per source: ``read_*`` does I/O only, ``tidy_*`` is pure."""
