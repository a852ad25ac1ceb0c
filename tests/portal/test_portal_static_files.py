"""The stylesheet and the copy-button script every page links to are served, and nothing
beside them is."""

from importlib import resources

import pytest


@pytest.mark.parametrize(("name", "media_type"), [
    ("portal.css", "text/css"),
    ("copy.js", "javascript"),
])
def test_the_linked_files_are_served_as_they_are_shipped(client, name, media_type):
    shipped = (resources.files("itmj_http.portal") / "static" / name).read_bytes()
    answer = client.simulate_get(f"/static/portal/{name}")
    assert answer.status_code == 200
    assert media_type in answer.headers["content-type"]
    assert answer.content == shipped


@pytest.mark.parametrize("path", [
    "/static/portal/missing.css",
    "/static/portal/../routes.py",
    "/static/portal/%2e%2e/routes.py",
])
def test_nothing_outside_the_folder_is_served(client, path):
    assert client.simulate_get(path).status_code == 404


def test_the_favicon_is_served_cacheable_as_an_icon_and_every_page_links_it(client):
    shipped = (resources.files("itmj_http.portal") / "static" / "favicon.ico").read_bytes()
    answer = client.simulate_get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/vnd.microsoft.icon"
    assert answer.headers["cache-control"] == "public, max-age=86400"
    assert answer.content == shipped
    # An ICO directory of one image (reserved 0, type 1 = icon, count 1), a PNG inside.
    assert shipped[:6] == b"\x00\x00\x01\x00\x01\x00"
    assert shipped[22:30] == b"\x89PNG\r\n\x1a\n"
    assert '<link rel="icon" href="/favicon.ico"' in client.simulate_get("/account/signin").text
