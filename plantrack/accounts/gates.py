"""Which gate (if any) stands between a signed-in person and the site."""


def pending_gate(*, request, user) -> str | None:
    return None
