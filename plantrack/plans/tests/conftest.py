import json
from pathlib import Path

import pytest
from django.conf import settings

from plantrack.core.tests import pages_fixtures
from plantrack.plans.importing import Registry

SAMPLES = Path(__file__).resolve().parent / "samples"
AGENCIES = Path(settings.BASE_DIR) / "plantrack" / "orgs" / "default_data" / "agencies_dong_nai_2024.json"

default_data = pages_fixtures.default_data
personas = pages_fixtures.personas


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture(scope="session")
def registry_2024() -> Registry:
    """The 2024 registry from its data file, without a database: fast enough for property tests."""
    return Registry.from_data(json.loads(AGENCIES.read_text(encoding="utf-8")))
