"""Fixtures for Hardcover tests: `clock`, `hardcover` (a started fake) and `hc_client`.

See tests/fakes/hardcover_fixtures.py for what each provides.
"""

from tests.fakes.hardcover_fixtures import clock, hardcover, hc_client

__all__ = ["clock", "hardcover", "hc_client"]
