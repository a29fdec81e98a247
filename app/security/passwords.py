"""Passwords: argon2 hashes, and a check that costs the same whether or not the account exists."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.models import User

#: The shortest password any form or command accepts.
PASSWORD_MIN = 10

_hasher = PasswordHasher()


# A real hash of a random string: verifying against it costs the same time as a real account.
_DUMMY_HASH = _hasher.hash("panjereh-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    try:
        if user is None:
            _hasher.verify(_DUMMY_HASH, password)
            return False
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
