"""Satellite passes: what a receiving station's files are (platform, instrument, time, orbit), how they group into passes, and which passes are coming."""
