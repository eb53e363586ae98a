"""The default symptom catalogue: our own wording, each rated 0-4 once a day.

All are tracked by default, in this order; users switch off what does not apply and add
their own.
"""

from __future__ import annotations

DEFAULT_SYMPTOMS: tuple[str, ...] = (
    "Anxiety or nervousness",
    "Irritability",
    "Insomnia",
    "Fatigue",
    "Muscle tension or aches",
    "Tremor or shaking",
    "Racing heart",
    "Head pressure or headache",
    "Dizziness",
    "Poor concentration",
    "Memory problems",
    "Feeling unreal (depersonalisation/derealisation)",
    "Light sensitivity",
    "Sound sensitivity",
    "Tinnitus",
    "Pins and needles or burning skin",
    "Stomach or gut problems",
    "Loss of appetite",
    "Low mood",
    "Fear or intrusive thoughts",
    "Sweating",
    "Blurred vision",
    "Muscle twitches",
    "Inner restlessness",
)
