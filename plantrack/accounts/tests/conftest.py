from plantrack.security.tests.conftest import fast_password_hasher, people  # noqa: F401  (shared fixtures)
