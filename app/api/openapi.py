"""OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json)."""

from __future__ import annotations

from flask import current_app, jsonify

ERROR = {"$ref": "#/components/schemas/Error"}


def _filters(*names):
    descriptions = {
        "chain": "value-chain slug (or its name in fa/en)",
        "sector": "sector slug (or its name in fa/en)",
        "county": "county slug (or its name in fa/en)",
        "min": "minimum investment in rials (opportunity ranges overlapping [min, max] are kept)",
        "max": "maximum investment in rials",
        "type": "applicant type: individual, cooperative, home_business, knowledge_based, company",
        "q": "text search; Arabic/Persian letter forms, ZWNJ and digits are folded",
        "kind": "gap kind: missing_supplier, shortfall, unprocessed_outflow, idle_capacity, infrastructure",
        "sort": "priority (default), size, viability, attractiveness",
        "page": "page number, from 1",
        "per_page": "items per page",
        "lang": "language of human-readable messages: fa (default) or en",
    }
    return [{"name": n, "in": "query", "required": False, "description": descriptions[n],
             "schema": {"type": "integer" if n in ("min", "max", "page", "per_page") else "string"}} for n in names]


def _responses(ok_schema: dict, *errors: int) -> dict:
    out = {"200": {"description": "OK", "content": {"application/json": {"schema": ok_schema}}}}
    for code in errors:
        out[str(code)] = {"description": "Error", "content": {"application/json": {"schema": ERROR}}}
    return out


def current_view_doc(app, endpoint: str) -> str:
    doc = (app.view_functions[endpoint].__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def spec(app) -> dict:
    paths = {
        "/api/v1/opportunities": {"get": {
            "summary": "Published opportunities, filtered and paged",
            "parameters": _filters("chain", "sector", "county", "min", "max", "type", "q", "page", "per_page",
                                   "lang"),
            "responses": _responses({"type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Opportunity"}},
                "meta": {"$ref": "#/components/schemas/Page"}}}, 400, 404)}},
        "/api/v1/opportunities/{id}": {"get": {
            "summary": "One published opportunity",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": _responses({"type": "object", "properties": {
                "data": {"$ref": "#/components/schemas/Opportunity"}}}, 404)}},
        "/api/v1/chains": {"get": {"summary": "Value chains", "responses": _responses({"type": "object"})}},
        "/api/v1/chains/{slug}": {"get": {
            "summary": "One value chain with its nodes (products) and links",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _responses({"type": "object"}, 404)}},
        "/api/v1/gaps": {"get": {
            "summary": "Missing links (gaps), highest priority first",
            "parameters": _filters("kind", "chain", "sector", "county", "sort", "page", "per_page", "lang"),
            "responses": _responses({"type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Gap"}},
                "meta": {"$ref": "#/components/schemas/Page"}}}, 400, 404)}},
        "/api/v1/simulate": {"post": {
            "summary": "Effect of adding local capacity for one product (Leontief-style propagation)",
            "parameters": _filters("lang"),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["product", "added_capacity"],
                "properties": {"product": {"type": "string", "example": "7408"},
                               "added_capacity": {"type": "number", "exclusiveMinimum": 0}}}}}},
            "responses": _responses({"type": "object"}, 400)}},
    }
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            path = path.replace("{opp_id}", "{id}")
            entry = paths.setdefault(path, {})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                entry.setdefault(method.lower(), {
                    "summary": (current_view_doc(app, rule.endpoint) or rule.endpoint),
                    "responses": _responses({"type": "object"}, 400, 401, 403, 404, 409)})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Panjereh API", "version": "1", "description":
                 "Investment single window of East Azerbaijan. Keys and error codes are language-neutral; "
                 "human messages follow ?lang= or Accept-Language. Figures are illustrative until agencies "
                 "replace them."},
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "string"}, "status": {"type": "integer"}, "title": {"type": "string"},
                "message": {"type": "string"}}}}},
            "Page": {"type": "object", "properties": {"page": {"type": "integer"}, "pages": {"type": "integer"},
                                                      "total": {"type": "integer"},
                                                      "per_page": {"type": "integer"}}},
            "Bilingual": {"type": "object", "properties": {"fa": {"type": "string"}, "en": {"type": "string"}}},
            "Opportunity": {"type": "object", "properties": {
                "id": {"type": "integer"}, "ref": {"type": "string"},
                "title": {"$ref": "#/components/schemas/Bilingual"}, "product": {"type": "string"},
                "chains": {"type": "array", "items": {"type": "string"}}, "county": {"type": "string"},
                "investment_min_rials": {"type": "integer"}, "investment_max_rials": {"type": "integer"},
                "jobs": {"type": "integer"}, "suited_for": {"type": "array", "items": {"type": "string"}},
                "financing": {"type": "array", "items": {"type": "object"}}, "status": {"type": "string"}}},
            "Gap": {"type": "object", "required": ["kind", "product", "chains", "size_rials", "viability",
                                                   "attractiveness", "priority", "reason"], "properties": {
                "kind": {"type": "string", "enum": ["missing_supplier", "shortfall", "unprocessed_outflow",
                                                    "idle_capacity", "infrastructure"]},
                "product": {"type": "string"}, "chains": {"type": "array", "items": {"type": "string"}},
                "size_rials": {"type": "integer"}, "viability": {"type": "number", "minimum": 0, "maximum": 1},
                "attractiveness": {"type": "number", "minimum": 0, "maximum": 1},
                "strategic": {"type": "number", "minimum": 0, "maximum": 1},
                "priority": {"type": "number", "minimum": 0, "maximum": 1},
                "reason": {"$ref": "#/components/schemas/Bilingual"}}},
        }},
    }
def openapi_json():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(spec(current_app))
