"""The official sources: what the ingest expects, where each file comes from, its licence.

``SOURCE_FAMILIES`` declares every kind of file the data folder holds (the layout of
``../shared/data``) and whether the ingest requires it, loads it when present, or ignores it.
A required family that is missing, unreadable or not loaded stops the ingest (exit 2); every
file the ingest sees but does not load is listed in the manifest as expected (a declared
ignored file) or not. A new loader adds one ``SourceFamily`` line (and turns an ``IGNORED``
entry for its files into ``REQUIRED`` or ``OPTIONAL``).

``SOURCES`` are the downloadable files: ``python -m app download`` fetches these into a folder
laid out like ``../shared/data`` (so ``python -m app ingest --data-dir <that folder>`` reads
them). Files published in DfE's own GitHub repositories are fetched at a pinned commit, so their
SHA-256 is known and checked; live services (EES, GOV.UK assets, the ONS geography portal) are
checked by content instead (the loaders validate every header), and their checksum is recorded
when first fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase


class Need(StrEnum):
    """What the ingest does about a source family."""

    REQUIRED = "required"
    """Must be present, and every file of it must load; otherwise the ingest stops."""
    OPTIONAL = "optional"
    """Loaded when present; its absence is expected (a file present but not loaded is listed)."""
    IGNORED = "ignored"
    """Deliberately not read (not even opened); listed as expected."""


@dataclass(frozen=True, slots=True)
class SourceFamily:
    """One kind of raw file, found by its path under the data folder.

    Attributes:
        name: Short unique name, used in messages and the manifest.
        pattern: Glob over the path relative to the data folder, ``/``-separated (``*`` also
            spans folders); years in file names are wildcards so a new edition matches.
        need: Required, optional or ignored.
        description: What it is, for people reading the manifest.
    """

    name: str
    pattern: str
    need: Need
    description: str

    def matches(self, relpath: str) -> bool:
        """Whether a path relative to the data folder belongs to this family."""
        return fnmatchcase(relpath, self.pattern)


def family_of(relpath: str, families: tuple[SourceFamily, ...]) -> SourceFamily | None:
    """The first declared family a relative path belongs to, if any."""
    return next((f for f in families if f.matches(relpath)), None)


_R, _O, _I = Need.REQUIRED, Need.OPTIONAL, Need.IGNORED

#: Every kind of file in the official data folder (first match wins).
SOURCE_FAMILIES: tuple[SourceFamily, ...] = (
    SourceFamily("lait_bds", "lait/lait_bds_long.parquet", _R, "LAIT values (BDS long table)"),
    SourceFamily("lait_dictionary", "lait/lait_data_dictionary.csv", _R, "LAIT data dictionary"),
    SourceFamily("lait_la_codes", "lait/lait_la_code_list.*", _I, "LAIT LA list (in register)"),
    SourceFamily(
        "s251_lait_finance",
        "s251/lait_s251_childrens_services_finance.csv",
        _R,
        "s251 spend and unit costs as in LAIT",
    ),
    SourceFamily(
        "s251_line_level", "s251/s251_outturn_cyp_services_*_la.csv", _R, "s251 outturn by line"
    ),
    SourceFamily(
        "s251_ees_la",
        "s251/ees_la/*.csv",
        _O,
        "s251 outturn by line, EES LA, regional and national file (python -m app download)",
    ),
    SourceFamily(
        "s251_ees_national_guidance",
        "s251/ees_national/*.txt",
        _I,
        "s251 EES national: the release's data guidance (text for people)",
    ),
    SourceFamily(
        "s251_ees_national",
        "s251/ees_national/*.csv",
        _O,
        "s251 EES national file with the provision split (England, £ million)",
    ),
    SourceFamily(
        "s251_table_a1",
        "s251/table_a1/*",
        _O,
        "s251 outturn Table A1 workbooks (line level with the provision split, 2014-15 on)",
    ),
    SourceFamily(
        "cla_rate", "ees_cla/cla_number_and_rate_per_10k_children*.csv", _R, "CLA numbers, rates"
    ),
    SourceFamily(
        "cla_new_placements",
        "ees_cla/la_cla_during_year_new_placements*.csv",
        _R,
        "CLA new placements",
    ),
    SourceFamily(
        "cla_placement_stability",
        "ees_cla/la_cla_placement_stability*.csv",
        _R,
        "CLA placement stability",
    ),
    SourceFamily("cla_school_moves", "ees_cla/la_cla_school_moves*.csv", _R, "CLA school moves"),
    SourceFamily("cla_swcount", "ees_cla/la_cla_swcount*.csv", _R, "CLA social worker changes"),
    SourceFamily("cin_b1", "ees_cin/b1_*.csv", _R, "CIN census B1: children in need"),
    SourceFamily("cin_c1", "ees_cin/c1_*.csv", _R, "CIN census C1: referrals"),
    SourceFamily("cin_c3", "ees_cin/c3_*.csv", _R, "CIN census C3: assessment factors"),
    SourceFamily("cin_d3", "ees_cin/d3_*.csv", _R, "CIN census D3: subsequent plans"),
    SourceFamily("cin_d5", "ees_cin/d5_*.csv", _R, "CIN census D5: plans by duration"),
    SourceFamily("outcomes_absence", "cla_outcomes/absence_la*.csv", _R, "CLA outcomes: absence"),
    SourceFamily("outcomes_ks2", "cla_outcomes/ks2_la*.csv", _R, "CLA outcomes: KS2"),
    SourceFamily("outcomes_ks4", "cla_outcomes/ks4_la*.csv", _R, "CLA outcomes: KS4"),
    SourceFamily(
        "care_leavers_accommodation",
        "cla_outcomes/la_care_leavers_accommodation*.csv",
        _R,
        "Care leavers: accommodation",
    ),
    SourceFamily(
        "care_leavers_activity",
        "cla_outcomes/la_care_leavers_activity*.csv",
        _R,
        "Care leavers: activity",
    ),
    SourceFamily(
        "cla_health_convictions",
        "cla_outcomes/la_conviction_health_outcome_cla*.csv",
        _R,
        "CLA health and convictions",
    ),
    SourceFamily("workforce", "ees_workforce/csww_indicators_*.csv", _R, "Social work workforce"),
    SourceFamily(
        "population",
        "population/ons_mid-year_population_estimates_*.csv",
        _R,
        "ONS mid-year population 0-17",
    ),
    SourceFamily(
        "sn_workbooks", "statistical_neighbours/sn_*.xlsx", _R, "Statistical neighbours (LAIT)"
    ),
    SourceFamily(
        "sn_2021_csv",
        "statistical_neighbours/New_Statistical_Neighbour_Groupings_*.csv",
        _O,
        "2021 neighbours as CSV (cross-checked against the workbook)",
    ),
    SourceFamily(
        "sn_wide_csv",
        "statistical_neighbours/sn_model_*_wide.csv",
        _O,
        "Neighbours, CSC wide CSV (cross-checked against the workbook)",
    ),
    SourceFamily(
        "sn_long_csv",
        "statistical_neighbours/statistical_neighbours_long.csv",
        _O,
        "Neighbours, derived long CSV (compared with the workbooks pair by pair, not stored)",
    ),
    SourceFamily("boundaries", "geography/*.geojson", _R, "Upper-tier LA boundaries"),
    SourceFamily("geography_lookups", "geography/*.csv", _I, "Code lookups (in the register)"),
    SourceFamily(
        "ro3_tidy",
        "mhclg_ro3/*.parquet",
        _O,
        "MHCLG RO3, derived tidy table (compared with the workbooks cell by cell, not stored)",
    ),
    SourceFamily("ro3", "mhclg_ro3/*", _O, "MHCLG RO3 children's social care spend workbooks"),
    SourceFamily(
        "need_deprivation", "need/*IoD*.xlsx", _O, "English Indices of Deprivation LA summaries"
    ),
    SourceFamily(
        "need_low_income",
        "need/children-relative-low-income-*.csv",
        _O,
        "DWP children in low income families, by age band",
    ),
    SourceFamily("need_population_age", "need/mye*.csv", _O, "ONS mid-year estimates by age"),
    SourceFamily("notes", "*.md", _I, "Provenance notes"),
)

OGL = "Open Government Licence v3.0"

_CSC = (
    "https://raw.githubusercontent.com/dfe-analytical-services/CSC_outcomes_and_enablers/"
    "2f5d11a431050523dab58810083259d3313029ae/"
)
_LAIT = (
    "https://raw.githubusercontent.com/dfe-analytical-services/local-authority-interactive-tool/"
    "2e30e3959a6ab8b2d22941b84764da41a40ac91b/01_data/02_prod/"
)


@dataclass(frozen=True, slots=True)
class EesReleaseFile:
    """A data file of an Explore Education Statistics release, found by name when fetched.

    EES gives each release's files ids that change with every release, so the downloader asks
    the content API for the release (``Source.url`` is that API address) and takes the data
    file whose name starts with ``file_prefix`` (EES adds a version number: ``..._national3``).
    """

    file_prefix: str


@dataclass(frozen=True, slots=True)
class Source:
    """One downloadable file.

    Attributes:
        name: Short unique name (``--only`` selects by it).
        url: Where the publisher serves it.
        dest: Path under the download folder (the layout of ``../shared/data``).
        sha256: Expected digest of the bytes as served, or ``None`` for live services.
        publisher: Who publishes it; ``page`` is the human landing page.
        transcode_from: Source encoding to convert to UTF-8 after the checksum check (older
            DfE CSVs are Windows-1252; the loaders accept UTF-8 only).
        release_file: When set, ``url`` is an EES content-API release and the file to fetch is
            found in it by name (``data.download.resolve_release_file``).
    """

    name: str
    url: str
    dest: str
    sha256: str | None
    publisher: str
    page: str
    licence: str = OGL
    transcode_from: str | None = None
    release_file: EesReleaseFile | None = None


def _csc(name: str, folder: str, filename: str, sha: str, page: str) -> Source:
    return Source(name, f"{_CSC}data-raw/{filename}", f"{folder}/{filename}", sha, "DfE", page)


CLA_PAGE = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-looked-after-in-england-including-adoptions"
)
CIN_PAGE = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need"
)
OUTCOMES_PAGE = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "outcomes-for-children-in-need-including-children-looked-after-by-local-authorities-in-england"
)
WORKFORCE_PAGE = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-s-social-work-workforce"
)
LAIT_PAGE = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"
S251_PAGE = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/la-and-school-expenditure"
)
#: The Explore Education Statistics content API (the service's own front end reads it).
EES_CONTENT_API = "https://content.explore-education-statistics.service.gov.uk/api"

SOURCES: tuple[Source, ...] = (
    Source(
        "lait_bds",
        f"{_LAIT}bds_long_0.parquet",
        "lait/lait_bds_long.parquet",
        "8277a891ae7318be2d77019fd193f91c0f553ccd430890f04fd84fb4f849a4be",
        "DfE",
        LAIT_PAGE,
    ),
    Source(
        "lait_dictionary",
        f"{_LAIT}lait_data_dictionary.csv",
        "lait/lait_data_dictionary.csv",
        "6605c2d3354fdec659b20d1e5ce4669c084d0ba8cc29a9650519b7052a62a3b0",
        "DfE",
        LAIT_PAGE,
    ),
    Source(
        "sn_2025",
        f"{_LAIT}sn_may_2025.xlsx",
        "statistical_neighbours/sn_may_2025.xlsx",
        "8741494be7bbced69706589b7064b57d33737fc42ebbb3e778770f6bb78b1739",
        "DfE",
        LAIT_PAGE,
    ),
    Source(
        "sn_2021",
        f"{_LAIT}sn_april_2021.xlsx",
        "statistical_neighbours/sn_april_2021.xlsx",
        "e9594202bbf624f3328bd042ae0cf18d0df747d4320146449804dfe3133aa219",
        "DfE",
        "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
    ),
    _csc(
        "cla_rate",
        "ees_cla",
        "cla_number_and_rate_per_10k_children.csv",
        "8228ce8c6f55fb1ee59b65988dad56c79ea7703c03eedd5c0f8af5997d6686ce",
        CLA_PAGE,
    ),
    _csc(
        "cla_new_placements",
        "ees_cla",
        "la_cla_during_year_new_placements.csv",
        "4d7cf7e62eb2946ce64c4c967f73e628251d50fd0b1bff962fa06f78ed9d13c9",
        CLA_PAGE,
    ),
    _csc(
        "cla_placement_stability",
        "ees_cla",
        "la_cla_placement_stability.csv",
        "b102f3277a40353a99bd997fe0c1ac557370bb8a793b177e6a570c851a96290f",
        CLA_PAGE,
    ),
    _csc(
        "cla_school_moves",
        "ees_cla",
        "la_cla_school_moves.csv",
        "2ef40c22ae9f972cd11521eb21a23e431f364a7d82e347152a4c0b846efe2649",
        CLA_PAGE,
    ),
    _csc(
        "cla_swcount",
        "ees_cla",
        "la_cla_swcount.csv",
        "1f496f2daafa387ba1e3205829e2264583bb54625afdc2fb120d9fd83eba8cb8",
        CLA_PAGE,
    ),
    _csc(
        "cin_b1",
        "ees_cin",
        "b1_children_in_need_2013_to_2025.csv",
        "fc065f5eb33a97fcbf3b2df6a7a55e15dbf645ce9739ef0128776461602179ad",
        CIN_PAGE,
    ),
    _csc(
        "cin_c1",
        "ees_cin",
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "e548b10b4e2de4e8845c35eae274f6280636f5ff262f8189cbe62c320591f75d",
        CIN_PAGE,
    ),
    _csc(
        "cin_c3",
        "ees_cin",
        "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
        "ddf55eeb6334d12300e36e30f29fe0136d8050e403a02ee10bed02158f4738d8",
        CIN_PAGE,
    ),
    _csc(
        "cin_d3",
        "ees_cin",
        "d3_cpps_subsequent_plan_2013_to_2025.csv",
        "06f9b63e9329925fea34d75a7f5e9c44d97fed4c1aed8cb2a302af21ef4113ab",
        CIN_PAGE,
    ),
    _csc(
        "cin_d5",
        "ees_cin",
        "d5_cpps_at31march_by_duration_2013_to_2025.csv",
        "b203854c252fc055df1dc05d649de63c2f18c0246b1bd2282c2f3632530f296d",
        CIN_PAGE,
    ),
    _csc(
        "outcomes_absence",
        "cla_outcomes",
        "absence_la.csv",
        "edeaa1a28b0541b5a5cbe57fb2b6dfe880a6e270073a263d83dc1b85d016cef7",
        OUTCOMES_PAGE,
    ),
    _csc(
        "outcomes_ks2",
        "cla_outcomes",
        "ks2_la.csv",
        "d8bd157fa2b73a3b651b1acf852c33dd43ffdecca608b42f4fff35fb86aff7e1",
        OUTCOMES_PAGE,
    ),
    _csc(
        "outcomes_ks4",
        "cla_outcomes",
        "ks4_la.csv",
        "9e08bc2f51d962a362aa76895bd48f41c7adef72926b77c67c905558b23c0ba8",
        OUTCOMES_PAGE,
    ),
    _csc(
        "care_leavers_accommodation",
        "cla_outcomes",
        "la_care_leavers_accommodation_suitability.csv",
        "e7ec483b8ca26360161393e78ef4c6ac6dc408197c068ab98e42ffc06fa4199a",
        CLA_PAGE,
    ),
    _csc(
        "care_leavers_activity",
        "cla_outcomes",
        "la_care_leavers_activity.csv",
        "6853227203b736615c55517ac0735acbff48fea6c9f69ee95c2e9b6d868f339b",
        CLA_PAGE,
    ),
    _csc(
        "cla_health_convictions",
        "cla_outcomes",
        "la_conviction_health_outcome_cla.csv",
        "f85600d1fd32e39fd83e3414441529fa782f0a9151f7c96fa970259d001fc170",
        CLA_PAGE,
    ),
    _csc(
        "workforce",
        "ees_workforce",
        "csww_indicators_2017_to_2025.csv",
        "9e058bac193cc5b03f0d21ebe4259c8935d236dbf59f09d90b3e0916bfbca95f",
        WORKFORCE_PAGE,
    ),
    _csc(
        "population",
        "population",
        "ons_mid-year_population_estimates_2012_to_2024.csv",
        "bd6420a0edd97dc2bfb25e70955399778a460483d5c417032b8fcb92230bfaa3",
        "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
        "populationestimates",
    ),
    # s251 line-level outturn, LA + regional + national, in £ (the "LA and school expenditure"
    # releases; 2015-16 onward). Optional: the line-level Table A1 workbooks and the CSVs in
    # ../shared/data cover 2011-12 to 2018-19 without it; where both give a year the EES file is
    # kept (data.loaders.s251.settle_overlaps). The 2021-22 release holds 2015-16 to 2021-22.
    *(
        Source(
            f"s251_la_expenditure_{slug}",
            f"{EES_CONTENT_API}/publications/la-and-school-expenditure/releases/{release}",
            f"s251/ees_la/s251_childrens_young_peoples_services_la_regional_national_{slug}.csv",
            None,
            "DfE",
            S251_PAGE,
            release_file=EesReleaseFile(
                "s251_childrens_young_peoples_services_la_regional_national"
            ),
        )
        for release, slug in (("2021-22", "2021_22"), ("latest", "latest"))
    ),
    Source(
        "boundaries",
        "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
        "Counties_and_Unitary_Authorities_May_2024_Boundaries_UK_BUC/FeatureServer/0/query"
        "?where=CTYUA24CD%20LIKE%20%27E%25%27&outFields=CTYUA24CD,CTYUA24NM&outSR=4326"
        "&f=geojson",
        "geography/ctyua_england_2024_buc.geojson",
        None,
        "ONS",
        "https://geoportal.statistics.gov.uk/",
    ),
)
