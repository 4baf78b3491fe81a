"""Persistence: SQLAlchemy tables with Alembic migrations, and the Parquet event store."""
