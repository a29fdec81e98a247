"""An agency's obstacle reports: the ones HQ assigned to it, which it sends to the working group or resolves."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Obstacle
from app.portal.common import PORTAL_ROLES
from app.security import authz
from app.security.access import role_required
from app.web.obstacles import apply_move, obstacle_list, obstacle_page


def _scoped(obstacle_id: int) -> Obstacle:
    if obstacle_id >= 2**31:
        abort(404)
    row = db.session.scalar(authz.scope_obstacles(select(Obstacle).where(Obstacle.id == obstacle_id), current_user))
    if row is None:
        abort(404)
    return row


@role_required(*PORTAL_ROLES)
def obstacles():
    return obstacle_list(authz.scope_obstacles(select(Obstacle), current_user), "hq/obstacles.html",
                         "portal.obstacles")


@role_required(*PORTAL_ROLES)
def obstacle(obstacle_id: int):
    return obstacle_page(_scoped(obstacle_id), url_for("portal.obstacles"), "portal.obstacle_move")


@role_required(*PORTAL_ROLES)
def obstacle_move(obstacle_id: int):
    return apply_move(_scoped(obstacle_id), "portal.obstacle")
