"""The Parquet store: atomic writes, and a read-only view for the app and the indicators.

On disk::

    store/
      CURRENT                      one line: the live release's folder name
      releases/<release>/          values, indicators, areas, statistical_neighbours (.parquet)
                                   + manifest.json
      .building-<uuid>/            a release being written (removed on failure)

``write_store`` writes a new release into ``.building-<uuid>``, validates it, fsyncs it, moves it
under ``releases/`` and only then replaces ``CURRENT`` with ``os.replace`` (atomic on POSIX).
A failed or killed ingest therefore leaves the previous release untouched and live.

Modules: ``writing`` (``write_store``), ``reading`` (``Store``, ``Catalogue``), ``live``
(``LiveStore``, following ``CURRENT`` in a running server) and ``release_folders`` (the
folder names and the live release's folder).
"""

from data.same_measure import SameMeasure  # the layouts may import it only from here
from data.store.live import LiveStore
from data.store.reading import Catalogue, Store
from data.store.release_folders import CURRENT_FILE, MANIFEST_FILE, RELEASES_DIR, live_release_dir
from data.store.writing import KEEP_RELEASES, Benchmarker, Deriver, release_id, write_store

__all__ = [
    "CURRENT_FILE",
    "KEEP_RELEASES",
    "MANIFEST_FILE",
    "RELEASES_DIR",
    "SameMeasure",
    "Benchmarker",
    "Catalogue",
    "Deriver",
    "LiveStore",
    "Store",
    "live_release_dir",
    "release_id",
    "write_store",
]
