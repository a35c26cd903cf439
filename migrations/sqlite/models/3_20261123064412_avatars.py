from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
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
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "avatar_thumbnail";
        DROP TABLE IF EXISTS "avatar";"""


MODELS_STATE = (
    "eJztXVtz2zYW/isYvTSZUTK2fN3kSXaVxhtfdmx1223TYSESklCTgEJAdrTd/PcFQPEOUq"
    "Rulhi8JDJwDkh+IA7ODYd/tzzqIJe97ToeJreUYxu13oG/WwR68oeuuw1acDKJO2UDhwNX"
    "0UNJaJGYcsC4D20u+obQZUg0OYjZPp5wTInk6I8R8BBjcIQAJEANgCUTpz4YUQ7ggE7Fv4"
    "CgZzBlyG8D5GCOHPA8RoKezAIeIK7C3sprOtQW/JiMNjP8lOAvU2RxOkJ8jHxxkd//EM2Y"
    "OOgrYuGfk0driJHrpNDEjhxAtVt8NlFtV4R/UITyzgeWTd2pR2LiyYyPKYmoMeGydYQIEo"
    "+A5PDcn0pYydR157MQIh3caUwS3GKCx0FDOHXl5Eju4AbitpZl3d71rYde37JauYkLORJg"
    "z5tsSiTA4laZevqRvIU3ncPjs+Pzo9Pjc0GibjNqOfsWXDoGJmBU8Nz2W99UP+QwoFAYx6"
    "AGrxxHLhr50LN0GF/gUSHMWvbFqIcYl8EeNsS4x2tge8D/o9M5OjrrHBydnp8cn52dnB9E"
    "M5DvKpuKi6uf5GwIAiqWdLDew+lJSIxgsdWehzSfmYClJ0AKMS36hdAnOJqE+0oSR8rw4a"
    "NW4Ei48uh+oD7CI/IJzRTIV+KOIAk2wQyo8z315/kwewbut/DtCVvj7cSHz9Gml3ypxLOL"
    "J0ZcPf1l9+Gy+2OvpRAeQPvxGfqOlYJa9tAOzbREtPkur+NlWyARwsSZP4W851CTmeA+fU"
    "REq+WEfeUqzgSLzT8kW6jfdAmgEyimDgwQ9JEPFO97QIk7A5gz8PCx+6ZzcgowA0woJcjJ"
    "KzFLjmE0ld3SVNSsWWPIxnlwL8fQ16Ob5sqgLG5/GRnysjB78KvlIjLiY/Hn6XEJpv/u3l"
    "9+7N6/Oj1+nd72buc9HdWV3gDFUyO3DsIRw3rArSKgW62tgHt4cFABXUFVCK/qS+Nr+0ii"
    "YUGeB/lH0cOxh/RApzkzaDtz1rfhjz3cHFviAZ07IZXnS6oE/P7VTe+h3735l7ycx9gXV+"
    "HX7fdkT0e1zjKtr04z8xQNAn656n8E8k/w291tT8FLGR/56ooxXf+3lrwnOOVUWOnPFnQS"
    "qz9sDVHLrCrGLbGpLzPvWd41zPz8lndl4vdkokNMSmfaGBDGgDAGRKEBMXUw7z0hdd95Ey"
    "LuLTciJJ2FIsKFZsQvYwocLL2SkLdD36QDhj715F8+egeYeHveYMJUR8LRiZ+Q9F6KgTT+"
    "0TWOu2Zzo8xZ1DCLYyseomK7ZL8Uum3OT5O2dbFUac19Pcmy1Ma+WEvbP/s+hai8gxyexZ"
    "ZmzLEpU/PlDPnjKqbmcbGleZwzNDn0xVZi1ddH84wbenv3TitNwsumg7+QrZH5xe9vgmWp"
    "F3jH5MHmfSXUxyNcS0TEHI3zRq3f1ecgDrHG19dHXwtEQ8zRAHjL1JPer/2UZhLC+Oqm++"
    "vrlHZyfXf7U0iegP3y+u5CZ8e+kNn1JLRXv6UzuYKedqm5FdMsDtiAiU+H2EVggm0+9RF4"
    "xRBywMHB4Wshn8YIsC9TKJptn06UTSQjMHw89QZEvFrCTBJ9kkxuPz8wIIdi+ZDOJq7ymT"
    "xjPgaMTn0bgc/zx/4sLs6oJJ4pLgc504mLbfmWq5FtOiXyt4sfkcp4odJ+U0OaONIOxpHU"
    "/zW2lJB+exJva5t25+Skwp4iqAo3FdWXUYzU+rHYGHZOTmupR1nGBiK+/k38GTtcExEtFB"
    "MRvfE1a7T6McKjsUapL4QzZjB4avAcUt/TOcaKpUDM0cDlf1jNSCqxkUw4+bt0P2KvKCu0"
    "WB/0mpkQujbZZCK1JlK7D5HanBxYA6YPKs/xg7BRG4xsUgLWDYIn/OiR10ATZZ3zfvh0j1"
    "xYEJ1IeVr64WgNwv3b5l1XMWyFPqwUsoucWRZPUS9yaxVDZLw7u+XdYfi/GvlYCGtIbrZz"
    "XYQ2WCr1gt5JHoOqziQWm249TBMcBtHFamccrlhRSYpjI3sGcFUFKbVYFyufw7m6aHTPxd"
    "Am1uwu5V9euHSgU6FUe6neNAgpFoYALynhiPD5WSpAxcvQBlMxXX7ytNV78KePhpaKnv0Z"
    "BNGYCsmpWJz4BbmMzgmWfNrl2q/wmXwmvSfkz4A9hmSEAB0mmdsq0DdxoS1uAFAf+MijT/"
    "J3OJy4B+Bg9tgGYwEhIgzIQ++fiYCKsCBvKbjgmIppEj8xAz59/oEBl9qPKsIIgYRYHkIj"
    "SNxKcA11kl6OD4PLiHtCvuCnIS4r6J9LRGjWHJpp4EGqupppWZ5uE5XTLR/njtZwDXUrxb"
    "M97A92WNsyEYdqUDfrAFuN5KW0kriip6yRCuJGnWTXdNQTusZMp9pFfaXqnUtHForIFup4"
    "dwQBhnypp6hjOEJDYuDZx1zoZWAwU3qR3AkHUChYYmyhFhHHRX5el1tpJHNoZqf3YXNo5v"
    "uOWrtiRWvyix886LqFCy1i2pTq9QKr7ahzdhqtL/lH2Yp6uOleX+f1LiH7Rrp4akllhoij"
    "kak0GzhwMC+jlQe5OCU+wdIIlLeRFf+yWRg7doxm3eeSuNKu60GaZjLHvfKwOvSZuBQ69X"
    "DNcBlgC4I3L+MMF5YRJpfid0tvNs072wvsJkzEjDsVC7Z2ASXojVRNgWSaVyGDBHy86V5K"
    "tzPmpbXMarMvNpF+T0nUqS+0QPUwCU37D5PEsM0khsQkVNX1EiyNUEMyB1Wq6HqdYlWvk8"
    "+bFqvHGnvQrgNyiqmBMK//dIqx878HOx99nWAx3BKznOZsYEigSdO8ZP06U7puT+Z3CLGr"
    "poojb8I1QZxyx52GvTHR03U48Mx5E3PeZAcy03a0MuCD0LrRNSaPLY0xHne2y4xxJsksN6"
    "SrUl0cEkpmHp0yINlkYpUwsFWu1XsVelT1o6VJ7SAfy3QsVdvvoXd5L6brU+8/7biMuCwy"
    "DR7RRJOwtskLmRMIu2W8M+jWqwo1p2+gPXnUqWBPHnUK7UnZlSlqZorA52H+3s12o/Avqf"
    "DvkN1uzLqNzbKUFWEgSmPUFX9TKstnwlfFccE6wK4O6i6ayOaA3E4hWmInm3Nce3+OK4G9"
    "zlxOzUyJvazorPB9qBK9ThRMfCe/+yku7ASnkpB4WaRZG5xjegtuRRcDHpyJ7olQCnXB7B"
    "VHqxnbNgHtl7KJTc3FDddcNGfLXuJbrQ6GAXI1Xu00V/MK2R+eVknLzdpDiazc01xSrrAg"
    "68OcZGqgGDnslL3AEc6ds2KgZZ+udGst52XE0USM11+tkXoe0h1GLc4vT7CYmuu1s8v3y5"
    "Fp8o+WPGckv5AY5Vov+YXFDL/xae7yjEujUOsjKt6qEiwN3KvWHwMy6SomXWUHHHC1yqOG"
    "RYpWhDSshtRQSBOSMAXpvRDL91eX/Wp1UcPiYbLI6lpKozYI8dRLma04aurIVkFN5XKtWk"
    "gkmTbWFJA2GVZQe4kmoBDuMcWhhHAzq/SFKOQzStrgUWh3qsZHX4igkQ89gJ22/Fsdqgtq"
    "rkHGnqkvmqkPBpSPdVGElcczKXS7FS7g8/nTqp9lXu0M41oSFnYB6S17tiMY5aquG7vRMm"
    "/oe5eNMriUlKqDdMSwFnR3KKFx/cc9h+KqVt03OcXUAOdrFuRqKJfBnMMZedovihZjHDE0"
    "T0J0TqqICEFVEunNCYlQgamdA51jbCLgGwitY2ZBx9MJ5gtKXQRJgaqXYMsgPRB8m5IdUc"
    "t2/ccXd3fXKdfxxVU2OPPzzUXv/tWhgl4QYV6ge0jgbI6fdPkMiwCP+AziNRCXWWDyQzlf"
    "ppTDevp2jrVBKcJb1rldSEZTbe2xEgUwwbNF/QSR7Wgo5xWk+XmhLD83h1qq496swsW52D"
    "BDiCwbF07wmpjwLseEffQXspdb4BlWM8+7Ns+5MGqlCJVUwMUwHNsrR6jkULdqpD0U79XC"
    "VBNsqYOyq0I1wX05TGNxUvE3E/EsgSguirgiTKkijE1Eynwt4QWinF3kY3vc0sQ55z3t0g"
    "+IxjTms6Hbek82HXF8Qj6br7KqxneCpYH5hBvxpcpFVQPhOXkD0d1I8Xo7+CpeHuF/Ptzd"
    "Fh0uiFiyNg+2OfgfcDHbx8zNEnAlGClLJ3fMIHuioJ02YeQAFy9dxPrb/wHL931f"
)
