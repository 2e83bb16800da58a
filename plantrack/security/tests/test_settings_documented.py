"""Every environment variable that settings.py reads is documented in docs/settings.md, and every setting the code
reads is declared in settings.py."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_environment_variable_is_documented():
    source = (ROOT / "plantrack" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z0-9_]+)"', source))
    assert len(names) > 20
    documented = set(
        re.findall(
            r"^\| `([A-Z0-9_]+)` \|",
            (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    assert sorted(names - documented) == []


def test_code_reads_only_declared_settings():
    """``getattr(settings, "X", default)`` hides a setting from settings.py and docs/settings.md: declare it there
    (read from the environment) and read ``settings.X``. Reading a declared setting by name without a default
    (``getattr(settings, name)``, e.g. an upload validator told which limit applies) fails loudly if it is not
    declared, so it is allowed."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "plantrack").rglob("*.py"))
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"getattr\(\s*settings\s*,[^,()]+,", line)
    ]
    assert offenders == []
