from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "download_board" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "page" INT NOT NULL,
    "digest" VARCHAR(64) NOT NULL,
    "next_edit_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "user_id" INT NOT NULL UNIQUE REFERENCES "user" ("id") ON DELETE CASCADE
) /* A chat's live list of downloads: the one bot message edited while downloads move. */;
        CREATE TABLE IF NOT EXISTS "transfer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "size" BIGINT NOT NULL,
    "modified_at" TIMESTAMP,
    "bytes_done" BIGINT NOT NULL,
    "rate" BIGINT NOT NULL,
    "sha256" VARCHAR(64),
    "error" TEXT NOT NULL,
    "error_code" VARCHAR(32) NOT NULL,
    "restarted" INT NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "claim" VARCHAR(32) NOT NULL,
    "lease_until" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "station_id" INT NOT NULL REFERENCES "station" ("id") ON DELETE CASCADE,
    "station_file_id" BIGINT NOT NULL UNIQUE REFERENCES "station_file" ("id") ON DELETE CASCADE
) /* Fetching one station file's content into storage, shared by everyone who asked for it. */;
CREATE INDEX IF NOT EXISTS "idx_transfer_status_6153cf" ON "transfer" ("status");
CREATE INDEX IF NOT EXISTS "idx_transfer_status_9cb0cc" ON "transfer" ("status", "next_attempt_at");
        CREATE TABLE IF NOT EXISTS "download" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "station_name" VARCHAR(100) NOT NULL,
    "path" VARCHAR(1000) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "size" BIGINT NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "error" TEXT NOT NULL,
    "error_code" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP,
    "file_id" INT REFERENCES "stored_file" ("id") ON DELETE SET NULL,
    "station_file_id" BIGINT REFERENCES "station_file" ("id") ON DELETE SET NULL,
    "transfer_id" BIGINT REFERENCES "transfer" ("id") ON DELETE SET NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_download_user_id_78054c" UNIQUE ("user_id", "station_file_id")
) /* A user's request for a station file: its own status, and the file it became. */;
CREATE INDEX IF NOT EXISTS "idx_download_user_id_d203bb" ON "download" ("user_id", "status");
CREATE INDEX IF NOT EXISTS "idx_download_transfe_04346e" ON "download" ("transfer_id", "status");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "transfer";
        DROP TABLE IF EXISTS "download_board";
        DROP TABLE IF EXISTS "download";"""


MODELS_STATE = (
    "eJztXW1z2za2/isYfWkyo+bGSuJkk507Y7vONlvH7sTq7t6tOzREQiJXJMESoBXtbv/7Bc"
    "AX8V2EJFIUgy9tTOKA1HNA4Lyf/4wcbCCbvLgwHMu9xdTS0eg9+M/IhQ7/R9ntMRhBz9vc"
    "5BconNliPOQDNXczckaoD3XK7s2hTRC7ZCCi+5ZHLexyiqmJgIMIgQsEoAvEBBYnotgHC0"
    "wBnOGA/Re4aAUCgvwxQIZFkQFWJmLj3XVIA9hTyAv+TAPrjN5yF+1MH7jW7wHSKF4gaiKf"
    "PeTX39hlyzXQV0TiP72lNreQbWTQtAw+gbiu0bUnrn1y6UcxkL/5TNOxHTjuZrC3piZ2k9"
    "GWS/nVBXIR+wmIT0/9gMPqBrYdcSFGOnzTzZDwFVM0BprDwObM4dThC2yujTTt9m6q3V9P"
    "NW1UYFxMkQI7uqRjlwPMXpWIX7/gr/D95Oz129fvXp2/fseGiNdMrrz9I3z0BpiQUMBzOx"
    "39Ie5DCsMRAuMNqOGSo8hGCx86WhnGl9aiEuZS8u2oxxjXwR5f2OC++Qa6A/5Pk8mrV28n"
    "L1+dv3vz+u3bN+9eJhwo3qpjxeWnv3BusAGYfdLh9x6zJ7VjhB+bNB+ydIoBOzOAb2Kl6F"
    "dCn6IYEu577Th8D58vSzccDlcR3Y/YR9bC/QmtBcif2BtBNzwEc6BGZ+ov0TQnBu4f8eqJ"
    "r26OEx+ukkMvvajYb2e/GFHx668u7q8ufrgelW0aB0D182amgQKb3SjLseWrdwb15Qr6hp"
    "ZZxvwOnuDclWRs8ZYzcfJXoMueb0Q/hL92LCV61hQvkVsqQcb36sVHz2KCVTxsq+x44QLs"
    "QcY9MEPQRz4QtB8Adu01sCgB9z9efD95cw4sAggT+JBRFBB3nENJgf2SAgXXNBMSswjulQ"
    "n9cnSzVDmU2evvso0cF2YHftVs5C6oyf48f12D6d8uvlz9ePHl2fnr51mR4ja6MxG3ssIF"
    "+9XIlkE4ITgMuE326NGoE3DPXr5sgC4bVQmvuJfFV/cRR0ODtAjyD+wOtRxUDnSWMoe2EZ"
    "G+iP9xgufjiP1A447tytEnVQP+9NPn6/vpxeef+eMcQn63BX4X02t+ZyKurnNXn53n+JRM"
    "Av7+afoj4H+Cf97dXgt4MaELXzxxM276Ty7UjGBAsebilQaN1NcfX41Ry31VhGpMYNqF73"
    "naA3A+euW+MP5EGB1jUstppZwp5awHOsRW5exICkRgWPT6CYn3LqoQm7v1SgQfp6Fk4FY1"
    "4u8mBobFLb6QjmO7rwHmPnb4Xz56DwhbPd9bLhE3UkZk6wlxyzCbqMT2fMB5D6xu1BniBq"
    "ZxdGJ9q9ZLTkug65I/QzrW2aeKJc/1NMlOB/t2Ke309PsMovwNCnhWa5obirZUzeMp8q+b"
    "qJqvqzXN1wVFk0KfHSWavDxaJGxp9Z6cVJqGlwSzfyG9ZM+vXr8pkp0WcM/2g/ZtJdi3Fp"
    "bUFrGhGJw16vCmPgNRaJXY+qboa8XWsKEYALx14sn1P6YZySSG8dnni388z0gnN3e3f4mH"
    "p2C/urm7LNNjj6R2PTHp1R+VqVzhnXGturUZs91hAzwfzy0bAc/SaeAj8IwgZICXL8+es/"
    "3JRID8HkB2WfexJ3Qi7oGhZuDMXLa0mJrE7vFh/Pj5jgA+FSm6dNp4yoO7sqgJCA58HYGH"
    "6Gc/sIcTzAevBZWBjMCzLZ2vcjGzjgOX/9u2lkhEE2Guv4kplR+ph34k8X+JIyUe392O19"
    "mhPXnzpsGZwkZVHiriXk4wEt+PRkw4eXMuJR7lCQeI+OEP8ZVl0BKPaOU2kYxXtuYSqd5E"
    "1sIsEeor4dwQKDxL8Jxj3ykzjFXvAhuKAX7+Z82UpBodSbmTv0nzo+VURdxWy4POMINtD7"
    "Y3KU+t8tSegqe2sA8cANN7Eef4kemoA0Y2vQPKOsFTdvTEalDiZY1oP/70BdmwwjuRsbRM"
    "49kGhPsf7ZuuNrBV2rAyyG4zZmk0M3qbWasaImXd6Zd1h1j/LtkfK2GNh6vjvMxDG34qck"
    "7vNI1CtUwlZoeuHKYpCoXodrFz467YU0ja+EZODOCmAlLmY90ufM4jcVHJntuhTX2zfYq/"
    "vLTxrEyEEtdr5aZZPGKrC/AKuxS5NMqlApgthjEIGLv8dLbVB/Doo7kmvGePoRONCJec8M"
    "Wxf0HKvXOMpBh2efAnPLgP7vUT8tdAN6G7QADP08Rj4ejzbKizFwDYBz5y8BP/dzwdewdg"
    "WGQ5BiaDELkE8IICDy6DyiVh3FL4QBMzNrF/WgT4ePUdATbWl8LDCAGHmCehuYi9SvgMUa"
    "WAzw/Dx7B3Qj6jxzEue8ifO3hoDuyaGWAilaxkWhenO0ThtONU+eQblhC3MjTdYf+yx9KW"
    "8jg0g3pYCWwSwUtZIXFPS9kgBcRWjWSXmFbm5Sf36sU7TKXy8sMkel5wCX2lyHehDdjkXJ"
    "4S0glBTGCK6hiIC1xQEiRM5MErxtEkYuv185KU/YNPr+x0/bLTqTTzdkOnVbWETqKvlDC0"
    "7SDsu/DTKPxCpe9/K5yOhQqNICmlsUCnFMe84jgL9CUqwfSjjWEFqhuSHJxzTnNqgNag9c"
    "PdL5c31+DnL9dXn+4/3d1mPwxxk19iF6zQjvzl+uKmFN8ddqgModqe+rw9GXAtI89Fwwco"
    "Mh86jpYhJW0ozNCo/V7FV6r4yh4Y2saHq4RTFAv3M2w2L13azyO0W6PmD3jlMjEva4zL3x"
    "vXGTWN9KgGNs0oG9RHDHRCwRz7AAL2+Qj3LTdsvxf+ZTaruBqQ0DGcOIEtCmZIZ29aZtE8"
    "3OTcW82r3nNMxsCD1BQjubtQpKjq2LNQVIVI5MKmHhInswKmpvhrsETII8CBS+7MZqoLQQ"
    "+uKGOUpsOhWz18CwIW2K3MbP01/blF9FocC/FbzuJaGByQERvy60h4zeeFW1IWWlUA6bA+"
    "1RrHdsRm2cTaPN0g871aMO3yD14G53j8MPFtCHAtwgWIVY54yzniKham+1iY6BiV3KFDig"
    "4tCGxogOJ3aXv/mDTZPSbVe8ckv7KR7+MSpay6pE5CMAAjTRcVdQpgMywNqc06SzUA2LNr"
    "+lWTNf2qek2/Kqxp5eTcacWfmm058Iwd2ZylVGzuNZvnvAKxuROfc6TKVdRvPnedZ9YzZh"
    "684mfOnFUAtlZ/KRIPCOOONZmcfbA5F3KEigO7ckD59pRv7xR8e1X79wGgvQ+na5im0LNd"
    "oynAJcdWBmj2HuD2l5ubUen+fACUp6mphglx7kxqAO8x8rBPFNzt6/Y4edix//oSs6lGNQ"
    "7ucMC4iZdbmyVjG/i6dRNSnn7M+9DYFqE85TmeiYQ1lLGLwAzTpLt60jadO4KTsYCnKZc5"
    "vFt4gsri6VcWj2oFfmQ53CstB1eJezy8O8TPer2yU/Gf1gIRqUK1G4rBuRAOnyfloq9U47"
    "v7DlbHPK2yL/fa7qjcCN8Gm49vATp50UqiwEJRGdlmK7pz0RSz/7RsKToqE9qJAd9Ls7vB"
    "i2seWjsqUeqSe+M6fc7GCw0lw7aqcozFgP08XjJKdEQdA0jAyrcoRS6YrYWexQX4GSRMD8"
    "MLYELXsJFfVNn2mkn1L+21yqD6l37bx7XNvuiSehv3DrTtyg8tIWpLXzzC1/Zq8vY8+b74"
    "H3Vf1P3ni5uborLI9r5F2ZFbU70koRhgiHArUe7OJleqaShlimQQKHcdTtm9SN+zjqYtBY"
    "xIQZolGlCEwuFMdbG/QwrXHJUC9gAq6EG1Jsu94iHZ5WpTdHO8RW+y3CSuu4kPDLvoey6a"
    "Ak70gf1pr3nJuR8/X1xxZ5VFebpjWGS4zMElS75dRcpkRHqBz6RA8WNSkrZcFuS3okO15u"
    "FKMaFxvt2GZBBiSC4frImsN6kW9SbFFnbs69FMB+oyIGeIBgjzt16qTun5u+n56Ktnsel2"
    "4HKWUnlfes3mHWsRqjKEJ8LfObRswSqKHI+WJO3WG+5KyAdTn+oQBrweOC+PLW2o8PVTc0"
    "t2pozHZapKVPFUBatqRTxlh22ihcfBn5T3wPGQT0SvHB8HC1O4HGeYhtGi7EGWaNIjSgQk"
    "1ZFMi+vYa95xh8eTitcoU9dbeQ6vxRSWSXgfDjfAQzA5+9NE1KjnVZU2f9IxL6UU7s3g2c"
    "qiJngUyeiPz1+Azfux+R8j4kewMjGvyaTb0HKACQkIxTRGz0syeT7WGRUwLGQ859aG6BXg"
    "gq26xjaHTZkHEWoVnRrC2MCrMaVW6c52COXO7cqdu2Q/XkaRjsd3GMRI2SobtcWEluuExu"
    "/e1CcVjx9AjGjX7ihq0bI8l5ruBTHBAMDOF2E6b1SEKa+ypIswneeX8hz7TpkKWQ3whqJD"
    "hD129Lmnul0QdtaX1RS+xNhG0K1wASZEOZhnjKotnJMr3e4cl3d3N5md4/JTfmv45fPlNY"
    "NdoL4pgF4Wwk84AJptuUvN89GThVaSyFdN0SEfYonlZNngI89eaw70l4FXhP+v93e35djn"
    "6fIGKkun4L8ikWxQpikOSP3RmT8lx1lzE58gf3QyER7qpsN2EU2+y2cp8U4bfs+40LaHJQ"
    "WcbAHJEtLhId5OKckeVjUsaJ3dFjU8uBSzqxla2Z8r7M95O0sB1wYZcVly5ZXtsztHmO+Q"
    "oQUutUqisLe43/PEynXXZ16rCrBd2oiQjRY+dLRNRYGSU6pa6aii30v52I0lf54Hri76Lc"
    "wCy6aWS17w5/3vEVjVik6i4o++hd2Pu7l2YHGKTJ1ufeZv0idcLnwiT6bC71VQSjuIqqCU"
    "toNSSreDA+B6iek0nuq0doKm0OZ3QemSdCmTjOFYLtulqaXv25Xugk91K2Ya0LJutTXdvQ"
    "l9dGO5y1FJjNTm5rguSorwYcLTJMZtD5RyAXSxu3ZwwIvquUseyMQDkXiNww8iQkmsLR4G"
    "ZCDfeopbwN1fX31hIP90/X/jMEeJRw6ZkJhgiTxaEinV4oNUAb9+pTcRaEtFAMTjB5hxc/"
    "i+KeFWzz8AGYizVIcB+rhrWCU2Kc1zUJlN/RQ/B8FlvlckhX8lDvwCnbIwVFdOkAF2f1D7"
    "6MQ9GKTdd9np2xnTstHmGMXu+wZxU/tCVbX7I+cTRZ0yRmW6Mk2MEzWacmpQEzX54/Rnnm"
    "jD/ncf1zPEcwCBj3RkPYlO5+GMY8BOJqa9zkTdDmFSsfj8bK2UqsUHmTju3u5BQlbYNzZF"
    "QgBydX/t8Qr4zx75/Ny284IgJqZS8vj8Q9KUnenl4X7CKOEamHglbtmQ0AfXw7ZNwEqkGx"
    "HMKzn66yRRiLCxJJyHMQKYiOlzptLMe6iZH7cFdY8Uxlaqy5lYrth7PH6Ado9WojI97Jfg"
    "W92XIBrenUA0OZXGBKKqlcxSTQg6DCdK7MWjE16y0XmsJadwEfXqIK5yahXRJR/RZUsFc0"
    "fDOwSaLXXUzTI/fCA3kwWt+Vorxbg2MSpLqNKhJNKhMJaSNOLxHa7o/+lqOTeV5GpFucKi"
    "tlzdDgykOZAspYI/C4Qq6rN+O98h6hN93ZE5BULFnIMzh5sKNPZw5D/BkrSEGnE9R9ed3P"
    "7q5alYhvnexx7hIrGCpHOnSsg71I7axfgQKVRMzsa8RI7M2Zqm6VI7Cig+VYkRufynl1X0"
    "qRMXU1RKVmwuK6pIhl0YcHI+bm6n18QZKs/oPK2KZug9p0mgc9/LrszOkit+957f0gmgWS"
    "plM5S2GfKSiqWiYK2QkqJSdZZkpBT2UKQH1HpCGscw8MsyECoVmypyFVtUcP1YhLLnafK9"
    "qYuUA9hV2o4j9sKaqxqPopFZ0AU6tZLzK5l3DGV7bUlAQ+0OnSZTemTzHVroBwxWgnarOF"
    "JGrwTPvgmehaDJJnmDFZubTL5gFLM3sFjKwgd0GJR+ZjMNFSV2xyVz5O+J1DSaZqgwzdkS"
    "wKu9YeJp56lw2aEg1UHgsdipqoOP441sawCyFseiN+lqwMcCghBvFgBgHBj8Ajz6yMEUaR"
    "6k5iMwMfsdYfeBNUVRZG4YWcxLooBnkAC+MNzvzwAvJS6OmFxfg5ae9ODOsQ++XE+/fACP"
    "4RwWifoj8O5rBuBwAg9hjz3fR7CyyeGvuaamqfcK2wgUuhFsxsInpiKKmryq50C1oH7kng"
    "NphhbYUBPqkiUbYGxtWyEvskgriKUhJta/y9TVmj0lphhSVlcnG0vmYLYY9S4e0BypUlf7"
    "pq5msyZ97tliMssOnC4QK3d3r5kdejF343WeVrG616wmocpUPDZr250kRMoNJ2HkzWhGkp"
    "9Vnladln3+qqDr4sDVpaPwMnTq25L4thZY2lcVkyicJXDO2noa+luzREPSttqqoZEqoJDF"
    "eIcyGkMzQI9zNTSyq0u2jEajWjsyVv8fomlO9gTe0+Jf9DZV43nnoilm/zmoy+mUUJV3jQ"
    "j3ZLVrJPZebneNePHIra4RxiDAR/PSKbyqaDTDe7AykTtm/4UUWBTMmehijEXzZV7fhF1B"
    "DHGjWJflAPM1bZK82RfYX75qhNwD22FNadMNiwpc2NKMIEOpTA69Vo7mvLSSuROfc6SK0T"
    "1ntI2IsAVK6ApZIhWYWWxEt5KOd83QKEjLbAfSmGaJFKiFbF/VVK27dBpllVFWmUFZZdqN"
    "MUwKy5bq0emys3VqNB8nFWDI+/R8R0T033sARTCeAXw0Rz5ii4X37IBgZuPZC3DLbhHgwD"
    "W77SFY1vJj39maaNCpxkKpdHU59flb0Z0HWlb02Bt6B+3IVdjYEcLGkGHBEDmJpZ2l6qwX"
    "fHeRkedN4iLzKn0qKvI8v7gdy0HyMKeJBriNnE3qFnCC8+RtNdD8Xm4bwYGvS8G8oRgixg"
    "eva6Rjx0FuicmwWqVMkSilUlqpPK3aRqr98x6xnrHre9d4zxy9Ck7rM8e5UlhqKao+qlIk"
    "AzyrDl+YQjWGVo2he2CDk2sMzb7xA0B6GU0zUEhTO2EG0i9sW/7y6WrasBf0E6SQscaBi7"
    "17QYupBoR4PmSeA0XNwJm50Nq3xEMI1jSebaioqUjGJiiJdt771gxJdw4fylJq0/mSxHGW"
    "uF7SMZ7Vjpd0VOl2r8tHRHWT93lLBRoKn8l3vCObS3khBfbTsWjoxl55DMSyEI3gRCM2Tr"
    "cyMYBkybumYx9YJe6Ydh7DG8/xYEkfr4DHyz6kJn4BPlECPOhTC9qAew+AbT0hwh4T1oxg"
    "B1XYpe67cFhYdSJ0E8E5Rf6Dy8exuT+AR92GlvMoYi0fU2WkHkW3upVp6SZYYX/J3sEPXM"
    "JjMZ/5bLWv2FzsLpuXXeF3RAM7+MAWNDQiCvb4mGW8HIVn6fwXBh6AC7bonr8Aj9yeHj07"
    "lRPMrvgo7JIX1sZjE0EavrSI93svbopf5QSEsouWbQMb4yWjWHJSSBmFGIVcubjRsC+Si7"
    "5S9iYUOR5VgaPH9h7UBo5GHGtse00oOvMijNjIAMWvcnLmV+Um62yhq+oK35xJjhd40ozy"
    "HMaaTyxLN5ggxI6/Mo6OHO4xhUJ8N8SZ8Dt5cy51YCcUOx3YPdu72rY/q+DbDv2kAjuNF9"
    "iTWdBZqgHAnl3TryYN1vSrSeWa5rdyuzSKsrxKtuq6NP8Mncr1l6lXEmq+MlkRaZLBHI4H"
    "zN3J2hMkRfoScpUB12u5XpjVZE6FhEAdCFsPhD3K5atK+af0EZ1UHJpi845sDjxjRzZnKR"
    "Wbe81mlarYjmyZrnhfCm6tqb5IfBiQvxHnlMoZ7UHOqIp/2SW0o3wHKQIXl+qSW6y7thw6"
    "6r4hu1xTu2aDNbtX+IwIWC0JnYkDWavDZuKI2SaJyh7yCXbHYMkOcZeHqEzZb1r40AGWMe"
    "Z/23hhuSJiw4OErLDPLmMfzDA1y1KV955ve9iGyknuMieZRvyTFjRyhDsJGfm9tg9Id+w/"
    "S2DkX7VsgngpsfKqbfeqiV1KBumE4CDoHnedZxPxm4QXTarDiyaF8KI5e6omu5IzRIOzmE"
    "4atcmZ1HTJmRSb5CAHlplLa/yUMcHwdojJmyZbBBtVU06i2JM4EmA0ExLJjk85wiEC3kL9"
    "Doto0HDKNuZat3CaTHmFJbzCHDid94LfAfCETiEuVXNf5AxovweYQlnDXo70IBL3sTeVo8"
    "jcNnQXAcNSSgBM0XQon4S1U9vfz9812M3fVe7l7woVPpSjrxJ33q31zrXXoySR7RQ8QtHG"
    "cUrNxnq2150Ioxu5/nz0L6Tv9oHnSBWf+8znwGW7lW7u2OmsSK243TduF/ydjYoecHWLTU"
    "Mtfe+iB3yqWzHTCR7mzSofeJZG8RK5+0LlWVM+zWBxEiUdVBGNGohmmB5kKV1iOuil1H3Y"
    "wEnCJLwaInNlT6Bu+ERXUQbMEJFyECH7V/j5HM4yVJAqGm9IVWHJ1GwfIkhRqMmeOPEoke"
    "FFke3anjApWjnDbFg1ss2bFMY7/2U84UlqJXt3Kkwvs4pYpdQqrA9Z0lLxk01Cl+ISOVD0"
    "RwBzbNt4RT6AR2ElioraONBfkrDPIDXRGpjwCQFocxvbWhSQ4SVySpsuHHr6ksCmTNuFVE"
    "Tkbyri6YgRT8o2vW3bOFljRuacTT5jWTZnKRWb+81mlYTSShKKqnus6h73IDBfqu6xStAZ"
    "QlO3C+RbujkqUTeiO7WaBtyM2aZjVGOqkhT6JbI/IZ+UftjV8TopkgH2OWgl/JJ/VBIIR8"
    "MHiO5Zo3Dts5pw7bNiuHZUO7iI8F/v724r9M0NSV4LsXQK/ivK6Z4g2jXgcjAyqkehrFe+"
    "gtc4q1PwCS7LJK8uD7M//h8EWzdb"
)
