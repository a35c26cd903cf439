from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "blob" (
    "sha256" VARCHAR(64) NOT NULL PRIMARY KEY,
    "size" BIGINT NOT NULL,
    "ref_count" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* Content stored once, under its SHA-256; `ref_count` counts the files that use it. */;
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
        CREATE TABLE IF NOT EXISTS "share_link" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "salt" VARCHAR(32) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP,
    "max_downloads" INT,
    "downloads" INT NOT NULL,
    "file_id" INT NOT NULL REFERENCES "stored_file" ("id") ON DELETE CASCADE
) /* An anonymous link to one file; the token is derived from SECRET_KEY, only its hash kept. */;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "share_link";
        DROP TABLE IF EXISTS "stored_file";
        DROP TABLE IF EXISTS "blob";"""


MODELS_STATE = (
    "eJztXVlz2zgS/isovUymSknZ8rnJk6xRJt74mLI0d6Y4kAhJWJOAQkBxtLP+79sA71OiLk"
    "sMX2wJQIPUB6LRX3cD/Kdhc5NY4k3btCm745IOSeMt+qfBsK0+ZFU3UQNPp2GlKpB4YOn2"
    "WDU0WNhyIKSDhxLqRtgSBIpMIoYOnUrKmZLoTwiyiRB4TBBmSHdAlZDkDhpzifCAz+AvYu"
    "QJzQRxmoiYVBITPU0ItGdzVwbBVcQbdU2TD0GesvF2up8x+nlGDMnHRE6IAxf58y8opswk"
    "X4nwv04fjREllhlDk5qqA11uyPlUl10z+V43VHc+MIbcmtksbDydywlnQWvKpCodE0bgJx"
    "DVvXRmClY2syxvFHyk3TsNm7i3GJExyQjPLDU4Stq9gbCsYRh3932j1+0bRiM1cL5EBGyv"
    "aMiZAhhuVehfP1a38Lp1fHpxenlyfnoJTfRtBiUXz+6lQ2BcQQ3PXb/xrOuxxG4LjXEIqv"
    "vISWKRsYNtIwvjKzrOhTlTfDHqPsZFsPsFIe7hHNgd8P9qtU5OLlpHJ+eXZ6cXF2eXR8EI"
    "pKuKhuLq+kc1GtCAw5R257s/PBGN4U620uMQl6sHYOUBUEosE/1c6CMSVcJ9LY2jdPjoMV"
    "PhKLjS6L7nDqFj9pHMNcjXcEeYuYtgAlRvTf3Z6+bAwH32nx6/NFxOHPwULHrRhwp+O/xi"
    "IvWv77R7nfYP3YZGeICHj0/YMY0Y1KqGt3iiJGibrrJbdrIEM1Ampvcr1D37lsyU9vkjYZ"
    "lWjl9XbOJMKSz+frOF9k2bIT7FMHRoQLBDHKRl3yHOrDmiUqDeh/br1tk5ogIJMEqImTZi"
    "VuyjtlT2y1LRo2ZMsJikwe1MsJONblwqgTLc/io65GVhtvFXwyJsLCfw9fy0ANNf2g+dD+"
    "2HV+en38eXvTuvpqWr4gsg/GpilUE4ENgMuMso6EZjJ+AeHx0tgS60yoVX18XxHTpEoWFg"
    "mQb5B6iR1CbZQMclE2ibnugb/8MBLo4N+IHmPWhlb0oVgN+/vu32+u3bn9TlbCE+Wxq/dr"
    "+ralq6dJ4ofXWeGKegE/Trdf8DUl/RH/d3XQ0vF3Ls6CuG7fp/NNQ94ZnkwNKfDGxGZr9f"
    "6qOWmFVCGrCorzLuSdkNjLx3y/sy8Acy0D4mhSNdE4iaQNQEIpdAzEwqu1+Ivu80hQhri0"
    "mEameQoOFCGvHrhCOTKq8klk3fN2mikcNt9c0hb5GAp+c1ZUJXRByd9AtR3kvoKMM/usF+"
    "N0w3ipxFFWMcO/EQ5fOSwzLodjk+VVrWYarykut6VGSlhX2xlXZ4/D6GqLqDFJ75TDOU2B"
    "bVfDkif7oM1TzNZ5qnKaIpsQNLiVHeHk0LbunpPTirNAqvmA3+Q4YZOj//+Y2IrPQA75k+"
    "2L6vhDt0TEupiFCict6ozbv6TCIxzfD19cnXHNUQSlQA3iLzpPtbP2aZ+DC+um3/9n3MOr"
    "m5v/vRbx6BvXNzf5XFY1+Gdl1ZfNDIIFy6vFlEtQZ+i4Ucq8OZBELmhVAQB/bdRDMYWCca"
    "ZHmH/nbICB6pGZN/I/1PICA8aEQtoj5hqRJJQCTNtjZ+hU/sEwO66czRcILZmCA+igo3NW"
    "ebWngIN4C4gxxi8y/qs98d3APwP/HYRBOAkADLU7kunxhAxYRrrrgXnHAYJvhIBXL403cC"
    "WXwIUoIjjBTEKvbEgNB619AJNKp/7F4G7ok4IM99XNZgi2KCAaVS61YgUcdPcpRqPj0U9L"
    "+kHD33JarkDNxxFkcwh0uYvTGZ3WF/dCD27mG5Oeq41epxqxI2S/h46MU1Q895Yu8/PhAL"
    "59B3zxjp6WX9PXR0gM9Anl/+eZtm3Q0fd8HWmGeZdkFdoXln8bFBgmYLbbx7RpAgjrJTtP"
    "cdLCSBnhwqwS5Dg7m2i9RKOMBgYEHfYBYx0yJO2pZbq6faV77X63DtK/+2feUWzOgMt0LP"
    "xpaVO9ECoW2ZXi8w205aF+fB/FJfimZU77Z9c5O2u0D3jbMC3gUJWYHE7pw0h+1n9LLny3"
    "jCIiKVQHkXzrCXTZPZM+/5psMRUlvX5SCNC9VRnjSsJn9iFsdmOVwTUjWwOUldL+MMB2ZE"
    "WQc+N7Jpk1fZXMCbKIMRN5fcp9lGnJHXyjRFSsjbfIAZ+nDb7ii3M5WFWxhKiy+mSH/GNO"
    "rMAStQ/5iIpf1XvcNhlzscIoOwrK0XEamEGRI39lrL2HqtfFOvlc6+h9ljTGw8LANyTKiC"
    "MG8+slzz/G+B55OvUwrdrTDKcckKhgSqNMwrblupd6wcyPiOMLX0UEliT2VGEKfYcZchXp"
    "no6SYcePWGoHpDUL0hKI+M98DqJjeUPTYyyHhY2Swi40I1Myy/3TKHCmDG2dzmM4GUmEqs"
    "AoKtc63e6dCj3jauKLVJHKrSsfSWnl638wDD9bH7ezM8PUDtLUePZJqRsLbNC9XHE+wXeR"
    "fYKpcM7rWvIJ88aS3BJ09auXxSVSX2MtRnP6Rh/tZpe23wr2jw7xFvr2nd1kZZ6Qo/EJVB"
    "6vKPkkvK1eGr/LhgGWDXB3UfKfLGIFU2cTmeHJGoefJinjzyMmvX5MmVTNNtJthy5NHaK7"
    "YcYp9Fl2MjU8CXdTvDfx6WiV4r78F3QvPWt+q4X7iw6e5KIvCwKFrr7mN6g+6gSiAbz6F6"
    "CkZhVjB7zd5KxrbrgPZLcWL9PwVrPmHz21eQE7fOzpaJZZ+d5QezVV0i6aveW/YSRzSbFL"
    "vIlXi041LVO7/i+HyZtNwkH4pk5Z6nknKBQZaHOSpUQTVy3Cp6gAOcWxf5QKu6hBrhM2dY"
    "CuZQoooYL5dhXpBgns46sm2StRk1P788IlIftVA6u/ywHJl1/tGK+4zUwahBrvWKB6sm5G"
    "uf5j6PuCKFmT6i/KUqIlLBtWrzMaA6XaVOV9kDB9zCdJWkWtgApP5pSBWFNKIJY5A+gFp+"
    "uO70i5yaseODnLVPeojm9VQE7a0e9KAne4bH11cC+b5eX9ss4+SdEkdw1kSPsPzqQxj63n"
    "u9EDWb6rve9eQeioWFeOIOFHMHDbicZLl51+6vznHaL3/uyq+J28QL4pJm9T4gvWPXYwCj"
    "mtVlneuZwls6h7RSFrHWUmWQDgQ2gu4eZZxtfj/eCK5qlH2SY0IV8I4lQV4O5SKYUzgTO/"
    "Ok13yMA4HqaYjW2TIqAloVhOJSSsI3YEonqaYEqwj4FmKfVBj6bRoZhgjnFsEsx9SLiCWQ"
    "HoDctnRHULJbB9/V/f1NzLd3dZ30nv98e9V9eHWsoYdGVObYHgq4oXpryQqAB3I14iUQV2"
    "k66p2+n2dc4nL2dkq0QjmcO7a5LczGs8zDoYpeiRjK7NA+cV+qun19frmENr/M1eWX9a6D"
    "5XGv1smyqeCdIIStGriLyNZBu30O2jlEvfVkpQmeEK3Hed/GORXnWiaEoA1w6EbS4bqRhL"
    "bq6k73dIDqPTeWEHtPlv/G9HWhiryfvYo4hUeyrQlU7Ai4KiJVn9X+AiG8NnHocNLICOJ5"
    "Nc3CN56GbRYF8vJhqMNp+xVO+0IcUfIViBGRCmYzbcVRqCZVCYS95hVEdytHZw/dd3KlEf"
    "537/4uL7U5EEka9HQo0f+QRcUh5o0VgKvAiJnxqSTnZD5zwj5XHbz4++Se/w/n/077"
)
