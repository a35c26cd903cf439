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
        CREATE TABLE IF NOT EXISTS "admin_notice" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "admin_telegram_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* The message an administrator got about a new user, edited when any admin acts. */;
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
        ALTER TABLE "user" ADD "rejected_at" TIMESTAMP;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "user" DROP COLUMN "rejected_at";
        DROP TABLE IF EXISTS "admin_notice";
        DROP TABLE IF EXISTS "audit_event";
        DROP TABLE IF EXISTS "login_code";"""


MODELS_STATE = (
    "eJztXG1z2jgQ/isaPqUzpJMSSHK9TySlTe6ScJPQa6edjkdgYXSxJSqJEKaX/36S8PsbmA"
    "ABn79kgrSPLD9rrXallX7VHGoim79tmw4mt1TgAaq9B79qBDrqn7TqOqjB8TioVAUC9m0t"
    "D5WgQQLJPhcMDoSsG0KbI1lkIj5geCwwJQrRGyHgIM6hhQAkQDeAFUhQBiwqAOzTifwLCJ"
    "qCCUesDpCJBTLBdISkPJnNMUA+hb9VzzTpQOIxsTbT/ITgnxNkCGohMUJMPuT7D1mMiYme"
    "EPd+jh+MIUa2GWETm6oBXW6I2ViXXRHxUQuqnveNAbUnDgmExzMxosSXxkSoUgsRJF8Bqe"
    "YFmyhaycS2XS14TM97GojMuxjCmGgIJ7ZSjkLPOxCU1Qzjttsz7js9w6glFOchQmS7RQNK"
    "FMGyq1y/vaW6cNh41zxtnh2fNM+kiO6mX3L6PH90QMwcqOm57dWedT0UcC6hOQ5InX9yAt"
    "nIYtAx0jg+x1Ymzanwxax7HOfR7hUEvAdjYHvE/9ZoHB+fNo6OT85azdPT1tmRr4FkVZ4q"
    "zq8+KW1IASqH9Hy8e+oJWYz5YCushyiuUsDKClBGLJX9TOpDiDLx/iKLo2z48CHV4Ci6ku"
    "x+pAxhi/yJZprkK9kjSOaTYIxUd0797DazZ+Q+e1+PVxpMJwxO/Ukv/FHJd5dvjIR++4v2"
    "/UX7Q6emGe7DwcMUMtOIUK1qaIPGSnzZZJXTcOIlkEhjYrpvofrseTJj3KMPiKR6OV5dvo"
    "szxnLy98QW+jdtAugYStWBPoIMMaCxvwNK7BnAgoP7y/Zho3UCMAdcOiXITDoxK7ZReSq7"
    "5alorRkjyEdJci9GkKWzG0XFWJbdX8WGvC7NDnwybEQsMZI/T5o5nP7dvru4bN8dnDTfRK"
    "e9W7emoauiE6B8a2QXYdgHrIfcZQx0rbYVct8dHS3BrpTKpFfXRfkdMKTYMKBIkvxB1gjs"
    "oHSio8gY26YLfev9s4eTY02+oNmVVtkdUjnk965uOve99s1f6nEO5z9tzV+711E1DV06i5"
    "UenMT05DcCvlz1LoH6Cb51bzuaXsqFxfQTA7net5rqE5wIKqP0qQHN0Oj3Sj3WYqOKC0NO"
    "6qvoPY5dg+bdLu+K4vdE0R4nuZquAogqgKgCiMwAYmJi0XlEut/JECKozQ8ilJyBfMGFYc"
    "SXEQUmVquSUNS9tUkTDBl11C+G3gMuv55DTLiuCC104kekVi9lQynro2tsd83hRt5iUcki"
    "jq2sEGXHJfvl0G1TP2Wa1uVQpQXn9TBkpYl9sZe2f/F9hFHVgwSf2ZFmgNhUqPl6gXxzmV"
    "CzmR1pNhOBpoBMTiVGcX80CdzQ17t3XmmYXj7p/4MGKTY/+/sNQVb6gHfMHmx+rYQybOFC"
    "JiJAlG41av1LfSYSEKes9fXQU4ZpCBAloDfPPel87UU8E4/Gg5v21zcR7+S6e/vJEw/Rfn"
    "HdPU+LY18n7LqmVocINqulBF1+XT0v5LKpZSBfbGHA1SUIyPnjETGgw7Q6gBxMGRZChkj9"
    "GZAhDlAedR9yBGTbYCTDIxuxZIj1opaqoKoKqqqgameDKluO6JT5596Btp050HzQphZLX2"
    "G0HTdOT/zxpX7kjaj7m/b1ddIhlbbPSlsZzdm58xHbm8332yF106yKuEwhSClY3obX9Lr7"
    "KTsWZq07bhVQdaEYpVFQtRyQpNWkU2JTaBbjNYaqiM3Y/Xu1qAmTC/l/LT1scivrC+ImTK"
    "TGzSUT+tuAEnSoXFOgQG6WGiTg8qZ9AegQYJGb61YYvjhE+h6xqBMmvUD9MiFP+0eVCrfN"
    "VLiQEpb19UKQUrghUWevsYyv18h29RrJNC05eoyRAwdFSI6ASkjz+pcgqzj//xDno6cxls"
    "2toOUosoQ5j2VS84r5jVVq457odwixrVUlkDMWvOjCXQp8e/mOR5t19daxgFdljlaZo1Xm"
    "aFYwrllPicM9bWSH4J7alwm+x4hxSurgQdpAvb3Yc482A2zW1W8dz+tczjHkfEqZLKYM9K"
    "kYpUXjL26vOoW2W6H3yifl13FGPu7b7ALTWz6f7dOoRrUuTGgh5zBgGnhDqVilCtO1lSq4"
    "tfiCNKzd+s43vNI0lE81in7JEVAJcrHiJC/Hch7NCZ6Rk5rsls2xDyifhWi0ljERUiqb4F"
    "bCSHgOTOEz2glgGQlvLUV4K4fwVpxwzA19oCjFEaHURpBkuHohWIzpvsRtynb4JdtdZTnv"
    "dq8jCyznV/Gsg8835527g3eaeimERYbvoYgbqINbKxDu4yrGCzCu9inVtUY/J1TAYv52Al"
    "qizfUt+9w2JNYkNe0p71aIALNF/2R+r8zm7fnZEtb8LNOWn+33Nth2P/mSXwrBESKrXgoR"
    "wlY7J7u8c8KQOvi10gCPQSs975qeCySrxa/dnN/0mrKRdu7CP/55h2yYceo1/XbZPTPvWb"
    "sS0aPC3qVxL6UqdEVdGXkKkg1fSFQkubEsTG30XhPE8GBUS7vTZF5Tz73PJJBZtEeVTUO1"
    "U7RbO0WPiPGCFxyEICXMHtzIGpgaVAUYdsVLyO5mLiukRLiXLEUZ/uO+e5uVA+tD4r4qHg"
    "jwL7Ax38fclBxyFRkRDzVx7il+xCnmeqoGXv20+PN/Z57fPA=="
)
