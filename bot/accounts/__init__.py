"""Accounts in the bot: /start, /help, /cancel (`start`), /code (`code`), /account (`account`),
/tokens (`tokens`), /admin (`admin`); their texts and keyboards."""
