"""What a receiving station's file name says: platform, instrument, level, product, times, orbit.

Names are matched with trollsift format strings, the notation of pytroll and satpy (satpy's
readers list theirs under `file_patterns`). `PRESETS` knows the conventions below; an admin adds
a station's own with `make_pattern`, and the caller tries those before the presets. The first
pattern that matches and yields a platform and a start time wins, so the order matters: every
preset is anchored by literal text of its own (`.PDS`, `_d…_t…_e…_b…_c…`, `NSS.`, `.hmf`…), and a
preset accepts only platform codes it knows, so a loose one never swallows another family's name.

Presets, in the order they are tried, each checked against real names (repository: path):

- `eos_pds`: EDOS / RT-STPS level-0 Production Data Sets, `P1540064AAAAAAAAAAAAAA14219032341001.PDS`
  = P, spacecraft id (042 Terra, 154 Aqua, 157 Suomi-NPP, 159 NOAA-20, 177 NOAA-21), first APID,
  14 characters for more APIDs, `%y%j%H%M%S`, a data set digit and a file number (00: the
  construction record). satpy reads no level 0; names from opendatacube/eo-datasets:
  tests/metadata/test_pds.py, pytroll/pytroll-modis-runner: modis_runner/tests/test_utils.py,
  pytroll/pytroll-collectors: pytroll_collectors/tests/test_scisys.py; JPSS ids and APIDs from
  bmflynn/rdr: rdr-cmd/src/command_dump.rs.
- `jpss_h5`: SDR / RDR / geolocation HDF5,
  `SVM01_npp_d20230101_t1200000_e1201250_b58000_c20230101121500123456_cspp_dev.h5`;
  pytroll/satpy: satpy/etc/readers/viirs_sdr.yaml and atms_sdr_hdf5.yaml; RDR names from
  pytroll-collectors: pytroll_collectors/tests/test_scisys.py. A file of geolocation only
  (GMTCO, GATMO…) has level "GEO"; one that also carries bands (GMODO-SVM01…) is "SDR"; TATMS
  counts as "SDR" (the SDR step makes it) and the VIIRS intermediate products IV* as "IP".
- `noaa_class`: NOAA CLASS level 1b, `NSS.HRPT.NP.D23001.S1200.E1215.B7123456.WI`, optionally
  after CLASS's order number; satpy: satpy/etc/readers/avhrr_l1b_gaclac.yaml, names and codes from
  pytroll/pygac: pygac/klm_reader.py and pygac/tests/test_reader.py. Only the KLM satellites
  (NOAA-15 on, Metop): NJ (NOAA-14) and older are no station's files today.
- `eps`: EUMETSAT EPS native, `AVHR_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z`
  (also `.nat`); satpy: satpy/etc/readers/avhrr_l1b_eps.yaml, pytroll-collectors:
  examples/trollstalker2.cfg_template and pytroll_collectors/tests/test_scisys.py.
- `aapp_l1b`: AAPP output, `hrpt_noaa19_20230101_1200_71234.l1b` (hirsl1b_, amsual1b_, mhsl1c_…);
  satpy: satpy/etc/readers/avhrr_l1b_aapp.yaml and mhs_l1c_aapp.yaml, pytroll/pytroll-aapp-runner:
  aapp_runner/tests/test_config.py (rename_aapp_compose), pytroll-collectors:
  pytroll_collectors/tests/test_segments.py.
- `hrpt_raw`: raw HRPT minor frames, `20230101120000_NOAA_19.hmf`; satpy:
  satpy/etc/readers/avhrr_l0_hrpt.yaml, pytroll-collectors: pytroll_collectors/tests/test_scisys.py.
  Instrument "AVHRR" (HRPT is named after it and satpy reads AVHRR from it), level "raw".
  satpy's third form (hrpt16_… with colons) is left out: no real name of it was found.
- `modis_db`: IMAPP / SeaDAS direct broadcast MODIS, `a1.23001.1200.1000m.hdf` (500m, 250m, geo,
  mod35…); satpy: satpy/etc/readers/modis_l1b.yaml and modis_l2.yaml. Level "L1B" for the
  resolutions, "GEO" for geo, "L2" for mod* products.
- `fy3`: FengYun-3 L1, `FY3D_20190808_130200_130300_8965_MERSI_1000M_L1B.HDF`, the NSMC archive's
  `FY3D_MERSI_GBAL_L1_20190808_1302_1000M_MS.HDF` and `tf2019071182739.FY3D-X_MERSI_1000M_L1B.HDF`;
  satpy: satpy/etc/readers/mersi2_l1b.yaml, mersi_ll_l1b.yaml, fy3c_mersi1_l1b.yaml; MWRI names
  from BigShuiTai/FY3-Reader: README.md. Products GEO1K, GEOQK… have level "GEO".

Fields a format may use: platform (a code, see below), instrument, level, product, start_time
and end_time (dates; an end with a time of day only is on the start's day, or the next when
earlier), orbit (a number); start_date / end_date when a name writes the date apart from the
time of day, as pytroll's configurations do (`d{start_date:%Y%m%d}_t{start_time:%H%M%S%f}`).
Other fields are matched and ignored.

Platforms come out with pyorbital's names (what TLE look-ups need): a code goes through the
pattern's own map, then `PLATFORM_ALIASES`; both compare codes ignoring case, "-", "_", "/" and
spaces, so NOAA_19, noaa19 and NOAA-19 are one code. A station's pattern keeps an unknown code
as it is; a preset rejects it. Instruments and levels are put in one spelling the same way
("AVHR" and "avhrr/3" read "AVHRR"; "00" reads "L0", "1b" "L1B").
"""

from __future__ import annotations

import functools
import logging
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

import regex
from trollsift import parse
from trollsift.parser import regex_format

from services.core.errors import InvalidInput

log = logging.getLogger(__name__)

__all__ = [
    "PLATFORM_ALIASES",
    "PRESETS",
    "FileMeta",
    "NamePattern",
    "make_pattern",
    "parse_name",
    "pattern_from_dict",
    "pattern_to_dict",
]

STATION = "station"  # the family of an admin's own patterns

# Limits. The lengths of what comes out are those of the station_file columns.
_NAME_MAX = 255  # longer is no file name a file system keeps; it also bounds the regex work
_FORMAT_MAX = 300
_CODES_MAX = 50
_CODE_MAX = 40  # platform codes and names, instruments
_LEVEL_MAX = 16
_PRODUCT_MAX = 60
# Fields of open length (no width, or %f, %c, %p…) in an admin's format: each one more multiplies
# the work on a name that almost matches.
_FREE_MAX = 3
# An admin's format is matched with the `regex` module under this time limit first (trollsift's
# `re` cannot be interrupted): a pattern that backtracks for ages on a name simply does not
# match it. A real name takes microseconds.
_MATCH_LIMIT = 0.02  # seconds
_OPEN = re.compile(r"(?<!\\)[*+]|\{\d+,\}")
_WORD = r"[^ \t\n\r\f\v\-_:]+"  # what trollsift makes of %f, %c, %p
_COMPRESSED = frozenset(
    {"bz2", "gz", "xz", "z", "zst"}
)  # stations often publish names + one of these

# How far ahead of now a name may be dated (station clocks drift), and the longest span a file
# may cover.
_AHEAD = timedelta(days=2)
_LONGEST = timedelta(hours=6)

_SEPARATORS = re.compile(r"[-_ /]")


def _key(text: str) -> str:
    """A code as compared: NOAA_19, noaa19 and "NOAA 19" are one."""
    return _SEPARATORS.sub("", text).casefold()


def _table(groups: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Compared spelling -> canonical name, for each name and its other spellings."""
    return {_key(alias): name for name, aliases in groups.items() for alias in (name, *aliases)}


_PLATFORM_CODES: dict[str, tuple[str, ...]] = {
    "EOS-Terra": ("terra", "t1", "042"),  # t1/a1: MODIS direct broadcast; 042/154: PDS ids
    "EOS-Aqua": ("aqua", "a1", "154"),
    "Suomi-NPP": ("npp", "snpp", "157"),  # npp/j01/j02: JPSS HDF5; 157/159/177: PDS ids
    "NOAA-20": ("j01", "n20", "jpss1", "159"),
    "NOAA-21": ("j02", "n21", "jpss2", "177"),
    "NOAA-15": ("NK", "noaa15", "n15"),  # two letters: NOAA CLASS / KLM level 1b
    "NOAA-16": ("NL", "noaa16"),
    "NOAA-17": ("NM", "noaa17"),
    "NOAA-18": ("NN", "noaa18", "n18"),
    "NOAA-19": ("NP", "noaa19", "n19"),
    "Metop-A": ("M02", "M2", "metop02", "metopa"),  # M0x: EPS; metop0x: AAPP; Mx: CLASS
    "Metop-B": ("M01", "M1", "metop01", "metopb"),
    "Metop-C": ("M03", "M3", "metop03", "metopc"),
    **{f"FY-3{s}": (f"FY3{s}",) for s in "ABCDEFG"},
}
PLATFORM_ALIASES: Mapping[str, str] = MappingProxyType(
    {code: name for name, codes in _PLATFORM_CODES.items() for code in codes}
)
_PLATFORMS = _table(_PLATFORM_CODES)

_INSTRUMENTS = _table(
    {
        "AVHRR": ("AVHR", "avhrr3", "avhrr2"),  # AVHR, MHSx, AMSA…: the EPS spellings
        "HIRS": ("hirs3", "hirs4"),
        "MHS": ("MHSx",),
        "AMSU-A": ("AMSA",),
        "AMSU-B": ("AMSB",),
        "IASI": (),
        "ASCAT": ("ASCA",),
        "GOME-2": ("GOME",),
        "GRAS": (),
        "MODIS": (),
        "VIIRS": (),
        "ATMS": (),
        "CrIS": (),
        "OMPS": (),
        "AIRS": (),
        "HSB": (),
        "CERES": (),
        "GBAD": (),
        "MERSI": ("mersi2", "mersi3", "mersill", "mersirm"),
        "VIRR": ("VIRRX",),  # FY-3 names pad instruments to five letters
        "MWTS": ("MWTSX", "mwts2", "mwts3"),
        "MWHS": ("MWHSX", "mwhs2"),
        "MWRI": ("MWRIA", "MWRID", "MWRIX"),  # A/D: ascending / descending half-orbits
        "HIRAS": (),
    }
)
_LEVELS = _table(
    {
        "L0": ("0", "00", "level0"),
        "L1A": ("1A",),
        "L1B": ("1B",),
        "L1C": ("1C",),
        "L1D": ("1D",),
        "L2": ("2", "02"),
        "SDR": (),
        "RDR": (),
        "EDR": (),
        "GEO": (),
        "raw": (),
    }
)


@dataclass(frozen=True)
class FileMeta:
    platform: str  # canonical (pyorbital's) name
    instrument: str | None
    level: str | None
    product: str | None
    start: datetime  # aware, UTC
    end: datetime | None  # aware, UTC
    orbit: int | None
    family: str  # the preset's key, or "station"


@dataclass(frozen=True)
class NamePattern:
    """A trollsift format for base names, and what to fill in that the format does not carry.

    `platforms` maps codes of the {platform} field to names. It is kept as a read-only copy
    (a MappingProxyType), compared by value and left out of the hash, so the frozen pattern can
    still be hashed.
    """

    format: str
    platforms: Mapping[str, str] = field(default_factory=dict, hash=False)
    platform: str | None = None
    instrument: str | None = None
    level: str | None = None
    family: str = STATION
    _lookup: Mapping[str, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        codes = dict(self.platforms)
        object.__setattr__(self, "platforms", MappingProxyType(codes))
        object.__setattr__(self, "_lookup", {_key(code): name for code, name in codes.items()})


# Per family: derive what a preset's name holds in codes (an APID, a product id) and reject
# what the format matched but the convention does not allow. Each edits the parsed fields and
# returns False to reject.
_Refine = Callable[[dict[str, Any]], bool]

_PDS_APIDS: dict[int, str] = {
    64: "MODIS",
    141: "CERES",  # 141, 157: Aqua's two CERES
    157: "CERES",
    261: "AMSU-A",  # 261, 262: AMSU-A1; 290: AMSU-A2
    262: "AMSU-A",
    290: "AMSU-A",
    342: "HSB",
    **dict.fromkeys(range(402, 418), "AIRS"),
    957: "GBAD",  # Aqua's attitude and ephemeris packets (with 958, 959)
    515: "ATMS",  # 515, 826, 1289: the JPSS science PDS
    826: "VIIRS",
    1289: "CrIS",
}


def _pds(f: dict[str, Any]) -> bool:
    apid, number = f["apid"], f["file_number"]
    f["instrument"] = _PDS_APIDS.get(apid)
    f["product"] = f"APID {apid:04d} " + ("construction record" if number == 0 else "data")
    return True


# Product id prefix -> instrument, level; the first that fits a dash-separated part wins.
_JPSS_PRODUCTS: tuple[tuple[str, str | None, str], ...] = (
    ("RNSCA", None, "RDR"),  # the spacecraft diary, packed with each instrument's RDR
    ("RVIRS", "VIIRS", "RDR"),
    ("RATMS", "ATMS", "RDR"),
    ("RCRIS", "CrIS", "RDR"),
    ("RO", "OMPS", "RDR"),
    ("SATMS", "ATMS", "SDR"),
    ("TATMS", "ATMS", "SDR"),
    ("GATMO", "ATMS", "GEO"),
    ("SCRI", "CrIS", "SDR"),
    ("GCRSO", "CrIS", "GEO"),
    ("SOM", "OMPS", "SDR"),
    ("GO", "OMPS", "GEO"),
    ("SV", "VIIRS", "SDR"),
    ("IV", "VIIRS", "IP"),
    ("GM", "VIIRS", "GEO"),
    ("GI", "VIIRS", "GEO"),
    ("GD", "VIIRS", "GEO"),
)
_JPSS_LEVELS = ("SDR", "IP", "RDR", "GEO")  # a file with bands and geolocation is an SDR


def _jpss(f: dict[str, Any]) -> bool:
    kinds = [
        next(((i, lvl) for prefix, i, lvl in _JPSS_PRODUCTS if part.startswith(prefix)), None)
        for part in str(f["product"]).split("-")
    ]
    known = [kind for kind in kinds if kind is not None]
    levels = {level for _, level in known}
    f["instrument"] = next((i for i, _ in known if i is not None), None)
    f["level"] = next((level for level in _JPSS_LEVELS if level in levels), None)
    return True


_CLASS_MODES = {
    **dict.fromkeys(("HRPT", "GHRR", "LHRR", "FRAC"), "AVHRR"),
    "HIRX": "HIRS",
    "AMAX": "AMSU-A",
    "AMBX": "AMSU-B",
    "MHSX": "MHS",
}


def _noaa_class(f: dict[str, Any]) -> bool:
    f["instrument"] = _CLASS_MODES.get(f["product"])
    return True


def _eps(f: dict[str, Any]) -> bool:
    # The product type: HRP is received as HRPT, xxx is a placeholder (global data).
    f["product"] = {"HRP": "HRPT", "xxx": None}.get(f["product"], f["product"])
    return True


_AAPP_TYPES = {
    "hrpt": "AVHRR",
    **{f"hirsl1{c}": "HIRS" for c in "bcd"},
    **{f"amsual1{c}": "AMSU-A" for c in "bc"},
    **{f"amsubl1{c}": "AMSU-B" for c in "bc"},
    **{f"mhsl1{c}": "MHS" for c in "bc"},
}


def _aapp(f: dict[str, Any]) -> bool:
    kind, extension = f["product"], f["level"]
    f["instrument"] = _AAPP_TYPES.get(kind)
    # The data type names its level (hirsl1c_… .l1c); hrpt_ is the AVHRR l1b.
    return (
        f["instrument"] is not None
        and extension in ("l1b", "l1c", "l1d")
        and (kind.endswith(extension) if kind != "hrpt" else extension == "l1b")
    )


def _hrpt(f: dict[str, Any]) -> bool:
    f["product"] = "HRPT"
    return True


def _modis(f: dict[str, Any]) -> bool:
    product = str(f["product"]).lower()
    resolutions = {"1000m": "L1B", "500m": "L1B", "250m": "L1B", "geo": "GEO"}
    f["level"] = resolutions.get(product, "L2" if product.startswith("mod") else None)
    return True


def _fy3(f: dict[str, Any]) -> bool:
    if str(f.get("product", "")).upper().startswith("GEO"):
        f["level"] = "GEO"
    return True


_REFINE: dict[str, _Refine] = {
    "eos_pds": _pds,
    "jpss_h5": _jpss,
    "noaa_class": _noaa_class,
    "eps": _eps,
    "aapp_l1b": _aapp,
    "hrpt_raw": _hrpt,
    "modis_db": _modis,
    "fy3": _fy3,
}


def _presets(
    family: str, *formats: str, instrument: str | None = None, level: str | None = None
) -> tuple[NamePattern, ...]:
    return tuple(NamePattern(f, instrument=instrument, level=level, family=family) for f in formats)


_CLASS = (
    "{site:3s}.{product:4s}.{platform:2s}.D{start_time:%y%j.S%H%M}.E{end_time:%H%M}"
    ".B{orbit:05d}{end_orbit:02d}.{station:2s}"
)
_EPS = (
    "{instrument:4s}_{product:3s}_{level:2s}_{platform:3s}_{start_time:%Y%m%d%H%M%SZ}"
    "_{end_time:%Y%m%d%H%M%SZ}_{processing_mode:1s}_{disposition_mode:1s}"
    "_{created:%Y%m%d%H%M%SZ}"
)
PRESETS: tuple[NamePattern, ...] = (
    *_presets(
        "eos_pds",
        "P{platform:3s}{apid:4d}{apids:14s}{start_time:%y%j%H%M%S}{data_set:1d}{file_number:2d}.PDS",
        level="L0",
    ),
    *_presets(
        "jpss_h5",
        "{product}_{platform}_d{start_time:%Y%m%d_t%H%M%S%f}_e{end_time:%H%M%S%f}_b{orbit:5d}"
        "_c{created:%Y%m%d%H%M%S%f}_{source}.h5",
    ),
    *_presets("noaa_class", _CLASS, "{order:d}." + _CLASS, level="L1B"),
    *_presets("eps", _EPS, _EPS + ".nat"),
    *_presets("aapp_l1b", "{product}_{platform}_{start_time:%Y%m%d_%H%M}_{orbit:05d}.{level:3s}"),
    *_presets(
        "hrpt_raw",
        "{start_time:%Y%m%d%H%M%S}_{platform}.hmf",
        "{start_time:%Y%j%H%M}_{platform}_hmf.hmf",
        instrument="AVHRR",
        level="raw",
    ),
    *_presets("modis_db", "{platform:2s}.{start_time:%y%j.%H%M}.{product}.hdf", instrument="MODIS"),
    *_presets(
        "fy3",
        "{platform:4s}_{start_time:%Y%m%d_%H%M%S}_{end_time:%H%M%S}_{orbit:d}_{instrument}"
        "_{product}_{level}.{ext}",
        "{platform:4s}_{instrument:5s}_{region:4s}_L1_{start_time:%Y%m%d_%H%M}_{product}"
        "_{version:2s}.{ext:3s}",
        "tf{start_time:%Y%j%H%M%S}.{platform:4s}-{band:1s}_{instrument}_{product}_{level}.{ext}",
        level="L1B",
    ),
)
_FAMILIES = frozenset(p.family for p in PRESETS)


def parse_name(name: str, patterns: Sequence[NamePattern] = PRESETS) -> FileMeta | None:
    """Metadata of a file name (a path is allowed: only the part after the last '/' is matched),
    by the first pattern that matches and yields a platform and a start time; None when none
    does. Never raises: an odd name, or a broken stored pattern, is simply no match."""
    base = name.rsplit("/", 1)[-1]
    if not 0 < len(base) <= _NAME_MAX or not base.isprintable():
        return None
    candidates = [base]
    stem, dot, extension = base.rpartition(".")
    if dot and stem and extension.lower() in _COMPRESSED:
        candidates.append(stem)  # only when no pattern knows the compressed name itself
    for candidate in candidates:
        for pattern in patterns:
            # The presets' conventions are ASCII: a name with other characters is none of theirs
            # (and their \d would take Arabic-Indic digits).
            if pattern.family != STATION and not candidate.isascii():
                continue
            try:
                meta = _meta(pattern, candidate)
            except Exception:  # an overflowing date, a format trollsift cannot use: no match
                meta = None
            if meta is not None:
                return meta
    return None


def _meta(pattern: NamePattern, name: str) -> FileMeta | None:
    if pattern.family == STATION and not _matches(pattern.format, name):
        return None
    try:
        found = parse(pattern.format, name)
    except ValueError:  # no match, or a date that does not exist (day 400)
        return None
    refine = _REFINE.get(pattern.family)
    if refine is not None and not refine(found):
        return None
    platform = _platform(pattern, found.get("platform"))
    start = _start(found)
    if platform is None or start is None:
        return None
    return FileMeta(
        platform=platform,
        instrument=_label(found.get("instrument") or pattern.instrument, _INSTRUMENTS, _CODE_MAX),
        level=_label(found.get("level") or pattern.level, _LEVELS, _LEVEL_MAX),
        product=_product(found.get("product")),
        start=start,
        end=_end(found, start),
        orbit=_orbit(found.get("orbit")),
        family=pattern.family,
    )


@functools.lru_cache(maxsize=256)
def _compiled(fmt: str) -> Any:
    return regex.compile("^" + regex_format(fmt) + "$")


def _matches(fmt: str, name: str) -> bool:
    """Whether an admin's format matches `name`, decided within `_MATCH_LIMIT`."""
    try:
        return _compiled(fmt).match(name, timeout=_MATCH_LIMIT) is not None
    except TimeoutError:
        log.warning("A station's name pattern took too long on a name; taken as no match")
        return False


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text and text.isprintable() else None


def _platform(pattern: NamePattern, value: object) -> str | None:
    code = _text(value)
    if code is None:
        return pattern.platform
    name = (
        pattern.platforms.get(code)
        or pattern._lookup.get(_key(code))
        or _PLATFORMS.get(_key(code))
        or (code if pattern.family == STATION else None)  # a preset knows its codes
    )
    return name if name is not None and len(name) <= _CODE_MAX else None


def _label(value: object, table: Mapping[str, str], limit: int) -> str | None:
    text = _text(value)
    if text is None:
        return None
    text = table.get(_key(text), text)
    return text if len(text) <= limit else None


def _product(value: object) -> str | None:
    text = _text(value)
    if text is None or len(text) <= _PRODUCT_MAX:
        return text
    # GMODO-SVM01-…-SVM16 is longer than the column: keep whole ids.
    head, dash, _ = text[:_PRODUCT_MAX].rpartition("-")
    return head if dash and head else text[:_PRODUCT_MAX]


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _start(found: Mapping[str, Any]) -> datetime | None:
    start, day = found.get("start_time"), found.get("start_date")
    if not isinstance(start, datetime):
        return None
    if isinstance(day, datetime):  # d{start_date:%Y%m%d}_t{start_time:%H%M%S}, as pytroll writes
        start = datetime.combine(day.date(), start.timetz())
    start = _utc(start)
    # Without a year strptime says 1900; no station received anything before 1970, nor
    # anything dated days ahead (a name from 9999 would also overflow every time sum).
    latest = datetime.now(UTC) + _AHEAD
    return start if start.year >= 1970 and start <= latest else None


def _end(found: Mapping[str, Any], start: datetime) -> datetime | None:
    end, day = found.get("end_time"), found.get("end_date")
    if not isinstance(end, datetime):
        return None
    if isinstance(day, datetime):
        end = datetime.combine(day.date(), end.timetz())
    elif end.year == 1900:  # a time of day only: the start's day, or the next when earlier
        end = datetime.combine(start.date(), end.time(), UTC)
        return end if end >= start else end + timedelta(days=1)
    end = _utc(end)
    # One file is one pass's worth at most: a longer span is a misread, not data.
    return end if start <= end <= start + _LONGEST else None


def _orbit(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    # Orbit numbers are counts; the column is a 32-bit integer.
    return value if isinstance(value, int) and 0 <= value < 2**31 else None


# --- An admin's own patterns ----------------------------------------------------------------

_SAMPLE = datetime(2024, 12, 31, 23, 59, 58, 123456)
_DATE_FIELDS = ("start_time", "end_time", "start_date", "end_date")


def _invalid(message: str, where: str = "format") -> InvalidInput:
    return InvalidInput(message, code="invalid_pattern", fields={where: message})


def make_pattern(
    format: str,
    platforms: Mapping[str, str] | None = None,
    *,
    platform: str | None = None,
    instrument: str | None = None,
    level: str | None = None,
) -> NamePattern:
    """An admin's own pattern, checked. Raises InvalidInput (code "invalid_pattern") with a plain
    sentence when the format is no valid trollsift format, has no dated {start_time:…} field,
    or has neither a {platform} field nor a fixed `platform`; or when a limit is passed."""
    return _checked(format, platforms, platform, instrument, level, STATION)


def pattern_to_dict(p: NamePattern) -> dict[str, object]:
    """The pattern as JSON-able data, for the database."""
    return {
        "format": p.format,
        "platforms": dict(p.platforms),
        "platform": p.platform,
        "instrument": p.instrument,
        "level": p.level,
        "family": p.family,
    }


def pattern_from_dict(d: Mapping[str, object]) -> NamePattern:
    """The pattern stored by `pattern_to_dict`, checked as `make_pattern` checks; raises
    InvalidInput for bad data."""
    return _checked(
        d.get("format"),
        d.get("platforms"),
        d.get("platform"),
        d.get("instrument"),
        d.get("level"),
        d.get("family", STATION),
    )


def _checked(
    fmt: object,
    platforms: object,
    platform: object,
    instrument: object,
    level: object,
    family: object,
) -> NamePattern:
    if not isinstance(fmt, str) or not fmt.strip():
        raise _invalid("The pattern is empty.")
    if len(fmt) > _FORMAT_MAX:
        raise _invalid(f"The pattern is longer than {_FORMAT_MAX} characters.")
    if "/" in fmt:
        raise _invalid("A pattern matches the file name only: leave the folders out.")
    if not fmt.isprintable():
        raise _invalid("The pattern holds a control character.")
    if family != STATION and family not in _FAMILIES:
        raise _invalid(f"Unknown pattern family {family!r}.", "family")
    # Fields without a width match lazily: each one more multiplies the work on a name that
    # almost matches (4 take seconds on 255 underscores). The presets are measured instead.
    specs = _fields(fmt, _FREE_MAX if family == STATION else None)
    start = specs.get("start_time")
    if start is None:
        raise _invalid("The pattern needs the start time, such as {start_time:%Y%m%d_%H%M%S}.")
    dated = (start, specs.get("start_date", ""))
    if not any(code in spec for spec in dated for code in ("%Y", "%y")):
        raise _invalid("The start time needs the year (%Y or %y) and the day, not only a time.")
    fixed = _fixed(platform, "platform", _CODE_MAX, _PLATFORMS)
    if "platform" not in specs and fixed is None:
        raise _invalid("The pattern needs a {platform} field, or a fixed platform.")
    return NamePattern(
        fmt,
        _codes(platforms),
        platform=fixed,
        instrument=_fixed(instrument, "instrument", _CODE_MAX, _INSTRUMENTS),
        level=_fixed(level, "level", _LEVEL_MAX, _LEVELS),
        family=str(family),
    )


def _fields(fmt: str, most_free: int | None) -> dict[str, str]:
    """Field name -> format spec, once trollsift has shown it can use the format."""
    try:
        tokens = list(string.Formatter().parse(fmt))
        re.compile(regex_format(fmt))
    except Exception as error:  # what trollsift and re raise on a bad format varies
        raise _invalid(
            "This is not a valid trollsift format: check that every { has its } and that "
            "fields look like {name} or {name:format}."
        ) from error
    specs: dict[str, str] = {}
    loose = False  # whether the previous field has no width and no text after it
    free_fields = 0
    # The text after each token (the next token's literal): a field that cannot match it ends
    # where that text begins.
    after = [token[0] for token in tokens[1:]] + [""]
    for (literal, name, spec, _), following in zip(tokens, after, strict=True):
        if name is None:
            continue
        if not name.isidentifier():
            raise _invalid(f"Field {{{name}}} needs a name of letters, digits and _.")
        spec = spec or ""
        # Judged by the regex trollsift makes of it: {a:0s} and %f match any length too.
        free = _open(regex_format(f"{{{name}:{spec}}}" if spec else f"{{{name}}}"), following)
        if loose and free and not literal:
            raise _invalid(
                f"Field {{{name}}} touches the field before it: put text between them or give "
                "one a width, such as {code:4s}."
            )
        loose = free
        free_fields += free
        if most_free is not None and free_fields > most_free:
            raise _invalid(
                f"At most {most_free} fields of open length: give {{{name}}} a width, such as "
                f"{{{name}:4s}}, or write its text out."
            )
        if name in _DATE_FIELDS and not _is_date(spec):
            raise _invalid(f"{{{name}}} needs a valid date format, such as {{{name}:%Y%m%d}}.")
        specs[name] = spec
    return specs


def _open(regex: str, following: str) -> bool:
    """Whether a field's regex matches any length where the name goes on: {a}, {a:0s}, or
    %f / %c / %p (a run of anything but blanks, "-", "_" and ":") unless the text after it
    begins with one of those."""
    if not _OPEN.search(regex):
        return False
    return not (_WORD in regex and following[:1] in (" ", "-", "_", ":"))


def _is_date(spec: str) -> bool:
    try:
        datetime.strptime(_SAMPLE.strftime(spec), spec)
    except (ValueError, re.error):  # re.error: a directive twice (%Y%Y)
        return False
    return "%" in spec


def _fixed(value: object, what: str, limit: int, table: Mapping[str, str]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value.strip()) > limit or not value.isprintable():
        raise _invalid(f"The {what} must be text of at most {limit} characters.", what)
    return table.get(_key(value.strip()), value.strip())


def _codes(platforms: object) -> dict[str, str]:
    if platforms is None:
        return {}
    if not isinstance(platforms, Mapping):
        raise _invalid("Platforms must map the codes in names to platform names.", "platforms")
    if len(platforms) > _CODES_MAX:
        raise _invalid(f"At most {_CODES_MAX} platform codes.", "platforms")
    codes: dict[str, str] = {}
    for code, name in platforms.items():
        if not all(
            isinstance(text, str) and 0 < len(text.strip()) <= _CODE_MAX and text.isprintable()
            for text in (code, name)
        ):
            raise _invalid(
                f"Platform codes and names are text of 1 to {_CODE_MAX} characters.", "platforms"
            )
        # A name that is a known alias gets pyorbital's spelling, so TLE look-ups find it.
        codes[code.strip()] = _PLATFORMS.get(_key(name.strip()), name.strip())
    return codes
