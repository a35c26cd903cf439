"""Downloads in the bot: ⬇ in /files and /downloads (`handlers`), the live downloads message
(`boards`); their texts and keyboards."""
