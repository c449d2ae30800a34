"""Helpers shared by the browser tests (tests/browser)."""

from dash.testing.wait import until
from selenium.common.exceptions import TimeoutException


def settle(dash_duo, timeout: float = 60) -> None:
    """Wait until no callback is in flight, so the server is not stopped mid-request."""

    def idle() -> bool:
        try:
            return dash_duo.redux_state_rqs == []
        except TimeoutException:  # the page is busy re-rendering on a slow shared machine
            return False

    until(idle, timeout=timeout, poll=0.5)
