"""People, teams and sites: the organisation as the HR system describes it."""
