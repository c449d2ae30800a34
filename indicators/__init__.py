"""The analytical engine: pure functions over the store's frames.

Every function takes tidy frames in ``data.schema`` column names (or plain numbers) and returns
a new frame or a frozen dataclass; nothing here reads files, logs data or keeps state. The
methods, their LAIT defaults and the options are described in ``docs/methods.md``.
"""

from indicators.bands import QuartileBands, quartile_bands
from indicators.benchmark import NOT_COMPARED, benchmark_label, compare_to_benchmark
from indicators.comparators import Comparator, england_value, region_value
from indicators.correlation import Correlation, correlate_indicators
from indicators.derived import ATTAINMENT_GAP_PAIRS, GapPair, derive_indicators
from indicators.eligibility import ABSENT_STATUS, current_las, eligible_values
from indicators.funnel import Funnel, funnel_plot
from indicators.funnel_limits import funnel_limits
from indicators.gap_trend import gap_trend
from indicators.group_performance import GroupPerformance, group_performance
from indicators.improvement import N_DRAWS, LevelVsImprovement, LineFit, level_vs_improvement
from indicators.need_model import MIN_LAS, NeedModel, check_need_predictors, expected_given_need
from indicators.neighbour_averages import neighbour_averages
from indicators.neighbours import (
    MAX_CUSTOM_GROUP,
    MIN_WITH_DATA,
    NeighbourComparison,
    NeighbourStatistic,
    compare_to_neighbours,
    neighbour_group,
)
from indicators.noise_null import NoiseNull
from indicators.peer_trajectories import (
    PeerAnchor,
    PeerBand,
    PeerTrajectories,
    peer_trajectories,
)
from indicators.provision import PROVISION_PARTS, provision_shares
from indicators.rank_uncertainty import RankIntervals, rank_intervals
from indicators.rankings import BestWorst, best_worst, describe_rank, rank_areas
from indicators.rounding import round_half_up
from indicators.standardised_difference import (
    MIN_NEIGHBOURS,
    NeighbourDifference,
    StandardisedDifference,
    difference_from_neighbours,
    standardised_difference,
)
from indicators.trends import change_per_year, direction_label
from indicators.uncertainty import (
    BYAR_MIN_COUNT,
    Interval,
    confidence_intervals,
    rate_interval,
    wilson_interval,
)
from indicators.unusual import SIMILAR_WITHIN, UNUSUAL_FROM, direction_from_z, most_unusual
from indicators.value import SpendVsOutcome, spend_per_child, spend_vs_outcome
from indicators.variance_share import N_BOOTSTRAP, VarianceShare, variance_within_groups
from indicators.variation import Spread, spread, spread_within_groups
from indicators.variation_trend import RATIO_SCALE_TYPES, VariationTrend, variation_trend

__all__ = [
    "ABSENT_STATUS",
    "ATTAINMENT_GAP_PAIRS",
    "BYAR_MIN_COUNT",
    "MAX_CUSTOM_GROUP",
    "MIN_LAS",
    "MIN_NEIGHBOURS",
    "MIN_WITH_DATA",
    "NOT_COMPARED",
    "N_BOOTSTRAP",
    "N_DRAWS",
    "PROVISION_PARTS",
    "RATIO_SCALE_TYPES",
    "SIMILAR_WITHIN",
    "UNUSUAL_FROM",
    "BestWorst",
    "Comparator",
    "Correlation",
    "Funnel",
    "GapPair",
    "GroupPerformance",
    "Interval",
    "LevelVsImprovement",
    "LineFit",
    "NeedModel",
    "NeighbourComparison",
    "NeighbourDifference",
    "NeighbourStatistic",
    "NoiseNull",
    "PeerAnchor",
    "PeerBand",
    "PeerTrajectories",
    "QuartileBands",
    "RankIntervals",
    "SpendVsOutcome",
    "Spread",
    "StandardisedDifference",
    "VarianceShare",
    "VariationTrend",
    "benchmark_label",
    "best_worst",
    "change_per_year",
    "check_need_predictors",
    "compare_to_benchmark",
    "compare_to_neighbours",
    "confidence_intervals",
    "correlate_indicators",
    "current_las",
    "derive_indicators",
    "describe_rank",
    "difference_from_neighbours",
    "direction_from_z",
    "direction_label",
    "eligible_values",
    "england_value",
    "expected_given_need",
    "funnel_limits",
    "funnel_plot",
    "gap_trend",
    "group_performance",
    "level_vs_improvement",
    "most_unusual",
    "neighbour_averages",
    "neighbour_group",
    "peer_trajectories",
    "provision_shares",
    "quartile_bands",
    "rank_areas",
    "rank_intervals",
    "rate_interval",
    "region_value",
    "round_half_up",
    "spend_per_child",
    "spend_vs_outcome",
    "spread",
    "spread_within_groups",
    "standardised_difference",
    "variance_within_groups",
    "variation_trend",
    "wilson_interval",
]
