"""The web app: server-rendered pages (FastAPI + Jinja2) and a small JSON API under /api."""
