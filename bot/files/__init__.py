"""Stored files in the bot: files sent to it, /myfiles, /stats (`handlers`); their texts and
keyboards; moving content between Telegram and storage (`telegram_files`)."""
