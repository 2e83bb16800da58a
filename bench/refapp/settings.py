"""The product's settings plus the reference page at /bench-reference/ (bench/pages.py only, never deployed)."""

import copy
from pathlib import Path

from plantrack.settings import *  # noqa: F403
from plantrack.settings import TEMPLATES

ROOT_URLCONF = "bench.refapp.urls"
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
