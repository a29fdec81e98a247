"""OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json)."""

from __future__ import annotations

from flask import current_app, jsonify

from app.api.common import ERROR_CODES, FIELD_CODES, LIST_FIELDS
from app.services.catalogue.opportunities import OPPORTUNITY_FIELDS
from app.services.catalogue.products import PRODUCT_FIELDS
from app.services.profiles import APPLICANT_TYPES

ERROR = {"$ref": "#/components/schemas/Error"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _data(schema: dict) -> dict:
    """The success envelope: {"data": …}."""
    return {"type": "object", "required": ["data"], "properties": {"data": schema}}


# The success body of each operation the loop in ``spec`` adds (endpoint → schema).
RESPONSES = {
    "api.opportunity_update": _data(_ref("Opportunity")),
    "api.opportunity_applicants": _data({"type": "array", "items": _ref("Applicant")}),
    "api.product": _data(_ref("Product")),
    "api.product_create": _data(_ref("Product")),
    "api.product_update": _data(_ref("Product")),
    "api.match": _data(_ref("Matches")),
    "api.session_csrf": _data({"type": "object", "required": ["csrf_token"],
                               "properties": {"csrf_token": {"type": "string"}}}),
    "api.measures": _data({"type": "array", "items": _ref("Measure")}),
}
# The status of success when it is not 200.
SUCCESS = {"api.product_create": "201"}
# The error statuses each operation can answer with. Every operation may also answer 400 (a NUL byte in the
# query is refused everywhere) and, with path parameters, 404.
ERRORS = {
    "api.opportunity_update": (400, 401, 403, 404, 409),
    "api.opportunity_applicants": (401, 403, 404),
    "api.product": (404,),
    "api.product_create": (400, 401, 403, 409),
    "api.product_update": (400, 401, 403, 404, 409),
    "api.match": (400,),
    "api.session_csrf": (401,),
    "api.measures": (),
}
PATH_PARAMETERS = {
    "id": {"type": "integer", "description": "opportunity id"},
    "code": {"type": "string", "description": "product code (HS or ISIC)"},
    "slug": {"type": "string", "description": "value-chain slug"},
}
_SCALAR = {"type": ["string", "number", "null"]}
_TEXTS = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_VERSION = {"type": "integer", "description": "the version you read (a change made meanwhile gives 409)"}
# The request body of each write (endpoint → schema). Values are checked by the same validators as the forms
# and imports, which answer 400 ``invalid`` with a problem per field.
BODIES = {
    "api.product_create": {"type": "object", "required": ["code"], "properties": {
        "code": {"type": "string"}, **{k: _SCALAR for k in PRODUCT_FIELDS if k not in LIST_FIELDS},
        **{k: _TEXTS for k in LIST_FIELDS if k in PRODUCT_FIELDS}}},
    "api.product_update": {"type": "object", "required": ["version"], "properties": {
        "version": _VERSION, "code": {"type": "string", "description": "read-only; may be sent unchanged"},
        **{k: _SCALAR for k in PRODUCT_FIELDS if k not in LIST_FIELDS},
        **{k: _TEXTS for k in LIST_FIELDS if k in PRODUCT_FIELDS}}},
    "api.opportunity_update": {"type": "object", "required": ["version"], "properties": {
        "version": _VERSION, "status": {"type": "string", "enum": ["draft", "published", "closed"]},
        "financing": {"type": "array", "items": {"type": "object", "required": ["kind", "share"], "properties": {
            "kind": {"type": "string"}, "share": {"type": "number", "minimum": 0, "maximum": 1}}}},
        **{k: (_TEXTS if k in LIST_FIELDS else _SCALAR) for k in OPPORTUNITY_FIELDS}}},
    "api.match": {"type": "object", "required": ["applicant_type", "capital_rials"], "properties": {
        "applicant_type": {"type": "string", "enum": sorted(APPLICANT_TYPES)},
        "capital_rials": {"type": ["integer", "string"], "description": "rials; digits in any script"},
        "sectors": _TEXTS, "products": _TEXTS, "counties": _TEXTS,
        "skills": {"type": "string", "maxLength": 2000}, "lang": {"type": "string", "enum": ["fa", "en"]},
        "strict_counties": {"type": "boolean"}}},
}


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


def _responses(ok_schema: dict, *errors: int, ok: str = "200") -> dict:
    out = {ok: {"description": "Created" if ok == "201" else "OK",
                "content": {"application/json": {"schema": ok_schema}}}}
    for code in sorted(set(errors) | {400}):
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
                "data": {"allOf": [_ref("Opportunity"), {"type": "object", "properties": {
                    "permit_path": {"oneOf": [_ref("PermitPath"), {"type": "null"}]}}}]}}}, 404)}},
        "/api/v1/chains": {"get": {"summary": "Value chains that are not retired",
                                   "responses": _responses(_data({"type": "array", "items": _ref("Chain")}))}},
        "/api/v1/chains/{slug}": {"get": {
            "summary": "One value chain (not retired) with its nodes (products), links, paths and gaps",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _responses(_data(_ref("ChainDetail")), 404)}},
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
            "responses": _responses(_data(_ref("Simulation")), 400)}},
    }
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            path = path.replace("{opp_id}", "{id}")
            entry = paths.setdefault(path, {})
            names = ["id" if a == "opp_id" else a for a in sorted(rule.arguments)]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method.lower() not in entry:  # the hand-written entries above keep theirs
                    entry[method.lower()] = {
                        "summary": (current_view_doc(app, rule.endpoint) or rule.endpoint),
                        "responses": _responses(RESPONSES.get(rule.endpoint, _data({"type": "object"})),
                                                *ERRORS.get(rule.endpoint, (400, 401, 403, 404, 409)),
                                                *((404,) if names else ()), ok=SUCCESS.get(rule.endpoint, "200"))}
                operation = entry[method.lower()]
                if rule.endpoint in BODIES:
                    operation["requestBody"] = {"required": True, "content": {"application/json": {
                        "schema": BODIES[rule.endpoint]}}}
                if names and "parameters" not in operation:
                    operation["parameters"] = [{"name": n, "in": "path", "required": True,
                                                "description": PATH_PARAMETERS[n]["description"],
                                                "schema": {"type": PATH_PARAMETERS[n]["type"]}} for n in names]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Panjereh API", "version": "1", "description":
                 "Investment single window of East Azerbaijan. Keys and error codes are language-neutral; "
                 "human messages follow ?lang= or Accept-Language. Figures are illustrative until agencies "
                 "replace them."},
        "paths": paths,
        "components": {"schemas": {
            "Measure": {"type": "object", "description": "One of the ten measures with its live figures",
                        "required": ["id", "position", "name", "indicators"], "properties": {
                            "id": {"type": "string"}, "position": {"type": "integer"}, "name": _ref("Names"),
                            "indicators": {"type": "array", "items": {
                                "type": "object", "required": ["id", "name", "value", "unit", "as_of", "source"],
                                "properties": {"id": {"type": "string"}, "name": _ref("Names"),
                                               "value": {"type": ["number", "null"]}, "unit": {"type": "string"},
                                               "as_of": {"type": "string", "format": "date"},
                                               "source": _ref("Names")}}}}},
            "Names": {"type": "object", "required": ["fa", "en"],
                      "properties": {"fa": {"type": "string"}, "en": {"type": "string"}}},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "status", "title", "message"], "properties": {
                    "code": {"type": "string", "enum": sorted(ERROR_CODES), "description": "; ".join(
                        f"`{k}`: {v}" for k, v in ERROR_CODES.items())},
                    "status": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "array", "items": _ref("FieldProblem"),
                               "description": "with code `invalid`"},
                    "current": {"type": "object", "description": "with code `conflict`: the stored record"}}}}},
            "FieldProblem": {"type": "object", "required": ["field", "code", "message"], "properties": {
                "field": {"type": "string"}, "message": {"type": "string"},
                "code": {"type": "string", "description": "language-neutral; besides each record's own: " + "; ".join(
                    f"`{k}`: {v}" for k, v in FIELD_CODES.items())}}},
            "Provenance": {"type": "object", "properties": {
                "source": {"type": "string"}, "agency": {"type": ["string", "null"]},
                "as_of": {"type": ["string", "null"], "format": "date"}, "illustrative": {"type": "boolean"}}},
            "Product": {"type": "object", "properties": {
                "code": {"type": "string"}, "nomenclature": {"type": "string", "enum": ["hs", "isic"]},
                "name": _ref("Bilingual"), "sector": {"type": "string"}, "stage": {"type": "string"},
                "unit": {"type": "string"}, "unit_price_rials": {"type": "integer"},
                **{k: {"type": "number"} for k in ("capacity", "output", "demand", "inflow", "outflow")},
                **{k: {"type": "integer"} for k in ("active_units", "idle_units", "jobs")},
                "suited_for": {"type": "array", "items": {"type": "string"}}, "provenance": _ref("Provenance"),
                "retired": {"type": "boolean"}, "version": {"type": "integer"}}},
            "Chain": {"type": "object", "properties": {
                "slug": {"type": "string"}, "name": _ref("Bilingual"), "priority": {"type": "number"},
                "products": {"type": "integer"}, "version": {"type": "integer"}}},
            "ChainDetail": {"allOf": [_ref("Chain"), {"type": "object", "properties": {
                "nodes": {"type": "array", "items": _ref("Product")},
                "links": {"type": "array", "items": {"type": "object", "properties": {
                    "supplier": {"type": "string"}, "user": {"type": "string"}, "coefficient": {"type": "number"},
                    "provenance": _ref("Provenance")}}},
                "paths": {"type": "array", "items": {"type": "object"}},
                "gaps": {"type": "array", "items": _ref("Gap")}}}]},
            "PermitPath": {"type": "object", "description": "The steps an investor walks (UNCTAD eRegulations)",
                           "properties": {
                "slug": {"type": "string"}, "name": _ref("Bilingual"), "illustrative": {"type": "boolean"},
                "total_days": {"type": "integer", "description": "working days on the critical path"},
                "total_cost_rials": {"type": "integer"},
                "steps": {"type": "array", "items": {"type": "object", "properties": {
                    "position": {"type": "integer"},
                    "parallel_group": {"type": "integer", "description": "steps of one group run in parallel"},
                    "name": _ref("Bilingual"), "agency": {"type": "string"}, "office": {"type": "object"},
                    "days": {"type": "integer"}, "cost_rials": {"type": "integer"}, "documents": {"type": "object"},
                    "legal_basis": _ref("Bilingual"), "deemed_approval": {"type": "boolean"},
                    "refusal_conditions": {"type": "array", "items": {"type": "object", "properties": {
                        "number": {"type": "integer"}, "fa": {"type": "string"}, "en": {"type": "string"}}}}}}}}},
            "Applicant": {"type": "object", "properties": {
                "applicant": {"type": "string"}, "applicant_type": {"type": "string"}, "score": {"type": "number"},
                "reasons": {"type": "array", "items": {"type": "string"}}}},
            "Match": {"type": "object", "properties": {
                "opportunity_id": {"type": "integer"}, "ref": {"type": "string"}, "title": {"type": "string"},
                "product_code": {"type": "string"}, "county": {"type": "string"},
                "investment_min_rials": {"type": "integer"}, "chains": {"type": "array", "items": {"type": "string"}},
                "level": {"type": ["string", "null"], "enum": ["strong", "good", "possible", None]},
                "score": {"type": "number"}, "fit": {"type": "number"},
                "reasons": {"type": "array", "items": {"type": "string"}}}},
            "Matches": {"type": "object", "required": ["matches", "others", "excluded", "linked"], "properties": {
                "matches": {"type": "array", "items": _ref("Match")},
                "others": {"type": "array", "items": _ref("Match"),
                           "description": "open opportunities within the applicant's means with no content fit"},
                "excluded": {"type": "array", "items": {"type": "object", "properties": {
                    "opportunity_id": {"type": "integer"}, "ref": {"type": "string"},
                    "product_code": {"type": "string"}, "county": {"type": "string"},
                    "investment_min_rials": {"type": "integer"}, "rule": {"type": "string"},
                    "reason": {"type": "string"}, "near_miss": {"type": "boolean"},
                    "level": {"type": ["string", "null"]}, "score": {"type": "number"},
                    "opens": {"type": ["object", "null"]}}}},
                "linked": {"type": "array", "items": {"type": "object", "properties": {
                    "code": {"type": "string"}, "score": {"type": "number"},
                    "words": {"type": "array", "items": {"type": "string"}}}}},
                "strict_counties": {"type": "boolean"}}},
            "Simulation": {"type": "object", "required": ["product", "added_capacity"], "properties": {
                "product": {"type": "string"}, "added_capacity": {"type": "number"},
                "inflow_substituted": {"type": "object", "properties": {"quantity": {"type": "number"},
                                                                        "rials": {"type": "integer"}}},
                "value_added_kept_rials": {"type": "integer"},
                "downstream_relieved": {"type": "array", "items": {"type": "array"}},
                "outflow_added": {"type": "number"},
                "total_output_change": {"type": "object", "additionalProperties": {"type": "number"}},
                "inflow_added": {"type": "object", "additionalProperties": {"type": "number"}}}},
            "Page": {"type": "object", "properties": {"page": {"type": "integer"}, "pages": {"type": "integer"},
                                                      "total": {"type": "integer"},
                                                      "per_page": {"type": "integer"}}},
            "Bilingual": {"type": "object", "properties": {"fa": {"type": "string"}, "en": {"type": "string"}}},
            "Opportunity": {"type": "object", "properties": {
                "id": {"type": "integer"}, "ref": {"type": "string"},
                "title": {"$ref": "#/components/schemas/Bilingual"}, "product": _ref("Product"),
                "product_code": {"type": "string"}, "version": {"type": "integer"},
                "published_at": {"type": ["string", "null"], "format": "date-time"},
                "agency": {"type": "string"}, "sector": {"type": "string"},
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
