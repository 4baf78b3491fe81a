"""Celebrations: work anniversaries, opted-in birthdays, milestones and team achievements, and the weekly digest."""
