"""Privacy by design: pseudonyms, the min-group guard, consent, erasure and the audit trail."""
