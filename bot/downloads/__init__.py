"""Downloads in the bot: ⬇ in /station_files and /downloads (`handlers`), the live downloads message
(`boards`); their texts and keyboards."""
