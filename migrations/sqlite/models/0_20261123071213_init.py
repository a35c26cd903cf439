from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "audit_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "actor_id" INT,
    "action" VARCHAR(40) NOT NULL,
    "target_user_id" INT,
    "subject" VARCHAR(100),
    "origin" VARCHAR(64) NOT NULL,
    "detail" TEXT NOT NULL
) /* Who did what, when and from where: sign-ins and administrative actions. */;
CREATE INDEX IF NOT EXISTS "idx_audit_event_created_a87696" ON "audit_event" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_audit_event_actor_i_770e12" ON "audit_event" ("actor_id");
CREATE INDEX IF NOT EXISTS "idx_audit_event_action_3fd1cc" ON "audit_event" ("action");
CREATE INDEX IF NOT EXISTS "idx_audit_event_subject_aae2d5" ON "audit_event" ("subject");
CREATE TABLE IF NOT EXISTS "blob" (
    "sha256" VARCHAR(64) NOT NULL PRIMARY KEY,
    "size" BIGINT NOT NULL,
    "ref_count" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* Content stored once, under its SHA-256; `ref_count` counts the files that use it. */;
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
    "last_seen_at" TIMESTAMP,
    "rejected_at" TIMESTAMP,
    "unreachable_at" TIMESTAMP
) /* A person, known by Telegram id, by login and password, or both. */;
CREATE TABLE IF NOT EXISTS "api_token" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "label" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* An opaque bearer token; only its SHA-256 is stored. */;
CREATE TABLE IF NOT EXISTS "bot_token" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "last_used_at" TIMESTAMP,
    "messages_sent" INT NOT NULL,
    "bucket" REAL NOT NULL,
    "bucket_at" TIMESTAMP,
    "day" VARCHAR(10) NOT NULL,
    "day_count" INT NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* A token an external app uses to send messages to the token's owner (seed 004). */;
CREATE TABLE IF NOT EXISTS "login_code" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "purpose" VARCHAR(20) NOT NULL,
    "code_hmac" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "used_at" TIMESTAMP,
    "failed_attempts" SMALLINT NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* A one-time code; only an HMAC of it is stored. */;
CREATE INDEX IF NOT EXISTS "idx_login_code_created_7309ff" ON "login_code" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_login_code_user_id_560e5f" ON "login_code" ("user_id", "purpose", "created_at");
CREATE TABLE IF NOT EXISTS "message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "text" TEXT NOT NULL,
    "title" VARCHAR(256) NOT NULL,
    "format" VARCHAR(10) NOT NULL,
    "silent" INT NOT NULL,
    "disable_link_preview" INT NOT NULL,
    "reply_markup" JSON,
    "attachment_sha256" VARCHAR(64),
    "attachment_name" VARCHAR(255),
    "status" VARCHAR(10) NOT NULL,
    "attempts" SMALLINT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "claimed_until" TIMESTAMP,
    "error" TEXT NOT NULL,
    "telegram_message_ids" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "bot_token_id" INT REFERENCES "bot_token" ("id") ON DELETE SET NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* A message to a person through the bot: the delivery queue and the history in one table. */;
CREATE INDEX IF NOT EXISTS "idx_message_status_d1869e" ON "message" ("status");
CREATE INDEX IF NOT EXISTS "idx_message_next_at_8712b2" ON "message" ("next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_message_created_e537a8" ON "message" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_message_status_d36164" ON "message" ("status", "next_attempt_at");
CREATE INDEX IF NOT EXISTS "idx_message_user_id_4908ec" ON "message" ("user_id", "created_at");
CREATE TABLE IF NOT EXISTS "admin_notice" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "admin_telegram_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL REFERENCES "message" ("id") ON DELETE CASCADE,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* The message an administrator got about a new user, edited when any admin acts. */;
CREATE TABLE IF NOT EXISTS "stored_file" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "size" BIGINT NOT NULL,
    "media_type" VARCHAR(16) NOT NULL,
    "mime_type" VARCHAR(127) NOT NULL,
    "source" VARCHAR(10) NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_download_at" TIMESTAMP,
    "blob_id" VARCHAR(64) NOT NULL REFERENCES "blob" ("sha256") ON DELETE RESTRICT,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* A user's file: a named reference to a blob. Names may repeat. */;
CREATE INDEX IF NOT EXISTS "idx_stored_file_media_t_a7f58d" ON "stored_file" ("media_type");
CREATE INDEX IF NOT EXISTS "idx_stored_file_created_b21181" ON "stored_file" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_stored_file_user_id_1ead48" ON "stored_file" ("user_id", "created_at");
CREATE TABLE IF NOT EXISTS "avatar" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "source_sha256" VARCHAR(64) NOT NULL,
    "width" INT NOT NULL,
    "height" INT NOT NULL,
    "format" VARCHAR(10) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "image_id" INT NOT NULL REFERENCES "stored_file" ("id") ON DELETE CASCADE,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* A profile picture (seed 001): the square crop and its thumbnails are the user's files */;
CREATE TABLE IF NOT EXISTS "avatar_thumbnail" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "size" INT NOT NULL,
    "avatar_id" INT NOT NULL REFERENCES "avatar" ("id") ON DELETE CASCADE,
    "file_id" INT NOT NULL REFERENCES "stored_file" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "share_link" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "salt" VARCHAR(32) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP,
    "max_downloads" INT,
    "downloads" INT NOT NULL,
    "file_id" INT NOT NULL REFERENCES "stored_file" ("id") ON DELETE CASCADE
) /* An anonymous link to one file; the token is derived from SECRET_KEY, only its hash kept. */;
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
    "eJztXVtz2zYW/isYvTSZUTKx4kua7uyM7CqNt47dsZVtt3WHgUhYRE0CCgna0Xbz3xcAxT"
    "tIkbqZYvCSWAQOSH4gDs4df/dcaiHHfzm0XEwuKcMm6r0Ff/cIdMUfquY+6MHZLGkUFxic"
    "OLI/FB0NkvSc+MyDJuNtd9DxEb9kId/08IxhSgTF2EbARb4PpwhAAuQAWBAx6oEpZQBOaM"
    "D/BQQ9gsBHXh8gCzNkgUcb8f5kHtIAfhf/pbinRU1Oj8l0O8MHBH8OkMHoFDEbefwmf/zJ"
    "L2NioS/Ij37O7o07jBwrgya2xADyusHmM3ntnLB3sqN48olhUidwSdJ5Nmc2JXFvTJi4Ok"
    "UE8VdAYnjmBQJWEjjOYhYipMMnTbqEj5iisdAdDBwxOYI6fIDkWs8wLq/Gxs1obBi9wsRF"
    "FCmwF5dMSgTA/FF9+fZT8QgvBgeHJ4dvXh8fvuFd5GPGV06+hrdOgAkJJTyX495X2Q4ZDH"
    "tIjBNQw0+OIQdNPegaKoxP8bQUZiX5ctQjjKtgjy4kuCdrYHfAfz8YvH59Mnj1+vjN0eHJ"
    "ydGbV/EMFJuqpuL0/CcxG7wD5Us6XO/R9KQ4RrjYGs9Dlk5PwMoTIJiYEv1S6FMUXcJ9LY"
    "4jePjdvZLhCLiK6L6jHsJT8jOaS5DP+RNBEm6COVAXe+rHxTB7Bu7X6OuJribbiQcf400v"
    "/VHxd+dvjJh8+7Phzdnwx1FPxTQ2gOqHZKSOAptllGpsxdc7geb9I/QsI/MZixY6oLkrcd"
    "9ikztw81cg4fe3Fi8iHjuSEmd4TO8RUUqQUVu1+DjDXLCKui2VHYcE0BnkswcmCHrIA5L2"
    "B0CJMweY+eDm/fDF4OgYYB/4XOBDVlFAXHEMLQW2SwqUs2bY0LeL4J7Z0FOjm6XKocwffx"
    "U28rQwu/CL4SAyZTb/eXxYgem/h9dn74fXz44Pn2dFistFy0A2ZYUL/tbIaYJwTLAZcOvw"
    "6F5vJ+AevHpVA13eqxRe2ZbF1/SQQMOArAjyj7yFYRepgc5S5tC2FqQvoz/2cH/s8Re0rj"
    "hXXiypCvDH5x9GN+Phh1/E7Vzf/+xI/IbjkWgZyKvz3NVnx7l5igcBv56P3wPxE/x+dTmS"
    "8FKfTT15x6Tf+Hch1PRgwKhB6KMBrdTqj65GqOVWlc8MLjCtMu952g3M/OKR2zLxezLRES"
    "aVM62VM62ctUCHWKqcPZECEViYjR6QfO6iCpG0VisRop+B4o5L1YhfbQosLCy+kPUju68F"
    "7jzqil8eegt8/vW8wMSXDSkjMn5AwjLMB1LYnjc47obVjSpDXMc0jp1Y38r1kv0S6HY5P1"
    "3a1vlSpQ339TTJShv7cilt//T7DKLiCQp4lmuaCcW2VM2nU+QP66iah+Wa5mFB0WTQ41uJ"
    "0VweLRJu6evdO6k0Da8fTP5CpoLnl3+/KZKVPuCW8YPt20qoh6e4EYtIKDpnjdq8qc9CDG"
    "KFrW+MvpSwhoSiA/BWiSej38YZySSC8dmH4W/PM9LJxdXlT1H3FOxnF1enKj32idSuBy69"
    "ej2VyhW29CvVraTPcocNmHn0DjsIzLDJAg+BZz5CFnj16uA55082Av7nAPLLpkdnUicSHh"
    "hmB+6E8E+Lq0m8TXQT2893PhBD+UWXzjbuckseMbOBTwPPROB28dq3/OY+FZ3nkspCVjBz"
    "sCm+cjmySQMi/nbwPZLRRFTob3JI7UdqoR9J/t9gS4n6747j7WzTHhwd1dhTeK/STUW25Q"
    "QjuX4M34aDo+NG4lGesIOIb34Tf8QWU3hES9lE3F/bmhVSvY3w1FYI9aVwJgQaTwWed9Rz"
    "VYaxci6QUHRw+R/UU5IqdCTtTv4mzY/YLYu4LZcH3W4G226MN2lPrfbU7oOntsAHNoDpjY"
    "xzfMd11A4jm+aATZ3gKTt6bDVQeFkXtO9+vkYOLPFOZCwt42i0DuH+dfumqwS2UhtWBtll"
    "xiyDZXovM2uVQ6StO+2y7vj4vwr+WApr1F1v5yoPbbhUmjm90zQaVZVKzDfdZpimKDSiy8"
    "XOxF2xppCU+Eb2DOC6AlJmsS4XPu8W4qKWPZdDm1qzbYq/PHXoRCVCyeuVctMk6rHUBXhG"
    "CUOELXKpAOUfQx8EfLq8dLbVD+CTh+4M6T37FDrRfOmSk744/hdkwjvHSYphlxu/wy25Ja"
    "MH5M2BaUMyRYDepYn70tE3c6DJHwBQD3jIpQ/i72g4/gzAwv59H9gcQkR8IAoK3BIOFfHD"
    "uKXwhjbl08T/xD7w6ON3PnCoeS89jBAIiEUSGkH8UcJ7yCoFYnwY3oY/E/I4PY1wWUP+XM"
    "FDs2HXTAcTqZpKplVxul0UTnecKh+v4QbiVoZmd9i/arG0pT0O9aDuVgJbg+ClrJC4pqWs"
    "kwLiVo1kp5SV5uXHbdXiHWWN8vLDJHpRcAl9Ycgj0AF8cCFPSenER1xgWtQxkBeEoCRJuM"
    "hDH/mMxhFbh88VKfsbH17b6dplp9Np5tsNndbVEnYSfaWFoWUbYduFn1rhFzp9/1uZ6Uio"
    "MHzUSGks0GnFMa84TgLzHikwfedQWIJqQpKD807Q7BugFWj9ePXx9GIEfrkenZ3fnF9dZh"
    "eGbBSX+AUc2pGvR8MLJb4rcKgMoWZPbWZPFpw3kecW3TsoMm86jpYj1dhQmKHR/F7HV+r4"
    "yhYY2vqbq4RTFAvXM2zWL13azi10t0bNCzodEebNewqjZtzWrzJqOnRqoLjbUqPmFUGAfy"
    "zC+SprC/UB9MGjhxlDBEzm0sgoDFoT6CPAxwY2JJaDvKL9cq2RdCWgVjsXdSWgb1sEd/iK"
    "Vliub1zoOKULLSballzzBKvt9eDkOF5f4kfVirr5MLy4KMqInPdNVUJMhR8gpuhkfuAWXA"
    "GlpdfL63ykSDqB8i5KfTyt6tOy2kCbLrbEpGTdDNIska5hVYTVoo/EodBqhmuOSgNboqg/"
    "TYQv14wwOeN/99Rq06Kxv0RvwoTPuFXzhK8hoAS9EKIpEESLoxUgAe8/DM9ELC1mlQc0NC"
    "ZfriL9keGogcelQPkyKUn7Tx3xscuIj9Qk1JX1UiSdEENy1XfqyHqDclFvUCwGwVePYbvQ"
    "bAJyhqiDMH/rQR9az19Nz0dfZpgPt8IsZyl1aE+rp3nFqB4d0LMn83sHsSOniiF3xhQOnG"
    "rDnYK8M57eTRjwtJNXO3n328m7TWU8cvgqVPGUL7hcEU/ZYeto4dEx2Exkk86Q58usU48G"
    "U1u6HCeUhdVx+Y2wTHflkxwgmd0qLttY6NhzkbvKNXIgH0Olrm/lPiIHV5jsAv9t2N0Ct8"
    "Hg4PuBzPYQybbJT9YXWbghbwbPZNneT8jzqPfp+UuQPB8f/9OC+BN4tLkqeUtMB2IX2NAH"
    "oZjG6UXO8MyjJqcCFkbWc2FtWDwCnPKvrrbNIXx+0ZugLyzaNaSxoQ8yJomV7RDanbsrd+"
    "49f/kminTUf4fRdox/Zb1tTcKWI+6iZ6/rk4r6dyCYcdfuKIaZqnJHRR5QRNABsPMlr4/r"
    "WN2O8ipLuuT1cf5T3o8qt70Z3/rIvrILn+/1qujcU0odBEmJCzAmysE84VTbwjm+slvOcX"
    "p1dZHhHKfnedbw8cPpiMMuUU9SCRR+QewLAAwHk3tj5qEHjB4bIl82xA7nIZJY9nYaPDRz"
    "5oYLvftgVoT/XzdXl2rs83R5AxU2GfgfcLgQ3inTlACkeuvM75L9rLlJDJDfOrkID03b5V"
    "xkhRMNlMRbOvqpUx6WFHBNj+tQkHYP8e0c3BErr3WxTih2diBfL9TL91WKWdUMre3PJfbn"
    "vJ2lgGu1G0dBrr2ybXbnSPMdsoyAMNXRdUvc73li7bpr81xLi24TE1FM0AGzxc5tRMhBUw"
    "+6xsJ4bmBLsUuVKx1l9GspH6tNyT/uAhKW3JwE2GGY+C/F/f75BFO1FZ1Exx99C9xPuLlW"
    "mOIUmd7d2jy/ccW9ZuETeTIdfq+DUraDqA5K2XZQipIdbADXdMnP/eIEdaHNc8EMvvwhwO"
    "XHi4t6pR2g5WLCuTTD5rr1HYZiqEs5Uoc+660WebixoYcuMLnvKWKkksZ+VZSUL7pJT5Ps"
    "tzxQShSWpWTu0sAHgkwEMolAJFG7+IeklqwIA7KQh0UV/juPuuBmdHbNQf559J9+mKMkIo"
    "dEtUxwj2aKcwq2eSNd0LZd6U0+dBpFAET9O5hx83pQw2z+elBqNhdNupqtTmxq0xfeJc2z"
    "RZlN7RQ/OzHLgldEqfoKuba8km2eTlsYyisnNAF2fVDb6MTV5yK2CtEKo40+vm/vj+9LYa"
    "9SlzMzU6Evy35G9D3UySwSpqzvfKm3vgUQiBtb4WF0iH8sYSKQOL7uJbjkTT5w4Zw3z7hQ"
    "qMofWnO0htU/dMmPp9KJm8burRWw1zZWs4uIPX2k4O6PFOS8CsMQuQafdpZqZ+GSO/u+D+"
    "qk1RyUZ9UcFJJqXK5BNoc5TdRBNnIwqPqAY5wHJ+VAi7YcG6GBZzaCOaHoIsYbj/o1qesq"
    "k5fKQ9lSJDqYrXEw234ZMnWE1BqncsXVKFc8mStHr22abZ5xoRQqbUTlW1WKpIN71eZ9QD"
    "p2SsdOtcAA1yx2iq/xDUB6uhimo5CmOGEG0mvOlq/Pz8Y1w6UeIIN8atz1j8MZyqE6hHg2"
    "1S8EitmBOyEQOxsBaxyN1lXUZCzXuufHp8PGugLSNt0Kci9ROBSiPabclRBtZnV8CGGhsD"
    "6459KdPAVpvEgZAtjqi9+y7LgsEjaDvv9IPUuW+ZpQZqu8CGuPp0Po2uUuiFPImtY9yxFu"
    "JGChDUjv2LIdwyhWdVPfjZK4e5UXNq9wSS7VBOmYYCPotiigcfMF8e/4XRtXEMkQdcD4mg"
    "e5HspVMBdwRi5UZeOXYxwTdI9DDI7qsAjeq8LTW2ASkQDTOAa6QNhFwLfgWse+IRODFIJI"
    "VdmzNJkuOdeg1pkAzmT4QRXPsAzwmE4j3gBxEQUm6jR8DiiDzeTtAmmHQoR3LHM7kEwD5e"
    "mMFQJgimaH8gnaUe3QNzW4+ZtSXv5GJ7XUx52/oHVFnHkvtsTtg6twwTiW+4Z9hMiqfuEU"
    "rfYJt9kn7KG/kLnaAs+R6nlu8zwHhHMr05ZVhVc4r6lArWe7bbNdcJrr8g0bd0rOcFg3Y1"
    "2oZrhuhZH9xEl6W7V/uwKiuATLmig1KFazlzglhymvCVTm8OYuIrWoHLkmTKmDtboIkkia"
    "Wzc+oosZnFsNkBgiD5t2TxEisWjpVwVJwKTPsjCJchh0sEK7ghUekOcvVlldu12KpIOhyF"
    "txw4hF1QDhRfcOontQy217UOG2PSi6bfkdmTIvqbzMc4pk95Wdn0Z33lgN5wb67eY3s6//"
    "B0VS43s="
)
