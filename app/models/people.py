"""People: applicants (investor profiles) and user accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .reference import Agency, utcnow

#: "chamber": the Tabriz Chamber of Commerce working group, which files private-sector demands to the secretariat.
ROLES = ("admin", "hq", "agency_editor", "desk_staff", "investor", "chamber")


class Applicant(db.Model):
    __tablename__ = "applicants"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    applicant_type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300), default="")
    capital_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    sectors: Mapped[str] = mapped_column(String(500), default="")  # "|"-separated slugs
    skills: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(String(1000), default="")  # "|"-separated codes
    counties: Mapped[str] = mapped_column(String(500), default="")  # "|"-separated slugs
    # Only opportunities in those counties (a hard rule in matching, not the default soft county signal).
    strict_counties: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lang: Mapped[str] = mapped_column(String(8), default="fa")
    phone: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A saved profile is alerted when a newly published opportunity matches it above the threshold.
    alerts: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change or disabling: every older session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Second factor (TOTP) for staff, agency, HQ and admin accounts.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hashes of unused one-time recovery codes.
    recovery_codes: Mapped[list | None] = mapped_column(JSON)
    # Self-registered investors confirm their e-mail address; staff accounts are created confirmed.
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    agency: Mapped[Agency | None] = relationship()

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # "<user id>:<session version>:<session token>": the token names one row of user_sessions, so signing
        # out (deleting the row) ends this session and its remember-me cookie, wherever they were copied.
        token = getattr(self, "session_token", None)
        return f"{self.id}:{self.session_version}:{token}" if token else f"{self.id}:{self.session_version}"


class UserSession(db.Model):
    """One signed-in session; its cookie carries a random token whose SHA-256 is stored here."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
