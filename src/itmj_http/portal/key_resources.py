"""The employer's API keys (``/employer/keys``, EmployerAdmins only): the list, creating a key
(its plaintext shown once, on the page the form redirects to: ``one_time``), and revoking
with a confirmation."""

from datetime import UTC, date, datetime, time

import falcon

from itmj_domain.api_keys import ApiKey, KeyStatus, Scope
from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.services.accounts import Accounts
from itmj_domain.sessions import FlashLevel
from itmj_http.portal import one_time
from itmj_http.portal.account_resources import field_errors
from itmj_http.portal.context import PortalContext
from itmj_http.portal.guards import employer_admin
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages

KEYS_PATH = "/employer/keys"
SCOPE_LABELS = {
    Scope.JOB_POSTING: "JobPosting — post and manage jobs (/api/v1/jobs)",
    Scope.CV_SEARCH: "CvSearch — search and view CVs (/api/v1/candidates)",
    Scope.WEBHOOKS: "Webhooks — manage webhook subscriptions and deliveries (/api/v1/webhooks)",
}
_FIELDS = {"name", "scopes", "expires_on"}
_FIELD_NAMES = {"expires_at": "expires_on"}


def shown_status(key: ApiKey, now: datetime) -> str:
    """The status as the page shows it: a key past its expiry is Expired, whatever it was."""
    if key.status in (KeyStatus.ACTIVE, KeyStatus.PENDING_APPROVAL) and key.is_expired(now):
        return "Expired"
    return key.status.value


def scope_list(scopes: frozenset[Scope]) -> str:
    return ", ".join(scope.value for scope in Scope if scope in scopes)


def _expiry(text: str) -> datetime | None:
    """The start (UTC) of the day picked; an empty field means no expiry."""
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("expiry must be a date like 2026-12-31", field="expires_on") from None
    return datetime.combine(day, time(), tzinfo=UTC)


def _scopes(values: list[str]) -> frozenset[Scope]:
    try:
        return frozenset(Scope(value) for value in values)
    except ValueError:
        raise InvalidInput("choose from JobPosting, CvSearch and Webhooks",
                           field="scopes") from None


def _subject(key: ApiKey) -> str:
    return f"api-key:{key.id}"


def _key(accounts: Accounts, employer_id: int, key_id: int) -> ApiKey:
    try:
        return accounts.employer_key(employer_id, key_id)
    except NotFound:
        raise falcon.HTTPNotFound() from None


def _admin(req: falcon.Request) -> tuple[int, int]:
    portal: PortalContext = req.context.portal
    assert portal.user is not None
    return portal.user.employer_id, portal.user.id


@employer_admin
class Keys(PortalResource):
    def __init__(self, accounts: Accounts, clock: Clock, pages: Pages) -> None:
        self._accounts = accounts
        self._clock = clock
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, values={}, errors={})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        employer_id, user_id = _admin(req)
        form = req.context.portal.form
        values = {"name": form.get("name"), "scopes": form.all("scopes"),
                  "expires_on": form.get("expires_on")}
        try:
            minted = self._accounts.mint_key(
                employer_id, values["name"].strip(), _scopes(values["scopes"]),
                created_by=user_id, expires_at=_expiry(values["expires_on"]),
            )
        except InvalidInput as error:
            if error.field in _FIELD_NAMES:
                error = InvalidInput(error.message, field=_FIELD_NAMES[error.field])
            self._show(req, resp, values=values, errors=field_errors(error, _FIELDS, "name"),
                       status=400)
            return
        one_time.hand_off(req, resp, _subject(minted.key), minted.plaintext, KEYS_PATH)
        raise falcon.HTTPSeeOther(f"{KEYS_PATH}/{minted.key.id}/created")

    def _show(self, req: falcon.Request, resp: falcon.Response, values: dict,
              errors: dict[str, str], status: int = 200) -> None:
        employer_id, _ = _admin(req)
        now = self._clock.now()
        rows = [
            {
                "key": key,
                "scopes": scope_list(key.scopes),
                "status": shown_status(key, now),
                "revocable": key.status in (KeyStatus.ACTIVE, KeyStatus.PENDING_APPROVAL),
            }
            for key in reversed(self._accounts.list_keys(employer_id))
        ]
        self._pages.render(
            req, resp, "employer/keys.html", status=status, keys=rows, values=values,
            errors=errors, scope_choices=list(SCOPE_LABELS.items()),
        )


@employer_admin
class KeyCreated(PortalResource):
    """The new key's plaintext, shown once; a reload goes back to the list and says why."""

    def __init__(self, accounts: Accounts, clock: Clock, pages: Pages) -> None:
        self._accounts = accounts
        self._clock = clock
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, key_id: int) -> None:
        employer_id, _ = _admin(req)
        key = _key(self._accounts, employer_id, key_id)
        plaintext = one_time.take(req, resp, _subject(key), KEYS_PATH)
        # A pad that is not the other half joins to noise, never to the key's prefix.
        if plaintext is None or not plaintext.startswith(key.display_prefix):
            req.context.portal.flash(
                FlashLevel.WARNING,
                f"The key “{key.name}” was shown once, when it was created, and cannot be "
                "shown again. If it was not copied, revoke it and create another.",
            )
            raise falcon.HTTPSeeOther(KEYS_PATH)
        self._pages.render(
            req, resp, "employer/key_created.html", key=key, plaintext=plaintext,
            scopes=scope_list(key.scopes), key_status=shown_status(key, self._clock.now()),
        )


@employer_admin
class RevokeKey(PortalResource):
    def __init__(self, accounts: Accounts, pages: Pages) -> None:
        self._accounts = accounts
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, key_id: int) -> None:
        employer_id, _ = _admin(req)
        self._pages.render(req, resp, "employer/key_revoke.html",
                           key=_key(self._accounts, employer_id, key_id))

    def on_post(self, req: falcon.Request, _resp: falcon.Response, key_id: int) -> None:
        employer_id, user_id = _admin(req)
        try:
            key = self._accounts.revoke_employer_key(employer_id, key_id, user_id)
        except NotFound:
            raise falcon.HTTPNotFound() from None
        req.context.portal.flash(
            FlashLevel.SUCCESS,
            f"The key “{key.name}” ({key.display_prefix}…) is revoked: requests made with "
            "it are refused from now on.",
        )
        raise falcon.HTTPSeeOther(KEYS_PATH)
