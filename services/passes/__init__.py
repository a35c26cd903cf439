"""Satellite passes: what a station's file names say (platform, instrument, time, orbit), how its
files group into passes, and which passes are coming over it."""
