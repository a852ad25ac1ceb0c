"""In-memory adapters: the embedded default and the fakes every test suite can use."""
