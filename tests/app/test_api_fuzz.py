"""The JSON API fuzzed from its own OpenAPI document (schemathesis), and the document checked against the routes.

Every operation of /api/v1/openapi.json is called with generated requests, valid and invalid, by a signed-in
admin with CSRF protection on and the session's token in X-CSRFToken (so writes really write), on a seeded
database of its own. Every answer must be below 500 and match the document: a status it declares, JSON, and
the schema of that status. Bounded for CI: ``FUZZ_EXAMPLES`` generated requests per operation, no shrinking
on success, the same examples on every run (``deterministic``).
"""

from __future__ import annotations

import os
import re

import pyotp
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.openapi import spec
from app.extensions import db
from app.models import User
from app.security.passwords import hash_password
from tests.app.conftest import build_app, sign_in

FUZZ_EXAMPLES = int(os.environ.get("PANJEREH_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_app(databases):
    app = build_app(databases.new_url())
    with app.app_context():
        db.session.add(User(email="fuzz-admin@example.org", role="admin",
                            password_hash=hash_password("a long password"), totp_secret=pyotp.random_base32(),
                            totp_confirmed=True, recovery_codes=[]))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def admin_client(fuzz_app):
    """A signed-in admin whose writes go through CSRF protection like a browser's script."""
    client = fuzz_app.test_client()
    assert sign_in(client, "fuzz-admin@example.org", "a long password").status_code == 302
    fuzz_app.config["WTF_CSRF_ENABLED"] = True
    token = client.get("/api/v1/session/csrf").get_json()["data"]["csrf_token"]
    client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return client


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


def _text(exc: BaseException) -> str:
    parts = [str(exc)] + [_text(e) for e in getattr(exc, "exceptions", ())]
    return "\n".join(parts)


def _fuzz(operation, mode, client, calls, label):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    def run(case):
        calls[label] += 1
        case.call_and_validate(session=client, checks=CHECKS)

    return run


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_api_operation_answers_below_500_and_as_documented(api_schema, admin_client, mode):
    """Each operation gets ``FUZZ_EXAMPLES`` requests that fit the document (positive) or break it (negative)."""
    calls: dict[str, int] = {}
    failures: dict[str, str] = {}
    skipped: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 13

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        calls[label] = 0
        try:
            _fuzz(operation, mode, admin_client, calls, label)()
        except Unsatisfiable:
            # Nothing about this operation can be made invalid (no parameters or body, or a free-text path
            # parameter): no negative case exists. Positive cases always exist.
            assert mode is GenerationMode.NEGATIVE, label
            skipped.append(label)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failure, report them together
            failures[label] = f"{type(exc).__name__}: {_text(exc)[:3000]}"
    print(f"schemathesis {mode.value}: {sum(calls.values())} requests over {len(calls) - len(skipped)} operations"
          f" ({len(skipped)} with nothing to negate: {skipped})", calls)
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


# ---------------------------------------------------------------- the document covers the routes
def _as_openapi(rule: str) -> str:
    return rule.replace("<int:opp_id>", "{id}").replace("<int:", "{").replace("<", "{").replace(">", "}")


def test_every_api_route_and_method_is_in_the_document(app):
    documented = {(path, method) for path, ops in spec(app)["paths"].items() for method in ops}
    routes = {(_as_openapi(r.rule), m.lower()) for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/") and r.endpoint != "api.openapi"
              for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routes, "no API routes found"
    assert routes - documented == set()
    assert documented - routes == set(), "the document describes a route that does not exist"


def test_every_documented_operation_declares_its_path_parameters_and_schemas(app):
    for path, ops in spec(app)["paths"].items():
        for method, op in ops.items():
            names = set(re.findall(r"{(\w+)}", path))
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == declared, (method, path)
            ok = [code for code in op["responses"] if code.startswith("2")]
            assert len(ok) == 1, (method, path)
            body = op["responses"][ok[0]]["content"]["application/json"]["schema"]
            assert body != {"type": "object", "required": ["data"], "properties": {"data": {"type": "object"}}}, \
                (method, path, "a success without a schema")
            if method in ("post", "patch", "put"):
                assert op["requestBody"]["content"]["application/json"]["schema"]["properties"], (method, path)
    assert "201" in spec(app)["paths"]["/api/v1/products"]["post"]["responses"]
