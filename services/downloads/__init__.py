"""Pulling station files into storage: the requests people make (queue, pause, start, stop,
remove), the worker that transfers them, and the live view of their progress."""
