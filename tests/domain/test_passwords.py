from itmj_domain.errors import InvalidInput
from itmj_domain.passwords import check_new_password, fingerprint
from tests.refusals import refused


def test_a_password_is_10_to_256_characters_and_not_blank():
    check_new_password("x" * 10)
    check_new_password("x" * 256)
    for password in ("x" * 9, "x" * 257, " " * 12):
        with refused(InvalidInput, field="password"):
            check_new_password(password)


def test_a_credential_is_a_digest_that_changes_with_the_hash():
    assert fingerprint("$argon2id$a") == fingerprint("$argon2id$a")
    assert fingerprint("$argon2id$a") != fingerprint("$argon2id$b")
    assert len(fingerprint("$argon2id$a")) == 32
