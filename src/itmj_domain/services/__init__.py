"""Use cases: each takes ports, opens one unit of work per call and commits it or nothing."""
