"""The domain packages never pull in the web layer (DESIGN: app → matching → chains)."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "babel", "jinja2", "werkzeug", "app")

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    imported = []
    for package_name in ("chains", "matching"):
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError:
            continue
        imported.append(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    loaded = sorted(
        name for name in sys.modules
        if name.split(".")[0] in {forbidden}
    )
    print(json.dumps({{"imported": imported, "loaded": loaded}}))
    """
)


def test_importing_every_domain_module_loads_no_web_framework_or_app_code():
    probe = PROBE.format(forbidden=set(FORBIDDEN))
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "chains.io" in report["imported"]
    assert report["loaded"] == [], f"domain modules imported {report['loaded']}"
