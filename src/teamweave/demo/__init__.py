"""A seeded synthetic organisation with planted phenomena, written as real-format files.

``generator.generate`` writes an HR CSV, a Slack export and .ics calendars; ``run.prepare`` imports them
through the same pipeline a user's data takes (used by ``teamweave demo`` and tests).
"""
