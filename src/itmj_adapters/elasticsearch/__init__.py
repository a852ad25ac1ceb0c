"""The candidate search index on Elasticsearch (8.x), through the official client."""
