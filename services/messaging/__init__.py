"""Messages to people through the bot: the paced, retrying delivery queue, and the bot-token
gateway external apps send through."""
