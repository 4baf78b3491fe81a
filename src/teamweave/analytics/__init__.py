"""The metric library: pure functions over DuckDB relations and Arrow tables.

It knows no database, web app or settings. The heavy aggregation (events -> weighted ties per window ->
per-person and per-team sums) runs as DuckDB SQL (``sql/*.sql``, one query a file); the formulas that turn
those sums into metrics are small documented functions (``shares``, ``cohesion``, ``silos``). Every metric is
defined, with its unit and references, in ``docs/metrics.md``.
"""
