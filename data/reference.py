"""Reference register of English children's services authorities, regions and their lineage.

Public reference facts (DfE 3-digit LA numbers, ONS GSS codes, names, regions), written out
here so that the project can validate any source's (number, code, name) triples and generate
its demo data without any raw file present. The reorganisations come from the statutory orders
(also summarised in ``docs/data_log.md``).

Conventions:
* One authority keeps **one** ``area_code`` across GSS code changes of the same authority (its
  current code), listing the older codes in ``former_codes``. Abolished and new authorities are
  distinct areas linked by ``predecessor_codes``/``successor_codes``.
* A London LA's region is Inner or Outer London (E13), as in DfE files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from data.schema import ENGLAND_CODE, LONDON_CODE, AreaType, GeographicLevel

# (DfE number, current GSS code, name, region code) -- 153 current authorities and the five
# abolished ones that appear in the data (835, 836, 837, 909, 928).
_LA_ROWS: tuple[tuple[int, str, str, str], ...] = (
    (201, "E09000001", "City of London", "E13000001"),
    (202, "E09000007", "Camden", "E13000001"),
    (203, "E09000011", "Greenwich", "E13000002"),
    (204, "E09000012", "Hackney", "E13000001"),
    (205, "E09000013", "Hammersmith and Fulham", "E13000001"),
    (206, "E09000019", "Islington", "E13000001"),
    (207, "E09000020", "Kensington and Chelsea", "E13000001"),
    (208, "E09000022", "Lambeth", "E13000001"),
    (209, "E09000023", "Lewisham", "E13000001"),
    (210, "E09000028", "Southwark", "E13000001"),
    (211, "E09000030", "Tower Hamlets", "E13000001"),
    (212, "E09000032", "Wandsworth", "E13000001"),
    (213, "E09000033", "Westminster", "E13000001"),
    (301, "E09000002", "Barking and Dagenham", "E13000002"),
    (302, "E09000003", "Barnet", "E13000002"),
    (303, "E09000004", "Bexley", "E13000002"),
    (304, "E09000005", "Brent", "E13000002"),
    (305, "E09000006", "Bromley", "E13000002"),
    (306, "E09000008", "Croydon", "E13000002"),
    (307, "E09000009", "Ealing", "E13000002"),
    (308, "E09000010", "Enfield", "E13000002"),
    (309, "E09000014", "Haringey", "E13000001"),
    (310, "E09000015", "Harrow", "E13000002"),
    (311, "E09000016", "Havering", "E13000002"),
    (312, "E09000017", "Hillingdon", "E13000002"),
    (313, "E09000018", "Hounslow", "E13000002"),
    (314, "E09000021", "Kingston upon Thames", "E13000002"),
    (315, "E09000024", "Merton", "E13000002"),
    (316, "E09000025", "Newham", "E13000001"),
    (317, "E09000026", "Redbridge", "E13000002"),
    (318, "E09000027", "Richmond upon Thames", "E13000002"),
    (319, "E09000029", "Sutton", "E13000002"),
    (320, "E09000031", "Waltham Forest", "E13000002"),
    (330, "E08000025", "Birmingham", "E12000005"),
    (331, "E08000026", "Coventry", "E12000005"),
    (332, "E08000027", "Dudley", "E12000005"),
    (333, "E08000028", "Sandwell", "E12000005"),
    (334, "E08000029", "Solihull", "E12000005"),
    (335, "E08000030", "Walsall", "E12000005"),
    (336, "E08000031", "Wolverhampton", "E12000005"),
    (340, "E08000011", "Knowsley", "E12000002"),
    (341, "E08000012", "Liverpool", "E12000002"),
    (342, "E08000013", "St. Helens", "E12000002"),
    (343, "E08000014", "Sefton", "E12000002"),
    (344, "E08000015", "Wirral", "E12000002"),
    (350, "E08000001", "Bolton", "E12000002"),
    (351, "E08000002", "Bury", "E12000002"),
    (352, "E08000003", "Manchester", "E12000002"),
    (353, "E08000004", "Oldham", "E12000002"),
    (354, "E08000005", "Rochdale", "E12000002"),
    (355, "E08000006", "Salford", "E12000002"),
    (356, "E08000007", "Stockport", "E12000002"),
    (357, "E08000008", "Tameside", "E12000002"),
    (358, "E08000009", "Trafford", "E12000002"),
    (359, "E08000010", "Wigan", "E12000002"),
    (370, "E08000038", "Barnsley", "E12000003"),
    (371, "E08000017", "Doncaster", "E12000003"),
    (372, "E08000018", "Rotherham", "E12000003"),
    (373, "E08000039", "Sheffield", "E12000003"),
    (380, "E08000032", "Bradford", "E12000003"),
    (381, "E08000033", "Calderdale", "E12000003"),
    (382, "E08000034", "Kirklees", "E12000003"),
    (383, "E08000035", "Leeds", "E12000003"),
    (384, "E08000036", "Wakefield", "E12000003"),
    (390, "E08000037", "Gateshead", "E12000001"),
    (391, "E08000021", "Newcastle upon Tyne", "E12000001"),
    (392, "E08000022", "North Tyneside", "E12000001"),
    (393, "E08000023", "South Tyneside", "E12000001"),
    (394, "E08000024", "Sunderland", "E12000001"),
    (420, "E06000053", "Isles of Scilly", "E12000009"),
    (800, "E06000022", "Bath and North East Somerset", "E12000009"),
    (801, "E06000023", "Bristol, City of", "E12000009"),
    (802, "E06000024", "North Somerset", "E12000009"),
    (803, "E06000025", "South Gloucestershire", "E12000009"),
    (805, "E06000001", "Hartlepool", "E12000001"),
    (806, "E06000002", "Middlesbrough", "E12000001"),
    (807, "E06000003", "Redcar and Cleveland", "E12000001"),
    (808, "E06000004", "Stockton-on-Tees", "E12000001"),
    (810, "E06000010", "Kingston upon Hull, City of", "E12000003"),
    (811, "E06000011", "East Riding of Yorkshire", "E12000003"),
    (812, "E06000012", "North East Lincolnshire", "E12000003"),
    (813, "E06000013", "North Lincolnshire", "E12000003"),
    (815, "E06000065", "North Yorkshire", "E12000003"),
    (816, "E06000014", "York", "E12000003"),
    (821, "E06000032", "Luton", "E12000006"),
    (822, "E06000055", "Bedford", "E12000006"),
    (823, "E06000056", "Central Bedfordshire", "E12000006"),
    (825, "E06000060", "Buckinghamshire", "E12000008"),
    (826, "E06000042", "Milton Keynes", "E12000008"),
    (830, "E10000007", "Derbyshire", "E12000004"),
    (831, "E06000015", "Derby", "E12000004"),
    (835, "E10000009", "Dorset", "E12000009"),
    (836, "E06000029", "Poole", "E12000009"),
    (837, "E06000028", "Bournemouth", "E12000009"),
    (838, "E06000059", "Dorset", "E12000009"),
    (839, "E06000058", "Bournemouth, Christchurch and Poole", "E12000009"),
    (840, "E06000047", "County Durham", "E12000001"),
    (841, "E06000005", "Darlington", "E12000001"),
    (845, "E10000011", "East Sussex", "E12000008"),
    (846, "E06000043", "Brighton and Hove", "E12000008"),
    (850, "E10000014", "Hampshire", "E12000008"),
    (851, "E06000044", "Portsmouth", "E12000008"),
    (852, "E06000045", "Southampton", "E12000008"),
    (855, "E10000018", "Leicestershire", "E12000004"),
    (856, "E06000016", "Leicester", "E12000004"),
    (857, "E06000017", "Rutland", "E12000004"),
    (860, "E10000028", "Staffordshire", "E12000005"),
    (861, "E06000021", "Stoke-on-Trent", "E12000005"),
    (865, "E06000054", "Wiltshire", "E12000009"),
    (866, "E06000030", "Swindon", "E12000009"),
    (867, "E06000036", "Bracknell Forest", "E12000008"),
    (868, "E06000040", "Windsor and Maidenhead", "E12000008"),
    (869, "E06000037", "West Berkshire", "E12000008"),
    (870, "E06000038", "Reading", "E12000008"),
    (871, "E06000039", "Slough", "E12000008"),
    (872, "E06000041", "Wokingham", "E12000008"),
    (873, "E10000003", "Cambridgeshire", "E12000006"),
    (874, "E06000031", "Peterborough", "E12000006"),
    (876, "E06000006", "Halton", "E12000002"),
    (877, "E06000007", "Warrington", "E12000002"),
    (878, "E10000008", "Devon", "E12000009"),
    (879, "E06000026", "Plymouth", "E12000009"),
    (880, "E06000027", "Torbay", "E12000009"),
    (881, "E10000012", "Essex", "E12000006"),
    (882, "E06000033", "Southend-on-Sea", "E12000006"),
    (883, "E06000034", "Thurrock", "E12000006"),
    (884, "E06000019", "Herefordshire, County of", "E12000005"),
    (885, "E10000034", "Worcestershire", "E12000005"),
    (886, "E10000016", "Kent", "E12000008"),
    (887, "E06000035", "Medway", "E12000008"),
    (888, "E10000017", "Lancashire", "E12000002"),
    (889, "E06000008", "Blackburn with Darwen", "E12000002"),
    (890, "E06000009", "Blackpool", "E12000002"),
    (891, "E10000024", "Nottinghamshire", "E12000004"),
    (892, "E06000018", "Nottingham", "E12000004"),
    (893, "E06000051", "Shropshire", "E12000005"),
    (894, "E06000020", "Telford and Wrekin", "E12000005"),
    (895, "E06000049", "Cheshire East", "E12000002"),
    (896, "E06000050", "Cheshire West and Chester", "E12000002"),
    (908, "E06000052", "Cornwall", "E12000009"),
    (909, "E10000006", "Cumbria", "E12000002"),
    (916, "E10000013", "Gloucestershire", "E12000009"),
    (919, "E10000015", "Hertfordshire", "E12000006"),
    (921, "E06000046", "Isle of Wight", "E12000008"),
    (925, "E10000019", "Lincolnshire", "E12000004"),
    (926, "E10000020", "Norfolk", "E12000006"),
    (928, "E10000021", "Northamptonshire", "E12000004"),
    (929, "E06000057", "Northumberland", "E12000001"),
    (931, "E10000025", "Oxfordshire", "E12000008"),
    (933, "E06000066", "Somerset", "E12000009"),
    (935, "E10000029", "Suffolk", "E12000006"),
    (936, "E10000030", "Surrey", "E12000008"),
    (937, "E10000031", "Warwickshire", "E12000005"),
    (938, "E10000032", "West Sussex", "E12000008"),
    (940, "E06000061", "North Northamptonshire", "E12000004"),
    (941, "E06000062", "West Northamptonshire", "E12000004"),
    (942, "E06000063", "Cumberland", "E12000002"),
    (943, "E06000064", "Westmorland and Furness", "E12000002"),
)

REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
LONDON_SUBREGIONS: dict[str, str] = {"E13000001": "Inner London", "E13000002": "Outer London"}

#: DfE's numbers for England and the regions in LAIT (970 England, 980-990 regions).
LAIT_AREA_NUMBERS: dict[int, str] = {
    970: ENGLAND_CODE,
    980: "E12000001",
    981: "E12000002",
    982: "E12000003",
    983: "E12000004",
    984: "E12000005",
    985: "E12000006",
    986: LONDON_CODE,
    987: "E13000001",
    988: "E13000002",
    989: "E12000008",
    990: "E12000009",
}

#: Older GSS codes of authorities that continued under a new code (same DfE number).
FORMER_CODES: dict[str, tuple[str, ...]] = {
    "E06000060": ("E10000002",),  # Buckinghamshire became a unitary authority, 1 Apr 2020
    "E06000065": ("E10000023",),  # North Yorkshire became a unitary authority, 1 Apr 2023
    "E06000066": ("E10000027",),  # Somerset became a unitary authority, 1 Apr 2023
    "E08000038": ("E08000016",),  # Barnsley: boundary change with Sheffield, new code 2025
    "E08000039": ("E08000019",),  # Sheffield: boundary change with Barnsley, new code 2025
}

#: Abolitions and creations: (date, abolished codes, created codes).
REORGANISATIONS: tuple[tuple[date, tuple[str, ...], tuple[str, ...]], ...] = (
    # Dorset county, Poole and Bournemouth -> Dorset UA and Bournemouth, Christchurch and Poole
    (date(2019, 4, 1), ("E10000009", "E06000029", "E06000028"), ("E06000059", "E06000058")),
    # Northamptonshire -> North and West Northamptonshire
    (date(2021, 4, 1), ("E10000021",), ("E06000061", "E06000062")),
    # Cumbria -> Cumberland, Westmorland and Furness
    (date(2023, 4, 1), ("E10000006",), ("E06000063", "E06000064")),
)
#: Which successor each abolished authority fed (Poole and Bournemouth only went into BCP).
_SUCCESSORS_OVERRIDE: dict[str, tuple[str, ...]] = {
    "E06000029": ("E06000058",),
    "E06000028": ("E06000058",),
}

#: Joint rows published by some sources (shared services that submit one return).
JOINT_AREAS: tuple[tuple[str, tuple[str, ...], str, str, date | None], ...] = (
    (
        "314 / 318",
        ("E09000021", "E09000027"),
        "Kingston upon Thames / Richmond upon Thames",
        "E13000002",
        None,
    ),
    (
        "940 / 941",
        ("E06000061", "E06000062"),
        "North Northamptonshire / West Northamptonshire",
        "E12000004",
        date(2021, 4, 1),
    ),
)

#: Names that sources use for the same authority, beyond what ``normalise_name`` evens out.
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "E06000047": ("Durham",),
    "E06000055": ("Bedford Borough",),
    "E06000058": ("Bournemouth Christchurch and Poole", "BCP"),
    "E06000033": ("Southend",),
    "E12000006": ("East",),  # ONS population tables
}


def normalise_name(name: str) -> str:
    """Fold an LA name for comparison: case, '&', punctuation, 'City of', '(Pre LG)'.

    Examples:
        >>> normalise_name("Kingston Upon Hull, City of")
        'kingston upon hull'
        >>> normalise_name("Bournemouth, Christchurch & Poole") == normalise_name(
        ...     "Bournemouth, Christchurch and Poole")
        True
    """
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"\(pre lgr?(?: \d{4})?\)", " ", text)
    text = re.sub(r"\b(city of|county of)\b", " ", text)
    text = re.sub(r"\bst\.", "st", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class AreaRecord:
    """One row of the areas register (see ``data.schema.AREAS_SCHEMA``)."""

    area_code: str
    area_name: str
    geographic_level: GeographicLevel
    area_type: AreaType
    old_la_code: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    predecessor_codes: tuple[str, ...] = ()
    successor_codes: tuple[str, ...] = ()
    former_codes: tuple[str, ...] = ()
    member_codes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=(), compare=False)


def _region_name(code: str) -> str:
    return REGIONS.get(code) or LONDON_SUBREGIONS[code]


def build_register() -> tuple[AreaRecord, ...]:
    """Every area the project knows: England, regions, London sub-regions, LAs, joint rows."""
    abolished: dict[str, tuple[date, tuple[str, ...]]] = {}
    created: dict[str, tuple[date, tuple[str, ...]]] = {}
    for when, old, new in REORGANISATIONS:
        for code in old:
            abolished[code] = (when, _SUCCESSORS_OVERRIDE.get(code, new))
        for code in new:
            created[code] = (
                when,
                tuple(c for c in old if code in _SUCCESSORS_OVERRIDE.get(c, new)),
            )
    records: list[AreaRecord] = [
        AreaRecord(ENGLAND_CODE, "England", GeographicLevel.NATIONAL, AreaType.COUNTRY)
    ]
    records += [
        AreaRecord(
            code,
            name,
            GeographicLevel.REGIONAL,
            AreaType.REGION,
            aliases=NAME_ALIASES.get(code, ()),
        )
        for code, name in REGIONS.items()
    ]
    records += [
        AreaRecord(
            code,
            name,
            GeographicLevel.REGIONAL,
            AreaType.LONDON_SUBREGION,
            region_code=LONDON_CODE,
            region_name=REGIONS[LONDON_CODE],
        )
        for code, name in LONDON_SUBREGIONS.items()
    ]
    for number, code, name, region in _LA_ROWS:
        end = abolished.get(code)
        start = created.get(code)
        records.append(
            AreaRecord(
                area_code=code,
                area_name=name,
                geographic_level=GeographicLevel.LOCAL_AUTHORITY,
                area_type=AreaType.LA,
                old_la_code=str(number),
                region_code=region,
                region_name=_region_name(region),
                valid_from=start[0] if start else None,
                valid_to=date.fromordinal(end[0].toordinal() - 1) if end else None,
                predecessor_codes=start[1] if start else (),
                successor_codes=end[1] if end else (),
                former_codes=FORMER_CODES.get(code, ()),
                aliases=NAME_ALIASES.get(code, ()),
            )
        )
    for joint_number, members, name, region, since in JOINT_AREAS:
        records.append(
            AreaRecord(
                area_code=" / ".join(members),
                area_name=name,
                geographic_level=GeographicLevel.LOCAL_AUTHORITY,
                area_type=AreaType.LA_GROUP,
                old_la_code=joint_number,
                region_code=region,
                region_name=_region_name(region),
                valid_from=since,
                member_codes=members,
            )
        )
    return tuple(records)
