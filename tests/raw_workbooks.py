"""Tiny hand-made workbooks for the newer sources, written into a raw folder for tests.

Each reproduces its source's quirks (never copied from ../shared/data):

* ``s251/table_a1/s251ye2015.xlsx``: Table A1 with the 2014-15 numbering, rows out of line
  order, "21 Total Safeguarding" with ``s251line`` 16, "Comissioning", double spaces, blank
  provision cells on youth justice, a memo line whose income one LA returned and one did not,
  a pre-2019 LA (835 Dorset) and a negative value.
* ``s251/table_a1/S251ye2019.ods``: 2018-19 with the undocumented ``ident`` column, fostering
  only as 3.1.2a + 3.1.2b, ``OrderLine`` repeated, "Dorset (Pre LGR 2019)", Northamptonshire.
* ``need/iod_upper_tier_2019.xlsx`` / ``need/iod_lower_tier_2019.xlsx``: IoD summaries with
  trailing and double spaces in their headers; the lower tier holds Northamptonshire's
  districts so that North and West Northamptonshire are estimated.
* ``mhclg_ro3/ro3_2024-25.ods``: an RO3 sheet (one-row header style) with England, two
  authorities, a district, a class total and a ``[note 4]`` cell.
"""

from __future__ import annotations

from pathlib import Path

from tests.workbook_support import write_ods, write_xlsx

MONEY = [
    "OwnProvision",
    "PrivateProvision",
    "OtherPublic",
    "Voluntary",
    "TotalExpenditure",
    "Income",
    "NetCurrentExpenditure",
    "GovGrantsInsideAEF",
    "GovGrantsOutsideAEF",
    "LEANetRevenueExpenditure",
]
A1_HEADER = ["LA", "LA Name", "ReportGroup", "OrderLine", "Description", "s251line", *MONEY]


def _money(own, private, other, vol, income):
    if own is None:  # a line DfE does not split by provider
        return [None, None, None, None, private, income, None, None, None, None]
    total = own + private + other + vol
    net = None if income is None else total - income
    return [own, private, other, vol, total, income, net, 0, 0, net]


def table_a1_2015() -> list[list]:
    """2014-15 Table A1 rows (header first)."""
    rows = [A1_HEADER]
    for number, name, scale in ((890, "Blackpool", 1), (835, "Dorset", 2)):
        lines = [
            (16, "16 Total Children Looked After", 16, (3000 * scale, 6500 * scale, 0, 500, 0)),
            (6, "6. Residential care", 6, (1000 * scale, 3000 * scale, 0, 200, 100)),
            (7, "7. Fostering services", 7, (2000 * scale, 3500 * scale, 0, 300, -50)),
            (
                21,
                "21 Total  Safeguarding Children and Young People's Services",
                16,  # DfE's wrong s251line on this line in 2014-15 and 2015-16
                (700, 0, 0, 0, 0),
            ),
            (19, "19. Comissioning and Children's Services Strategy", 19, (300, 0, 0, 0, 0)),
            (31, "31. Youth Justice", 31, (None, 500, None, None, 40)),
            (
                36,
                "36. Teenage pregnancy services  (included in 28 and 29 above)",
                36,
                (None, 20, None, None, 5 if number == 835 else None),
            ),
        ]
        for order, text, s251line, money in lines:
            rows.append(
                [number, name, "CHILDREN LOOKED AFTER", order, text, s251line, *_money(*money)]
            )
    return rows


def table_a1_2019() -> list[list]:
    """2018-19 Table A1 rows with the ``ident`` column (header first)."""
    rows = [["ident", *A1_HEADER]]
    las = ((1, 890, "Blackpool"), (2, 835, "Dorset (Pre LGR 2019)"), (3, 928, "Northamptonshire"))
    for ident, number, name in las:
        lines = [
            (
                8,
                "3.1.2b Fostering services (fees and allowances for LA foster carers)",
                "3.1.2b",
                (400, 0, 0, 0, 0),
            ),
            (
                7,
                "3.1.2a Fostering services (excluding fees and allowances for LA foster carers)",
                "3.1.2a",
                (100, 200, 0, 50, 10),
            ),
            (6, "3.1.1 Residential care", "3.1.1", (1000, 4000 + ident, 0, 0, 0)),
            (16, "3.1.10 Asylum seeker services - children", "3.1.10", (10, 0, 0, 0, 0)),
            (16, "3.1.11 Total Children Looked After", "3.1.11", (1510, 4200 + ident, 0, 50, 10)),
        ]
        for order, text, code, money in lines:
            rows.append(
                [ident, number, name, "CHILDREN LOOKED AFTER", order, text, code, *_money(*money)]
            )
    return rows


def iod_sheets(tier: str) -> dict[str, list[list]]:
    """IMD, IDACI and Income sheets of an IoD2019 summary (``upper`` or ``lower`` tier)."""
    code = (
        "Upper Tier Local Authority District code (2019)"
        if tier == "upper"
        else "Local Authority District code (2019)"
    )
    name = code.replace("code", "name")
    if tier == "upper":
        areas = [
            ("E06000009", "Blackpool", 0.3, 0.5),
            ("E10000021", "Northamptonshire", 0.14, 0.05),
        ]
    else:
        areas = [
            ("E07000150", "Corby", 0.2, 0.1),
            ("E07000152", "East Northamptonshire", 0.1, 0.0),
            ("E07000153", "Kettering", 0.15, 0.05),
            ("E07000156", "Wellingborough", 0.15, 0.05),
            ("E07000151", "Daventry", 0.1, 0.0),
            ("E07000154", "Northampton", 0.2, 0.1),
            ("E07000155", "South Northamptonshire", 0.05, 0.0),
            ("E06000009", "Blackpool", 0.3, 0.5),
        ]
    # population (income scale / income score): Corby 100, the others 200 (Blackpool 500)
    pops = {"E07000150": 100, "E06000009": 500}
    sheets = {}
    for sheet, prefix in (("IMD", "IMD"), ("IDACI", "IDACI")):
        header = [
            code,
            name,
            f"{prefix} - Average rank ",
            f"{prefix} - Average score ",
            f"{prefix} - Proportion  of LSOAs in most deprived 10% nationally ",
        ]
        scale = 100 if sheet == "IMD" else 1
        sheets[sheet] = [header] + [
            [c, n, 1000, score * scale, share] for c, n, score, share in areas
        ]
    sheets["Income"] = [
        [code, name, "Income - Average score ", "Income scale"],
        *[[c, n, 0.1, pops.get(c, 200) * 0.1] for c, n, _, _ in areas],
    ]
    return {"Notes": [], **sheets}


def ro3_rows() -> list[list]:
    """An RO3 sheet in the 2024-25 style: title rows, one header row, data rows."""
    services = [
        ("Children's social care: Sure start children's centres and early years", "sure"),
        ("Children's social care - Children Looked After", "cla"),
        ("Children's social care - Children Looked After of which residential care", "res"),
    ]
    measures = ["Employees (C1)", "Running Expenses (C2)", "Total Expenditure (C3 = C1 + C2)"]
    header = [
        "E-code",
        "ONS Code",
        "Local authority",
        "Notes",
        "Class",
        "Detailed Class",
        "Certification",
    ]
    header += [f"{s} - {m}" for s, _ in services for m in measures]
    header += ["Adult Social Care - Physical support - Employees (C1)"]
    rows = [
        ["Revenue Outturn (RO) 2024-25: Social Care and Public Health (RO3) data"],
        ["Data are reported in £ thousand."],
        [],
        header,
        ["Eng", "E92000001", "ENGLAND", None, "Eng", "Eng", "[Y]", *range(1, 10), 99],
        [
            "E2302",
            "E06000009",
            "Blackpool UA",
            None,
            "UA",
            "UA",
            "Y",
            10,
            20,
            30,
            100,
            200,
            300,
            50,
            60,
            110,
            7,
        ],
        [
            "E4501",
            "E08000037",
            "Gateshead",
            "[note 4]",
            "MD",
            "MD",
            "Y",
            1,
            2,
            3,
            4,
            5,
            9,
            "[note 4]",
            "[note 4]",
            "[note 4]",
            7,
        ],
        ["E2231", "E07000105", "Ashford", None, "SD", "SD", "Y", *[0] * 9, 0],
        ["[Y]", "E06", "Unitary Authorities", None, "UA", "UA", "[Y]", *[5] * 9, 5],
        ["E0304", "E06000039", "Slough UA", "M", "UA", "UA", "[x]", *["[x]"] * 9, "[x]"],
    ]
    return rows


def write_raw_workbooks(raw: Path) -> None:
    """Write every workbook above into a raw folder laid out like ../shared/data."""
    write_xlsx(raw / "s251/table_a1/s251ye2015.xlsx", {"Sheet1": table_a1_2015()})
    write_ods(raw / "s251/table_a1/S251ye2019.ods", {"Table A1": table_a1_2019()})
    write_xlsx(raw / "need/iod_upper_tier_2019.xlsx", iod_sheets("upper"))
    write_xlsx(raw / "need/iod_lower_tier_2019.xlsx", iod_sheets("lower"))
    write_ods(raw / "mhclg_ro3/ro3_2024-25.ods", {"Front": [["RO3"]], "RO3_LA_Data": ro3_rows()})
