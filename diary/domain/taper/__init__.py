"""Taper maths: liquids, measurable amounts, plans, crossovers and the regimen timeline.

Pure standard library; no I/O. Figures are facts about the record, never advice.
"""
