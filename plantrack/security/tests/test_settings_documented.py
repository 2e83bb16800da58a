"""Every environment variable that settings.py reads is documented in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_environment_variable_is_documented():
    source = (ROOT / "plantrack" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    assert len(names) > 20
    documented = set(
        re.findall(
            r"^\| `([A-Z0-9_]+)` \|",
            (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    assert sorted(names - documented) == []
