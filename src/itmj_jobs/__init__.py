"""Background work: the tasks RQ workers run, and the one periodic scheduler."""
