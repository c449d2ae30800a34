"""Text of XML fragments: tags removed, entities unescaped; an attribute's raw value."""

from __future__ import annotations

import html
import re

_TAG = re.compile(rb"<[^>]*>")


def xml_text(fragment: bytes) -> str:
    """Unescaped text of an XML fragment with its tags removed."""
    if b"<" in fragment:
        fragment = _TAG.sub(b"", fragment)
    text = fragment.decode("utf-8", errors="replace")
    return html.unescape(text) if "&" in text else text


def xml_attribute(attrs: bytes, name: bytes) -> bytes | None:
    """An attribute's raw value from a start tag's attribute text."""
    m = re.search(rb"(?:^|\s)" + re.escape(name) + rb'\s*=\s*"([^"]*)"', attrs)
    return m.group(1) if m else None
