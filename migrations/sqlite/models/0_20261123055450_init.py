from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "log_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "level" SMALLINT NOT NULL,
    "logger" VARCHAR(100) NOT NULL,
    "message" TEXT NOT NULL,
    "user_id" INT,
    "station_id" INT,
    "download_id" INT
) /* One server event, as written by the database log handler. */;
CREATE INDEX IF NOT EXISTS "idx_log_entry_created_0f8369" ON "log_entry" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_log_entry_level_fca890" ON "log_entry" ("level");
CREATE INDEX IF NOT EXISTS "idx_log_entry_user_id_97c0aa" ON "log_entry" ("user_id");
CREATE TABLE IF NOT EXISTS "user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "telegram_id" BIGINT UNIQUE,
    "telegram_username" VARCHAR(64),
    "login" VARCHAR(20) UNIQUE,
    "full_name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(254),
    "password_hash" VARCHAR(255),
    "is_admin" INT NOT NULL,
    "is_active" INT NOT NULL,
    "storage_quota" BIGINT,
    "language" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_seen_at" TIMESTAMP
) /* A person, known by Telegram id, by login and password, or both. */;
CREATE TABLE IF NOT EXISTS "api_token" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "label" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* An opaque bearer token; only its SHA-256 is stored. */;
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztmltz4jYUx7+Kxk/ZmWwmcbi1fYIs2dAl0Alsu7OdjkdgxWhiS6wlQphtvnsl4fstOA"
    "EClDc40pHln6yj85f0U3OoiWx21pziIX1ARPsV/NQIdJD4kSo7BRqcTsMSaeBwZKvKcIoN"
    "HlQbMe7CMRcF99BmSJhMxMYunnJM5UO0JgF0Cn/MEBgh6CIXKN/fACX2AmDOwOCm+VGv1g"
    "BmgHHqIvNMNmzSsWgZE+sNbcwIFj6isxbiE+SKlv7+R5gxMdETYv7f6YNxj5FtxohgUzag"
    "7AZfTJWtQ/i1qii7NzLG1J45JKw8XfAJJUFtTLi0WoggF3Ikm+fuTAIiM9v2YPrMlj0Nqy"
    "y7GPEx0T2c2RKz9F52ILRphtHrD41Be2gYWmoIfI8IUc80pkQOn+gqU29vyS581C8q9Urj"
    "slZpiCqqm4Gl/rx8dAhm6ajw9IbasyqHHC5rKMYhVDVqxgSySRru1QS62XTjXgnKovtJyj"
    "7T3cXswCfDRsTiE/G3Vilg+mfz7uqmeXdSq3yQD6Riqi0nYc8r0VWRxB5iFm+N7DKEA4f1"
    "wPUNId0wNAQota3AvTg/X4GuqJWLV5XF+Y5dJGkYkKchfxIlHDsoG3TcM0Hb9FzP/B+bYr"
    "/JT1u8oNkXUdmbUgXwh53b9mDYvP1DPs5h7Iet+DWHbVmiK+siYT2pJcYpaAT81RneAPkX"
    "fO/32govZdxy1RPDesPvmuwTnHFqEDo3oBmZ/b7Vp5aYVYwbM/aqcU/6rmHkvS7vysDvyU"
    "D7TApHWgyUa5RKACIeL2cB+zCN15AIyNTq/iEzD5C40nSvRd6GLfIFLRTkjugRJGOUAdVL"
    "V796zewZ3Gf/6/Gt4Wx24TzIRaMflXh38caIL9fx5uCq+amtKcIjOH6YQ9c0YqhlCdVpwh"
    "LUTRc5upO0QAItBUe+heyzR71LrTbh7kLLEBBBWaGAsKlloKDaiwKiTxAQKB5F2o8ehd8p"
    "gAzMXcw5ImC0ACK1BzLlHEGGgGgbTCAxbeSmZcSbWlqzmGhh6/+iJ37R9cvLun5+WWtUK/"
    "V6tXEexJN0UVFgaXU+y9gSWxheVh37la5tc3wOadG2xYzOED0DB9p27kQLnDa1ar/DbLvU"
    "67Vgfsk/RTNqcNvsdv0pFIFJLStriS6QkIHH9jTk1iT6RlSkgxgTK2wa8hA95XyuEZeDoF"
    "wUf9rfhrHQ47M8uW1++xALP91+77NfPcL+qttvJZBvP7F/WaXt3/5eyFMk6LIL5ZDGnTZE"
    "de/UUhSrSefEptAsxzXhdQSbI0PfRzUprZqhmHwNm6+WfLG8wkkLmCKXUXIKHkSWpBTNUK"
    "hGy4UOwOap/C+WaUyAUDVgChmbU1eYqQtGlE8yTl3e3t7xBGbHTmC88csMLUWSNOG4luiy"
    "C6S3ok0z+MtZrYwlcuxM51clgrsW5zd9ICajVEk1s3RYC90dOmzUVxEyer6O0VMy5l481S"
    "j7JcecDu7QUV9JLuoFclFPy0XkQFzqUDdwOLwIoVdXCRGiVj7gaipI+AlM6fsJKcdDBF5d"
    "CXi1AHg1CRwzA5pOVmBuUWojSHJSvYhbgvRI+G0qdgSW7e6DtPr9bmwfpNVJbnR8vW2170"
    "4uFHpRCfOc3EOCG3P8mBGpXwQe+B2JlyAur6IJOWj8mFEOy+XbKdcD0vNbzrltSKxZ5k5r"
    "0Y2o0GeL+cnyTuXm43ljhWjeyI3ljeOFqOOFKO9SE0OIvPZCVMT3eCFq185WS+ybhp9EcD"
    "WcZax2nu/1lztkqyOAjIHPuIi+ZxM+73bP8yZ3l5vIxeOJlnWlf1lyWnihP6zz0h5zPobj"
    "Tu9u7fQ+Ipd5c2zVpCfichDHy1vQsHJSlSDsVT9Aupu5aE8JRyQjufh90O/lJJShSzKnwG"
    "MO/gU2Zvt4I7cAroQRyyRSVyWStyISKYJsoPXeR6XP/wF+X2Mj"
)
