"""The ``itmj`` command: operations on the platform from a shell, and serving the API.

Every command prints JSON on stdout when it succeeds, and one line on stderr when it fails.
"""
