"""Stations in the bot: /stations and /station_files (`stations`), /stations_admin and the
add-station wizard (`admin`); their texts and keyboards."""
