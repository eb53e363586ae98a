"""The parameters of the stability metrics, with their documented defaults."""

from __future__ import annotations

from dataclasses import dataclass

from diary.domain.errors import ValidationError


@dataclass(frozen=True)
class StabilityParams:
    """Window lengths are in calendar days; levels are in burden points (0-100 scale).

    A figure that needs more logged days than its window holds is None ("not enough data").
    """

    # The 7-day rolling burden: the mean of the logged days of the last 7 days, itself included.
    rolling_days: int = 7
    min_logged_in_rolling: int = 4
    # The baseline: the median of the logged days of the 28 days just before the rolling window.
    baseline_days: int = 28
    min_logged_in_baseline: int = 14
    # "Within the usual range": the rolling burden is at most this far from the baseline, or
    # the baseline days' spread (a standard deviation robust to a few extreme days) if wider.
    stable_band_points: float = 5.0
    # "Not trending up": the least-squares slope of the rolling burden over the last
    # ``trend_days`` days is at most ``trend_max_points_per_day``.
    trend_days: int = 7
    trend_max_points_per_day: float = 1.0
    min_rolling_for_trend: int = 3
    # Windows and waves: at least ``wave_min_days`` logged days in a row at least
    # ``wave_threshold_points`` below (window) or above (wave) the baseline. Up to
    # ``max_unlogged_in_run`` unlogged days in a row inside a run do not end it.
    wave_threshold_points: float = 10.0
    wave_min_days: int = 3
    max_unlogged_in_run: int = 2
    # Cut responses: the mean of the 14 days before a change against the 14 days from it.
    response_window_days: int = 14
    min_logged_in_response: int = 7
    # The peak after a change is looked for in this many days from it (and before the next).
    peak_search_days: int = 28

    def __post_init__(self) -> None:
        for name in (
            "rolling_days",
            "min_logged_in_rolling",
            "baseline_days",
            "min_logged_in_baseline",
            "trend_days",
            "min_rolling_for_trend",
            "wave_min_days",
            "response_window_days",
            "min_logged_in_response",
            "peak_search_days",
        ):
            if getattr(self, name) < 1:
                raise ValidationError(f"The setting {name} must be at least 1.", field=name)
        if self.max_unlogged_in_run < 0:
            raise ValidationError(
                "The setting max_unlogged_in_run cannot be negative.", field="max_unlogged_in_run"
            )
        for name in ("stable_band_points", "trend_max_points_per_day", "wave_threshold_points"):
            if not getattr(self, name) >= 0:
                raise ValidationError(f"The setting {name} cannot be negative.", field=name)
        pairs = (
            ("min_logged_in_rolling", "rolling_days"),
            ("min_logged_in_baseline", "baseline_days"),
            ("min_logged_in_response", "response_window_days"),
            ("min_rolling_for_trend", "trend_days"),
        )
        for least, window in pairs:
            if getattr(self, least) > getattr(self, window):
                raise ValidationError(
                    f"The setting {least} cannot be more than {window}.", field=least
                )
