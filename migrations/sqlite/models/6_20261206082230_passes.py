from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "expected_pass" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "platform" VARCHAR(40) NOT NULL,
    "rise_at" TIMESTAMP NOT NULL,
    "culmination_at" TIMESTAMP NOT NULL,
    "set_at" TIMESTAMP NOT NULL,
    "max_elevation" REAL NOT NULL,
    "state" VARCHAR(10) NOT NULL,
    "station_id" INT NOT NULL REFERENCES "station" ("id") ON DELETE CASCADE
) /* A pass predicted from orbital elements over a station (rise above its elevation mask, */;
CREATE INDEX IF NOT EXISTS "idx_expected_pa_station_00ab62" ON "expected_pass" ("station_id", "rise_at");
CREATE INDEX IF NOT EXISTS "idx_expected_pa_state_b31eac" ON "expected_pass" ("state", "set_at");
        CREATE TABLE IF NOT EXISTS "satellite_pass" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "platform" VARCHAR(40) NOT NULL,
    "orbit" INT,
    "start_at" TIMESTAMP NOT NULL,
    "end_at" TIMESTAMP NOT NULL,
    "instruments" JSON NOT NULL,
    "file_count" INT NOT NULL,
    "total_size" BIGINT NOT NULL,
    "state" VARCHAR(10) NOT NULL,
    "last_file_at" TIMESTAMP NOT NULL,
    "completed_at" TIMESTAMP,
    "station_id" INT NOT NULL REFERENCES "station" ("id") ON DELETE CASCADE
) /* One pass of one satellite over a station, as its files show it: the files whose names */;
CREATE INDEX IF NOT EXISTS "idx_satellite_p_station_9c7cea" ON "satellite_pass" ("station_id", "start_at");
CREATE INDEX IF NOT EXISTS "idx_satellite_p_state_360b6c" ON "satellite_pass" ("state", "station_id");
        ALTER TABLE "station" ADD "altitude" REAL NOT NULL DEFAULT 0;
        ALTER TABLE "station" ADD "platforms" JSON NOT NULL DEFAULT '[]';
        ALTER TABLE "station" ADD "min_elevation" REAL NOT NULL DEFAULT 10;
        ALTER TABLE "station" ADD "longitude" REAL;
        ALTER TABLE "station" ADD "latitude" REAL;
        ALTER TABLE "station" ADD "name_patterns" JSON NOT NULL DEFAULT '[]';
        ALTER TABLE "station_file" ADD "orbit" INT;
        ALTER TABLE "station_file" ADD "satellite_pass_id" BIGINT REFERENCES "satellite_pass" ("id") ON DELETE SET NULL;
        ALTER TABLE "station_file" ADD "platform" VARCHAR(40);
        ALTER TABLE "station_file" ADD "product" VARCHAR(60);
        ALTER TABLE "station_file" ADD "instrument" VARCHAR(40);
        ALTER TABLE "station_file" ADD "start_at" TIMESTAMP;
        ALTER TABLE "station_file" ADD "end_at" TIMESTAMP;
        ALTER TABLE "station_file" ADD "level" VARCHAR(16);
        ALTER TABLE "user" ADD "time_zone" VARCHAR(64) NOT NULL DEFAULT 'UTC';
        ALTER TABLE "user_station" ADD "announce_platforms" JSON NOT NULL DEFAULT '[]';
        ALTER TABLE "user_station" ADD "announce_instruments" JSON NOT NULL DEFAULT '[]';
        CREATE INDEX "idx_station_fil_station_d6992c" ON "station_file" ("station_id", "start_at");
        CREATE INDEX "idx_station_fil_satelli_f7755f" ON "station_file" ("satellite_pass_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_station_fil_satelli_f7755f";
        DROP INDEX IF EXISTS "idx_station_fil_station_d6992c";
        ALTER TABLE "station_file" DROP FOREIGN KEY "fk_station__satellit_6eb7fd06";
        ALTER TABLE "station" DROP COLUMN "altitude";
        ALTER TABLE "station" DROP COLUMN "platforms";
        ALTER TABLE "station" DROP COLUMN "min_elevation";
        ALTER TABLE "station" DROP COLUMN "longitude";
        ALTER TABLE "station" DROP COLUMN "latitude";
        ALTER TABLE "station" DROP COLUMN "name_patterns";
        ALTER TABLE "station_file" DROP COLUMN "orbit";
        ALTER TABLE "station_file" DROP COLUMN "satellite_pass_id";
        ALTER TABLE "station_file" DROP COLUMN "platform";
        ALTER TABLE "station_file" DROP COLUMN "product";
        ALTER TABLE "station_file" DROP COLUMN "instrument";
        ALTER TABLE "station_file" DROP COLUMN "start_at";
        ALTER TABLE "station_file" DROP COLUMN "end_at";
        ALTER TABLE "station_file" DROP COLUMN "level";
        ALTER TABLE "user" DROP COLUMN "time_zone";
        ALTER TABLE "user_station" DROP COLUMN "announce_platforms";
        ALTER TABLE "user_station" DROP COLUMN "announce_instruments";
        DROP TABLE IF EXISTS "satellite_pass";
        DROP TABLE IF EXISTS "expected_pass";"""


MODELS_STATE = (
    "eJztXWtz27jV/isYf9lkRpvGSuKk2U5n7KzTTdeJd2Lnbd+uOzREQhIqCuCSoBW13f9eAL"
    "yIdxEUSVMMvuzGJA5IPQcEzv3852RNLWR7z86tNSafKMMmOnkL/nNC4Fr8o+j2BJxAx9nd"
    "FBcYnNlyPBQDDbIbOfOYC03G782h7SF+yUKe6WKHYUoExe0SgTXyPLhAABIgJ8CCiFEXLC"
    "gDcEZ9/l9A0Ab4HnInAFmYIQtsloiPJ9uABvCneM/EMy1qcnpMFt1M7xP8m48MRheILZHL"
    "H/LrP/llTCz0FXnRn87KmGNkWyk0sSUmkNcNtnXktQ+EvZcDxZvPDJPa/prsBjtbtqQkHo"
    "0JE1cXiCD+E5CYnrm+gJX4th1yIUI6eNPdkOAVEzQWmkPfFswR1MEL7K6dGMan61vj5vLW"
    "ME5yjIsoEmCHl0xKBMD8VT356xfiFb6fnr58/fLNi7OXb/gQ+Zrxlde/B4/eARMQSng+3Z"
    "78Lu9DBoMREuMdqMGSY8hGCxeujSKML/CiFOZC8v2oRxhXwR5d2OG++wb6A/6P0+mLF6+n"
    "z1+cvXn18vXrV2+exxzI36pixcWHvwhu8AGUf9LB9x6xJ7FjBB+bMh/SdJoBjRkgNrFC9E"
    "uhT1CMCfeDdhyxh89XhRuOgCuP7nvqIrwgP6OtBPkDfyNIgkMwA2p4pn4JpzkycH+PVk90"
    "dXecuHATH3rJRcV/O//FiMlf/+785t35j5cnRZtGC6h+3M00UmDTG2UxtmL1zqC52kDXMl"
    "LLWNyhU5q5Eo/N31pP19krkPDnW+EPEa8dSYkOvqUrRAolyOhetfjoYC5YRcP2yo7nBFAH"
    "cu6BGYIucoGk/QFQYm8BZh64+en8++mrM4A94HGBD1l5AbHhHFoKHJYUKLlmLKG3zIP7bg"
    "ndYnTTVBmU+es32UYeF+Y1/GrYiCzYkv959rIC0/87//zup/PPT85ePk2LFJ/CO1N5Ky1c"
    "8F+NbBWEY4J2wK2zR5+c9ALu6fPnNdDlo0rhlffS+JouEmgYkOVB/pHfYXiNioFOU2bQtk"
    "LSZ9E/jvB8POE/0Lrmu3L4SVWAf/vh4+XN7fnHX8Tj1p73my3xO7+9FHem8uo2c/XJWYZP"
    "8STgbx9ufwLiT/CP60+XEl7qsYUrn7gbd/sPIdScQJ9Rg9CNAa3E1x9djVDLfFUeM7jA1I"
    "TvWdoWOB++8lAYfySMjjCp5LRWzrRyNgAdYq9y9kgKBGNo7bC/cfTk95PXIlIDqlWJYKix"
    "2Y3dq0/8RDdgLU2+AbHHtQAEVmgLnkBg0wUmk8CIbPEtwQv+bZrUJ+wp4EIkYJCLkwATqT"
    "cED84rHF085I7ckXPg2ZQJNYXTIfcBWfwJdI1NaHNNZobm/BsAXFeJnitGogdo+2J5gyce"
    "QkCQYRN5fzD52D+wpUsZs9EzZ/v0UJ2H/zwVqTEcPjqB/HRaS2acVsiM01BmLFeF5FpROG"
    "Hi8f2dL88HfLgkj2v01cH8a2oglqUp+xHH+1zXxy6U5USIRzrxfAuzywckT+r8cbe7W33W"
    "iXEGigfuPej+tqTAwsLHCdkk8nRaYO7StfjLRW+Bx+Wl7zHx5I2E2xQ/IOEL5RMVeFtbnL"
    "dlA1uV62lkNrZe/E0Vx89RmTD0ntlMkeWfKlXUZJMkjUSN/XaJ47NopxAVb6AgJe8oujKu"
    "Pp6k/LKOoPyyXE5+mTOtMujyo8RQt8DkCTtavUdnh0nC6/mzfyGzYM8vX78JkkYLeGD7Qf"
    "feAeriBVbaInYUo/O/tO/cshCDuMC7dYu+lmwNO4oRwFslnlz+/TYlmUQwPvl4/venKenk"
    "6vrTX6LhCdjfXV1fFFluH0nteuDSq3tSpHIFdyaV6tZuzP4QBeC4dI5tBBxsMl9oQMIG5/"
    "3mQxcB06WOVISELY8t/fWM8PXEdaPQVCfOnO88IOi9nLLV3tR3ZIPZEnjUd00E7sIfeMef"
    "6FExeCupLGT5jo1NaS8UM0vDEf+3jVdIRspSoanJKXWMxABjJOT/FQ6PaHx/e1tvx/P01a"
    "sapwcfVXp8yHsZEUh+P4a3hNNXZ0qCUJZwhIi3f1xvsMUKon1Kt4l4vPajFsjvS4QXSxW3"
    "wY5A41mA55y66yITWPkusKMY4ed/Wk8dqtCGdKjUN2loxOuybJJyeXA9zkSS1vYmHYWko5"
    "COIQoptw+0gOmNjOF/z3XUESOb3AFVA7wSFvPYalDgTw1p3//8GdmwxA+RsqncRrONCPff"
    "uzdS7WArtValkN1ntjJYavQ+A1Y5RNq6Myzrjof/XbA/lsIaDdfHeZEvNvhU1NzbSRqNap"
    "FKzA9dNUwTFBrR/WLnzjFxoJC084IcGcB1BaTUx7pf+JyH4qKWPfdDm/hmh5RbcGHTWZEI"
    "Ja9Xyk2zaMReZ987ShgiLMwTBpQvhgnwObvcZCbxD+DeRXNDes/uAyeaJ11y0hfH/wWZ8M"
    "5xknyAZetPEJkDlw/I3QJzCckCATpPEk+ko8+xoclfAFAXuGhNH8S/o+n4OwALe6sJWHII"
    "EfFEagK8Ixwq4gURSsEDl5Szif9TJCjQzXcesKm5kh5GCATEIh+BIP4qwTNkBR4xPwwew9"
    "8JuZyeRrgcIH828NC07JoZUE5CW44ZVcm0KiJ3jMJpz2Vg4m9YQdxK0ehskCyk2uNQDvW4"
    "krMVwpTSQuKBlrJRCoidGskuKCutORPfqxbvKFOqORMUiBFpmegrQy6BNuCTC3lKSice4g"
    "JTWKNHXhCCkiThIg/dcI4W1KBpZ05tkRuWRU4XS+k2HFrX/OklzkqLPfuOvKGLObUCLXQR"
    "mm+F05EkYXhIST3M0WkVMasiznxzhQowfW9TWILqjiQD51zQHBugFWj9eP3l4uoS/PL58t"
    "2Hmw/Xn9IfhrwpLvELOLAYf748vyrEt8EOlSLU29OQtycLKtWKCYePUGRuO2KWI6VsEkzR"
    "6P1eR1LqSMoBmNQm7dVzy4uFh5kw6xfgHuYR2q/58ke6IVzMSxvjsvcmVeZLKzmqhvUyzP"
    "t0EQfdY2BOXQAB/3yko1aYsN9KTzKfVV71vcAFHLt7MQMzZPI3LTJjtje58EuL3i0Ckwlw"
    "IFvKkcIxKJNRTepgFFYWklmviYdEaauAqynuFqwQcjywhivhtuaqi4fuiCxNlKSjgQM9eA"
    "sPLCgpzWH9Nfm5hfRGFPXwz4zFNTfY9074kF9PpH98nrulZKHVRY3a9Z5WuLBDNqum0Gbp"
    "RpnZ1YFpV3zwKjhH48eJb02AKxHOQayzwTvOBtdRL/1HvYTHqOIOHVD0aEHgQ30UvUvnNW"
    "fr7B7Tioqz2ZWNXJcWKGXlZXJighEYafqokpMDm2NpKW3WaaoRwJ5e0y/qrOkX5Wv6RW5N"
    "aydnoxV/bLZl37EasjlNqdk8aDbPRVXhZSM+Z0i1q2jYfO47o2xgzGy9imfGnJUDtlJ/yR"
    "OPCOOeNZmMfbA+FzKEmgNNOaB9e9q3dwy+vbL9uwVob4LpaiYkDGzXqAtwwbGVApq/B/j0"
    "5erqpHB/bgHl28RU44Q4cybVgPcxMq6PFNz96/ZxMq4j//UF5VOdVDi4gwGTOl5uYxaPre"
    "HrNpeQiURj0VvGxh4Tyc3RTF5QLVn0XptRFmXXAGRhFqcex2OBSEgucnh38ASdxTOsLJ50"
    "v/X6cniabkzyYM9yuFNY+K0U92h4f4ifDnplJ+I/8QJ5SiVpdxSjcyG0nydF0FdmiN29gd"
    "UxS6vty4O2O2o3wrfB5se3AB29aKVQSiGvjOyzFV0TdEv5fzq2FD0qE7qJAT9Is7v86iCT"
    "w/cL9AJ2ZxS71P1JlV6HwpGGEw2t01GHjwUO1+uxIA1igKk7wwzagP/sNRLlrqioJLULPn"
    "7iYg8BOOOXZaAvH/cQ3FlDbzUpUO06eModMX17jYm8NAEeYk9lVPNmKVW9OALZA3GA9X5t"
    "8NfYgBUwX7yCOF5klLG4JT8IL0h+0/HFw4wvdmzIRP8HFeE8STPCoMz2O0BGX4aiyJYg0/"
    "LaoOW1xO7aJJArR63ZPWh2e40ywb0208A1ezssU8FPg1iAKvAFlZdUyFH2WVnhcbjbRnGF"
    "WFhUiZ3vO8A40hj6sRK2n4SfFtZrmhXSRGPyJXQVWxIi1ooLOZ7pyCBWDYAYXtHuK7q4FD"
    "m8JwVGhvjepMrAYNOFgeJhe40L1wRxtdwVWj164HQTAD2wcTFjiIDZVjp0hRI3g1zP53OD"
    "Jdff7aKajgfN1LIPWOvxfenxx5VG8ghmzFFIply0LCrsebOGtl36ocVEXR3fj/C1vZi+Po"
    "u/L/FH1Rd18/H86irvleZ736LItl9RJjWmGKHZq5N0+vWuKEvdnM0EyShQ7jtvs3/f4f7w"
    "xWPzHQ5BbxpYUGjrMUFRYKUSrhkqDWwLvu5WtSZM3onc72K1Kbw52aM3YRInkNfxylKCvh"
    "eiKRBEP/A/7a0oaP/Tx/N3IioWM1FXKehbVBRJq0pexzGa3FF9l0uB8sckJG01d+i3okN1"
    "FkqbYEJtJ+eOZBRiSKbwTB1Zb1ou6k1zkp74eozlGpoqIKeIRgjzt14TX+v5zfR89NXBfL"
    "oGXE5TakfjoNncsOmB7ndwJPydQ2xLVjG0dlhBdbBqw10B+WgKYbdhwHvA0JjRgs/nglIb"
    "QVKMaoIqg+aMk3UFZ3yl30/m4vr6KvW1XHzImpC+fLy4/PzkVH4mOy+9rkpQunR1VYLjiT"
    "bvzfQRVR8vMHwkCpOXmz0SVu86No8op5eJJsYOcj3Z7Nil/mIpHbx8gwuSgPmDsOyyLCs/"
    "xkWvl1hYNLaiZbJIE5avUWQc6eQ5osR2UP3ybTDcAnf+9PSPU9lvUBTL3v3JJqJCdnASgi"
    "cbzJbgXtYYvH/6DOzej89/HxLfg82SilLbpg3xGiyhBwKhmNOLOHfHpSanAhZG1lNh2wlf"
    "AS74qlMKfQ+qd8oMuvCMjsPfE6u0sdVHO8/7cp6v+I9XMVtE43uMPmN8lZ10xYSOI8+id6"
    "/rAYzGjyD1t2/nH8OsqHxJRVPKiGAEYGdra5/VsXG+yiqIydraZ9mlLNJeihT2coB3FD0i"
    "7PCjjxzrduHxs76oVVSlVrcj0kqdglJnYU8AYNiYrAzHRQ8YbRSRL5uiRz5EEsvRssFFjr"
    "011tBd+U4e/r/eXH8qyRDL0GXNgdhk4L+yPtCoDIECkOqjM3tKTtLGPTFB9ujkIjw0lyK7"
    "1vCWkO/9Krt8IXGjDX9gXOjan5UATrUvSAHp+BDvpENIcrUqNwspIB6NVbrnAlPUxQtckC"
    "pSvuZ3FD1Kk8JqdayyJDLdorbI1bJkTKRlSQUhZogtcHK2rH474LS+npu6ErUPscSHmLXe"
    "5nCtUT4tTa4ja4bskpdOAWQZPmG4IJNmTwhVlliHXwyZ17pdWJ+WZ2SjhQvXxq78bMEpVW"
    "7KKKM/yKTRjCV/mvvElMWzZj62GSbeM/G8Pz8CqzqxdOgY0m9h9xPO80ZVakiLkow+3Trj"
    "74wyg9EVUsxMy5LpFCod6tYNojrUretQt8LtoAVcLyi7jaY6rp2gLrTZXVC5f0nCJGOtMe"
    "G7NMMmKpB4L0Ly9z9/RnZZXbAQ93Mx1Sc504iW9e9dxl3ecHxsYZMsKwmcHjCpisH0oqEK"
    "RYFFtR1ZsJfOZYRjPEemQq+swrMrs+st6Yb/GcROBpdk1CIQby8fnavp0/pT7ogJXTcoCO"
    "TxCyCq6yqjN2XFYRl8yed2GRChl5jIwYzafF3yHUS8DoLmElARJ/kM3MqbjCN1R6CLwAo5"
    "LKhfvHsByAISh9p2w0LD8oUKKg3vBulAy2EGWupqwz1UG5ZfroLsGo/XqkChU8ttpEYn6H"
    "QW5qAVaUSamMJ2VJq9g2YvFr/Ml10TVOzRGTJthm7dDC3bR5rUL4r1Lc+JTRGNxpXd2nkl"
    "xe8GUV1putHg2nNA11EUsnaRifCDAK8XAbf9IBgbeixomqx+bGdp9eE96MPbpGtHmOUaOS"
    "sztNqdNWRO6/L0ujz9wJwEh5WnTwu6B3oGQrDH1U++W8cAl7nQFSarkyKnQHxzUukQEMNk"
    "Yls9Z8A5AZBQsl1TX7RmJytRN0HY68UK+CG0na8QEVUHLOTih6i9383lu88c5J8v/38SFK"
    "AUNvwl9JbShF5QmKHDB+k28MOqXelBWynhOBo/Qlv5i2kNVeLFtFSVELey6rLwAYsPQAXi"
    "NFU7QD/uGtZVK7UMP6qylcMUgUbBZbFXRHXYC8Ta0gM/R6f9jeVl8VWAPRzUIZpuW4NUWv"
    "uURNMEhbYp7LcpzHFRzaEGBgVRY7+mijs0iOvaFBJLa0jlCyNjTpGuvLPzVGjKiUF11OT3"
    "t7+I0DL+v5uoWR2dAwhi30Qios2yuPY6k00ZZKwlFvPztVKoFrcysShQKGLZRMjdhrrWrg"
    "MEQMR0tw4TxQTvxfwi6POZyW89C7LGvfungf4d5DaDYFPh5HALRDSeuCV8EHdEBMB5YCNL"
    "HHpU9Opzt3FxQhG55+0i85aIK3VLrZ4PUD1XrVpyUKmSgUHbff+wJfWUjB/R+BEaPzqpBO"
    "NQVyX6Ihren1Q0PR30vpDqJqhWyiUm6LOSS2Q07sf1382SDQ9lIz6K86iXp3gXU+t8b/V8"
    "b1up1Es4vEeg+VJH/Szz9iNcuCyI51ujEOPq5gYpQl2CUaEEIy3qJFG+oKPxPa7oP/S1nO"
    "tKcpWiXG5RY2LavoWMNfRWiqG4GUIdjFu9nTcIxkVfGzInR6iZ0zpzhKnA4A9H7gMsKFpU"
    "Ia5n6PqT2188PxbzsNj7+CMIkitIubJaAXmP2lG3GLdRYI3L2dQKg43rnq1Jmj61I5/RY5"
    "UYERE/vSi5tUpcTFBpWbG+rKjDGZow4Ogc3TJXQJ6hDfMMErQ6pGHwnPZ8U/hemjI7Ta75"
    "PXh+K5eHTFNpm6GyzVC0cSsUBSuFlASVrsetIqXwhyLTZ/gBGQJD3y3KQihVbMrIdYBRzv"
    "WDPcafZ1h4gdTclXnKEewqXQcTO0GfR6MkrabcGpKl0ys5u5Jn0EN8ry3KHa/aoZNkWo+s"
    "v0NL/YDD6qFm9ciL6LXgOWzBk2HmW0XhkjaFpXLnjijD3rmgGhVLf7z+cnF1CX75fPnuw8"
    "2H0Jge81DeTH9Wny/Pr3KxGGTRAOYklca5Bs7QbrCak0QNUR7UGdwxxqK4KLLRQ1nadjnQ"
    "Oco+0T49UrijaoNKPtAUkfZ/VtsNGvg/xf8NR7TZcYscdOWMyRFq5rTCnFwySJ0yCOirg0"
    "zh/BAxeIcWRLgMJ4uq+h6nmyRfEiEb6Xhw4Yhs+eMxAtV7gY2jREkmnLSC0i98prGixO8Q"
    "b47cA5G6DacZK0xzvgTo5mCYRAeH8RUS6rawTWKnKk/XizayvSl7RpS9WSNvT5aXAR5CBH"
    "BxJq46/wzcu2hNZd18trwHS8p/h0xem20ZCtPYglw80V0IPIEeEAuDfH8KGPrKpOSRTuTr"
    "6kl3hMvp4PPl7ecfwH0wBw7ILGRSkQ9IZCV8RB3+fBdBqyzpLluUPvFeQfn5igL28AFiua"
    "ZTRexLC9yn2hLo8vYVhvBHLm+fXAM5NlSEkqfJRpi71lVIuSrSGmJliNVLCfdfRHgkG0vq"
    "LMecukmEYYZUu4OG7A6aY1dEjnExpwGnc8Q6nHTQzA6iBJvxOkurWT1oVnuBlpU/NquiKH"
    "ZEOsxNIYgipUwpflZZWn1aDvmrgoRQn5jKWS4pOv1tKXxbC6ocCxaRaJxVAsEeoy/ewHaq"
    "rtvi7Ro6qaCcptI478fZRg+oIJKxIgg6IhgfuqdndUwy2TM1YZA5y1m8XGr5ptISTpCMD+"
    "GzOuv3rHz9nuUNXsPo+Dgw1MckRw6g4aPmbmfc1e1v22x/m/M95rWBKldAEfmIcH6E9oK6"
    "R1Y7qzwXwqh7ZNUJbZk06JFVvqG0AbFigOPANpLaOBftpCm4+ZuAT1+urur1JKvoM6ASv/"
    "VjOM14gFeL3crHDZbjeU3QLeX/aTV48JhQVQ9yk4Gm5UFuURzq/iA3Jxq5N8iNMwiI0aJs"
    "vOioFs7wFmyWiEz4fyEDmIE59Yk1AZBYsqw7v8L1A2Tla9K3MN/+ku+FAWRBDICOFRtmrF"
    "iCRTku1DA06BpSx6GNzkVbiWUjPmdINaMHzmgbeTJEQ0E3SxPpehRZhZegjXKZjxSNhrTI"
    "pauMaZpIg5orcqpaSkxXEWteRUxbwbQVbGjWmYM6xXebLRY31SvUo5Mt96rUaDFOKVXM95"
    "D7nSfzuN4CKNOqLOCiOXIRXyyiXzkEM5vOnoFP/JYH1nDLbzsIFrU7P3S2Ohq0eETIwESV"
    "XjX1+VvRnUfaTe2xN/TumyfpbJ6TR8jmQRaGAXIKSztN1dUCf8R+ga3HRq3xGqnDnCQa4T"
    "ZyOq1awDHO09flQIt7mW2E+q6pBPOOYowYt97OwaTr4kjVcpUyQaKVSmWl8rhaOvS5a4/J"
    "SCvT6CLXd9M0vAy9jgYcMseFUlhoKSo/qhIkIzyr2q/HnVCca2rDCYoxqRVdWeIEXC2Y4b"
    "54oypHNcnY4BKLan8YmvjGW4D0IpxmpJAmdsIUpJ/5tvz5w7vbeqFm8AEyyFmzhotDq/Sd"
    "y6lGhHg2k1kAxZb+ekYgPrRYXwDWbTTbWFHTkYx1UPK4uHNwjUwxxxUmqzEtpS6dL3EcZ4"
    "HrJRnjWe54SUaV7ve6vEfMXHIUkoGG0mfynQf4L2eiJB7/6RQIfw5/5QmQy8ICsy1AD8jd"
    "CrrNkgLorfhVUSoPF7hjunnMHbkjIljSpRvgiAJ+iYmfgQ/MAw50GYY2EN4DYOMH5PHHBN"
    "X/+EElnyZeQQwL6gcGbiI4Z8i9I2Icn/sHcG/aEK/vZazlfaJ7xj3w4Ja/FzaXYEPdFX8H"
    "1yeeiMV84vLVvuFz8bt8Xn5F3OG/i/+GO76goRVS8MdHLBOFBR1sil/oOwAu+KJ7+gzcC3"
    "t6+OxEqSZ+xUXyp4QtgfhEkAUvLeP93sqb8letfY/xi9i2gU3pilOsBClknEKOQkQtbtSX"
    "a46gryJ9kaG1w3Tg6GN7DyoDR0OO1ba9xhS9eRFO+EgfRa9ydOZX7SbrbaHronffnElOlO"
    "o1rOLSMhWfWJpuNEGIPX9lAh013CMKjXjDrN0lnL46UzqwY4oRFuxo3f6sg2979JNK7AxR"
    "Kl1lQaepRgB7ek2/mNZY0y+mpWta3Mrs0ijM8irYqquqr6XodAk2hRJsYRF2Dt/aUVnaWT"
    "q9uPcu7tDIoJKAkiQZjRzSYppU2nSTw7Vaeyog18mGg1ahpAVTZZeKCfT2tHd7OqAhs+7F"
    "fEwf0VGF/Gk2N2Sz71gN2Zym1GweNJt1VmhHFQATbeLU6//lidsB+RvxA+r03AGk5+pQoy"
    "ZRNMU7SB64qCqa2mJt2qf3UfcN1eWa2DVrrNmDIpW+OGJB3iDPC35TLlwpPWBSFbPky6GG"
    "lxi7P1+cgIAsDGRxXRneQ0UnTyjSuYnI5+Y89JgnLmAGGFzxEU+4COGvxaPDCbynBfnjbc"
    "4u4pRu446jLjIRn8wSoUBz6MqwpPpRSSAKSroj99FM98CkXIPkr0fsbfgUaItWpFvgbUUb"
    "E5HuLn9IEBp1v3ExnysMKpr53jYRz3RHgoCm8OeJoCTOOUQsEb/FZSkZw8Q2dPf7iQjRAn"
    "LOoJ+qbIgq3p4/kfLnN8moDz1aOqZomDFFOu1ep92PZJFrv3tffvfowFJb2Emq0Xhyel7Z"
    "wYGvsrJ3FNoBsNcBsBOhVC2GaUpt/h+ywVCb/78JNmvz/zfBZvTVwXy6Jn2dUpS6fseQua"
    "xLDehSAwMw0O4tNVDuTOgy3VSiXmS79falmUZsr1PY00GuR8kErPhHSkRK5y3//QsXrgG2"
    "JuJvmy4wkcZI0apmQ11+mbpgRtmyqLTnwfPtN0UqWR2/FZNjZzU8Wcg/ZW9xhrCVPnFDQL"
    "pn60AMo/iqVS27hcTaGrbfGiZ3KRWkY4JW0H3cdZ62oNdJx52Wp+NOc+m4c/5UQ3Ulp4hG"
    "Z/WaPq+HchXMOZzRGhbZvCryeiKC8e0Q01d1tgg+qsIPlNskIgHGWEJvqQJ0jnCMgHfgeM"
    "Ncr7fWRRtzZRpVkkxnUSlkUQngTIYfiryd+wCP6TTiCoiHNXaM33zKoJq8nSPVnZmbytw2"
    "JAufY6kkACZoepRPgl5j3e/nb2rs5m9K9/I32Z1cGF+NfxcWjajQZpJEPWL85fZdPyC3r8"
    "dot1g59CII75rY25O4wN4xWNbDDXp/YWzRh7BpUewErXZ7D9mF4qJ/IbPZB54h1XweMp99"
    "wncrcymAbuL7zlFrbg+N2zk3Xp0UFqnW8mkYNg8uxiym+iRnOsLDvDSVJVWpwsEGoytEDo"
    "XKwbdimtHiJEtN6+LeFRDNKGtlKV1QNuql1H+O3VHCJL1HsqLWgUBdiYnehZW5xojUGnne"
    "4Z0HPgazjBWkkobgStXhU71kxwhSOrHxQLhyCZVjRCzMZD0UKg+540tSV+s8kD8gjRnlw8"
    "qRjRKr65+VF9GER6nHFQOsGD4XLbOSKLrEKqwOpjMS5RnqBNVFzQ6g7HQN5tS26cb7AdxL"
    "u1qYzruG7soDm2VQ5n8LlvABxanBohWASCsubJ/d9vQFIXfpdN9dwYV/6li8R4zF09b8fd"
    "vG0Zp/Uuds/BmrsjlNqdk8aDZDQqhPTGQ4/EifU3ddIFj99eb6UzGri6mzLMcmA/+VXWg6"
    "847+ac5fQ55HMx/bDBPvmXjen7tymVYsAYFWivu5GtnZctgZtooJsjWyY6CxeA1fdGVuxq"
    "gMvWZV66zSVeO6qRqnE7V0otYjqHyTQ3rC6op6fVXU6zIJ7hy52FyeFCjw4Z1Jle4Od2P2"
    "ae3lmOqEtGEpwQ/I9Qo/7PLAwQSJrnFVL9RefFQKCIfDR4juaa3UnNOK1JzTfGpO2FdVRY"
    "1IkPSvOTyORt+ajqAQW9P+Yfb7/wAwiJ0R"
)
