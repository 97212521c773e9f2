"""The layer rules of DESIGN.md, checked on the real import graph."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_extractors_import_without_network_database_or_prefect():
    modules = sorted(p.stem for p in (ROOT / "extractors").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module('extractors.' + name)\n"
        "bad = [m for m in ('prefect', 'httpx', 'sqlmodel', 'sqlalchemy', 'apprise', 'flows', 'storage')"
        " if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"extractors pulled in: {out.stdout.strip()}"


def test_storage_does_not_import_flows_or_prefect():
    code = ("import importlib, sys, pkgutil, storage\n"
            "for m in pkgutil.iter_modules(storage.__path__): importlib.import_module('storage.' + m.name)\n"
            "print(','.join(m for m in ('prefect', 'flows', 'httpx', 'apprise') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_extraction_workers_import_no_database_http_or_prefect():
    """Every large poll starts a forkserver that imports this; each of those libraries costs it ~0.3-2 s."""
    code = ("import sys, flows.pipeline.prepare_pool, extractors.matcher\n"
            "print(','.join(m for m in ('prefect', 'httpx', 'sqlmodel', 'sqlalchemy', 'apprise', 'scipy')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the extraction workers would import: {out.stdout.strip()}"
