"""Every component id, as constants prefixed by page (callbacks import them from here)."""

SELECTED_LA = "app-selected-la"
URL = "app-url"
DEMO_BANNER = "app-demo-banner"

HOME_SUMMARY = "home-summary"
