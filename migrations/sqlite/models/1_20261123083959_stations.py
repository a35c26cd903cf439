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
    "baseline" INT NOT NULL,
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
        DROP TABLE IF EXISTS "station_poll";
        DROP TABLE IF EXISTS "station";"""


MODELS_STATE = (
    "eJztXWtz27i5/isYfdlkRkljxXHS5MyZsb1O17uOvWNrT3u67tAQCYmoSUBLgFbUNv+9AC"
    "hKvIAUqQtNMfiSWCRekHxeXN47/t3zqYM89vrU8TG5phzbqPcR/LtHoC//0N3ugx6cTlc3"
    "5QUOR55qD2VDi6xajhgPoM3FvTH0GBKXHMTsAE85pkRSDF0EfMQYnCAACVAdYEnEaQAmlA"
    "M4oqH4FxA0AyFDQR8gB3PkgJmLRHsyj2iAeAp7LZ/pUFvQYzLZT/chwX+EyOJ0griLAvGQ"
    "3/8hLmPioK+IxT+nj9YYI89JoYkd2YG6bvH5VF27JPyzaijffGTZ1At9smo8nXOXkmVrTL"
    "i8OkEEiU9AsnsehBJWEnreggsx0tGbrppEr5igcdAYhp5kjqSOXmB1rWdZ1zdD6+5iaFm9"
    "HONiigTYi0s2JRJg8apMff1EvsKrwdHx++MPb0+OP4gm6jWXV95/ix69AiYiVPBcD3vf1H"
    "3IYdRCYbwCNRpyHHloEkDf0mF8hieFMGvJ16MeY1wGe3xhhftqDjQH/J8Hg7dv3w/evD35"
    "8O74/ft3H94sOZC/VcaKs8u/SG6IBlRM6Wi+x+xJrBjRZKvNhzSdYcDGDJCLmBb9QugTFF"
    "3CfasVR67h40ftgiPhyqP7mQYIT8gvaK5AvhRvBEm0CWZAXeypvy26OTBwv8WjJ7662k4C"
    "OFtueslBJb5dfDHi6uvPT+/OT3+86OkWjR2g+mXVU0eBTS+Uemzl6B1B+3EGA8dKDWN5hw"
    "5o5sqybf6WP/CzVyARz3cWHyJfO5YSp3hIHxHRSpDxvXLxcYqFYBU3Wys7nhJAp1BwD4wQ"
    "DFAAFO0nQIk3B5gzcPfT6avBuxOAGWBC4ENOXkDcsA8jBbZLClRcs1zI3Dy45y4M9OimqT"
    "Ioi9ffZBl5Xph9+NXyEJlwV/w8OS7B9P9Ob89/Or19cXL8Mi1SXC/uDNSttHAhvhp5dRBe"
    "EuwG3CprdK/XCLhHb95UQFe0KoRX3UvjawdIomFBngf5R3GHYx/pgU5TZtB2FqSv4z8OcH"
    "/siQ90bsSqvJhSJeAPL79c3A1Pv/wqH+cz9oen8DsdXsg7A3V1nrn64iTDp2Un4K+Xw5+A"
    "/An+fnN9oeCljE8C9cRVu+HfpVDTgyGnFqEzCzqJ2R9fjVHLzCrGLSEwbcL3LO0OOL945b"
    "Yw/kAYHWNSymmjnBnlrAU6xFrl7JkUiNDB/OIJqffOqxCru+VKhGxnoWXDtWrEX10KHCwt"
    "vpD3Y7uvA8YB9eWvAH0ETIyeV5gwdSNhRMZPSFqGRUca2/MO+92xulFmiOuYxtGI9a1YLz"
    "ksga5J/nRpWxdTldbc15MkG23s66W0w9PvU4jKN8jhWaxprij2pWo+nyJ/XEXVPC7WNI9z"
    "iiaHgdhKrPryaJ5wT6P34KTSJLwsHP0T2Zo1v3j8Jkg2GsAtWw/2byuhAZ7gWkvEiqJz1q"
    "jdm/ocxCHW2PqG6GvB0rCi6AC8ZeLJxd+GKckkhvHFl9O/vUxJJ1c313+JmydgP7+6OdPp"
    "sc+kdj0J6TXo6VSu6E6/VN1atVnvsAHTgI6xh8AU2zwMEHjBEHLAmzdHL8X65CLA/gihuG"
    "wHdKp0IumB4W7oj4gYWkJNEvdkM7n9/MCA7IrlXTr7eMo9mWHuAkbDwEbgfvHZ9+LhjMrG"
    "c0XlICecetiWo1z1bNOQyL89/IhUNBGV+pvq0viRWuhHUv/X2FLi9s2teI1t2oN37yrsKa"
    "JV4aai7mUEIzV/LObCwbuTWuJRlrCDiO9+E59hh2s8ooXLxLK9sTVrpHoX4YmrEeoL4VwR"
    "GDw1eI5p4OsMY8WrwIqig9P/qJqSVKIjGXfyd2l+xH5RxG2xPOh3M9h2Z2uT8dQaT+0heG"
    "pz68AOML1TcY6fhY7aYWSTK2BdJ3jCjr60Gmi8rAvaz7/cIg8WeCdSlpZh3FuHcP+2f9PV"
    "CrZCG1YK2XXGLIunWq8zaxVDZKw77bLuMPwvzfpYCGvc3GznOg9tNFXqOb2TNAZVnUosNt"
    "16mCYoDKLrxc6Vu2JLIWnlGzkwgKsKSKnJul74HC/ERSN7roc2MWfbFH955tGRToRS10vl"
    "plHcYq0L8JwSjghf5FIBKgZDH4SCXUEy2+oTeAjQ2FLes4fIicaUS0754sRfkEvvnCDJh1"
    "3u/An35J5cPKFgDmwXkgkCdJwk7itH39SDtngBQAMQIJ8+yb/j7sQ7AAezxz5wBYSIMCAL"
    "CtwTARVhUdxS9ECXCjaJPzEDAZ39wIBH7UflYYRAQiyT0AgSrxI9Q1UpkP3D6DHinVAg6G"
    "mMyxby5wYemh27ZjqYSFVXMi2L0+2icNpwqvxyDtcQt1I0zWH/psXSlvE4VIO6WwlsNYKX"
    "0kLilpayTgqIezWSnVFemJe/vFcu3lFeKy8/SqKXBZfQV44CAj0gOpfylJJOGBIC06KOgb"
    "ogBSVFIkQeOhMcXUZsHb/UpOzvvHtjp2uXnc6kme83dNpUS2gk+soIQ+s2wrYLP5XCL0z6"
    "/vfC6ViosBiqpTTm6IzimFUcR6H9iDSYfvYoLEB1RZKBcyxpDg3QErR+vPnt7OoC/Hp7cX"
    "55d3lznZ4Y6qa8JC7gyI58e3F6pcV3gxUqRWiWpzYvTw6c15HnFs07KDLvOo5WIFXbUJii"
    "Meu9ia808ZUtMLT1d1cJJy8WbmfYrF66tJ1baLNGzSs6uSA8mPc0Rs3lvX6ZUdOjEwstm6"
    "01at4QBMRgkc5XVVuoDyADswBzjggYzZWRURq0RpAhIPoGLiSOh4K8/XKrnkwloFY7F00l"
    "oO9bBPfEjNZYru986HmFE21JtC+55hlm29vB+5Pl/JI/ymbU3ZfTq6u8jCjWvolOiCnxAy"
    "wpOpkfuAdXQGHp9eI6HwmSTqDcRKmP51V9WlYbaNfFlriSrOtBmiYyNazysDp0RjwKnXq4"
    "ZqgMsAWK+vNE+ArNCJNz8XdPrzYtbvbX6E2YCI47FU/4OgWUoFdSNAWSaHG0AiTgpy+n5z"
    "KWFvPSAxpqk69XkX5PrahhIKRA9TEJSfsfJuKjyYiPBBOqynoJkk6IIZnqO1VkvUGxqDfI"
    "F4MQs8dyfWjXATlF1EGYv/egD6Pnb6bno69TLLrbgMtpShPa02o2bxjVYwJ6DoS/Y4g9xS"
    "qO/CnXOHDKDXca8s54endhwDNOXuPkPWwn7z6V8djhq1HFE77gYkU8YYetooXHx2BzmU06"
    "RQFTWacBDSeucjmOKI+q44oHYZXuKpgcIpXdKi+7WOrYc5m7KjRyoF5Dp67v5TkyB1ea7E"
    "L2MWrugPtwcPTngcr2kMm2q5+8L7Nwo7UZvFBlex9QENDg4eVrsHo/0f/DgvgBzFyhSt4T"
    "24PYBy5kIBLTBL3MGZ4G1BZUwMHIeSmtDYtXgBMx6irbHKL3l60J+srjXUMZG/ogZZLY2A"
    "5h3LlNuXMfxcfXUaTj9g1G23Exynr7YsKeI+7id6/qk4rbdyCYsWl3FMdcV7mjJA8oJugA"
    "2NmS1ydVrG7vsipLsuT1SXYoH0aV295UbH3kUJcLJvZ6XXTuGaUegqTABbgkysA8ElT7wn"
    "l5pdmV4+zm5iq1cpxdZpeG376cXQjYFeqrVAKNXxAzCYDlYfJoTQP0hNGsJvJFXTTIh1hi"
    "OVg2BGjqzS0fBo/hNA//z3c313rss3RZAxW2OfgP8IQQ3inTlASkfOvM7pL9tLlJdpDdOo"
    "UID23XF6vIBicaaIn3dPRTpzwsCeDqHtehIe0e4vs5uGOpvFbFekXR2IF8vUgvP1QpZlMz"
    "tLE/F9ifs3aWHK7lbhwNufHKttmdo8x3yLFCwnVH161xv2eJjeuuzbxWFt06JqIlQQfMFo"
    "3biJCHJgH0rYXx3MKOZpcqVjqK6LdSPjZjyf+MQxKV3ByF2OOYsNfyef/7DKzai05i4o++"
    "h9VPurk2YHGCzOxubebvsuJevfCJLJkJvzdBKftB1ASl7DsoRbsc7ADXZMnPw1oJqkKbXQ"
    "VT+IqXANe/XV1VK+0AHR8TsUpzbG9b3+FUdnWteurQsN5rkYc7FwboCpPHniZGanWzXxYl"
    "xWQz5WlS7dYHSsnCspTMfRoyIMlkIJMMRJK1iz+tasnKMCAHBVhW4R8H1Ad3F+e3AuRfLv"
    "6/H+UoycghWS0TPKKp5pyCfT7IFLRtV3oTg16tCIC4fQczbt4OKpjN3w4KzebylqlmaxKb"
    "2jTCu6R5tiizqZ3iZye4LNeKOFVfI9cWV7LN0hkLQ3HlhDrAbg9qG5245lzEViFaYrQxx/"
    "cd/PF9d1FJm55OV+ZL40SJppxoVEVN/jz8VSbaiP/u4nqGdAwgCJCNsDoAb9FjH4idSWiv"
    "I1W3Q5lUsOxfjBWtWryTjmXG0FDo0FPI2IwGzqpICEDEDuZTLrN7HmT/0rbzmiEhpnL28D"
    "JSvaPoJRCtJ4ISzoFLZ+qWrNl/T6bU8xiYqXQjRmUlx2C+TBRiom10nCATjAAuEvqcazTz"
    "FmrmdSMItwobbBm0+68u51JWy+4Rt++g3WMvUZlTGtSpSR43b04gGhy1el1I1ZrEGu9Kaa"
    "lJrLP27zOcaGkv7h3wkF3sx9ZyF86jXhzEpac2EV31I7q8WsHci+YNAi2GOmpmmO8+kFvI"
    "gng8t7QYlyZGpQlNOlSNdChKa0kacfsGR/SfmhrOVSW5UlEuN6gxsb3QQZYP2WOt4M8coY"
    "n6LF/ON4j6RF83ZE6O0DBn58yRpgJLPBwFT1CTllAirmfompPb3745FMuwXPvEIwhSI6h2"
    "7pSGvEHtaL8Y7yKFSsjZVJbIqbO3Jmma1I5CTg9VYkREfrquok+ZuJigMrJidVnRRDJswo"
    "CD83Grs3XVHrrhubwJWhPN0HpOs9CWvpdNmZ0mN/xuPb9rJ4CmqYzNsLbNUJZU1IqCpUJK"
    "gsrUWaojpYiHIjvk+AlZEsMw0GUgFCo2ReQmtijn+sGMi+dZDp6geu7KPGUHVpV9xxFPo5"
    "qrloyiqTOgc3RmJGdHsjwxVKy1moCG0hU6SWb0yOortNIPBKwMbVZxREdvBM+2CZ65oMkq"
    "eYMFi1udfMFFzF7HYilzE2g3KP0qeuoqSmPxbXSGgi2RkvnUiTjQriDVQEStmoLFUbXxDF"
    "0bWWvFQdZVyvXLtoAhJKvgAxhHvL4GDwHyKUfWFHL3AbhUfEdUVn/O0SLkNAqZlbU+wAvI"
    "gBwY5NURkDWy1dqZKdi/pyfdkzENwO3F8PYTeIj6wGxR+F8eK+YACSeYIjoVzw8QLDy97/"
    "fMaZ2J94rq4+fK7K/awieh+6his6aYfrEE+szF9JMMzbGhJIYjTdbBoNF9xXLURdpAXBti"
    "hv+l08NK1pSYokvpSo0sLKmNGQvqTVx7GVKjh7VND0unAwbSZSNklg04nSM2ftxWMztyz2"
    "3G6yytYXWrWc0ilSm/bZae47EkMv6lGtbLlGZUc1plac1u2eZZBQmhIbFrh5el6MzcqjG3"
    "JrS2EyYmMTjXwDlt66noSEwTdUnb2ldxiERlgDTGG9SH6JoBup8pDpEeXS2sD6FcJcXW7N"
    "iTst6aPY1brrVm3xAEZGtZxkFWOFz08BHMXET64l/IAeZgLHYbp68OgpW1FsQVJHjt5GtE"
    "7KC/qge2rlgpfgXmUNYWmHtKyiyuWFRToE1TGi2x1fLsWJZ5cTfic4bUMLrljPYQU+abGu"
    "JdmsgEieUPxZrVjr1L0RhIdepebUzTRAbUXOahOeCpudB+o0gbRdoo0pUV6WWRS60enSyB"
    "WaZGy3a1YsLkmSE/MBWw9RFAFT/lgACNUYDEYJHnB0Aw8ujoNbgWtxjw4VzcniKoO35g29"
    "6qaNCJQ04SqbP11OfvRXfuaInD517QGzga2UT6PEOkD3IwjJCrMbTTVI2dS91cMNtJlVC2"
    "rEqfCGQ7yQ5uH/uoPsxJog4uI0eDsgG8xHnwvhhoeS+zjNAwsGvBvKLoIsY7r7FiU99HRG"
    "MyLFYpEyRGqaytVB5WnRVzFO0W4Xnx8RWbhuhl6E08UZs5LpVCraWoeKtKkHRwr9p9krw5"
    "pNYcUtsCG1y9Q2rFHN8BpGeLbjoKaWIlTEF6K5bl28vzYcVzaZ8gh4I1PpxsfS6t6qpDiG"
    "ejnCVQ3A39EYF423TzCKxh3FtXUVOH5m6bmZ88n7crIO3TraD2Eo1DId5jil0J8WZWxYcw"
    "RQGTJyc9CumOyJOThmIJmgTQB9jpy9/qYAsVNBcfttCXpzGN6OIEo4wXYev+zIlI7XIX8A"
    "X/tOJnmVU7Q7iTkyHbgHTDlu0ljHJW1/XdaIk30rhapj/vW+Fq+Pyfdo3ztI+siuF1UGx4"
    "HeQMr2PxVKvuSE4RdcD4mgW5GsplMOeLiPtQV4SspFB7TNC9FWLwrsoSIVqVeHrzpQvj06"
    "fqHjafI+wi4HtwrWNmqVM9NYJIWS5dkszk09XIp5PA2bJk7AaAL+kM4rUyGAXRBFl/hJTD"
    "evJ2jrRDZ7E3LHN7kExCgWUtATBB06B8EqU17H89/1BhNf9QuJZ/yDnfD8oX3OyQl7Xvbo"
    "g37y0tcYfgKlwsHIdUuqVla92BMLqSTzhA/0T2ZhM8Q2r43GY+h0SsVra7Yd2YPLXhdtu4"
    "nXOaV/JHSnVLdMOxvbU/UnZ1rXo6wM28mlNyii1OH5HuuMJaUE3xUHbTWZyUt9X4t0sgGl"
    "G+k6F0Rnmnh5Iy11uy7vSWQF3Jjs7F311FykeMbR9V8iXqpasg7eR8h2SeYBdBWmRwmnML"
    "niOSJIasIKAkgWh5XImVyFmuEl+yaA6gyi8F0eEV7BN4UKq8OufmAfgweGRRnSbuojlw4R"
    "MC0JOGEBkwIjYiB+iTVnfdvfa4gUTYYyILOXvUgAlLaTIsxRgQ160xB6txpvaM5TSuy+Y0"
    "pWFzu9ls6o3spWiOyRsxeSMtSHKolTdiiuJ0oSjOKQqw7fY06sbiTqmmAVdt1ukYxZiaSP"
    "J2iexPKGDaiV0cVJEg6WCe6F5i5OSkqoHwonkH0T2qepBX2Tle+aIRhGuLRvx8d3NdVDRi"
    "SZLVQrDNwX+APDb8ANEuAVeCkVI9cuUjspUi+mmdQnZwppO8mtzMvv0XaydSvA=="
)
