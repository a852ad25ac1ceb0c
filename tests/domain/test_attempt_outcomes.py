"""What a webhook attempt came to, as the metrics count it."""

import pytest

from itmj_adapters.testing import CONNECTION_REFUSED, TIMED_OUT
from itmj_domain.webhooks.deliveries import AttemptOutcome
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED


@pytest.mark.parametrize(("outcome", "category"), [
    (AttemptOutcome(200), "success"),
    (AttemptOutcome(204), "success"),
    (AttemptOutcome(299), "success"),
    (AttemptOutcome(199), "http_error"),
    (AttemptOutcome(301), "http_error"),
    (AttemptOutcome(404), "http_error"),
    (AttemptOutcome(503), "http_error"),
    (TIMED_OUT, "timeout"),
    (AttemptOutcome(None, TARGET_NOT_ALLOWED), "refused_target"),
    (CONNECTION_REFUSED, "network_error"),
    (AttemptOutcome(None, "connection reset"), "network_error"),
])
def test_an_attempt_falls_in_one_category(outcome, category):
    assert outcome.category == category
