"""Every label table in one place: what a code (a stage, a status, a kind) is called on a page, in its language."""

from __future__ import annotations

from flask_babel import gettext


def applicant_type_labels() -> dict[str, str]:
    return {
        "individual": gettext("Individual small investor"),
        "cooperative": gettext("Cooperative"),
        "home_business": gettext("Home business"),
        "knowledge_based": gettext("Knowledge-based firm"),
        "company": gettext("Company"),
    }


def stage_labels() -> dict[str, str]:
    return {
        "raw": gettext("Raw material"),
        "intermediate": gettext("Intermediate good"),
        "final": gettext("Final product"),
        "service": gettext("Service"),
    }


def status_labels() -> dict[str, str]:
    return {"draft": gettext("Draft"), "published": gettext("Open for investment"), "closed": gettext("Closed")}


def financing_labels() -> dict[str, str]:
    return {
        "bank": gettext("Bank facility"),
        "capital_market": gettext("Capital market"),
        "leasing": gettext("Leasing"),
        "provincial_fund": gettext("Provincial funds"),
        "crowdfunding": gettext("Crowdfunding"),
    }


def gap_kind_labels() -> dict[str, str]:
    return {
        "missing_supplier": gettext("Missing local supplier"),
        "shortfall": gettext("Capacity shortfall"),
        "unprocessed_outflow": gettext("Raw material leaving unprocessed"),
        "idle_capacity": gettext("Idle capacity"),
        "infrastructure": gettext("Infrastructure bottleneck"),
    }


def unit_labels() -> dict[str, str]:
    return {
        "tonne": gettext("tonnes"),
        "unit": gettext("units"),
        "thousand_unit": gettext("thousand units"),
        "m2": gettext("square metres"),
        "m3": gettext("cubic metres"),
        "pair": gettext("pairs"),
        "service": gettext("service units"),
    }


def case_status_labels() -> dict[str, str]:
    return {
        "open": gettext("Received"),
        "in_progress": gettext("Being handled by the agencies"),
        "approved": gettext("Approved"),
        "rejected": gettext("Not approved"),
        "withdrawn": gettext("Withdrawn"),
        "completed": gettext("Completed"),
    }


def step_status_labels() -> dict[str, str]:
    return {
        "waiting": gettext("Waiting for earlier steps"),
        "in_progress": gettext("In progress"),
        "needs_info": gettext("Needs information from the applicant"),
        "approved": gettext("Approved"),
        "refused": gettext("Refused"),
    }


def interest_status_labels() -> dict[str, str]:
    return {"new": gettext("New"), "contacted": gettext("Contacted"), "invited": gettext("Invited to apply"),
            "declined": gettext("Declined")}


def role_labels() -> dict[str, str]:
    return {
        "admin": gettext("Administrator"),
        "hq": gettext("Headquarters / secretariat"),
        "agency_editor": gettext("Agency editor"),
        "desk_staff": gettext("Desk staff"),
        "investor": gettext("Investor"),
        "chamber": gettext("Chamber of Commerce working group"),
    }


def category_labels() -> dict[str, str]:
    return {
        "driver": gettext("Driver"),
        "support": gettext("Support"),
        "service": gettext("Service provider"),
        "infrastructure": gettext("Infrastructure"),
    }


def kind_labels() -> dict[str, str]:
    return {"products": gettext("Products"), "links": gettext("Links between products"),
            "opportunities": gettext("Investment opportunities")}


def level_labels() -> dict[str, str]:
    """Match levels (``matching.model.LEVELS``) as the desk and the investor read them."""
    return {"strong": gettext("Strong fit"), "good": gettext("Good fit"), "possible": gettext("Possible fit")}


def obstacle_category_labels() -> dict[str, str]:
    return {
        "water": gettext("Water supply cut"),
        "power": gettext("Power supply cut"),
        "gas": gettext("Gas supply cut"),
        "financing": gettext("Financing"),
        "pricing": gettext("Pricing"),
        "cost": gettext("Cost of production"),
        "permits": gettext("Permits"),
        "raw_materials": gettext("Raw materials"),
        "market": gettext("Market and exports"),
        "other": gettext("Other"),
    }


def obstacle_status_labels() -> dict[str, str]:
    return {
        "new": gettext("Received"),
        "assigned": gettext("Assigned to an agency"),
        "working_group": gettext("With the facilitation working group"),
        "resolved": gettext("Resolved"),
        "rejected": gettext("Rejected"),
    }


def period_labels() -> dict[str, str]:
    return {"week": gettext("per week"), "month": gettext("per month"), "year": gettext("per year")}


def realisation_stage_labels() -> dict[str, str]:
    return {
        "gap": gettext("Gap (not yet published)"),
        "published": gettext("Published"),
        "interest": gettext("Interest shown"),
        "applied": gettext("Applied (a case)"),
        "licensed": gettext("Licensed"),
        "under_construction": gettext("Under construction"),
        "operating": gettext("Operating"),
    }


def demand_status_labels() -> dict[str, str]:
    return {
        "new": gettext("Waiting for the secretariat"),
        "obstacle": gettext("Taken up as an obstacle"),
        "gap": gettext("A missing link to study"),
        "opportunity": gettext("Turned into an investment opportunity"),
        "closed": gettext("Closed"),
    }


def audit_action_labels() -> dict[str, str]:
    return {"create": gettext("Created"), "update": gettext("Changed"), "retire": gettext("Retired"),
            "unretire": gettext("Brought back"), "publish": gettext("Published"), "close": gettext("Closed"),
            "import": gettext("Imported"), "login": gettext("Signed in"), "delete": gettext("Deleted"),
            # the single window: cases and their steps
            "decide": gettext("Decision made"), "start": gettext("Step started"),
            "escalate": gettext("Escalated to the HQ"), "need_info": gettext("Asked for more information"),
            "resume": gettext("Resumed"), "approve": gettext("Approved"), "refuse": gettext("Refused")}


def audit_entity_labels() -> dict[str, str]:
    return {"product": gettext("Product"), "products": gettext("Products"), "link": gettext("Input link"),
            "links": gettext("Input links"), "chain": gettext("Value chain"), "opportunity": gettext("Opportunity"),
            "opportunities": gettext("Opportunities"), "applicant": gettext("Applicant"), "case": gettext("Case"),
            "user": gettext("Account"), "agency": gettext("Agency"), "bundle": gettext("Data bundle"),
            "relatedness_table": gettext("Relatedness table"), "county": gettext("County"),
            "sector": gettext("Sector"), "measure": gettext("Measure"), "settings": gettext("Office settings"),
            "permit_paths": gettext("Permit paths"), "step_template": gettext("Step template"),
            "case_step": gettext("Case step"), "interest": gettext("Expression of interest")}


def audit_field_labels() -> dict[str, str]:
    """What each field kept in the audit trail is called (the keys of AuditEvent.before/after)."""
    return {
        "email": gettext("Email"), "name": gettext("Name"), "role": gettext("Role"), "agency": gettext("Agency"),
        "agency_id": gettext("Agency"), "active": gettext("Active"), "totp_confirmed": gettext("Second step set up"),
        "second_factor": gettext("Second step"), "password": gettext("Password"),
        "email_confirmed": gettext("Email confirmed"), "self_registered": gettext("Registered themselves"),
        "recovery_code_used": gettext("Recovery code used"), "recovery_codes_left": gettext("Recovery codes left"),
        "slug": gettext("Identifier"), "name_fa": gettext("Name in Persian"), "name_en": gettext("Name in English"),
        "category": gettext("Category"), "sectors": gettext("Sectors"), "code": gettext("Code"),
        "nomenclature": gettext("Code system"), "sector": gettext("Sector"), "sector_id": gettext("Sector"),
        "stage": gettext("Stage"), "unit": gettext("Unit"), "unit_price_rials": gettext("Unit price (rials)"),
        "capacity": gettext("Capacity"), "output": gettext("Output"), "demand": gettext("Demand"),
        "inflow": gettext("Brought in from outside the province"), "outflow": gettext("Sent out of the province"),
        "active_units": gettext("Active units"), "idle_units": gettext("Idle units"), "jobs": gettext("Jobs"),
        "suited_for": gettext("Suited for"), "suited_mask": gettext("Suited for"), "source": gettext("Source"),
        "as_of": gettext("Figures as of"), "aliases": gettext("Other names"), "illustrative": gettext("Illustrative"),
        "retired": gettext("Retired"), "supplier": gettext("Supplier product"), "user": gettext("User product"),
        "coefficient": gettext("Input coefficient"), "title_fa": gettext("Title in Persian"),
        "title_en": gettext("Title in English"), "product": gettext("Product"), "product_id": gettext("Product"),
        "county": gettext("County"), "county_id": gettext("County"),
        "investment_min_rials": gettext("Smallest investment (rials)"),
        "investment_max_rials": gettext("Largest investment (rials)"),
        "description_fa": gettext("Description in Persian"),
        "description_en": gettext("Description in English"), "incentives_fa": gettext("Incentives in Persian"),
        "incentives_en": gettext("Incentives in English"), "gap_kind": gettext("Missing link it fills"),
        "status": gettext("Status"), "published_at": gettext("Published on"),
        "financing_bp": gettext("Financing routes"),
        "priority": gettext("Priority"), "products_added": gettext("Products added"),
        "products_removed": gettext("Products removed"), "applicant": gettext("Applicant"),
        "opportunity": gettext("Opportunity"), "regions": gettext("Regions"), "products": gettext("Products"),
        "created": gettext("Created"), "updated": gettext("Changed"), "kept": gettext("Unchanged"),
        "rows": gettext("Rows"), "chain": gettext("Value chains"), "measure": gettext("Measures"),
        "opportunities": gettext("Opportunities"), "link": gettext("Input links"), "applicants": gettext("Applicants"),
        "office_name_fa": gettext("Office name in Persian"), "office_name_en": gettext("Office name in English"),
        "address_fa": gettext("Address in Persian"), "address_en": gettext("Address in English"),
        "phone": gettext("Phone"), "hours_fa": gettext("Opening hours in Persian"),
        "hours_en": gettext("Opening hours in English"), "privacy_fa": gettext("Privacy statement in Persian"),
        "privacy_en": gettext("Privacy statement in English"),
        "accessibility_fa": gettext("Accessibility statement in Persian"),
        "accessibility_en": gettext("Accessibility statement in English"),
        # the single window: step templates, permit paths, cases and their steps
        "office_fa": gettext("Office and address in Persian"), "office_en": gettext("Office and address in English"),
        "documents_fa": gettext("Documents required in Persian (one per line)"),
        "documents_en": gettext("Documents required in English (one per line)"),
        "cost_rials": gettext("Cost (rials)"), "sla_days": gettext("Service level (working days)"),
        "legal_basis_fa": gettext("Legal basis in Persian"), "legal_basis_en": gettext("Legal basis in English"),
        "conditions_fa": gettext("Refusal conditions in Persian (one per line, numbered in order)"),
        "conditions_en": gettext("Refusal conditions in English (one per line, same order)"),
        "deemed_approval": gettext("Deemed approved when not decided by its due date"),
        "step_templates": gettext("Step templates"), "opportunity_paths": gettext("Opportunities' permit paths"),
        "path": gettext("Permit path"), "case": gettext("Case"), "position": gettext("Step number"),
        "due_on": gettext("Due"), "deemed_approved": gettext("Approved because its due date passed"),
        "refusal_condition": gettext("Refusal condition"), "note": gettext("Note"), "reason": gettext("Reason"),
        "version": gettext("Version"), "id": gettext("Number"),
    }


def nomenclature_labels() -> dict[str, str]:
    return {"hs": gettext("Harmonized System tariff code"), "isic": gettext("ISIC activity code")}


def language_labels() -> dict[str, str]:
    return {"fa": gettext("Persian"), "en": gettext("English")}


def choice_labels(field: str) -> dict[str, str] | None:
    """The labels of a coded field's values, by the field's name (a column of an import file, a key of the
    audit trail): ``choice_labels("stage")["raw"]`` is «مادهٔ خام» on a Persian page; None for a free field."""
    table = {
        "role": role_labels, "stage": stage_labels, "category": category_labels, "gap_kind": gap_kind_labels,
        "unit": unit_labels, "status": lambda: {**case_status_labels(), **status_labels()},
        "nomenclature": nomenclature_labels, "suited_for": applicant_type_labels,
        "applicant_type": applicant_type_labels, "financing": financing_labels, "lang": language_labels,
    }.get(field)
    return table() if table else None


def labels() -> dict:
    """The label tables for templates (a context processor)."""
    return {
        "case_status_labels": case_status_labels,
        "applicant_type_labels": applicant_type_labels,
        "stage_labels": stage_labels,
        "status_labels": status_labels,
        "financing_labels": financing_labels,
        "gap_kind_labels": gap_kind_labels,
        "unit_labels": unit_labels,
        "role_labels": role_labels,
        "level_labels": level_labels,
        "step_status_labels": step_status_labels,
        "interest_status_labels": interest_status_labels,
        "obstacle_category_labels": obstacle_category_labels,
        "obstacle_status_labels": obstacle_status_labels,
        "period_labels": period_labels,
        "realisation_stage_labels": realisation_stage_labels,
        "demand_status_labels": demand_status_labels,
        "category_labels": category_labels,
        "audit_action_labels": audit_action_labels,
        "audit_entity_labels": audit_entity_labels,
    }
