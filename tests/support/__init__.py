"""What the tests share: the harness (fake Telegram, real FTP servers, a throwaway PostgreSQL, a
headless browser) and the helpers more than one test module uses. Test modules import from here,
never from each other; fixtures live in the conftest.py files."""
