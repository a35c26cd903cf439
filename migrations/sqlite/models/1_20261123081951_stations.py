from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "station" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL UNIQUE,
    "host" VARCHAR(255) NOT NULL,
    "port" INT NOT NULL,
    "login" VARCHAR(255) NOT NULL,
    "password_encrypted" TEXT NOT NULL,
    "tls" VARCHAR(10) NOT NULL,
    "verify_tls" INT NOT NULL,
    "root" VARCHAR(1000) NOT NULL,
    "include_masks" JSON NOT NULL,
    "exclude_masks" JSON NOT NULL,
    "poll_interval" INT NOT NULL,
    "max_connections" SMALLINT NOT NULL,
    "encoding" VARCHAR(10) NOT NULL,
    "enabled" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "last_poll_at" TIMESTAMP,
    "last_success_at" TIMESTAMP,
    "last_error" TEXT NOT NULL,
    "failing" INT NOT NULL,
    "consecutive_failures" INT NOT NULL,
    "listing_digest" VARCHAR(64) NOT NULL,
    "pending_files" INT NOT NULL,
    "poll_lease_until" TIMESTAMP
) /* An FTP or FTPS server of a receiving station, added by an administrator. */;
        CREATE TABLE IF NOT EXISTS "station_file" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "remote_path" VARCHAR(1000) NOT NULL,
    "path" VARCHAR(1000) NOT NULL,
    "size" BIGINT NOT NULL,
    "modified_at" TIMESTAMP,
    "first_seen_at" TIMESTAMP NOT NULL,
    "last_seen_at" TIMESTAMP NOT NULL,
    "stable" INT NOT NULL,
    "available_at" TIMESTAMP,
    "announced" INT NOT NULL,
    "gone" INT NOT NULL,
    "station_id" INT NOT NULL REFERENCES "station" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_station_fil_station_74ad6d" UNIQUE ("station_id", "remote_path")
) /* A file seen on a station. `remote_path` holds the bytes the server sent (as latin-1 text) */;
CREATE INDEX IF NOT EXISTS "idx_station_fil_station_6d7e62" ON "station_file" ("station_id", "available_at");
        CREATE TABLE IF NOT EXISTS "station_poll" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "started_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP NOT NULL,
    "files_seen" INT NOT NULL,
    "new_files" INT NOT NULL,
    "gone_files" INT NOT NULL,
    "error" TEXT NOT NULL,
    "station_id" INT NOT NULL REFERENCES "station" ("id") ON DELETE CASCADE
) /* One poll of one station: when, what it found, and how it ended. */;
CREATE INDEX IF NOT EXISTS "idx_station_pol_station_c3f663" ON "station_poll" ("station_id", "started_at");
        CREATE TABLE IF NOT EXISTS "user_station" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "seen_until" TIMESTAMP NOT NULL,
    "station_id" INT NOT NULL REFERENCES "station" ("id") ON DELETE CASCADE,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_user_statio_user_id_9eb600" UNIQUE ("user_id", "station_id")
) /* A station a user follows; `seen_until` marks what they have already looked at. */;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "station_file";
        DROP TABLE IF EXISTS "user_station";
        DROP TABLE IF EXISTS "station";
        DROP TABLE IF EXISTS "station_poll";"""


MODELS_STATE = (
    "eJztXWtz27jV/isYfdlkRkkTxXHS5J3O2F6nm65j79jat5d1h4ZESERNAloCtKO2+e8FQF"
    "HiBaQIXWiKwYfNyiQOSD4Hl3PHf3oBdZHPXp64ASaXlOMx6n0A/+kRGMgfutt90IOz2eqm"
    "vMDhyFftoWzokFXLEeMhHHNxbwJ9hsQlF7FxiGccUyIphh4CAWIMThGABKgOsCTiNARTyg"
    "Ec0Uj8Cwh6BBFDYR8gF3PkgkcPifZkHtMA8RT2Uj7TpWNBj8l0P91HBP8eIYfTKeIeCsVD"
    "fvunuIyJi74ilvw5u3cmGPluBk3syg7UdYfPZ+raZ8I/qYbyzUfOmPpRQFaNZ3PuUbJsjQ"
    "mXV6eIIPEJSHbPw0jCSiLfX3AhQTp+01WT+BVTNC6awMiXzJHU8QusrvUc5/Jq6NycDx2n"
    "V2BcQpECe3FpTIkEWLwqU18/la/wYvD66N3R+zfHR+9FE/WayyvvvsWPXgETEyp4Loe9b+"
    "o+5DBuoTBegRoPOY58NA1h4OgwPsXTUpi15OtRTzCugj25sMJ9NQeaA/6Pg8GbN+8Gr94c"
    "v3979O7d2/evlhwo3qpixennP0tuiAZUTOl4vifsSa0Y8WQz5kOWzjJgYwbIRUyLfin0KY"
    "ou4b7ViiPX8Mm9dsGRcBXR/URDhKfkZzRXIH8WbwRJvAnmQF3sqb8uujkwcL8loye5utpO"
    "Qvi43PTSg0p8u/hixNXXn53cnJ38eN7TLRo7QPXLqqeOAptdKPXYytE7guP7Rxi6TmYYyz"
    "t0QHNXlm2Lt4JBkL8CiXi+u/gQ+dqJlDjDQ3qPiFaCTO5Vi48zLASrpNla2fGEADqDgntg"
    "hGCIQqBoPwJK/DnAnIGbn05eDN4eA8wAEwIfcosC4oZ9WCmwXVKg4prjQeYVwT3zYKhHN0"
    "uVQ1m8/ibLyNPCHMCvjo/IlHviz+OjCkz//+T67KeT62fHR8+zIsXl4s5A3coKF+KrkW+C"
    "8JJgN+DWWaN7vUbAff3qVQ10RatSeNW9LL7jEEk0HMiLIP8o7nAcID3QWcoc2u6C9GXy4w"
    "D3x574QPdKrMqLKVUB/vDzl/Ob4cmXX+TjAsZ+9xV+J8NzeWegrs5zV58d5/i07AT89fPw"
    "JyD/BP+4ujxX8FLGp6F64qrd8B9SqOnBiFOH0EcHuqnZn1xNUMvNKsYdITBtwvc87Q44v3"
    "jltjD+QBidYFLJaaucWeWsBTrEWuXsiRSIyMX8/AGp9y6qEKu71UqEbOegZcO1asRfPQpc"
    "LC2+kPcTu68LJiEN5F8h+gCYGD0vMGHqRsqIjB+QtAyLjjS25x32u2N1o8oQ1zGNoxHrW7"
    "leclgCXZP86dK2LqYqNdzX0yQbbezrpbTD0+8ziMo3KOBZrmmuKPalaj6dIn9UR9U8Ktc0"
    "jwqKJoeh2Eocc3m0SLin0XtwUmkaXhaN/oXGmjW/fPymSDYawC1bD/ZvK6EhnmKjJWJF0T"
    "lr1O5NfS7iEGtsfUP0tWRpWFF0AN4q8eT8b8OMZJLA+OzLyd+eZ6STi6vLPyfNU7CfXVyd"
    "6vTYJ1K7HoT0GvZ0Kld8p1+pbq3arHfYgFlIJ9hHYIbHPAoReMYQcsGrV6+fi/XJQ4D9Hk"
    "FxeRzSmdKJpAeGe1EwImJoCTVJ3JPN5PbzAwOyK1Z06ezjKbfkEXMPMBqFYwRuF599Kx7O"
    "qGw8V1QucqOZj8dylKuexzQi8reP75GKJqJSf1NdWj9SC/1I6v8GW0rSvrkVr7FNe/D2bY"
    "09RbQq3VTUvZxgpOaPwzw4eHtsJB7lCTuI+O438Ufsco1HtHSZWLa3tmaNVO8hPPU0Qn0p"
    "nCsCi6cGzwkNA51hrHwVWFF0cPq/rqckVehI1p38XZofcVAWcVsuDwbdDLbd2dpkPbXWU3"
    "sIntrCOrADTG9UnOMnoaN2GNn0CmjqBE/Z0ZdWA42XdUH76edr5MMS70TG0jJMeusQ7t/2"
    "b7pawVZqw8ogu86Y5fBM63VmrXKIrHWnXdYdhv+tWR9LYU2a2+1c56GNp4qZ0ztNY1HVqc"
    "Ri0zXDNEVhEV0vdq7cFVsKSSvfyIEBXFdAykzW9cLnZCEuWtlzPbSpOdum+MtTn450IpS6"
    "Xik3jZIWa12AZ5RwRPgilwpQMRj6IBLsCtPZVh/BXYgmjvKe3cVONKZccsoXJ35BLr1zgq"
    "QYdrnzJ9ySW3L+gMI5GHuQTBGgkzRxXzn6Zj4cixcANAQhCuiD/J10J94BuJjd94EnIESE"
    "AVlQ4JYIqAiL45biB3pUsEn8xAyE9PEHBnw6vlceRggkxDIJjSDxKvEzVJUC2T+MHyPeCY"
    "WCnia4bCF/buCh2bFrpoOJVKaSaVWcbheF04ZT5Zdz2EDcytA0h/2rFktb1uNQD+puJbAZ"
    "BC9lhcQtLWWdFBD3aiQ7pbw0L395r1q8o9woLz9OopcFl9BXjkICfSA6l/KUkk4YEgLToo"
    "6BuiAFJUUiRB76KDi6jNg6eq5J2d9599ZO1y47nU0z32/otK2W0Ej0lRWG1m2EbRd+aoVf"
    "2PT974XTiVDhMGSkNBborOKYVxxH0fgeaTD95FNYguqKJAfnRNIcGqAVaP149evpxTn45f"
    "r87PPN56vL7MRQN+UlcQHHduTr85MLLb4brFAZQrs8tXl5cuHcRJ5bNO+gyLzrOFqBlLGh"
    "MENj13sbX2njK1tgaOvvrhJOUSzczrBZv3RpO7fQZo2aF3R6Tng472mMmst7/Sqjpk+nDl"
    "o2W2vUvCIIiMEina+qtlAfQAYeQ8w5ImA0V0ZGadAaQYaA6Bt4kLg+Cov2y616spWAWu1c"
    "tJWAvm8R3BczWmO5vgmg75dOtCXRvuSaJ5htbwbvjpfzS/5RNaNuvpxcXBRlRLH2TXVCTI"
    "UfYEnRyfzAPbgCSkuvl9f5SJF0AuUmSn08rerTstpAuy62xJVkbQZplsjWsCrC6tJH4lPo"
    "muGao7LAlijqTxPhKzQjTM7E755ebVrc7K/RmzARHHdrnvB1AihBL6RoCiTR4mgFSMBPX0"
    "7OZCwt5pUHNBiTr1eRfsusqFEopED1MSlJ+5824qPJiI8UE+rKeimSToghueo7dWS9Qbmo"
    "NygWgxCzx/ECODYBOUPUQZi/96APq+dvpuejrzMsutuAy1lKG9rTajZvGNVjA3oOhL8TiH"
    "3FKo6CGdc4cKoNdxryznh6d2HAs05e6+Q9bCfvPpXxxOGrUcVTvuByRTxlh62jhSfHYHOZ"
    "TTpDIVNZpyGNpp5yOY4oj6vjigdhle4qmBwhld0qL3tY6thzmbsqNHKgXkOnru/lOTIHV5"
    "rsIvYhbu6C22jw+o8Dle0hk21Xf/K+zMKN12bwTJXtvUNhSMO75y/B6v1E/3cL4jvw6AlV"
    "8paMfYgD4EEGYjFN0Muc4VlIx4IKuBi5z6W1YfEKcCpGXW2bQ/z+sjVBX3myayhjQx9kTB"
    "Ib2yGsO7cpd+69+HgTRTpp32C0HRejrLcvJuw54i5597o+qaR9B4IZm3ZHccx1lTsq8oAS"
    "gg6AnS95fVzH6vY2r7KkS14f54fyYVS57c3E1kcOdblgYq/XReeeUuojSEpcgEuiHMwjQb"
    "UvnJdXml05Tq+uLjIrx+nn/NLw65fTcwG7Qn2VSqDxC2ImAXB8TO6dWYgeMHo0RL6siwb5"
    "kEgsB8uGEM38uRPA8D6aFeH/y83VpR77PF3eQIXHHPwX+EII75RpSgJSvXXmd8l+1twkO8"
    "hvnUKEh2MvEKvIBicaaIn3dPRTpzwsKeBMj+vQkHYP8f0c3LFUXutivaJo7EC+XqyXH6oU"
    "s6kZ2tqfS+zPeTtLAddqN46G3Hpl2+zOUeY75DoR4bqj69a43/PE1nXXZl4ri66JiWhJ0A"
    "GzReM2IuSjaQgDZ2E8d7Cr2aXKlY4y+q2Uj81Y8n+TiMQlN0cR9jkm7KV83p+egFV70Uls"
    "/NH3sPpJN9cGLE6R2d2tzfxdVtwzC5/Ik9nwexuUsh9EbVDKvoNStMvBDnBNl/w8rJWgLr"
    "T5VTCDr3gJcPnrxUW90g7QDTARqzTH423rO5zIri5VTx0a1nst8nDjwRBdYHLf08RIrW72"
    "q6KkmGymPE2q3fpAKVlYlpJ5QCMGJJkMZJKBSLJ28cdVLVkZBuSiEMsq/JOQBuDm/OxagP"
    "zz+d/7cY6SjByS1TLBPZppzinY54NsQdt2pTcx6BtFACTtO5hx82ZQw2z+ZlBqNpe3bDVb"
    "m9jUphHeJc2zRZlN7RQ/O8FluVYkqfoauba8km2ezloYyisnmAC7PahtdOLacxFbhWiF0c"
    "Ye33fwx/fdxCVtejpdmS+NExWacqpRHTX50/CXP4j/bpJihnQCIAjRGGF1+t2iuz4Q25JQ"
    "XUeqaIeyp2DZuRgoWp14+15lrtBQaM8zyNgjDd1VeRCAyDicz7jM67mT/UurzkuGhIDK2d"
    "3zWOmO45ZAvJIISjgHHn1Ut2S1/lsyo77PwKNKNGJU1nAM58sUISbaxgcJMsEC4CGhyXlW"
    "J2+hTm4aO7hVwGDLoN1/XTmPMiOLR9K+gxaPvcRjzmhoUo08ad6cKDR43ep1IVNlEmv8Kp"
    "VFJrHOzr/PQKKlpbh3wEN2sR87y124iHp5+Jae2sZymcdy+UZh3IvmDQIthjpqZpjvPoRb"
    "yIJ4Mne0GFemRGUJbSKUQSIUpUaSRtK+wRH9h6aGc11JrlKUKwxqTMZ+5CIngOzeKOyzQG"
    "jjPauX8w3iPdHXDZlTILTM2TlzpKnAEQ9H4QPUJCRUiOs5uubk9jevDsUmLNc+8QiC1Agy"
    "zprSkDeoHe0X410kTwk5m8riOCZ7a5qmSe0o4vRQJUZE5KfravlUiYspKisr1pcVbQzDJg"
    "w4OO+2OlVX7aEbnsiborVxDK3nNIvG0veyKbOz5Jbfree3cepnlsraDI1thrKYolYUrBRS"
    "UlS2wpKJlCIeisYRxw/IkRhGoS73oFSxKSO3UUUF1w9mXDzPcfEUmbkri5QdWFX2HUE8i6"
    "utOjJ+xmRAF+jsSM6PZCWwipWYoc2KX+jorSTUNkmoEL9XJ4WtZLaZpK4twsc6FtZXmEC7"
    "QekX0VNXUZqIb6OPKNwSKZnamwpJ7ApSDQR3qilYHuCZzNC1QZ5OEu9bp3K8bAsYQrIgO4"
    "BJCOZLcBeigHLkzCD37oBHxXfEFd7nHC1iIOMYTll2AjyDDMiBQV68BrJcs1o7c7Xj9/Sk"
    "WzKhIbg+H15/BHdxH5gtatDLE65cIOEEM0Rn4vkhgqUHyf2WOzgy9V5xqfZCxfdVW/gghH"
    "FV99TWdS8XiZ64rnuaoQb6QI6sg1GM+wouMEXaQmwMMcP/1kQ6V60pCUWXMmcaWVgyGzMW"
    "1Jv4mnKkVg9rmx6WzUwLpQ9ByCwbcLpAbB2LrWZ27C/ajNd5WsvqVrOaxSpTcdusPFJiSW"
    "QdHgYOj4xmZDit8rR2t2zzrIKE0IiMjeOdMnR2bhnMrekim8IA7ITE4myAc9bWU9OzlSXq"
    "kra1rzoFqST1LMYblCromgG6n6tTkB1dLSxVoFwl5dbsxJOy3po9S1qutWZfEQRka1lXQB"
    "bbW/TwATx6iPTFv5ADzMFE7DZuX51JKpP/xRUkeO0WKxbsoL+6Z4euWCn+Cu35oC0w91RU"
    "/FuxyFCgzVJaLbHV8uxE1h3xNuJzjtQyuuWM9hFT5hsD8S5LZKOWiuczPRoHg2VoLKQ6dc"
    "8Y0yyRBbWQCmfPGmou1twq0laRtop0bUV6WW9Rq0enqzFWqdGynVFMmDy+4gemArY+AKji"
    "p1wQogkKkRgsspQ9BCOfjl6CS3GLgQDOxe0ZgrpK+Nv2VkeDTp23kcrlNFOfvxfduaM195"
    "56QW/glF4b6fMEkT7IxTBGzmBoZ6kaOyK5uWC24zqhbHmVPhXIdpwf3AEOkDnMaaIOLiOv"
    "B1UDeInz4F050PJebhmhUTg2gnlF0UWMd170Y0wDeQi9iUqZIrFKpbFSeViFP+ypqFuE5y"
    "UnKWwaopejt/FEbea4VAq1lqLyrSpF0sG9avdZ2/a8VHteagtscGbnpYo5vgNITxfddBTS"
    "1EqYgfRaLMvXn8+GNY9IfYAcCtYEcLr1Eamqqw4hno9ylkBxLwpGBOJt081jsIZJb11FTZ"
    "3fum1mfvqo2K6AtE+3gtpLNA6FZI8pdyUkm1kdH8IMhUwe5XMvpDsij/IZiiVoGsIAYLcv"
    "/1YnLaiguaT6fx/QEIzo4kidnBdh6/7sET3tchfwBf+04meVVTtHuJNDCtuAdMOW7SWMcl"
    "ab+m60xBtpXC3Tn/etcDV8IE27xnnWR1bH8DooN7wOCobXiXiqYzqSM0QdML7mQa6HchXM"
    "xarWAdQVIauoHJ4QdG+FGLyts0SIVhWe3mItveQ4JNNzzwuEXQR8D651zBx1zKRGEKnKpU"
    "uT2Xw6g3w6CdxY1jDdAPAlnUXcKINREE2R83tEOTSTtwukHToWvGGZ24dkGgksjQTAFE2D"
    "8kmc1rD/9fx9jdX8fela/r7gfD8oX3CzQ17Wvrsi/ry3tMQdgqtwsXAcUumWlq11B8LoWj"
    "7hEP0LjTeb4DlSy+c28zkiYrUaexvWjSlSW263jdsFp3ktf6RUt0Q3HI+39kfKri5VTwe4"
    "mddzSs6ww+k90p2fZwTVDA9lN53FSXlbrX+7AqIR5TsZSqeUd3ooKXO9I+tObwnUhezoTP"
    "zuKlIBYmz7qJIvcS9dBWkn5zuk8wS7CNIig9OeW/AUkSQJZCUBJSlEq+NKnFTOcp34kkVz"
    "AFV+KYgPr2AfwZ1S5dU5N3cggOE9i+s0cQ/NgQcfEIC+NITIgBGxEblAn7S66+61xw2kwh"
    "5TWcj5owZsWEqTYSnWgLhujTlYjTOzZyynsSmbs5SWze1ms603speiOTZvxOaNtCDJwShv"
    "xBbF6UJRnBMU4rHX06gbizuVmgZctVmnY5RjaiPJ2yWyP6CQaSd2eVBFiqSDeaJ7iZGTk8"
    "oA4UXzDqL7uu5BXlXneBWLRhCuLRrxl5ury7KiEUuSvBaCxxz8F8hzrA8Q7QpwJRgZ1aNQ"
    "PiJfKaKf1SlkB6c6yavJzezb/wCUpdxl"
)
