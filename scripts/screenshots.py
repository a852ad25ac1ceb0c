"""The account, API key and key review pages as a new visitor, the demo admin and the demo
staff member see them, saved as PNG files under docs/screenshots/ (run through
scripts/screenshots). The credits, webhooks, team, jobs and console pages are pictured by
the browser journeys when ITMJ_SCREENSHOTS names the folder."""

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path("docs/screenshots")
VIEWPORT = {"width": 1200, "height": 760}
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sign_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _shoot(page: Page, name: str) -> None:
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(OUT / f"{name}.png")


def take(base: str, demo: dict, browser) -> None:
    visitor = browser.new_page(viewport=VIEWPORT)
    visitor.goto(f"{base}/account/signup")
    _shoot(visitor, "account-signup")
    visitor.goto(f"{base}/account/signin")
    _shoot(visitor, "account-signin")

    # A new employer, whose CV search key waits for review.
    visitor.goto(f"{base}/account/signup")
    visitor.get_by_label("Company name").fill("Fabrikam Talent")
    visitor.get_by_label("Your name").fill("Farah Khan")
    visitor.get_by_label("Work email").fill("farah@fabrikam.example")
    visitor.get_by_label("Password").fill("fabrikam passphrase")
    visitor.get_by_role("button", name="Create account").click()
    visitor.goto(f"{base}/employer/keys")
    visitor.get_by_label("Name").fill("Vincere CV search")
    visitor.get_by_label("CvSearch", exact=False).check()
    visitor.get_by_role("button", name="Create key").click()

    admin = browser.new_page(viewport=VIEWPORT)
    portal = demo["portal"]
    _sign_in(admin, portal["url"], **portal["employerAdmin"])
    admin.goto(f"{base}/employer/keys")
    admin.get_by_label("Name").fill("Bullhorn production")
    admin.get_by_label("JobPosting", exact=False).check()
    admin.get_by_role("button", name="Create key").click()
    _shoot(admin, "employer-key-created")
    admin.goto(f"{base}/employer/keys")
    _shoot(admin, "employer-keys")
    admin.get_by_role("link", name="Revoke demo cvSearch").click()
    _shoot(admin, "employer-key-revoke")
    admin.goto(f"{base}/platform/")
    _shoot(admin, "forbidden")

    staff = browser.new_page(viewport=VIEWPORT)
    _sign_in(staff, portal["consoleUrl"], **portal["staff"])
    staff.goto(f"{base}/platform/keys")
    _shoot(staff, "platform-key-reviews")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    server = subprocess.Popen(
        [".venv/bin/itmj", "serve", "--demo", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        demo = json.loads(server.stdout.readline())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS
            )
            try:
                take(f"http://127.0.0.1:{port}", demo, _when_listening(browser, port))
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


def _when_listening(browser, port: int):
    """The demo line is printed before gunicorn listens: wait for the socket."""
    for _ in range(300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return browser
        time.sleep(0.1)
    raise SystemExit("the demo server never listened")


if __name__ == "__main__":
    sys.exit(main())
