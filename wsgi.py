"""WSGI entry point for any WSGI server: ``gunicorn wsgi:server``.

Kept apart from ``app.py`` so that importing ``app`` never builds an app. The app is warmed up
(Dash's first-request setup done) before any server gets it, as ``python -m app serve`` does.
"""

from app import create_app
from server import warmed

server = warmed(create_app().server)
