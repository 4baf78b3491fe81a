"""The audit log: every view of people data by someone other than its subject."""
