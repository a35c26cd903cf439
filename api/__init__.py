"""The HTTP edge: REST, WebSocket and web pages. Parses requests, calls services, renders JSON."""
