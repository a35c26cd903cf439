"""People and their access: registration, activation by admins, passwords, one-time codes,
API tokens, the Mini App sign-in, the audit log."""
