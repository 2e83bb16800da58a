"""Problems found in plan data: errors block publishing, warnings ask the reviewer to look.

The same objects come from reading a document (``parser``) and from the rulebook (``plantrack.plans.rules``); a
draft keeps the reader's problems as dicts (``as_dict``/``from_dict``)."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    """Something the user must fix (error) or should check (warning).

    ``path`` is where in the interchange data (``"tasks.3.assignments.0"``, ``"number"``; empty for the whole
    plan); ``code`` names the rule (``"agency_unknown"``…) so callers and tests need not read the message."""

    path: str
    message: str
    severity: str = ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message, "severity": self.severity, "code": self.code}

    @classmethod
    def from_dict(cls, row: dict) -> Problem:
        # Drafts saved before 2026-12 wrote the severity as "level".
        return cls(
            path=row.get("path", ""),
            message=row.get("message", ""),
            severity=row.get("severity") or row.get("level") or ERROR,
            code=row.get("code", ""),
        )
