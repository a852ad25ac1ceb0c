"""Every page of the portal and the console, and every form on them, as they render with data
in every table and with each form's errors: each start tag's attributes are well formed (known
names, a space between them, none twice), ids are unique, and every hint or error a field
points at (``aria-describedby``), and every label's field, exists on the page."""

import re
from html.parser import HTMLParser

import attrs
import pytest
from falcon.testing import Result, TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Mode, Settings
from itmj_http.app import create_app
from tests.adapters.receiver import Receiver
from tests.portal.populated import populate
from tests.portal.support import PASSWORD, RESET_PAGE, FormBrowser

_KNOWN = frozenset((
    "accept", "accept-charset", "action", "alt", "autocomplete", "autofocus", "charset",
    "checked", "class", "cols", "colspan", "content", "datetime", "defer", "disabled",
    "enctype", "for", "form", "height", "hidden", "href", "http-equiv", "id", "inputmode",
    "lang", "list", "max", "maxlength", "media", "method", "min", "minlength", "multiple",
    "name", "novalidate", "open", "pattern", "placeholder", "readonly", "rel", "required",
    "role", "rows", "rowspan", "scope", "selected", "size", "sizes", "spellcheck", "src",
    "step", "tabindex", "target", "title", "type", "value", "width",
))
# A quoted value must be followed by a space, the end of the tag, or "/>".
_GLUED = re.compile(r"""=("[^"]*"|'[^']*')(?![\s>/])""")


@attrs.define
class Markup(HTMLParser):
    problems: list[str] = attrs.field(factory=list)
    ids: list[str] = attrs.field(factory=list)
    described_by: list[tuple[str, str]] = attrs.field(factory=list)
    labelled: list[str] = attrs.field(factory=list)
    forms: int = 0
    fields: list[dict[str, str | None]] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if _GLUED.search(raw):
            self.problems.append(f"attributes run together in {raw}")
        names = [name for name, _ in attrs_]
        for name in names:
            if name not in _KNOWN and not name.startswith(("aria-", "data-")):
                self.problems.append(f"unknown attribute {name!r} in {raw}")
        if len(set(names)) != len(names):
            self.problems.append(f"an attribute twice in {raw}")
        found = dict(attrs_)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        for target in (found.get("aria-describedby") or "").split():
            self.described_by.append((target, raw))
        if tag == "label" and found.get("for"):
            self.labelled.append(str(found["for"]))
        if tag == "form":
            self.forms += 1
        if tag in ("input", "select", "textarea"):
            self.fields.append(found)

    def check(self) -> list[str]:
        problems = list(self.problems)
        duplicated = {i for i in self.ids if self.ids.count(i) > 1}
        problems += [f"id {i!r} twice" for i in sorted(duplicated)]
        problems += [f"{raw} points at a missing #{target}"
                     for target, raw in self.described_by if target not in self.ids]
        problems += [f"a label for missing #{target}"
                     for target in self.labelled if target not in self.ids]
        return problems


def parsed(page: Result) -> Markup:
    markup = Markup()
    markup.feed(page.text)
    markup.close()
    return markup


def test_the_checker_finds_glued_and_dangling_attributes():
    broken = parsed(_FakePage('<form><input id="p" type="password" requiredaria-describedby='
                              '"p-hint"><input id="q" value="x"required></form>'))
    assert any("unknown attribute 'requiredaria-describedby'" in p for p in broken.check())
    assert any("run together" in p for p in broken.check())
    dangling = parsed(_FakePage('<input id="n" aria-describedby="n-hint"><label for="m">'))
    assert dangling.check() == [
        '<input id="n" aria-describedby="n-hint"> points at a missing #n-hint',
        "a label for missing #m",
    ]


@attrs.frozen
class _FakePage:
    text: str


@pytest.fixture
def served(clock, notifier):
    built = build_services(
        Settings(mode=Mode.DEVELOPMENT, webhook_allow_private=True), clock=clock,
        notifier=notifier, password_hasher=Argon2PasswordHasher.cheap(),
    )
    with Receiver(status=200) as receiver:
        yield built, populate(built, receiver.url, RESET_PAGE)
    built.close()


def _every_page(served) -> dict[str, Result]:
    """Each page by a name: the portal's and the console's as their users see them, the
    public ones, the one-time pages behind forms, and each form refused for its input."""
    services, data = served
    client = TestClient(create_app(services))
    pages: dict[str, Result] = {}
    visitor = FormBrowser(client)
    for path in data.public_pages:
        pages[path] = visitor.get(path)
    pages["sign-up refused"] = visitor.submit("/account/signup", "/account/signup", {
        "employer_name": "", "admin_name": "", "email": "nobody", "password": "short",
    })
    pages["sign-in refused"] = visitor.sign_in(data.admin_email, "wrong password!")
    invitation = next(p for p in data.public_pages if p.startswith("/account/invitations/inv_")
                      and p != "/account/invitations/inv_unknown")
    pages["invitation refused"] = visitor.submit(invitation, invitation,
                                                 {"name": "", "password": "short"})
    reset = next(p for p in data.public_pages if p.startswith("/account/password/reset"))
    pages["reset refused"] = visitor.submit(reset, "/account/password/reset", {
        "token": reset.split("token=", 1)[1], "password": "short",
    })

    admin = FormBrowser(client)
    admin.sign_in(data.admin_email)
    for path in data.admin_pages:
        pages[path] = admin.get(path)
    pages["keys refused"] = admin.submit("/employer/keys", "/employer/keys",
                                         {"name": "", "scopes": ["JobPosting"]})
    created = admin.submit("/employer/keys", "/employer/keys",
                           {"name": "New", "scopes": ["JobPosting"], "expires_on": ""})
    pages["key created"] = admin.get(created.headers["location"])
    pages["webhooks refused"] = admin.submit("/employer/webhooks", "/employer/webhooks",
                                             {"url": "ftp://x"})
    added = admin.submit("/employer/webhooks", "/employer/webhooks", {
        "url": "https://hooks.example/new", "events": ["job.expired"],
    })
    pages["webhook secret"] = admin.get(added.headers["location"])
    pages["team refused"] = admin.submit("/employer/team", "/employer/team/invitations",
                                         {"email": "nobody", "role": "Recruiter"})

    staff = FormBrowser(client)
    staff.sign_in(data.staff_email, PASSWORD, path="/platform/signin")
    for path in data.staff_pages:
        pages[f"staff {path}"] = staff.get(path)
    return pages


def test_every_page_and_form_is_well_formed_and_its_hints_exist(served):
    pages = _every_page(served)
    problems = {name: parsed(page).check() for name, page in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}
    assert sum(parsed(page).forms for page in pages.values()) >= 40
    statuses = {name: page.status_code for name, page in pages.items()}
    assert {name for name, status in statuses.items() if status >= 500} == set()
    assert statuses["/employer/keys"] == statuses["staff /platform/orders"] == 200


def test_the_fields_the_issue_names_are_required_and_point_at_their_hints(served):
    pages = _every_page(served)
    password = next(f for f in parsed(pages["/account/signup"]).fields
                    if f.get("name") == "password")
    assert "required" in password
    assert password["aria-describedby"] == "password-hint"
    name = next(f for f in parsed(pages["/employer/keys"]).fields if f.get("name") == "name")
    assert "required" in name
    assert name["aria-describedby"] == "name-hint"
    refused = next(f for f in parsed(pages["keys refused"]).fields if f.get("name") == "name")
    assert (refused["aria-invalid"], refused["aria-describedby"]) == ("true", "name-error")
