"""The teamweave command line (Typer + Rich)."""
