"""Weights (分值): each indicator's share of its level-1 weight, as the table gives it or the pack shares it."""

from __future__ import annotations

from decimal import Decimal

from evalengine.errors import ScoringError
from evalengine.model import Project
from evalengine.numbers import ONE, ZERO, plain, round_to
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
            if live_total == 0:
                raise ScoringError(
                    f"the applicable indicators under {level1} all weigh 0: there is nothing to redistribute"
                    " the not-applicable ones' weight over",
                    hint="give them weights, or use not_applicable: rescale",
                )
            shares = [(project.indicators[i].weight or ZERO) * total / live_total for i in live]
            shares = _apportion(shares, total, pack)
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
        for i, w in zip(live, shares, strict=True):
            weights[i] = w
    return weights


def _split(total: Decimal, n: int, pack: Pack) -> list[Decimal]:
    """`total` shared equally by n, at the pack's places: 50 / 3 → 16.67, 16.67, 16.66."""
    return _apportion([total / n] * n, total, pack) if n else []


def _apportion(shares: list[Decimal], total: Decimal, pack: Pack) -> list[Decimal]:
    """Exact `shares` of `total`, rounded to the pack's places so that they still sum to `total` exactly.

    Each share is rounded as the pack rounds; the units (0.01 at 2 places) the rounded shares are short
    of `total`, or over it, then go one at a time to the shares rounding moved furthest the other way
    (ties: earlier rows gain first, later rows give first). So no weight ends more than one unit from
    its exact share, and none falls below 0: handing the whole difference to the last share, as the
    engine used to, gave 16.67 × 3 and −0.01 to a row weighted 0, and at 0 places 1 × 11 and −1 to
    the twelfth of twelve rows sharing 10. A `total` with more places than the pack keeps its extra
    fraction on the largest share.
    """
    unit = ONE.scaleb(-pack.rounding.places)
    rounded = [round_to(s, pack.rounding.places, pack.rounding.mode) for s in shares]
    diff = total - sum(rounded, ZERO)
    steps = int(diff / unit)  # whole units, toward zero; what is left is below one unit
    if steps > 0:
        order = sorted(range(len(shares)), key=lambda k: (rounded[k] - shares[k], k))
    else:
        order = sorted(range(len(shares)), key=lambda k: (shares[k] - rounded[k], -k))
    for k in order[: abs(steps)]:
        rounded[k] += unit if steps > 0 else -unit
    rest = total - sum(rounded, ZERO)
    if rest and rounded:
        largest = max(range(len(rounded)), key=lambda k: (rounded[k], -k))
        rounded[largest] += rest
    return rounded
