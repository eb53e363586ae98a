"""Stability metrics: symptom burden over time, "stable" days, windows and waves, how each
regimen change was followed, and per-symptom trends.

Pure functions over the diary's records; ``docs/stability.md`` explains every figure. A day
that was not logged is missing data, never a day with no symptoms. The figures describe the
record; they are not a diagnosis and never advise a dose change.
"""
