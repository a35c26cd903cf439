"""The Telegram edge: parses updates, calls one service, renders texts and keyboards."""
