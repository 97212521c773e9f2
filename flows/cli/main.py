"""`python -m flows.cli.main` runs the CLI (child processes use it; no console script needed)."""

from flows.cli import app

if __name__ == "__main__":
    app()
