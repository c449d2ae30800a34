"""WSGI entry point for any WSGI server: ``gunicorn wsgi:server``.

Kept apart from ``app.py`` so that importing ``app`` never builds an app.
"""

from app import create_app

server = create_app().server
