"""Import runs (history, counts, errors) and the identities sources brought in."""
