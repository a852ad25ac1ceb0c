"""The tasks RQ runs, queued by these import paths: the composition root hands them to the
queue (``itmj_adapters.composition.rq_tasks``)."""

from itmj_jobs import runtime


def dispatch() -> None:
    runtime.services().webhook_delivery.dispatch(stopping=runtime.stop_requested.is_set)


def deliver(delivery_ids: list[str]) -> None:
    runtime.services().webhook_delivery.deliver(delivery_ids)


def index_candidates(candidate_ids: list[int]) -> None:
    runtime.services().candidate_indexing.refresh(candidate_ids)


def send_password_reset(email: str, page_url: str) -> None:
    runtime.services().portal_accounts.send_password_reset(email, page_url)
