"""Test-wide settings: tests run with the development environment unless told otherwise."""

import os

os.environ.setdefault("PLANTRACK_ENV", "dev")
