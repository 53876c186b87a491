"""Users, roles, passwords, lockout, admin tools, privacy and the one access check."""
