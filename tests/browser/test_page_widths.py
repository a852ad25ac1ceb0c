"""Every page of the portal, the console and the public side, with data in every table, at a
phone's width (390 px) and a desktop's (1280 px): nothing is wider than the window, every
link of the navigation bar is inside it, and at the desktop's width no table scrolls.

A wide table may scroll sideways inside its card: what a scrolling box clips is not wider
than the window, so the check skips what lies inside one (the box itself is checked). Each
page is pictured at both widths under ``ITMJ_TEST_ARTEFACTS`` (``build/test-artefacts``
unless set; never committed); with ``ITMJ_SCREENSHOTS`` naming a directory, the pages the
README shows at both widths are saved there as well.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from playwright.sync_api import Browser, Page, expect

from itmj_adapters.settings import Mode
from tests.adapters.receiver import Receiver
from tests.browser.conftest import serving
from tests.browser.support import PASSWORD, sign_in
from tests.portal.populated import Populated, populate

PHONE, DESKTOP = 390, 1280
WIDTHS = (PHONE, DESKTOP)
ARTEFACTS = Path(os.environ.get("ITMJ_TEST_ARTEFACTS", "build/test-artefacts")) / "page-widths"

# What sticks out of the window, as "tag.class#id: left..right"; the document's own width
# first. Inside a box that clips or scrolls sideways, a child is not measured.
_OVERFLOW = """
() => {
  const limit = window.innerWidth;
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > limit) found.push(`document: ${root.scrollWidth}px wide`);
  const clips = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.left >= -0.5 && box.right <= limit + 0.5) continue;
    if (clips(el)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "");
    found.push(`${name}: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  return found;
}
"""
# At a desktop's width a table fits its card without scrolling.
_SCROLLING = """
() => [...document.querySelectorAll(".table-scroll")]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => `a table scrolls in its card: ${box.scrollWidth}px in ${box.clientWidth}px`)
"""
_NAV_OUTSIDE = """
() => [...document.querySelectorAll("header a, header button")]
  .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
  .filter(([, box]) => box.left < 0 || box.right > window.innerWidth)
  .map(([text, box]) => `${text}: ${Math.round(box.left)}..${Math.round(box.right)}`)
"""


@attrs.frozen
class Site:
    url: str
    data: Populated


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """A demo-mode app of its own (the emails of ``populate`` are fixed), populated."""
    with serving(Mode.DEMO) as served, Receiver(status=200) as receiver:
        data = populate(served.services, receiver.url, f"{served.url}/account/password/reset")
        yield Site(served.url, data)


def _file(width: int, who: str, path: str) -> Path:
    """A name that stays the same from run to run: tokens in links become "token"."""
    stable = re.sub(r"[A-Za-z0-9_-]{24,}", "token", path)
    name = re.sub(r"[^a-z0-9]+", "-", f"{who} {stable}".lower()).strip("-")
    return ARTEFACTS / str(width) / f"{name}.png"


def _readme_pictures(site: Site) -> dict[str, str]:
    return {"/employer/keys": "employer-keys", "/employer/team": "employer-team",
            site.data.delivery_log: "employer-webhook-delivery-log"}


def _check(page: Page, width: int, who: str, path: str, readme_name: str | None = None
           ) -> list[str]:
    page.screenshot(path=str(_file(width, who, path)), full_page=True)
    folder = os.environ.get("ITMJ_SCREENSHOTS")
    if folder and readme_name:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{readme_name}-{width}.png"), full_page=True)
    # The first few say enough: the rest are mostly their children.
    wide = page.evaluate(_OVERFLOW)[:4]
    outside = [f"nav {link}" for link in page.evaluate(_NAV_OUTSIDE)]
    scrolling = page.evaluate(_SCROLLING) if width >= DESKTOP else []
    return [f"{who} {path}: {problem}" for problem in [*wide, *outside, *scrolling]]


def _visit_all(page: Page, width: int, who: str, paths: tuple[str, ...],
               readme: dict[str, str] | None = None) -> list[str]:
    problems = []
    for path in paths:
        answer = page.goto(path)
        assert answer is not None and answer.status < 500, path
        problems += _check(page, width, who, path, (readme or {}).get(path))
    return problems


def _one_time_pages(page: Page, width: int) -> list[str]:
    """The pages only a form leads to: a new key, and a new webhook's secret."""
    page.goto("/employer/keys")
    page.get_by_label("Name").fill(f"Phone {width}")
    page.get_by_label("JobPosting", exact=False).check()
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API key")
    problems = _check(page, width, "admin", "key created")
    page.goto("/employer/webhooks")
    page.get_by_label("Endpoint URL").fill(f"https://hooks.example/{width}/itmanagerjobs")
    page.get_by_label("job.expired").check()
    page.get_by_role("button", name="Add subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subscription added")
    return problems + _check(page, width, "admin", "webhook secret")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_window_and_the_navigation_fits(
    browser: Browser, site: Site, width: int
):
    (ARTEFACTS / str(width)).mkdir(parents=True, exist_ok=True)
    def new_page() -> Page:
        return browser.new_context(viewport={"width": width, "height": 800},
                                   base_url=site.url).new_page()

    problems: list[str] = []

    visitor = new_page()
    problems += _visit_all(visitor, width, "public", (*site.data.public_pages,
                                                            "/demo/mail"))

    admin = new_page()
    sign_in(admin, site.data.admin_email)
    expect(admin.get_by_role("navigation", name="Main")).to_be_visible()
    problems += _visit_all(admin, width, "admin", site.data.admin_pages,
                           _readme_pictures(site))
    problems += _one_time_pages(admin, width)

    staff = new_page()
    sign_in(staff, site.data.staff_email, PASSWORD, path="/platform/signin")
    expect(staff.get_by_role("navigation", name="Main")).to_be_visible()
    problems += _visit_all(staff, width, "staff", site.data.staff_pages)

    assert problems == [], "\n".join(problems)
