"""1:1 wellbeing check-ins (not performance reviews): WHO-5, cadence per manager–report pair, held 1:1s."""
