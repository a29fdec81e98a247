"""Security: passwords, the second factor, e-mail tokens, sessions and the access rules (``authz``)."""
