"""Weights (分值): each indicator's share of its level-1 weight, as the table gives it or the pack shares it."""

from __future__ import annotations

from decimal import Decimal

from evalengine.errors import ScoringError
from evalengine.model import Project
from evalengine.numbers import ZERO, plain, round_to
from evalengine.packs.model import Pack
from evalengine.text import nfkc


def allocate_weights(project: Project, pack: Pack, skip: frozenset[int] = frozenset()) -> list[Decimal | None]:
    """Each indicator's weight: explicit ones as given, else the level-1 weight shared out.

    Indicators whose index is in `skip` (not applicable, with `not_applicable: redistribute`) get None
    and their level's weight goes to the rest.
    """
    groups: dict[str, list[int]] = {}
    for i, ind in enumerate(project.indicators):
        level1 = nfkc(ind.level1)
        if pack.weights.level1_weight(level1) is None:
            names = ", ".join(n for n, _ in pack.weights.level1)
            raise ScoringError(
                f"indicator {ind.name!r} is under level 1 {ind.level1!r}, which pack {pack.name} does not weight",
                hint=f"the pack weights: {names}",
            )
        groups.setdefault(level1, []).append(i)
    weights: list[Decimal | None] = [None] * len(project.indicators)
    for level1, members in groups.items():
        total = pack.weights.level1_weight(level1)
        assert total is not None
        live = [i for i in members if i not in skip] or members
        explicit = [project.indicators[i].weight for i in members]
        if any(w is not None for w in explicit):
            if any(w is None for w in explicit):
                raise ScoringError(f"some indicators under {level1} have a weight and some do not; give all or none")
            given = sum((w for w in explicit if w is not None), ZERO)
            if given != total:
                raise ScoringError(f"the weights given under {level1} sum to {plain(given)}, not {plain(total)}")
            if len(live) == len(members):
                for i in members:
                    weights[i] = project.indicators[i].weight
                continue
            live_total = sum(project.indicators[i].weight or ZERO for i in live)
            shares = [(project.indicators[i].weight or ZERO) * total / live_total for i in live]
        elif pack.weights.share == "by_level2":
            by_level2: dict[str, list[int]] = {}
            for i in live:
                by_level2.setdefault(nfkc(project.indicators[i].level2), []).append(i)
            group_shares = _split(total, len(by_level2), pack)
            shares_by_index: dict[int, Decimal] = {}
            for share, ids in zip(group_shares, by_level2.values(), strict=True):
                for i, w in zip(ids, _split(share, len(ids), pack), strict=True):
                    shares_by_index[i] = w
            shares = [shares_by_index[i] for i in live]
        else:
            shares = _split(total, len(live), pack)
        rounded = [round_to(s, pack.rounding.places, pack.rounding.mode) for s in shares]
        rounded[-1] += total - sum(rounded)  # the last indicator takes the rounding remainder
        for i, w in zip(live, rounded, strict=True):
            weights[i] = w
    return weights


def _split(total: Decimal, n: int, pack: Pack) -> list[Decimal]:
    if n == 0:
        return []
    part = round_to(total / n, pack.rounding.places, pack.rounding.mode)
    return [part] * (n - 1) + [total - part * (n - 1)]
