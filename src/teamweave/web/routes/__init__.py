"""One module of routes per page family."""
