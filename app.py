"""Composition root: ``create_app()`` and the command line (``python -m app ...``).

Nothing happens at import: the store is opened, pages registered and callbacks attached only
inside ``create_app``; the CLI parses arguments only inside ``main``.

Commands (exit codes: 0 ok, 2 bad input or an ingest refused, 1 anything else)::

    python -m app ingest   [--data-dir D] [--store-dir S] [--quiet]
                           [--allow-shrink] [--max-shrink F] [--partial]
    python -m app demo     [--store-dir S] [--seed N]
    python -m app download [--dest D] [--only NAME ...] [--list]
    python -m app serve    [--store-dir S] [--data-dir D] [--host H] [--port P]
                           [--workers N] [--dev] [--refresh] [--allow-shrink] [--partial]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config import Settings
from data.errors import DataFormatError, IngestRefused, StoreError, StoreMissing
from data.store import LiveStore, Store

if TYPE_CHECKING:
    import pandas as pd
    from dash import Dash

    from layouts.first_page import Page

log = logging.getLogger("la_variation")

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


def request_scope() -> Any:
    """Where a ``LiveStore`` pins the release of the current request (``flask.g``), if any."""
    from flask import g, has_request_context

    return g if has_request_context() else None


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | LiveStore | None = None,
    deployment: Any = None,
) -> Dash:
    """Build the Dash app over a store.

    With no ``store`` given, the app serves the live release of ``settings.store_dir`` (the
    release the servers of a deployment agreed on, ``server.release``) and follows it when a
    new ingest swaps the release (each request sees one release). ``deployment``: what the
    servers share (``server.deployment(settings)`` when not given).
    """
    # Imported here so that the command line (ingest, demo, download) needs no Dash at all.
    import dash

    import api
    import callbacks
    import layouts
    import pack
    import server
    from callbacks.initial import initial_outputs
    from dash_app import PLOTLY_BUNDLE, PLOTLY_URL, PublicDash
    from layouts.first_page import Page

    settings = settings or Settings.from_env()
    deployment = deployment or server.deployment(settings)
    if store is None:
        store = LiveStore(
            settings.store_dir, scope=request_scope, pointer=deployment.releases.to_serve
        )
    app = PublicDash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(Path(__file__).with_name("assets")),
        title="LA variation in children's social care",
        # Dash types update_title as str, but documents None as "never change the title".
        update_title=None,  # type: ignore[arg-type]
        suppress_callback_exceptions=True,
    )
    # The page's language (WCAG 3.1.1), and Dash's script holder as a plain <div>: a second
    # <footer> beside ours would be a duplicate "contentinfo" landmark.
    app.index_string = (
        app.index_string.replace("<html>", '<html lang="en">', 1)
        .replace("<footer>", "<div>", 1)
        .replace("</footer>", "</div>", 1)
    )
    # Production settings, explicitly: DASH_DEBUG / DASH_UI / DASH_HOT_RELOAD in the
    # environment must not switch on debugging, error pop-ups or dev bundles.
    app.enable_dev_tools(
        debug=False,
        dev_tools_ui=False,
        dev_tools_props_check=False,
        dev_tools_serve_dev_bundles=False,
        dev_tools_hot_reload=False,
        dev_tools_silence_routes_logging=True,
        dev_tools_prune_errors=True,
    )
    plotly_url = server.serve_plotly_bundle(
        app.server, app.config.routes_pathname_prefix + PLOTLY_URL, PLOTLY_BUNDLE
    )
    if plotly_url is None:
        log.warning("no partial plotly.js at %s: serving plotly.py's full one", PLOTLY_BUNDLE)
    else:
        charts = frozenset(page.path for page in layouts.PAGES if page.charts)
        app.plotly_script = (plotly_url, charts)
    dash.page_registry.clear()
    pages: dict[str, Page] = {}
    for page in layouts.PAGES:
        title = f"{page.name} | LA variation"
        drawn = _page_layout(page.layout, store, initial_outputs(app))
        dash.register_page(
            page.module,
            path=page.path,
            name=page.name,
            title=title,
            order=page.order,
            layout=drawn,
        )
        pages[page.path.strip("/")] = Page(title, drawn)
    app.layout = partial(_shell_layout, layouts.shell.layout, store, app, pages)
    for register in callbacks.REGISTRARS:
        register(app, store)
    api.register(app.server, store, health=[deployment.health])
    pack.register(app.server, store)
    # Last, once every callback exists (their inline scripts are hashed into the policy).
    server.install(
        app.server,
        settings,
        script_hashes=app.csp_hashes,
        release=lambda: store.release,
        deployment=deployment,
    )
    return app


def _page_layout(layout: Any, store: Store | LiveStore, initial: Any) -> Any:
    """A page layout over the store's catalogue as it is when the page is requested.

    Its charts are drawn into it (``callbacks.initial``): the page arrives in one round trip.
    """

    def page(**query: str) -> Any:
        return initial.prefill(layout(store.catalogue, **query))

    return page


def _shell_layout(shell: Any, store: Store | LiveStore, app: Any, pages: dict[str, Page]) -> Any:
    """The app's shell, with the page that asks for it (``layouts.first_page``)."""
    from flask import has_request_context, request

    from layouts.first_page import with_requested_page

    layout = shell(store.catalogue, store.manifest)
    if has_request_context() and request.path.endswith("/_dash-layout"):
        return with_requested_page(layout, request.referrer, app.strip_relative_path, pages)
    return layout


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description="la-variation: variation in children's social care between English LAs",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="build the store from the official raw files")
    p.add_argument("--data-dir", type=Path, help="raw files (default: ../shared/data)")
    p.add_argument("--store-dir", type=Path, help="store folder (default: store/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    _add_guard_options(p)
    p.add_argument(
        "--max-shrink",
        type=_share,
        help="largest share (0-1) of the live release's indicators or values the new release "
        "may lose (default 0.02, or LA_VARIATION_MAX_SHRINK)",
    )

    p = sub.add_parser("demo", help="write the seeded synthetic demo store")
    p.add_argument("--store-dir", type=Path, help="store folder (default: store/)")
    p.add_argument("--seed", type=int, default=20140101, help="random seed")

    p = sub.add_parser("download", help="fetch the official source files")
    p.add_argument("--dest", type=Path, default=Path("downloads"), help="destination folder")
    p.add_argument("--only", nargs="*", help="source names to fetch (default: all)")
    p.add_argument("--list", action="store_true", help="list the sources and exit")
    p.add_argument("--retries", type=int, default=3)
    p.add_argument("--timeout", type=float, default=60.0)

    sub.add_parser(
        "openapi-examples",
        help="rewrite api/openapi_examples.json from the demo store (the OpenAPI examples)",
    )

    p = sub.add_parser(
        "serve",
        help="serve the dashboard with gunicorn (builds a store first if none)",
        description="Production server: gunicorn, several workers, the store loaded once "
        "before they fork, gzip responses (docs/deploy.md). --dev runs Dash's development "
        "server instead, for development only.",
    )
    p.add_argument("--store-dir", type=Path, help="store folder (default: store/)")
    p.add_argument("--data-dir", type=Path, help="raw files used if no store exists yet")
    p.add_argument("--host", help="interface (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8050)")
    p.add_argument(
        "--workers",
        type=int,
        help="gunicorn worker processes (default: one per core, at least 2)",
    )
    p.add_argument(
        "--dev", action="store_true", help="Dash's development server (development only)"
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="re-ingest first if the raw files differ from those the store was built from",
    )
    _add_guard_options(p)
    return parser


def _share(text: str) -> float:
    """A share from 0 to 1 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a share from 0 to 1, got {text!r}")
    return value


def _add_guard_options(p: argparse.ArgumentParser) -> None:
    """The overrides of the ingest's release checks (each recorded in the manifest)."""
    p.add_argument(
        "--allow-shrink",
        action="store_true",
        help="make the new release live even if it loses more of the live release's "
        "indicators or values than allowed (recorded; /healthz then reports degraded)",
    )
    p.add_argument(
        "--partial",
        action="store_true",
        help="the data folder holds only some sources: required source families are listed, "
        "not enforced (recorded; /healthz then reports degraded)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    base = Settings.from_env()
    return base.with_overrides(
        data_dir=getattr(args, "data_dir", None),
        store_dir=getattr(args, "store_dir", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        max_shrink=getattr(args, "max_shrink", None),
    )


def _ingest(
    settings: Settings, *, quiet: bool, allow_shrink: bool = False, partial: bool = False
) -> int:
    from data.ingest import ingest, summary_table
    from indicators import derive_indicators
    from indicators.benchmark_table import benchmark_frames

    if settings.data_dir is None:
        print(
            "no raw data folder: pass --data-dir, set LA_VARIATION_DATA_DIR, or run "
            "`python -m app download` (or `python -m app demo` for synthetic data)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    summary = ingest(
        settings.data_dir,
        settings.store_dir,
        derive=derive_indicators,
        benchmark=benchmark_frames,
        progress=not quiet,
        require_sources=not partial,
        max_shrink=settings.max_shrink,
        allow_shrink=allow_shrink,
    )
    if not quiet:
        print(summary_table(summary.manifest))
        print(f"ingested {settings.data_dir} into {summary.release_dir} in {summary.seconds:.1f}s")
    return EXIT_OK


def _demo(settings: Settings, seed: int) -> int:
    from data.synthetic import write_demo_store
    from indicators import derive_indicators
    from indicators.benchmark_table import benchmark_frames

    release = write_demo_store(
        settings.store_dir, seed=seed, derive=derive_indicators, benchmark=benchmark_frames
    )
    print(f"wrote the synthetic demo store (seed {seed}) to {release}")
    return EXIT_OK


def _download(args: argparse.Namespace) -> int:
    from data.download import download_all, list_sources

    if args.list:
        print(list_sources())
        return EXIT_OK
    results = download_all(args.dest, only=args.only, retries=args.retries, timeout=args.timeout)
    failed = [r for r in results if not r.ok]
    for r in results:
        print(r.describe())
    return EXIT_ERROR if failed else EXIT_OK


def _ensure_store(
    settings: Settings, *, refresh: bool = False, allow_shrink: bool = False, partial: bool = False
) -> None:
    """Make sure a store is there to serve.

    With raw files present, a store is (re)built from them unless the live one was built from
    exactly those files (same SHA-256s); without raw files, an existing store is served, or the
    synthetic demo store is written. A store that exists but cannot be read (corrupt, older
    schema) is never silently replaced: ``StoreError`` says what is wrong, unless ``refresh``
    rebuilds it from raw files.
    """
    from data.discovery import store_is_current

    try:
        store = Store.open(settings.store_dir)
    except StoreMissing:
        store = None
    except StoreError:
        if not (refresh and settings.data_dir is not None and settings.data_dir.is_dir()):
            raise
        store = None
    data_dir = settings.data_dir
    if (
        data_dir is not None
        and data_dir.is_dir()
        and (store is None or (refresh and not store_is_current(store.manifest, data_dir)))
    ):
        log.info("building the store from %s", settings.data_dir)
        _ingest(settings, quiet=False, allow_shrink=allow_shrink, partial=partial)
    elif store is None:
        log.info("no store and no raw data: writing the synthetic demo store")
        _demo(settings, seed=20140101)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from server import deployment, prepare_process, run_gunicorn

    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.dev:
        prepare_process()  # before any table is read: allocator settings for serving
    # Open the store once and hand it to the app (checking for it first would read it twice).
    store = None
    if not args.refresh:
        try:
            store = Store.open(settings.store_dir)
        except StoreError:
            store = None
    if store is None:
        _ensure_store(
            settings, refresh=args.refresh, allow_shrink=args.allow_shrink, partial=args.partial
        )
        store = Store.open(settings.store_dir)
    # Serve the live release: a later `python -m app ingest` into the same folder is picked up
    # by every worker without a restart, each request answered from one release.
    shared = deployment(settings)
    live = LiveStore(
        settings.store_dir, scope=request_scope, store=store, pointer=shared.releases.to_serve
    )
    if args.dev:
        log.warning("Dash development server: for development only, never in production")
        app = create_app(settings, store=live, deployment=shared)
        app.run(host=settings.host, port=settings.port, debug=False)
        return EXIT_OK
    return run_gunicorn(
        settings,
        lambda: create_app(settings, store=live, deployment=shared).server,
        workers=args.workers,
        ready_message=ready_message(settings, store),
    )


def ready_message(settings: Settings, store: Store) -> str:
    """The last line ``serve`` prints: where it answers, and from which data."""
    kind = "synthetic demo data" if store.synthetic else "real data"
    url = f"http://{settings.host}:{settings.port}"
    return f"la-variation is serving {url} ({kind}, release {store.release})"


def demo_tables(seed: int = 7) -> dict[str, pd.DataFrame]:
    """The synthetic demo tables (``seed``) with the derived indicators added."""
    import pandas as pd

    from data.synthetic import build_demo_tables
    from indicators import derive_indicators

    tables, _ = build_demo_tables(seed=seed)
    extra_values, extra_meta = derive_indicators(tables["values"], tables["indicators"])
    tables["values"] = pd.concat([tables["values"], extra_values], ignore_index=True)
    tables["indicators"] = pd.concat([tables["indicators"], extra_meta], ignore_index=True)
    return tables


def openapi_examples(tables: dict[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """Each operationId's example: its request's answer from the demo store, shortened.

    ``tables``: the demo tables (``demo_tables()`` when not given; the tests hand in the ones
    their session already built). The store gets a fixed release id and build time, and the
    app default settings rather than the environment's, so the examples do not depend on when
    or where they are generated (a Redis URL would change /healthz's shared_state).
    """
    from api.openapi_examples import BUILT_AT, RELEASE, REQUESTS, shortened
    from config import Settings
    from data.schema import SCHEMA_VERSION
    from data.store import Store
    from indicators.benchmark_table import benchmark_frames

    tables = demo_tables() if tables is None else tables
    manifest = {
        "release": RELEASE,
        "synthetic": True,
        "built_at": BUILT_AT,
        "schema_version": SCHEMA_VERSION,
    }
    store = Store.from_tables(tables, manifest, benchmark=benchmark_frames(tables))
    client = create_app(Settings(), store=store).server.test_client()
    examples = {}
    for operation, url in REQUESTS.items():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{operation}: GET {url} answered {response.status_code}")
        examples[operation] = shortened(response.get_json())
    return examples


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    settings = _settings(args)
    try:
        if args.command == "ingest":
            return _ingest(
                settings, quiet=args.quiet, allow_shrink=args.allow_shrink, partial=args.partial
            )
        if args.command == "demo":
            return _demo(settings, args.seed)
        if args.command == "download":
            return _download(args)
        if args.command == "openapi-examples":
            from api.openapi_examples import EXAMPLES_FILE, examples_text

            EXAMPLES_FILE.write_text(examples_text(openapi_examples()), encoding="utf-8")
            print(f"wrote {EXAMPLES_FILE}")
            return 0
        return _serve(settings, args)
    except DataFormatError as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        print("the previous store (if any) is unchanged", file=sys.stderr)
        return EXIT_BAD_INPUT
    except IngestRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the previous store is unchanged and still live", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as exc:  # the CLI's last resort: one line, not a traceback
        log.debug("unexpected error", exc_info=True)
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
