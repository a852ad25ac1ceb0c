"""The key ring of every test that keeps webhook secrets in PostgreSQL, made anew for each run:
as ``ITMJ_SECRET_KEYS`` spells it (for the commands and servers the tests start), as
``Settings`` holds it, and as the units of work take it."""

from itmj_adapters.secret_box import KeyRing, new_key, parse_keys

TEST_SECRET_KEYS = new_key()
TEST_KEYS = parse_keys(TEST_SECRET_KEYS)
TEST_KEY_RING = KeyRing(TEST_KEYS)
