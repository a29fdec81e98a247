"""The agency portal: an editor keeps their agency's products, links, value chains and opportunities,
imports and exports them, and works the interest queue. This file is its URL table (two blueprints:
``portal`` and ``transfer``, the import/export pages)."""

from __future__ import annotations

from app.web.lang import lang_blueprint

from . import (
    chains,
    dashboard,
    demands,
    interests,
    links,
    obstacles,
    opportunities,
    plans,
    products,
    realisation,
    step_templates,
    steps,
    transfer,
)

bp = lang_blueprint("portal", __name__, "/portal")
bp.add_url_rule("/", "dashboard", dashboard.dashboard)
bp.add_url_rule("/products", "products", products.products)
bp.add_url_rule("/products/new", "product_new", products.product_new, methods=["GET", "POST"])
bp.add_url_rule("/products/<code>/edit", "product_edit", products.product_edit, methods=["GET", "POST"])
bp.add_url_rule("/products/<code>/retire", "product_retire", products.product_retire, methods=["POST"])
bp.add_url_rule("/products/<code>/unretire", "product_unretire", products.product_unretire, methods=["POST"])
bp.add_url_rule("/products/<code>/links", "links", links.links, methods=["GET", "POST"])
bp.add_url_rule("/links/<int:link_id>/edit", "link_edit", links.link_edit, methods=["GET", "POST"])
bp.add_url_rule("/links/<int:link_id>/retire", "link_retire", links.link_retire, methods=["POST"])
bp.add_url_rule("/chains", "chains", chains.chains)
bp.add_url_rule("/chains/<slug>", "chain_edit", chains.chain_edit, methods=["GET", "POST"])
bp.add_url_rule("/chains/<slug>/products", "chain_add_product", chains.chain_add_product, methods=["POST"])
bp.add_url_rule("/chains/<slug>/products/<code>/remove", "chain_remove_product", chains.chain_remove_product,
                methods=["POST"])
bp.add_url_rule("/chains/<slug>/retire", "chain_retire", chains.chain_retire, methods=["POST"])
bp.add_url_rule("/chains/<slug>/unretire", "chain_unretire", chains.chain_unretire, methods=["POST"])
bp.add_url_rule("/opportunities", "opportunities", opportunities.opportunities)
bp.add_url_rule("/opportunities/new", "opportunity_new", opportunities.opportunity_new, methods=["GET", "POST"])
bp.add_url_rule("/opportunities/<int:opp_id>/edit", "opportunity_edit", opportunities.opportunity_edit,
                methods=["GET", "POST"])
bp.add_url_rule("/opportunities/<int:opp_id>/publish", "opportunity_publish", opportunities.opportunity_publish,
                methods=["POST"])
bp.add_url_rule("/opportunities/<int:opp_id>/close", "opportunity_close", opportunities.opportunity_close,
                methods=["POST"])
bp.add_url_rule("/opportunities/<int:opp_id>/applicants", "reverse_lookup", interests.reverse_lookup)
bp.add_url_rule("/interests", "interests", interests.interests)
bp.add_url_rule("/interests/<int:interest_id>", "interest_action", steps.interest_action, methods=["POST"])
bp.add_url_rule("/steps", "steps", steps.queue)
bp.add_url_rule("/steps/<int:step_id>", "step", steps.step, methods=["GET", "POST"])
bp.add_url_rule("/step-templates", "step_templates", step_templates.step_templates)
bp.add_url_rule("/step-templates/<int:template_id>", "step_template_edit", step_templates.step_template_edit,
                methods=["GET", "POST"])
bp.add_url_rule("/opportunities/<int:opp_id>/realisation", "realisation", realisation.realisation,
                methods=["GET", "POST"])
bp.add_url_rule("/plan", "plan", plans.plan, methods=["GET", "POST"])
bp.add_url_rule("/plan/file", "plan_file", plans.plan_file, methods=["POST"])
bp.add_url_rule("/plan/actions/<int:action_id>/progress", "action_progress", plans.action_progress, methods=["POST"])
bp.add_url_rule("/demands", "demands", demands.demands, methods=["GET", "POST"])
bp.add_url_rule("/obstacles", "obstacles", obstacles.obstacles)
bp.add_url_rule("/obstacles/<int:obstacle_id>", "obstacle", obstacles.obstacle)
bp.add_url_rule("/obstacles/<int:obstacle_id>/move", "obstacle_move", obstacles.obstacle_move, methods=["POST"])

transfer_bp = lang_blueprint("transfer", __name__, "/portal/transfer")
transfer_bp.add_url_rule("/", "index", transfer.index, methods=["GET", "POST"])
transfer_bp.add_url_rule("/jobs/<int:job_id>", "job", transfer.job)
transfer_bp.add_url_rule("/jobs/<int:job_id>/import", "run_import", transfer.run_import, methods=["POST"])
transfer_bp.add_url_rule("/export/<kind>.<fmt>", "export", transfer.export)
