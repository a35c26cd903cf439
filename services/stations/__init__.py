"""Receiving stations: their settings (admins), who follows which, polling their FTP trees
for new files, and announcing them to followers."""
