"""The ground every capability stands on: errors, settings, the database and its models, the
clock and the event bus, logs, health, secrets and attempt limits. Imports no capability."""
