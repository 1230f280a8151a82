"""Weights (分值): each indicator's share of its level-1 weight, as the table gives it or the pack shares it."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from evalengine.errors import ScoringError
from evalengine.i18n import _
from evalengine.model import Finding, Project
from evalengine.numbers import ONE, ZERO, plain, round_to
from evalengine.packs.model import Pack
from evalengine.text import nfkc


class Allocation(NamedTuple):
    """A project's weights: each row's, each block's, the execution's, and what the table adds up to."""

    weights: list[Decimal | None]  # per indicator; 0 for a 其中 row, None for one redistributed away
    blocks: tuple[tuple[str, Decimal], ...]  # each block the project has (NFKC name) and its weight
    execution: Decimal  # the 资金 row's 分值
    declared: Decimal  # what the weights add up to (100 when the pack's split stands alone)
    findings: tuple[Finding, ...]  # where the table's printed points disagree with its rows
    table: bool  # the table gives weights of its own: its blocks are the whole, the pack's absent ones do not count
    levels: tuple[str, ...] = ()  # each indicator's block (NFKC level 1), in order: the engine sums scores by them


def allocate_weights(project: Project, pack: Pack, skip: frozenset[int] = frozenset()) -> list[Decimal | None]:
    """Each indicator's weight (see `allocate`)."""
    return allocate(project, pack, skip).weights


def allocate(project: Project, pack: Pack, skip: frozenset[int] = frozenset()) -> Allocation:
    """Each indicator's weight: the table's own where it prints them, else the block's weight shared out.

    A block weighs what the table says (its label's points or the project's `weights:`), else what its
    rows' weights sum to, else the pack's split; a block the pack does not name needs the table's.
    Rows printed with weights are authoritative; a label that disagrees is a `weights-mismatch` finding.
    Indicators whose index is in `skip` (not applicable, with `not_applicable: redistribute`) get None
    and their block's weight goes to the rest. 其中 rows weigh 0.
    """
    labelled = dict(project.weights.level1)
    groups: dict[str, list[int]] = {}
    for i, ind in enumerate(project.indicators):
        groups.setdefault(nfkc(ind.level1), [])
        if ind.scored:
            groups[nfkc(ind.level1)].append(i)
    findings: list[Finding] = []
    weights: list[Decimal | None] = [ZERO if not ind.scored else None for ind in project.indicators]
    blocks: list[tuple[str, Decimal]] = []
    for level1, members in groups.items():
        explicit = _explicit(project, pack, level1, members, labelled.get(level1), findings)
        total = _block_weight(project, pack, level1, members, explicit, labelled.get(level1))
        blocks.append((level1, total))
        if not members:
            continue
        live = [i for i in members if i not in skip] or members
        if any(w is not None for w in explicit.values()):
            if any(w is None for w in explicit.values()):
                raise ScoringError(
                    _("some indicators under {level1} have a weight and some do not; give all or none", level1=level1)
                )
            if len(live) == len(members):
                for i in members:
                    weights[i] = explicit[i]
                continue
            live_total = sum(explicit[i] or ZERO for i in live)
            if live_total == 0:
                raise ScoringError(
                    _(
                        "the applicable indicators under {level1} all weigh 0: there is nothing to redistribute"
                        " the not-applicable ones' weight over",
                        level1=level1,
                    ),
                    hint=_("give them weights, or use not_applicable: rescale"),
                )
            shares = [(explicit[i] or ZERO) * total / live_total for i in live]
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
    execution = pack.weights.execution if project.weights.execution is None else project.weights.execution
    table = bool(project.weights) or any(ind.weight is not None for ind in project.indicators)
    present = {name for name, _ in blocks}
    absent = ZERO if table else sum((w for name, w in pack.weights.level1 if name not in present), ZERO)
    declared = execution + sum((w for _, w in blocks), ZERO) + absent
    ordered = [b for name, _ in pack.weights.level1 for b in blocks if b[0] == name]
    ordered += [b for b in blocks if pack.weights.level1_weight(b[0]) is None]
    levels = tuple(nfkc(ind.level1) for ind in project.indicators)
    return Allocation(weights, tuple(ordered), execution, declared, tuple(findings), table, levels)


def _explicit(
    project: Project,
    pack: Pack,
    level1: str,
    members: list[int],
    labelled: Decimal | None,
    findings: list[Finding],
) -> dict[int, Decimal | None]:
    """The rows' weights as the table gives them: their own, or their level 2's printed points shared out."""
    out: dict[int, Decimal | None] = {i: project.indicators[i].weight for i in members}
    if any(w is not None for w in out.values()):
        given = sum((w for w in out.values() if w is not None), ZERO)
        if labelled is not None and all(w is not None for w in out.values()) and given != labelled:
            message = _(
                "{level1} is labelled {labelled} points, but its indicators' weights sum to {given}; the indicators'"
                " weights are used",
                level1=level1,
                labelled=plain(labelled),
                given=plain(given),
            )
            findings.append(Finding("error", "weights-mismatch", None, message))
        return out
    points = {(l2, w) for l1, l2, w in project.weights.level2 if nfkc(l1) == level1}
    if not points:
        return out
    printed = {nfkc(l2): w for l2, w in points}
    by_level2: dict[str, list[int]] = {}
    for i in members:
        by_level2.setdefault(nfkc(project.indicators[i].level2), []).append(i)
    unprinted = [name for name in by_level2 if name not in printed]
    given = sum((printed[name] for name in by_level2 if name in printed), ZERO)
    total = labelled if labelled is not None else pack.weights.level1_weight(level1)
    if not unprinted:
        if labelled is not None and given != labelled:
            message = _(
                "{level1} is labelled {labelled} points, but its level 2s' points sum to {given}; the level 2s'"
                " points are used",
                level1=level1,
                labelled=plain(labelled),
                given=plain(given),
            )
            findings.append(Finding("error", "weights-mismatch", None, message))
        shares = {name: printed[name] for name in by_level2}
    else:
        if total is None:
            return out  # the block itself is unweighted: _block_weight says so
        rest = total - given
        if rest < 0:
            message = _(
                "{level1} has {total} points, but its printed level 2s already take {given}; the other level 2s get 0",
                level1=level1,
                total=plain(total),
                given=plain(given),
            )
            findings.append(Finding("error", "weights-mismatch", None, message))
            rest = ZERO
        spread = _split(rest, len(unprinted), pack)
        shares = {name: printed.get(name, ZERO) for name in by_level2} | dict(zip(unprinted, spread, strict=True))
    for name, ids in by_level2.items():
        for i, w in zip(ids, _split(shares[name], len(ids), pack), strict=True):
            out[i] = w
    return out


def _block_weight(
    project: Project,
    pack: Pack,
    level1: str,
    members: list[int],
    explicit: dict[int, Decimal | None],
    labelled: Decimal | None,
) -> Decimal:
    if members and all(w is not None for w in explicit.values()):
        return sum((w for w in explicit.values() if w is not None), ZERO)  # the rows' own weights rule
    if labelled is not None:
        return labelled
    weight = pack.weights.level1_weight(level1)
    if weight is None:
        names = ", ".join(n for n, _ in pack.weights.level1)
        ind = (
            project.indicators[members[0]]
            if members
            else next(x for x in project.indicators if nfkc(x.level1) == level1)
        )
        raise ScoringError(
            _(
                "indicator {name!r} is under level 1 {level1!r}, which pack {pack} does not weight",
                name=ind.name,
                level1=ind.level1,
                pack=pack.name,
            ),
            hint=_(
                "the pack weights: {names}; or give the block's points, as the table prints them: {example}",
                names=names,
                example=f"{level1}(20分)",
            ),
        )
    return weight


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
