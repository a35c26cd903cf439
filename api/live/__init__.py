"""Live views over WebSocket: state pushed to clients as the event bus reports changes."""
