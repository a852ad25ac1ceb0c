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
