"""The EES file families this project reads, and what their columns mean.

Each ``Family`` is recognised by its signature columns (see ``data.loaders.ees``). Polarity is
our reading of each measure (DfE publishes none for these files); it follows LAIT's data
dictionary wherever LAIT carries the same measure (e.g. 3+ placements: low is better; care
leavers in education, employment or training: high is better) and is ``none`` for activity
volumes (numbers or rates of children looked after, in need, on plans), where neither
direction is "better".
"""

from __future__ import annotations

from data.loaders.ees import Family, Measure, Override, Rule
from data.schema import Polarity, ValueType

HIGH = Polarity.HIGH_IS_BETTER
LOW = Polarity.LOW_IS_BETTER
NONE = Polarity.NONE

CLA_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-looked-after-in-england-including-adoptions"
)
CIN_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need"
)
OUTCOMES_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "outcomes-for-children-in-need-including-children-looked-after-by-local-authorities-in-england"
)
WORKFORCE_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-s-social-work-workforce"
)
POPULATION_URL = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
    "populationestimates/datasets/estimatesofthepopulationforenglandandwales"
)


def count(column: str, key: str, label: str = "number", **kw: object) -> Measure:
    """A count of children, episodes, plans..."""
    return Measure(column, key, label, ValueType.COUNT, "number", decimals=0, **kw)  # type: ignore[arg-type]


def pct(column: str, key: str = "pct", label: str = "", **kw: object) -> Measure:
    """A published percentage (0-100); ``label`` says what it is a percentage of."""
    defaults: dict[str, object] = {"decimals": 0}
    defaults.update(kw)
    return Measure(column, key, label, ValueType.PROPORTION, "%", 100.0, **defaults)  # type: ignore[arg-type]


def mean(column: str, key: str, label: str, decimals: int = 1, **kw: object) -> Measure:
    """An average score or amount per person."""
    return Measure(column, key, label, ValueType.MEAN, label, None, decimals, **kw)  # type: ignore[arg-type]


SOCIAL_CARE_GROUPS = {
    "CINO at 31 March": "cino",
    "CLA 12 months at 31 March": "cla12m",
    "CPPO at 31 March": "cppo",
}

CLA_RATE = Family(
    name="cla_number_and_rate",
    source_id="ees_cla",
    prefix="cla",
    topic="Children looked after",
    title="Children looked after",
    description=(
        "Children looked after by the local authority (SSDA903 return): numbers and rates per "
        "10,000 children aged 0-17 (ONS mid-year estimates), as published by DfE."
    ),
    source_url=CLA_URL,
    filters=("population_type",),
    measures=(
        count("children_count", "count", "number of children"),
        Measure(
            "rate_per_10000",
            "rate",
            "rate per 10,000 children",
            ValueType.RATE,
            "per 10,000 children",
            10_000.0,
            0,
            numerator="children_count",
            denominator="population_estimate",
        ),
    ),
    signature=("population_type", "children_count", "rate_per_10000"),
    abbreviations={
        "Children looked after on 31 March each year": "at_31_march",
        "Children starting to be looked after each year": "starting",
        "Children ceasing to be looked after each year": "ceasing",
    },
)

PLACEMENT_STABILITY = Family(
    name="cla_placement_stability",
    source_id="ees_cla",
    prefix="cla_stability",
    topic="Children looked after: placement stability",
    title="Placement stability",
    description=(
        "Short- and long-term placement stability of children looked after (SSDA903). The "
        "percentage is of the group's total children."
    ),
    source_url=CLA_URL,
    filters=("cla_group", "placement_stability"),
    measures=(
        count("children_count", "count", "number of children"),
        pct(
            "children_percent", numerator="children_count", denominator_from_total="children_count"
        ),
    ),
    signature=("cla_group", "placement_stability", "children_count", "children_percent"),
    total_pattern=r"^Total children$",
    polarity_rules=(Rule(r"3 or more placements", LOW), Rule(r"same carer", HIGH)),
    abbreviations={
        "CLA on 31 March": "at_31_march",
        "CLA 2 years on 31 March": "2_years",
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 "
        "years": "long_term_under_16",
        "With 3 or more placements during the year": "3plus_placements_year",
        "With 3 or more placements during the previous 2 years": "3plus_placements_2_years",
        "Living with the same carer for at least 2 years": "same_carer_2_years",
        "Total children": "total",
    },
)

SCHOOL_MOVES = Family(
    name="cla_school_moves",
    source_id="ees_cla",
    prefix="cla_school_moves",
    topic="Children looked after: placement stability",
    title="School moves of children looked after",
    description="School stability of children looked after (SSDA903 linked to the school census).",
    source_url=CLA_URL,
    filters=("cla_group", "move_measure", "school_stability"),
    measures=(
        count("number", "count", "number of children"),
        pct("percentage", numerator="number", denominator_from_total="number"),
    ),
    signature=("cla_group", "move_measure", "school_stability", "number", "percentage"),
    total_pattern=r"^Total children$",
    polarity_rules=(Rule(r"one or more (mid-year )?moves", LOW),),
    abbreviations={
        "CLA on 31 March": "at_31_march",
        "CLA 2 years on 31 March": "2_years",
        "Any moves": "any",
        "Mid-year moves": "mid_year",
        "Total children": "total",
    },
)

SOCIAL_WORKER_CHANGES = Family(
    name="cla_swcount",
    source_id="ees_cla",
    prefix="cla_social_workers",
    topic="Children looked after: placement stability",
    title="Changes of social worker",
    description="Children looked after who had 3 or more social workers during the year.",
    source_url=CLA_URL,
    filters=("cla_group", "sw_stability"),
    measures=(
        count("number", "count", "number of children"),
        pct("percentage", numerator="number", denominator_from_total="number"),
    ),
    signature=("cla_group", "sw_stability", "number", "percentage"),
    total_pattern=r"^Total children$",
    polarity_rules=(Rule(r"3 or more social workers", LOW),),
    abbreviations={"CLA on 31 March": "at_31_march", "Total children": "total"},
)

NEW_PLACEMENTS = Family(
    name="cla_new_placements",
    source_id="ees_cla",
    prefix="cla_new_placements",
    topic="Children looked after: placements",
    title="New placements during the year",
    description=(
        "Location of new placements, and reasons for placement changes, of children looked "
        "after during the year."
    ),
    source_url=CLA_URL,
    filters=("characteristic", "breakdown"),
    measures=(
        count("children_count", "count", "number of placements"),
        pct(
            "children_percent",
            numerator="children_count",
            denominator_from_total="children_count",
        ),
    ),
    signature=("characteristic", "breakdown", "children_count", "children_percent"),
    total_pattern=r"^Total (new placements|placements changing)$",
    polarity_rules=(Rule(r"outside LA boundary more than 20 miles", LOW),),
    abbreviations={
        "Location of new placements during the year": "location",
        "Reason for placement change during the year": "change_reason",
    },
    value_signature=(("characteristic", r"placement"),),
)

HEALTH_CONVICTIONS = Family(
    name="cla_conviction_health",
    source_id="ees_cla",
    prefix="cla_outcomes",
    topic="Children looked after: health and offending",
    title="Outcomes of children looked after",
    description=(
        "Health assessments, immunisations, dental checks, development assessments, "
        "strengths and difficulties questionnaire (SDQ), substance misuse and convictions of "
        "children looked after continuously for 12 months at 31 March."
    ),
    source_url=CLA_URL,
    filters=("characteristic", "breakdown"),
    measures=(
        count("children_count", "count", "number of children"),
        pct(
            "children_percent",
            numerator="children_count",
            denominator_from_total="children_count",
        ),
    ),
    signature=("characteristic", "breakdown", "children_count", "children_percent"),
    total_pattern=r"^Total (all ages|ages .*)$",
    denominator_rows=(
        (r"^SDQ score is ", "SDQ score was received"),
        (
            r"^(Offered intervention|Received an intervention)",
            "Identified as having a substance misuse problem",
        ),
    ),
    polarity_rules=(
        Rule(r"annual health assessment|immunisations up to date|teeth checked", HIGH),
        Rule(r"assessments up to date|SDQ score was received|SDQ score is normal", HIGH),
        Rule(r"SDQ score is a cause for concern|Convicted", LOW),
    ),
    overrides=(
        Override(r"SDQ average score", "children_count", unit="SDQ score", polarity=LOW),
        Override(r"SDQ average score", "children_percent", skip=True),
    ),
    abbreviations={
        "Health assessments: Children looked after all ages": "health",
        "Development assessments: Children looked after ages 0 to 4 years": "development",
        "Ages 5 to 16 years with SDQ score": "sdq",
        "Substance misuse: Children looked after all ages": "substance_misuse",
        "Convictions: Children looked after Ages 10 to 17 years": "convictions",
    },
    value_signature=(("characteristic", r"health|convictions|SDQ|substance|development"),),
)

CARE_LEAVERS_ACTIVITY = Family(
    name="care_leavers_activity",
    source_id="ees_cla",
    prefix="care_leavers_activity",
    topic="Care leavers",
    title="Care leavers' activity",
    description=(
        "Activity of care leavers aged 17-18 and 19-21 around their birthday: education, "
        "employment or training (EET), not in EET (NEET), or not known."
    ),
    source_url=CLA_URL,
    filters=("care_leaver_age", "breakdown"),
    measures=(
        count("care_leaver_count", "count", "number of care leavers"),
        pct(
            "care_leaver_percent",
            numerator="care_leaver_count",
            denominator_from_total="care_leaver_count",
        ),
    ),
    signature=("care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"),
    total_pattern=r"^Total$",
    polarity_rules=(
        Rule(r"not in education|information not known", LOW),
        Rule(r"in education, employment or training|^.*\| (Education|Higher education)", HIGH),
        Rule(r"apprenticeship|In training or employment", HIGH),
    ),
    abbreviations={
        "17 to 18 years": "age_17_18",
        "19 to 21 years": "age_19_21",
        "Total in education, employment or training": "eet",
        "Total not in education, employment or training": "neet",
        "Total information not known": "not_known",
    },
    value_signature=(("breakdown", r"education|employment|training"),),
)

CARE_LEAVERS_ACCOMMODATION = Family(
    name="care_leavers_accommodation",
    source_id="ees_cla",
    prefix="care_leavers_accommodation",
    topic="Care leavers",
    title="Care leavers' accommodation",
    description="Suitability of care leavers' accommodation, ages 17-18 and 19-21.",
    source_url=CLA_URL,
    filters=("care_leaver_age", "breakdown"),
    measures=(
        count("care_leaver_count", "count", "number of care leavers"),
        pct(
            "care_leaver_percent",
            numerator="care_leaver_count",
            denominator_from_total="care_leaver_count",
        ),
    ),
    signature=("care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"),
    total_pattern=r"^Suitability total$",
    polarity_rules=(
        Rule(r"considered unsuitable|No information", LOW),
        Rule(r"considered suitable", HIGH),
    ),
    abbreviations={
        "17 to 18 years": "age_17_18",
        "19 to 21 years": "age_19_21",
        "Accommodation considered suitable": "suitable",
        "Accommodation considered unsuitable": "unsuitable",
        "Suitability total": "total",
    },
    value_signature=(("breakdown", r"suitab"),),
)

_KS2_SUBJECTS = {
    "read": "reading",
    "writta": "writing (teacher assessment)",
    "mat": "maths",
    "rwm": "reading, writing and maths",
    "gps": "grammar, punctuation and spelling",
    "scita": "science (teacher assessment)",
}

KS2 = Family(
    name="ks2_outcomes",
    source_id="cla_outcomes",
    prefix="ks2",
    topic="Outcomes: key stage 2",
    title="Key stage 2",
    description=(
        "Key stage 2 attainment and progress of children in need (CINO), on child protection "
        "plans (CPPO) and looked after for 12 months (CLA 12m) at 31 March, by local authority. "
        "No KS2 tests in 2019/20 and 2020/21."
    ),
    source_url=OUTCOMES_URL,
    filters=("social_care_group",),
    period_attributes=("version",),
    measures=tuple(
        m
        for subject, name in _KS2_SUBJECTS.items()
        for m in (
            pct(
                f"pt_{subject}_met_expected_standard",
                f"{subject}_expected_pct",
                label=f"reached the expected standard in {name}",
                numerator=f"t_{subject}_met_expected_standard",
                denominator=f"t_{subject}_eligible_pupils",
                polarity=HIGH,
                optional=subject not in ("read", "writta", "mat", "rwm"),
            ),
            count(
                f"t_{subject}_eligible_pupils",
                f"{subject}_eligible",
                f"pupils eligible ({name})",
                optional=subject not in ("read", "writta", "mat", "rwm"),
            ),
        )
    )
    + tuple(
        mean(
            f"avg_{subject}_progress_score",
            f"{subject}_progress",
            f"average progress score ({_KS2_SUBJECTS[subject]})",
            decimals=2,
            polarity=HIGH,
            optional=True,
        )
        for subject in ("read", "writta", "mat")
    ),
    signature=("social_care_group", "version", "pt_rwm_met_expected_standard"),
    abbreviations=SOCIAL_CARE_GROUPS,
)

KS4 = Family(
    name="ks4_outcomes",
    source_id="cla_outcomes",
    prefix="ks4",
    topic="Outcomes: key stage 4",
    title="Key stage 4",
    description=(
        "Key stage 4 attainment of children in need (CINO), on child protection plans (CPPO) "
        "and looked after for 12 months (CLA 12m) at 31 March. Progress 8 is not published "
        "for 2019/20, 2020/21 (teacher-assessed grades) or 2024/25 (no KS2 baseline)."
    ),
    source_url=OUTCOMES_URL,
    filters=("social_care_group",),
    period_attributes=("version",),
    measures=(
        count("t_pupils", "pupils", "number of pupils"),
        mean("avg_att8", "attainment8", "average Attainment 8 score", polarity=HIGH),
        pct(
            "pt_l2basics_95",
            "eng_maths_grade5_pct",
            label="grade 5 or above in English and maths",
            numerator="t_l2basics_95",
            denominator="t_pupils",
            polarity=HIGH,
            decimals=1,
        ),
        pct(
            "pt_l2basics_94",
            "eng_maths_grade4_pct",
            label="grade 4 or above in English and maths",
            numerator="t_l2basics_94",
            denominator="t_pupils",
            polarity=HIGH,
            decimals=1,
        ),
        pct(
            "pt_ebacc_e_ptq_ee",
            "ebacc_entered_pct",
            label="entered for the English Baccalaureate",
            numerator="t_ebacc_e_ptq_ee",
            denominator="t_pupils",
            polarity=HIGH,
            decimals=1,
            optional=True,
        ),
        mean(
            "avg_ebaccaps",
            "ebacc_aps",
            "average EBacc point score",
            2,
            polarity=HIGH,
            optional=True,
        ),
        mean(
            "avg_p8score", "progress8", "average Progress 8 score", 2, polarity=HIGH, optional=True
        ),
    ),
    signature=("social_care_group", "version", "avg_att8", "t_pupils"),
    abbreviations=SOCIAL_CARE_GROUPS,
)

ABSENCE = Family(
    name="absence_outcomes",
    source_id="cla_outcomes",
    prefix="absence",
    topic="Outcomes: absence",
    title="Absence",
    description=(
        "Absence from school of children in need (CINO), on child protection plans (CPPO) and "
        "looked after for 12 months (CLA 12m) at 31 March: % of sessions missed and % of "
        "pupils persistently (10%+) or severely (50%+) absent."
    ),
    source_url=OUTCOMES_URL,
    filters=("absence_terms", "social_care_group", "phase_type_grouping"),
    measures=(
        count("t_pupils", "pupils", "number of pupils"),
        pct(
            "pt_overall",
            "overall_pct",
            label="sessions missed (overall absence)",
            numerator="t_sess_overall",
            denominator="t_sess_possible",
            polarity=LOW,
            decimals=1,
        ),
        pct(
            "pt_sess_authorised",
            "authorised_pct",
            label="sessions missed (authorised absence)",
            numerator="t_sess_authorised",
            denominator="t_sess_possible",
            polarity=LOW,
            decimals=1,
        ),
        pct(
            "pt_sess_unauthorised",
            "unauthorised_pct",
            label="sessions missed (unauthorised absence)",
            numerator="t_sess_unauthorised",
            denominator="t_sess_possible",
            polarity=LOW,
            decimals=1,
        ),
        pct(
            "pt_pupils_pa_10_exact",
            "persistent_pct",
            label="pupils persistently absent (10%+ of sessions)",
            numerator="t_pupils_pa_10_exact",
            denominator="t_pupils",
            polarity=LOW,
            decimals=1,
        ),
        pct(
            "pt_pupils_pa_50_exact",
            "severe_pct",
            label="pupils severely absent (50%+ of sessions)",
            numerator="t_pupils_pa_50_exact",
            denominator="t_pupils",
            polarity=LOW,
            decimals=1,
            optional=True,
        ),
    ),
    signature=("absence_terms", "social_care_group", "phase_type_grouping", "pt_overall"),
    abbreviations={
        **SOCIAL_CARE_GROUPS,
        "six half terms": "6ht",
        "Total": "all_schools",
        "State-funded primary": "primary",
        "State-funded secondary": "secondary",
        "Special": "special",
        "State-funded alternative provision school": "ap",
    },
)

CIN_B1 = Family(
    name="cin_b1",
    source_id="ees_cin",
    prefix="cin",
    topic="Children in need",
    title="Children in need",
    description=(
        "Children in need episodes and children (CIN census): at any point in the year, "
        "starting, ending, at 31 March, and awaiting assessment."
    ),
    source_url=CIN_URL,
    filters=(),
    label_columns=("category",),
    measures=(
        count("Anypoint_episodes", "anypoint_episodes", "episodes at any point in the year"),
        count("Anypoint_child", "anypoint_children", "children at any point in the year"),
        count("Started_episodes", "started_episodes", "episodes starting"),
        count("Started_child", "started_children", "children starting an episode"),
        count("Ended_episodes", "ended_episodes", "episodes ending"),
        count("Ended_child", "ended_children", "children ending an episode"),
        count("At31_episodes", "at_31_march", "children in need at 31 March"),
        count("awaiting_assessment", "awaiting_assessment", "awaiting assessment", optional=True),
    ),
    signature=("Anypoint_episodes", "At31_episodes"),
)

CIN_C1 = Family(
    name="cin_c1",
    source_id="ees_cin",
    prefix="cin_referrals",
    topic="Children in need: referrals",
    title="Referrals",
    description="Referrals to children's social care, re-referrals within 12 months, outcomes.",
    source_url=CIN_URL,
    filters=(),
    label_columns=("category",),
    measures=(
        count("referral_count", "count", "referrals"),
        count("rereferral_count", "rereferrals", "re-referrals within 12 months"),
        pct(
            "rereferral_percent",
            "rereferral_pct",
            label="re-referrals within 12 months",
            numerator="rereferral_count",
            denominator="referral_count",
            polarity=LOW,
            decimals=1,
        ),
        count("no_further_action_count", "nfa", "referrals with no further action"),
        pct(
            "no_further_action_percent",
            "nfa_pct",
            label="referrals with no further action",
            numerator="no_further_action_count",
            denominator="referral_count",
            decimals=1,
        ),
        count("not_in_need_count", "not_in_need", "assessed as not in need"),
        pct(
            "not_in_need_percent",
            "not_in_need_pct",
            label="referrals assessed as not in need",
            numerator="not_in_need_count",
            denominator="referral_count",
            decimals=1,
        ),
        count("referral_child_count", "children", "children referred", optional=True),
        count(
            "rereferral_child_count", "children_rereferred", "children re-referred", optional=True
        ),
        pct(
            "rereferral_child_percent",
            "children_rereferral_pct",
            label="children re-referred within 12 months",
            numerator="rereferral_child_count",
            denominator="referral_child_count",
            polarity=LOW,
            decimals=1,
            optional=True,
        ),
    ),
    signature=("referral_count", "rereferral_percent"),
)

CIN_C3 = Family(
    name="cin_c3",
    source_id="ees_cin",
    prefix="cin_factors",
    topic="Children in need: factors at assessment",
    title="Factors identified at the end of assessment",
    description=(
        "Episodes with each factor identified at the end of a children's social care "
        "assessment (an episode can have several)."
    ),
    source_url=CIN_URL,
    filters=(),
    label_columns=("category",),
    measures=(count("Episodes_with_assessment_factor", "episodes", "episodes with a factor"),),
    signature=("Episodes_with_assessment_factor",),
    auto_counts=True,
)

CIN_D3 = Family(
    name="cin_d3",
    source_id="ees_cin",
    prefix="cpp",
    topic="Child protection",
    title="Child protection plans starting",
    description="Child protection plans starting in the year, and second or subsequent plans.",
    source_url=CIN_URL,
    filters=(),
    label_columns=("category",),
    measures=(
        count("CPP_start", "starting", "plans starting"),
        count("CPP_subsequent", "subsequent", "second or subsequent plans"),
        pct(
            "CPP_subsequent_percent",
            "subsequent_pct",
            label="second or subsequent plans",
            numerator="CPP_subsequent",
            denominator="CPP_start",
            polarity=LOW,
            decimals=1,
        ),
    ),
    signature=("CPP_start", "CPP_subsequent_percent"),
)

_DURATIONS = {
    "3_months_or_less": "3 months or less",
    "more_than_3_months_6_months": "3 to 6 months",
    "more_than_6_months_less_than_1_year": "6 months to 1 year",
    "1_year_less_than_2_years": "1 to 2 years",
    "2_years_or_more": "2 years or more",
}

CIN_D5 = Family(
    name="cin_d5",
    source_id="ees_cin",
    prefix="cpp_at_31_march",
    topic="Child protection",
    title="Child protection plans at 31 March",
    description="Children on child protection plans at 31 March, by how long the plan has lasted.",
    source_url=CIN_URL,
    filters=(),
    label_columns=("category",),
    measures=(
        count("CPP_At31", "count", "children on plans at 31 March"),
        *(
            m
            for column, name in _DURATIONS.items()
            for m in (
                count(column, f"{column}_count", f"plans lasting {name}"),
                pct(
                    f"{column}_percent",
                    f"{column}_pct",
                    label=f"plans lasting {name}",
                    numerator=column,
                    denominator="CPP_At31",
                    polarity=LOW if column == "2_years_or_more" else NONE,
                    decimals=1,
                ),
            )
        ),
    ),
    signature=("CPP_At31", "2_years_or_more_percent"),
)

WORKFORCE = Family(
    name="csww_indicators",
    source_id="ees_workforce",
    prefix="workforce",
    topic="Children's social work workforce",
    title="Children's social work workforce",
    description=(
        "Children and family social workers at 30 September: staff in post, starters, leavers, "
        "turnover, agency workers, vacancies, caseloads and sickness absence (full-time "
        "equivalents unless stated). Kingston/Richmond and North/West Northamptonshire submit "
        "joint returns, kept as joint areas."
    ),
    source_url=WORKFORCE_URL,
    filters=(),
    measures=(
        count("inpost_fte", "inpost_fte", "social workers in post (FTE)"),
        count("inpost_headcount", "inpost_headcount", "social workers in post (headcount)"),
        count("starters_fte", "starters_fte", "starters (FTE)"),
        count("leavers_fte", "leavers_fte", "leavers (FTE)"),
        pct(
            "turnover_rate_fte",
            "turnover_pct",
            label="turnover rate (FTE)",
            polarity=LOW,
            decimals=1,
        ),
        count("agency_fte", "agency_fte", "agency workers (FTE)"),
        pct(
            "agency_rate_fte",
            "agency_pct",
            label="agency worker rate (FTE)",
            polarity=LOW,
            decimals=1,
        ),
        pct(
            "agency_cover_rate_fte",
            "agency_cover_pct",
            label="vacancies covered by agency workers (FTE)",
            decimals=1,
            optional=True,
        ),
        count("vacancy_fte", "vacancy_fte", "vacancies (FTE)"),
        pct(
            "vacancy_rate_fte", "vacancy_pct", label="vacancy rate (FTE)", polarity=LOW, decimals=1
        ),
        count("cases", "cases", "cases held", optional=True),
        mean("caseload_fte", "caseload", "cases per social worker (FTE)", polarity=LOW),
        pct(
            "absence_rate_fte",
            "absence_pct",
            label="sickness absence rate (FTE)",
            polarity=LOW,
            decimals=1,
            optional=True,
        ),
    ),
    signature=("inpost_fte", "turnover_rate_fte", "vacancy_rate_fte"),
)

POPULATION = Family(
    name="ons_population",
    source_id="ons_population",
    prefix="ons_population",
    topic="Population",
    title="Children aged 0 to 17 (ONS mid-year estimate)",
    description=(
        "ONS mid-year population estimates of children aged 0-17. The estimate for mid-year Y "
        "is the denominator of rates for the year ending 31 March Y+1 (as DfE does)."
    ),
    source_url=POPULATION_URL,
    filters=("age_group",),
    measures=(count("population_estimate", "", "children"),),
    signature=("age_group", "population_estimate"),
    abbreviations={"Children aged 0 to 17 years": "0_17"},
)

FAMILIES: tuple[Family, ...] = (
    CLA_RATE,
    PLACEMENT_STABILITY,
    SCHOOL_MOVES,
    SOCIAL_WORKER_CHANGES,
    NEW_PLACEMENTS,
    HEALTH_CONVICTIONS,
    CARE_LEAVERS_ACTIVITY,
    CARE_LEAVERS_ACCOMMODATION,
    KS2,
    KS4,
    ABSENCE,
    CIN_B1,
    CIN_C1,
    CIN_C3,
    CIN_D3,
    CIN_D5,
    WORKFORCE,
    POPULATION,
)
