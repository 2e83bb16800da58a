"""Problems found while importing a plan: errors block publishing, warnings ask the reviewer to look."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    """Something the user must fix (error) or should check (warning), at a path of the interchange data."""

    path: str
    message: str
    level: str = ERROR

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message, "level": self.level}
