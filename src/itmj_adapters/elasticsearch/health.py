"""Whether the Elasticsearch cluster answers, for the health endpoint."""

from elasticsearch import Elasticsearch


class ElasticsearchProbe:
    name = "search"

    def __init__(self, client: Elasticsearch) -> None:
        self._client = client

    def check(self) -> None:
        self._client.info()
