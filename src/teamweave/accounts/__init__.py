"""Login accounts and roles."""
