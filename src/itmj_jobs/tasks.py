"""The tasks RQ runs, by these import paths (see ``itmj_adapters.tasks_rq``)."""

from itmj_jobs import runtime


def dispatch() -> None:
    runtime.services().webhook_delivery.dispatch()


def deliver(delivery_ids: list[str]) -> None:
    runtime.services().webhook_delivery.deliver(delivery_ids)


def index_candidates(candidate_ids: list[int]) -> None:
    runtime.services().candidate_indexing.refresh(candidate_ids)


def send_password_reset(email: str, page_url: str) -> None:
    runtime.services().portal_accounts.send_password_reset(email, page_url)
