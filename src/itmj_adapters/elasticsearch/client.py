"""The Elasticsearch client the settings describe: the cluster's URL (basic auth may ride in
it), an API key, the CA certificates or the certificate's fingerprint to trust, and how long
a request may take.

The client's major version is the cluster's (``elasticsearch>=8.13,<9``): a 9.x client asks
for ``compatible-with=9``, which an 8.x cluster refuses.
"""

from typing import Any

from elasticsearch import Elasticsearch
from itmj_adapters.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    options: dict[str, Any] = {"request_timeout": settings.elasticsearch_timeout}
    if settings.elasticsearch_api_key:
        options["api_key"] = settings.elasticsearch_api_key
    if settings.elasticsearch_ca_certs:
        options["ca_certs"] = settings.elasticsearch_ca_certs
    if settings.elasticsearch_fingerprint:
        options["ssl_assert_fingerprint"] = settings.elasticsearch_fingerprint
    return options


def connect(settings: Settings) -> Elasticsearch:
    if not settings.elasticsearch_url:
        raise ValueError("no Elasticsearch URL is configured")
    return Elasticsearch(settings.elasticsearch_url, **client_options(settings))
