"""File names of receiving stations -> metadata: the presets against real names (their sources are
in the module's docstring), the names nothing may read, and an admin's own patterns."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from pyorbital import tlefile

from services.core.errors import InvalidInput
from services.passes.names import (
    PLATFORM_ALIASES,
    PRESETS,
    FileMeta,
    NamePattern,
    make_pattern,
    parse_name,
    pattern_from_dict,
    pattern_to_dict,
)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


def meta(
    platform: str,
    instrument: str | None,
    level: str | None,
    product: str | None,
    start: datetime,
    end: datetime | None,
    orbit: int | None,
    family: str,
) -> FileMeta:
    return FileMeta(platform, instrument, level, product, start, end, orbit, family)


# The tables: one file name and everything a user sees of it. Hand-aligned, so unformatted.
# fmt: off
AQUA_0323 = utc(2014, 8, 7, 3, 23, 41)  # 14219032341: 2014, day 219, 03:23:41
EOS_PDS = [
    ("P1540064AAAAAAAAAAAAAA14219032341001.PDS",
     meta("EOS-Aqua", "MODIS", "L0", "APID 0064 data", AQUA_0323, None, None, "eos_pds")),
    ("P1540064AAAAAAAAAAAAAA14219032341000.PDS",
     meta("EOS-Aqua", "MODIS", "L0", "APID 0064 construction record", AQUA_0323, None, None,
          "eos_pds")),
    ("P0420064AAAAAAAAAAAAAA21284194359001.PDS",
     meta("EOS-Terra", "MODIS", "L0", "APID 0064 data", utc(2021, 10, 11, 19, 43, 59), None, None,
          "eos_pds")),
    ("P15409571540958154095921286132853001.PDS",  # GBAD: three APIDs in the name
     meta("EOS-Aqua", "GBAD", "L0", "APID 0957 data", utc(2021, 10, 13, 13, 28, 53), None, None,
          "eos_pds")),
    ("P1540404AAAAAAAAAAAAAA14219032341001.PDS",
     meta("EOS-Aqua", "AIRS", "L0", "APID 0404 data", AQUA_0323, None, None, "eos_pds")),
    ("P1540261AAAAAAAAAAAAAA14219032341000.PDS",
     meta("EOS-Aqua", "AMSU-A", "L0", "APID 0261 construction record", AQUA_0323, None, None,
          "eos_pds")),
    ("P1540342AAAAAAAAAAAAAA14219032341001.PDS",
     meta("EOS-Aqua", "HSB", "L0", "APID 0342 data", AQUA_0323, None, None, "eos_pds")),
    ("P1540141AAAAAAAAAAAAAA14219032341001.PDS",
     meta("EOS-Aqua", "CERES", "L0", "APID 0141 data", AQUA_0323, None, None, "eos_pds")),
    ("P1540999AAAAAAAAAAAAAA14219032341001.PDS",  # an APID nobody mapped: no instrument
     meta("EOS-Aqua", None, "L0", "APID 0999 data", AQUA_0323, None, None, "eos_pds")),
    ("P1590000AAAAAAAAAAAAAT19244050140701.PDS",  # NOAA-20's spacecraft diary, data set 7
     meta("NOAA-20", None, "L0", "APID 0000 data", utc(2019, 9, 1, 5, 1, 40), None, None,
          "eos_pds")),
    ("P1570826VIIRSSCIENCEAS23001120000001.PDS",
     meta("Suomi-NPP", "VIIRS", "L0", "APID 0826 data", utc(2023, 1, 1, 12), None, None,
          "eos_pds")),
    ("P1771289CRISSCIENCEAAS23365235959001.PDS",
     meta("NOAA-21", "CrIS", "L0", "APID 1289 data", utc(2023, 12, 31, 23, 59, 59), None, None,
          "eos_pds")),
    ("P1590515ATMSSCIENCEAAS24060000000001.PDS",
     meta("NOAA-20", "ATMS", "L0", "APID 0515 data", utc(2024, 2, 29), None, None, "eos_pds")),
]

GMODO = "-".join(["GMODO", *(f"SVM{band:02d}" for band in range(1, 17))])
JPSS_H5 = [
    ("SVM15_npp_d20150311_t1126366_e1128008_b17451_c20150311113344455225_cspp_dev.h5",
     meta("Suomi-NPP", "VIIRS", "SDR", "SVM15", utc(2015, 3, 11, 11, 26, 36, 600000),
          utc(2015, 3, 11, 11, 28, 0, 800000), 17451, "jpss_h5")),
    (f"{GMODO}_j01_d20190304_t1103049_e1108449_b06684_c20190304213641984108_nobc_ops.h5",
     meta("NOAA-20", "VIIRS", "SDR", GMODO[: GMODO.index("-SVM10")],  # cut to whole ids
          utc(2019, 3, 4, 11, 3, 4, 900000), utc(2019, 3, 4, 11, 8, 44, 900000), 6684,
          "jpss_h5")),
    ("GMTCO_j01_d20190304_t1103049_e1108449_b06684_c20190304150845549693_nobc_ops.h5",
     meta("NOAA-20", "VIIRS", "GEO", "GMTCO", utc(2019, 3, 4, 11, 3, 4, 900000),
          utc(2019, 3, 4, 11, 8, 44, 900000), 6684, "jpss_h5")),
    ("GDNBO-SVDNB_j01_d20190304_t1057236_e1103036_b06684_c20190304213641088765_nobc_ops.h5",
     meta("NOAA-20", "VIIRS", "SDR", "GDNBO-SVDNB", utc(2019, 3, 4, 10, 57, 23, 600000),
          utc(2019, 3, 4, 11, 3, 3, 600000), 6684, "jpss_h5")),
    ("SATMS_npp_d20221220_t1330400_e1331116_b57761_c20221220133901538622_cspp_dev.h5",
     meta("Suomi-NPP", "ATMS", "SDR", "SATMS", utc(2022, 12, 20, 13, 30, 40),
          utc(2022, 12, 20, 13, 31, 11, 600000), 57761, "jpss_h5")),
    ("GATMO_j02_d20240101_t0000000_e0000320_b06000_c20240101001500123456_cspp_dev.h5",
     meta("NOAA-21", "ATMS", "GEO", "GATMO", utc(2024, 1, 1), utc(2024, 1, 1, 0, 0, 32), 6000,
          "jpss_h5")),
    ("SCRIS_j01_d20230615_t0812000_e0812080_b29000_c20230615083000123456_cspp_dev.h5",
     meta("NOAA-20", "CrIS", "SDR", "SCRIS", utc(2023, 6, 15, 8, 12), utc(2023, 6, 15, 8, 12, 8),
          29000, "jpss_h5")),
    ("RNSCA-RVIRS_npp_d20130218_t0908103_e0921256_b00001_c20130218092411165000_nfts_drl.h5",
     meta("Suomi-NPP", "VIIRS", "RDR", "RNSCA-RVIRS", utc(2013, 2, 18, 9, 8, 10, 300000),
          utc(2013, 2, 18, 9, 21, 25, 600000), 1, "jpss_h5")),
    ("RATMS-RNSCA_npp_d20130218_t0908194_e0921055_b00001_c20130218092411244000_nfts_drl.h5",
     meta("Suomi-NPP", "ATMS", "RDR", "RATMS-RNSCA", utc(2013, 2, 18, 9, 8, 19, 400000),
          utc(2013, 2, 18, 9, 21, 5, 500000), 1, "jpss_h5")),
    ("RCRIS-RNSCA_npp_d20141031_t0905166_e0905484_b00001_c20141031090623200000_nfts_drl.h5",
     meta("Suomi-NPP", "CrIS", "RDR", "RCRIS-RNSCA", utc(2014, 10, 31, 9, 5, 16, 600000),
          utc(2014, 10, 31, 9, 5, 48, 400000), 1, "jpss_h5")),
    # Across midnight: the end is on the next day.
    ("SVM01_j02_d20231231_t2359300_e0000550_b01234_c20240101001500123456_cspp_dev.h5",
     meta("NOAA-21", "VIIRS", "SDR", "SVM01", utc(2023, 12, 31, 23, 59, 30),
          utc(2024, 1, 1, 0, 0, 55), 1234, "jpss_h5")),
    ("SVMC_npp_d20191216_t1344091_e1345333_b42154_c20191216135112000242_eum_ops.h5",
     meta("Suomi-NPP", "VIIRS", "SDR", "SVMC", utc(2019, 12, 16, 13, 44, 9, 100000),
          utc(2019, 12, 16, 13, 45, 33, 300000), 42154, "jpss_h5")),
    # An EDR: nothing known of the product, but the platform and the times count.
    ("VNCCO_npp_d20230101_t1200000_e1201250_b58000_c20230101121500123456_cspp_dev.h5",
     meta("Suomi-NPP", None, None, "VNCCO", utc(2023, 1, 1, 12), utc(2023, 1, 1, 12, 1, 25),
          58000, "jpss_h5")),
]

NOAA_CLASS = [
    ("NSS.HRPT.NP.D23001.S1200.E1215.B7123456.WI",
     meta("NOAA-19", "AVHRR", "L1B", "HRPT", utc(2023, 1, 1, 12), utc(2023, 1, 1, 12, 15), 71234,
          "noaa_class")),
    ("NSS.FRAC.M1.D19115.S2352.E0050.B3425758.SV",  # across midnight
     meta("Metop-B", "AVHRR", "L1B", "FRAC", utc(2019, 4, 25, 23, 52), utc(2019, 4, 26, 0, 50),
          34257, "noaa_class")),
    ("NSS.GHRR.NN.D14118.S0643.E0837.B4597374.WI",
     meta("NOAA-18", "AVHRR", "L1B", "GHRR", utc(2014, 4, 28, 6, 43), utc(2014, 4, 28, 8, 37),
          45973, "noaa_class")),
    ("NSS.LHRR.NK.D23100.S0930.E0945.B3301234.GC",
     meta("NOAA-15", "AVHRR", "L1B", "LHRR", utc(2023, 4, 10, 9, 30), utc(2023, 4, 10, 9, 45),
          33012, "noaa_class")),
    ("NSS.MHSX.NN.D14119.S1701.E1856.B4607273.WI",
     meta("NOAA-18", "MHS", "L1B", "MHSX", utc(2014, 4, 29, 17, 1), utc(2014, 4, 29, 18, 56),
          46072, "noaa_class")),
    ("NSS.HIRX.M2.D11235.S1641.E1823.B2513233.SV",
     meta("Metop-A", "HIRS", "L1B", "HIRX", utc(2011, 8, 23, 16, 41), utc(2011, 8, 23, 18, 23),
          25132, "noaa_class")),
    ("NSS.AMAX.M3.D20055.S1457.E1639.B0691527.SV",
     meta("Metop-C", "AMSU-A", "L1B", "AMAX", utc(2020, 2, 24, 14, 57), utc(2020, 2, 24, 16, 39),
          6915, "noaa_class")),
    ("190457103.NSS.MHSX.NN.D11235.S0028.E0223.B3223536.WI",  # after CLASS's order number
     meta("NOAA-18", "MHS", "L1B", "MHSX", utc(2011, 8, 23, 0, 28), utc(2011, 8, 23, 2, 23),
          32235, "noaa_class")),
]

EPS = [
    ("AVHR_HRP_00_M03_20221219184226Z_20221219185738Z_N_O_20221219184230Z",
     meta("Metop-C", "AVHRR", "L0", "HRPT", utc(2022, 12, 19, 18, 42, 26),
          utc(2022, 12, 19, 18, 57, 38), None, "eps")),
    ("AVHR_xxx_1B_M01_20230101235500Z_20230102000800Z_N_O_20230102001600Z.nat",
     meta("Metop-B", "AVHRR", "L1B", None, utc(2023, 1, 1, 23, 55), utc(2023, 1, 2, 0, 8), None,
          "eps")),
    ("MHSx_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z",
     meta("Metop-B", "MHS", "L0", "HRPT", utc(2023, 1, 1, 12), utc(2023, 1, 1, 12, 15), None,
          "eps")),
    ("AMSA_HRP_00_M02_20210505101010Z_20210505102510Z_N_O_20210505102600Z",
     meta("Metop-A", "AMSU-A", "L0", "HRPT", utc(2021, 5, 5, 10, 10, 10),
          utc(2021, 5, 5, 10, 25, 10), None, "eps")),
    ("HIRS_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z",
     meta("Metop-B", "HIRS", "L0", "HRPT", utc(2023, 1, 1, 12), utc(2023, 1, 1, 12, 15), None,
          "eps")),
    ("IASI_xxx_1C_M03_20240301090000Z_20240301090259Z_N_O_20240301101500Z",
     meta("Metop-C", "IASI", "L1C", None, utc(2024, 3, 1, 9), utc(2024, 3, 1, 9, 2, 59), None,
          "eps")),
]

AAPP = [
    ("hrpt_noaa19_20230101_1200_71234.l1b",
     meta("NOAA-19", "AVHRR", "L1B", "hrpt", utc(2023, 1, 1, 12), None, 71234, "aapp_l1b")),
    ("hrpt_metop01_20180319_0955_28538.l1b",
     meta("Metop-B", "AVHRR", "L1B", "hrpt", utc(2018, 3, 19, 9, 55), None, 28538, "aapp_l1b")),
    ("hrpt_noaa18_20230101_2359_90001.l1b",
     meta("NOAA-18", "AVHRR", "L1B", "hrpt", utc(2023, 1, 1, 23, 59), None, 90001, "aapp_l1b")),
    ("hirsl1c_noaa15_20230101_1200_12345.l1c",
     meta("NOAA-15", "HIRS", "L1C", "hirsl1c", utc(2023, 1, 1, 12), None, 12345, "aapp_l1b")),
    ("hirsl1d_metop02_20160617_0952_50132.l1d",
     meta("Metop-A", "HIRS", "L1D", "hirsl1d", utc(2016, 6, 17, 9, 52), None, 50132,
          "aapp_l1b")),
    ("amsual1b_metop03_20220108_1249_16123.l1b",
     meta("Metop-C", "AMSU-A", "L1B", "amsual1b", utc(2022, 1, 8, 12, 49), None, 16123,
          "aapp_l1b")),
    ("mhsl1c_noaa19_20230101_1200_71234.l1c",
     meta("NOAA-19", "MHS", "L1C", "mhsl1c", utc(2023, 1, 1, 12), None, 71234, "aapp_l1b")),
    ("amsubl1b_noaa15_20010101_0100_12000.l1b",
     meta("NOAA-15", "AMSU-B", "L1B", "amsubl1b", utc(2001, 1, 1, 1), None, 12000, "aapp_l1b")),
]

HRPT_RAW = [
    ("20141028071601_NOAA_19.hmf",
     meta("NOAA-19", "AVHRR", "raw", "HRPT", utc(2014, 10, 28, 7, 16, 1), None, None,
          "hrpt_raw")),
    ("20250609094500_noaa19.hmf",
     meta("NOAA-19", "AVHRR", "raw", "HRPT", utc(2025, 6, 9, 9, 45), None, None, "hrpt_raw")),
    ("20230101235959_NOAA_18.hmf",
     meta("NOAA-18", "AVHRR", "raw", "HRPT", utc(2023, 1, 1, 23, 59, 59), None, None,
          "hrpt_raw")),
    ("20240600930_METOP-B_hmf.hmf",  # %Y%j%H%M: 2024, day 60, 09:30
     meta("Metop-B", "AVHRR", "raw", "HRPT", utc(2024, 2, 29, 9, 30), None, None, "hrpt_raw")),
]

MODIS_DB = [
    ("a1.23001.1200.1000m.hdf",
     meta("EOS-Aqua", "MODIS", "L1B", "1000m", utc(2023, 1, 1, 12), None, None, "modis_db")),
    ("a1.23001.1200.500m.hdf",
     meta("EOS-Aqua", "MODIS", "L1B", "500m", utc(2023, 1, 1, 12), None, None, "modis_db")),
    ("t1.14219.0323.250m.hdf",
     meta("EOS-Terra", "MODIS", "L1B", "250m", utc(2014, 8, 7, 3, 23), None, None, "modis_db")),
    ("t1.23365.2355.geo.hdf",
     meta("EOS-Terra", "MODIS", "GEO", "geo", utc(2023, 12, 31, 23, 55), None, None,
          "modis_db")),
    ("a1.23001.1200.mod35.hdf",
     meta("EOS-Aqua", "MODIS", "L2", "mod35", utc(2023, 1, 1, 12), None, None, "modis_db")),
]

FY3 = [
    ("FY3D_20190808_130200_130300_8965_MERSI_1000M_L1B.HDF",
     meta("FY-3D", "MERSI", "L1B", "1000M", utc(2019, 8, 8, 13, 2), utc(2019, 8, 8, 13, 3), 8965,
          "fy3")),
    ("FY3D_20190808_130200_130300_8965_MERSI_GEO1K_L1B.HDF",
     meta("FY-3D", "MERSI", "GEO", "GEO1K", utc(2019, 8, 8, 13, 2), utc(2019, 8, 8, 13, 3), 8965,
          "fy3")),
    ("FY3D_20190808_235930_000030_8972_MERSI_0250M_L1B.HDF",  # across midnight
     meta("FY-3D", "MERSI", "L1B", "0250M", utc(2019, 8, 8, 23, 59, 30),
          utc(2019, 8, 9, 0, 0, 30), 8972, "fy3")),
    ("FY3D_MERSI_GBAL_L1_20190808_1302_1000M_MS.HDF",
     meta("FY-3D", "MERSI", "L1B", "1000M", utc(2019, 8, 8, 13, 2), None, None, "fy3")),
    ("FY3C_MERSI_GBAL_L1_20180101_0000_GEOQK_MS.HDF",
     meta("FY-3C", "MERSI", "GEO", "GEOQK", utc(2018, 1, 1), None, None, "fy3")),
    ("FY3E_MERSI_GRAN_L1_20230101_1200_1000M_V0.HDF",
     meta("FY-3E", "MERSI", "L1B", "1000M", utc(2023, 1, 1, 12), None, None, "fy3")),
    ("FY3D_MWRIA_GBAL_L1_20240530_0405_010KM_MS.HDF",
     meta("FY-3D", "MWRI", "L1B", "010KM", utc(2024, 5, 30, 4, 5), None, None, "fy3")),
    ("tf2019071182739.FY3D-X_MERSI_1000M_L1B.HDF",
     meta("FY-3D", "MERSI", "L1B", "1000M", utc(2019, 3, 12, 18, 27, 39), None, None, "fy3")),
]
# fmt: on

SAMPLES = EOS_PDS + JPSS_H5 + NOAA_CLASS + EPS + AAPP + HRPT_RAW + MODIS_DB + FY3


@pytest.mark.parametrize(("name", "expected"), EOS_PDS)
def test_eos_and_jpss_level0_pds(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), JPSS_H5)
def test_jpss_sdr_rdr_and_geolocation_hdf5(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), NOAA_CLASS)
def test_noaa_class_level1b(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), EPS)
def test_eumetsat_eps(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), AAPP)
def test_aapp_output(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), HRPT_RAW)
def test_raw_hrpt(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), MODIS_DB)
def test_modis_direct_broadcast(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), FY3)
def test_fengyun3(name: str, expected: FileMeta) -> None:
    assert parse_name(name) == expected


@pytest.mark.parametrize(("name", "expected"), SAMPLES)
def test_no_preset_reads_another_familys_names(name: str, expected: FileMeta) -> None:
    readers = {p.family for p in PRESETS if parse_name(name, [p]) is not None}
    assert readers == {expected.family}


def test_folders_and_compression_do_not_change_what_a_name_says() -> None:
    name, expected = JPSS_H5[0]
    assert parse_name(f"/pub/npp/2015/{name}") == expected
    assert parse_name(f"/pub/npp/{name}.bz2") == expected
    assert parse_name("incoming/20141028071601_NOAA_19.hmf.gz") == HRPT_RAW[0][1]


def test_times_are_aware_utc() -> None:
    for name, _ in SAMPLES:
        found = parse_name(name)
        assert found is not None
        assert found.start.tzinfo is UTC
        assert found.end is None or (found.end.tzinfo is UTC and found.end >= found.start)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "report.txt",
        "README",
        "/",
        "pub/",
        "a" * 5000,
        "P1540064AAAAAAAAAAAAAA14219032341001.PDS" + "x" * 5000,
        "SVM01_npp_d20230101_t1200000_e1201250_b58000",  # truncated
        "SVM01_npp_d20230101_t1200000_e1201250_b58000_c20230101121500123456_cspp_dev.h",
        "P1540064AAAAAAAAAAAAAA14219032341001.PDS\x00",
        "P1540064AAAAAAAAAAAAAA\x0014219032341001.PDS",
        "P1540064AAAAAAAAAAAAAA14219032341001🛰.PDS",
        "🛰️📡",
        "P154006٤AAAAAAAAAAAAAA14219032341001.PDS",  # an Arabic-Indic digit
        "\ud800.hmf",  # a lone surrogate, as a bad decoding leaves it
        "P9990064AAAAAAAAAAAAAA14219032341001.PDS",  # no such spacecraft
        "NSS.GHRR.XX.D96144.S2000.E2148.B0720102.GC",  # no such platform code
        "NSS.HRPT.NP.D23400.S1200.E1215.B7123456.WI",  # day 400
        "hrpt_noaa19_20231301_1200_71234.l1b",  # month 13
        "hirsl1c_noaa19_20230101_1200_71234.l1b",  # a level 1c name with a 1b extension
        "notes_noaa19_20230101_1200_71234.l1b",  # not an AAPP data type
        "x1.23001.1200.1000m.hdf",
        "FY9Z_20190808_130200_130300_8965_MERSI_1000M_L1B.HDF",
        "20141028071601_NOAA_19.hmf.zip",
        "20141028071601_NOAA_19.hmf.gz.gz",
        "_" * 255,  # almost every preset almost matches: it must still end soon
        ("FY3D_20190808_130200_130300_1_" + "_" * 255)[:255],
    ],
)
def test_what_is_no_station_file_name(name: str) -> None:
    assert parse_name(name) is None


def test_platforms_are_pyorbitals_names() -> None:
    canonical = set(PLATFORM_ALIASES.values()) | {m.platform for _, m in SAMPLES}
    # As pyorbital's platforms.txt spells them (what TLE look-ups and satpy use).
    assert canonical <= set(tlefile.read_platform_numbers(tlefile.get_platforms_filepath()))
    assert PLATFORM_ALIASES["npp"] == "Suomi-NPP"
    assert PLATFORM_ALIASES["j01"] == "NOAA-20"
    assert PLATFORM_ALIASES["NP"] == "NOAA-19"
    assert PLATFORM_ALIASES["M01"] == "Metop-B"
    assert PLATFORM_ALIASES["042"] == "EOS-Terra"


def test_an_admins_pattern() -> None:
    pattern = make_pattern(
        "{platform}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}.raw", {"N19": "NOAA-19"}
    )
    assert pattern.family == "station"
    assert parse_name("/data/N19_20230101_120000_71234.raw", [pattern]) == meta(
        "NOAA-19", None, None, None, utc(2023, 1, 1, 12), None, 71234, "station"
    )
    # A code not in the map: a known alias, else the code as it is.
    assert parse_name("noaa18_20230101_120000_00042.raw", [pattern]) == meta(
        "NOAA-18", None, None, None, utc(2023, 1, 1, 12), None, 42, "station"
    )
    found = parse_name("Meteor-M2-3_20230101_120000_12345.raw", [pattern])
    assert found is not None
    assert found.platform == "Meteor-M2-3"
    # Presets know nothing of this station's names; its own pattern goes first.
    assert parse_name("N19_20230101_120000_71234.raw") is None


def test_an_admins_pattern_with_fixed_values_and_a_split_date() -> None:
    fixed = make_pattern(
        "{start_time:%Y%m%d%H%M}_{end_time:%H%M}.dat",
        platform="noaa19",
        instrument="avhrr/3",
        level="1b",
    )
    assert (fixed.platform, fixed.instrument, fixed.level) == ("NOAA-19", "AVHRR", "L1B")
    assert parse_name("202301012350_0005.dat", [fixed]) == meta(
        "NOAA-19",
        "AVHRR",
        "L1B",
        None,
        utc(2023, 1, 1, 23, 50),
        utc(2023, 1, 2, 0, 5),
        None,
        "station",
    )
    # The date and the time of day apart, as pytroll's trollstalker configurations write them.
    split = make_pattern(
        "{product}_{platform}_d{start_date:%Y%m%d}_t{start_time:%H%M%S%f}_e{end_time:%H%M%S%f}.h5"
    )
    assert parse_name("SVMC_npp_d20191216_t1344091_e1345333.h5", [split]) == meta(
        "Suomi-NPP",
        None,
        None,
        "SVMC",
        utc(2019, 12, 16, 13, 44, 9, 100000),
        utc(2019, 12, 16, 13, 45, 33, 300000),
        None,
        "station",
    )


def test_the_stations_patterns_go_before_the_presets() -> None:
    name = "hrpt_noaa19_20230101_1200_71234.l1b"
    mine = make_pattern("hrpt_{platform}_{start_time:%Y%m%d_%H%M}_{orbit:05d}.l1b", level="L1C")
    found = parse_name(name, [mine, *PRESETS])
    assert found is not None
    assert (found.family, found.level) == ("station", "L1C")
    unrelated = make_pattern("{platform}_{start_time:%Y%m%d}.txt")
    assert parse_name(name, [unrelated, *PRESETS]) == AAPP[0][1]


@pytest.mark.parametrize(
    ("format", "platforms", "fixed"),
    [
        ("", None, {}),
        ("   ", None, {}),
        ("{platform}_{start_time:%Y%m%d", None, {}),  # unbalanced
        ("{platform}_start_time:%Y%m%d}", None, {}),  # a lone }
        ("{platform}_{{start_time:%Y%m%d}", None, {}),
        ("{}_{start_time:%Y%m%d}", None, {}),
        ("{0}_{start_time:%Y%m%d}", None, {}),
        ("{platform.name}_{start_time:%Y%m%d}", None, {}),
        ("{platform}_data.raw", None, {}),  # no start time
        ("{platform}_{start_time}.raw", None, {}),  # no date format
        ("{platform}_{start_time:%H%M%S}.raw", None, {}),  # no year
        ("{platform}_{start_time:%Y%m%d}_{end_time:x}.raw", None, {}),
        ("{start_time:%Y%m%d}.raw", None, {}),  # no platform
        ("{platform}{satellite}_{start_time:%Y%m%d}.raw", None, {}),  # fields touch
        ("{platform}_{a}_{b}_{c}_{start_time:%Y%m%d}.raw", None, {}),  # slow to refuse a name
        ("data/{platform}_{start_time:%Y%m%d}.raw", None, {}),
        ("{platform}_{start_time:%Y%m%d}\n.raw", None, {}),
        ("{platform}_" + "x" * 300 + "{start_time:%Y%m%d}", None, {}),
        ("{platform}_{start_time:%Y%m%d}.raw", {f"S{i}": "NOAA-19" for i in range(51)}, {}),
        ("{platform}_{start_time:%Y%m%d}.raw", {"N19": "N" * 41}, {}),
        ("{platform}_{start_time:%Y%m%d}.raw", {"": "NOAA-19"}, {}),
        ("{start_time:%Y%m%d}.raw", None, {"platform": "x" * 41}),
        ("{platform}_{start_time:%Y%m%d}.raw", None, {"level": "L" * 17}),
    ],
)
def test_bad_patterns_are_refused(
    format: str, platforms: dict[str, str] | None, fixed: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_pattern(format, platforms, **fixed)
    assert refused.value.code == "invalid_pattern"
    assert refused.value.message


def test_patterns_are_stored_and_read_back() -> None:
    mine = make_pattern(
        "{platform}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}.raw",
        {"N19": "NOAA-19", "M1": "metopb"},
        instrument="AVHRR",
        level="raw",
    )
    stored = json.loads(json.dumps(pattern_to_dict(mine)))
    assert stored["platforms"] == {"N19": "NOAA-19", "M1": "Metop-B"}
    assert pattern_from_dict(stored) == mine
    for preset in PRESETS:
        assert pattern_from_dict(json.loads(json.dumps(pattern_to_dict(preset)))) == preset


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"format": 5},
        {"format": "{platform}_{start_time:%Y%m%d}.raw", "platforms": ["N19", "NOAA-19"]},
        {"format": "{platform}_{start_time:%Y%m%d}.raw", "platforms": {"N19": 19}},
        {"format": "{platform}_{start_time:%Y%m%d}.raw", "instrument": 3},
        {"format": "{platform}_{start_time:%Y%m%d}.raw", "family": "mine"},
        {"format": "{start_time:%Y%m%d}.raw", "platform": None},
    ],
)
def test_bad_stored_patterns_are_refused(stored: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as refused:
        pattern_from_dict(stored)
    assert refused.value.code == "invalid_pattern"


def test_patterns_are_frozen_and_hashable() -> None:
    codes = {"N19": "NOAA-19"}
    pattern = make_pattern("{platform}_{start_time:%Y%m%d}.raw", codes)
    codes["N18"] = "NOAA-18"  # the pattern keeps its own copy
    assert dict(pattern.platforms) == {"N19": "NOAA-19"}
    with pytest.raises(TypeError):
        pattern.platforms["N18"] = "NOAA-18"  # type: ignore[index]
    same = make_pattern("{platform}_{start_time:%Y%m%d}.raw", {"N19": "NOAA-19"})
    assert pattern == same
    assert len({pattern, same, *PRESETS}) == len(PRESETS) + 1


def test_a_broken_pattern_never_raises() -> None:
    broken = [
        NamePattern("{platform}_{start_time:%Y%m%d"),
        NamePattern("{platform}_{start_time:%Q}.raw"),
        NamePattern("{}_{start_time:%Y}"),
        NamePattern("{platform}_{start_time:%H%M}.raw"),  # no year: 1900 is no date of a file
        NamePattern("{platform}_{start_time:%Y%m%d}_{orbit}.raw"),
    ]
    for name in ("N19_20230101.raw", "N19_1200.raw", "N19_2023_x", "N19_20230101_x.raw"):
        for pattern in broken[:4]:
            assert parse_name(name, [pattern]) is None
    found = parse_name("N19_20230101_-5.raw", broken[4:])
    assert found is not None
    assert found.orbit is None  # not a count


def test_names_dated_far_ahead_or_spanning_days_are_not_read_as_passes() -> None:
    assert parse_name("raw/99991231235959_NOAA_19.hmf") is None
    assert parse_name("20990101120000_NOAA_19.hmf") is None
    eps = "AVHR_HRP_00_M01_20230101120000Z_20230105121500Z_N_O_20230101121600Z"
    meta = parse_name(eps)
    assert meta is not None and meta.end is None  # a four-day "pass" is a misread end


def test_a_pattern_that_would_backtrack_for_ages_is_refused_at_once() -> None:
    started = time.perf_counter()
    for fmt in (
        "{start_time:%Y%m%d}{a:0s}{b:0s}{c:0s}{d:0s}{e:0s}{platform:0s}X",
        "{start_time:%Y%m%d}_{a}_{b}_{c}_{platform}X",
    ):
        with pytest.raises(InvalidInput) as refused:
            make_pattern(fmt)
        assert refused.value.code == "invalid_pattern"
    assert time.perf_counter() - started < 1
    # Three fields of open length, apart: accepted, and quick on the worst names.
    fmt = "{start_time:%Y%m%d}_{a}_{platform}_{b}X"
    pattern = make_pattern(fmt)
    started = time.perf_counter()
    for name in ("20230101" + "_a" * 123, "20230101" + "_" * 247, "20230101" + "a" * 247):
        assert parse_name(name, [pattern]) is None
    assert time.perf_counter() - started < 0.5


def test_an_admins_pattern_never_takes_long_on_a_name_whatever_its_regex() -> None:
    # Ten %f in one field: a regex that backtracks for minutes on a 60-character near miss
    # with Python's re. It is matched under a time limit: no match, at once.
    pattern = make_pattern(
        "NOAA_{start_time:%Y%m%d}_{x:" + "%f" * 10 + "}_{y:4s}.h5", platform="NOAA-19"
    )
    started = time.perf_counter()
    for length in (36, 60, 200):
        assert parse_name("NOAA_20230101_" + "a" * length + ".h5", [pattern]) is None
    assert time.perf_counter() - started < 1


def test_a_date_directive_given_twice_is_a_plain_refusal() -> None:
    for fmt in ("{start_time:%Y%Y}{platform}", "{start_time:%Y%m%d%c}_{platform}"):
        with pytest.raises(InvalidInput) as refused:
            make_pattern(fmt)
        assert refused.value.code == "invalid_pattern"
