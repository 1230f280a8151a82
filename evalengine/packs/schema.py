"""The keys a rule pack may have, and the closed menus of their values."""

from __future__ import annotations

from typing import Any

from evalengine.language.vocabulary import TIERS
from evalengine.numbers import ROUNDING_MODES

FORWARD_METHODS = ("ratio", "binary", "bands")


REVERSE_METHODS = ("ratio", "linear", "binary", "bands")


EQUALITY_METHODS = ("forward", "binary")


RANGE_METHODS = ("ratio", "binary")


OVER_ACTIONS = ("flag", "explain", "deduct")


NA_MODES = ("rescale", "redistribute")


SHARES = ("equal", "by_level2")


DENOMINATORS = ("budget", "initial_budget", "adjusted_budget")


# The keys a pack may have; a nested dict is a section, a string names the kind of value.
SCHEMA: dict[str, Any] = {
    "title": "text",
    "source": "text",
    "extends": "text",
    "weights": {"execution": "number", "level1": "weights", "share": SHARES},
    "methods": {
        "forward": FORWARD_METHODS,
        "reverse": REVERSE_METHODS,
        "equality": EQUALITY_METHODS,
        "range": RANGE_METHODS,
        "bands": "bands",
        "deadline": {"late": TIERS, "missed": TIERS},
        "trend": {"equal": TIERS, "stable": {"达成": "percent", "部分达成": "percent"}},
    },
    "tiers": "tiers",
    "over_achievement": {"threshold": "percent?", "action": OVER_ACTIONS, "deduct": "number"},
    "not_applicable": NA_MODES,
    "execution": {"denominator": DENOMINATORS, "cap": "percent", "explain_below": "percent?"},
    "caps": "caps",
    "grades": "grades",
    "rounding": {"places": "places", "mode": tuple(ROUNDING_MODES)},
    "satisfaction": {"satisfied": "words"},
    "vocabulary": "vocabulary",
    "monitoring": {
        "checkpoint": ("last", "interpolate"),
        "lights": {"red": "percent", "yellow": "percent", "blue": "percent"},
        "cumulative": "words",
    },
    "examples": "examples",
}
