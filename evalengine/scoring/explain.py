"""The wording of scoring traces (the one-line Chinese explanation under every number).

The engine records *why* a score is what it is as a tuple: a function from this module and the
exact numbers it used. The sentence is written only when someone reads `IndicatorResult.trace`,
so a batch that is never rendered does not pay for wording, and the numbers stay the source of
truth. Every function takes the pack's decimal places first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evalengine.language.predicates import Quantity
from evalengine.numbers import HUNDRED, fixer, plain, round_to

Why = tuple[Any, ...]


def fx(value: Decimal, places: int) -> str:
    """A score fixed to `places` decimals: by numbers.fixer, made once for each places (a score or weight already
    at its places, nearly every one a sentence prints, is printed by str(), without a format specification)."""
    return fixer(places)(value)


def render(why: Why, places: int) -> str:
    """The sentence of a recorded `why`: its formatter applied to its numbers."""
    return str(why[0](places, *why[1:]))


def _quotient(places: int, bound: Quantity, num: Decimal, den: Decimal, w: Decimal, score: Decimal) -> str:
    """num÷den×w=score, the numbers in the unit the target was written in."""
    return f"{bound.number(num, places)}÷{bound.number(den, places)}×{fx(w, places)}={fx(score, places)}"


def met(places: int, head: str, bound: Quantity, a: Decimal, sym: str, label: str, t: Decimal, w: Decimal) -> str:
    """实际96% ≥ 目标95%，得满分12.50"""
    return f"{head}{bound.written(a, places)} {sym} {label}{bound.written(t, places)}，得满分{fx(w, places)}"


def met_zero_target(places: int, head: str, bound: Quantity, a: Decimal, label: str, w: Decimal) -> str:
    """实际0次，目标0次，得满分12.50"""
    return f"{head}{bound.written(a, places)}，{label}{bound.written(Decimal(0), places)}，得满分{fx(w, places)}"


def ratio(
    places: int,
    head: str,
    bound: Quantity,
    a: Decimal,
    rel: str,
    label: str,
    t: Decimal,
    num: Decimal,
    den: Decimal,
    w: Decimal,
    score: Decimal,
) -> str:
    """实际90% < 目标95%，90÷95×12.50=11.84"""
    quotient = _quotient(places, bound, num, den, w, score)
    return f"{head}{bound.written(a, places)} {rel} {label}{bound.written(t, places)}，{quotient}"


def linear(
    places: int, head: str, bound: Quantity, a: Decimal, label: str, t: Decimal, w: Decimal, score: Decimal
) -> str:
    """实际3% > 目标2%，(1−(3−2)÷2)×12.50=6.25"""
    sa, st = bound.number(a, places), bound.number(t, places)
    return (
        f"{head}{bound.written(a, places)} > {label}{bound.written(t, places)}，"
        f"(1−({sa}−{st})÷{st})×{fx(w, places)}={fx(score, places)}"
    )


def banded(
    places: int,
    head: str,
    bound: Quantity,
    a: Decimal,
    rel: str,
    label: str,
    t: Decimal,
    miss: Decimal,
    band: str,
    points: Decimal,
    w: Decimal,
    score: Decimal,
) -> str:
    """实际88% < 目标95%，偏离7.37%，落在(5%, 10%]档，80%×12.50=10.00"""
    if not miss:
        where = f"偏离为0，得满分{fx(w, places)}"
    elif band:
        where = f"落在{band}档，{plain(points * 100)}%×{fx(w, places)}={fx(score, places)}"
    else:
        where = "超出各档，计0分"
    off = plain(round_to(miss, places))
    return f"{head}{bound.written(a, places)} {rel} {label}{bound.written(t, places)}，偏离{off}%，{where}"


def zero(places: int, head: str, bound: Quantity, a: Decimal, rel: str, label: str, t: Decimal, reason: str) -> str:
    """实际90% < 目标95%，未达到，计0分"""
    return f"{head}{bound.written(a, places)} {rel} {label}{bound.written(t, places)}，{reason}，计0分"


def range_in(places: int, bound: Quantity, a: Decimal, text: str, w: Decimal) -> str:
    """实际95%在区间90%-100%内，得满分12.50"""
    return f"实际{bound.written(a, places)}在区间{text}内，得满分{fx(w, places)}"


def range_out(
    places: int,
    bound: Quantity,
    a: Decimal,
    side: str,
    text: str,
    num: Decimal,
    den: Decimal,
    w: Decimal,
    score: Decimal,
) -> str:
    """实际85%低于区间90%-100%，85÷90×12.50=11.81"""
    return f"实际{bound.written(a, places)}{side}区间{text}，{_quotient(places, bound, num, den, w, score)}"


def range_zero(places: int, bound: Quantity, a: Decimal, text: str) -> str:
    """实际85%不在区间90%-100%内，计0分"""
    return f"实际{bound.written(a, places)}不在区间{text}内，计0分"


def on_time(places: int, done: str, due: str, w: Decimal) -> str:
    """2024-12-20完成，不晚于2024-12-31，得满分12.50"""
    return f"{done}完成，不晚于{due}，得满分{fx(w, places)}"


def done(places: int, said: str, due: str, w: Decimal) -> str:
    """已完成（截止2024-12-31），按期完成，得满分12.50"""
    return f"{said}（截止{due}），按期完成，得满分{fx(w, places)}"


def attested(places: int, done: str, due: str, w: Decimal) -> str:
    """按时完成（期限2024-12-31），得满分12.50"""
    return f"{done}（期限{due}），得满分{fx(w, places)}"


def done_by_year_end(places: int, done: str, due: str, w: Decimal) -> str:
    """已完成，年末自评时已完成，不晚于2024-12-31，得满分12.50"""
    return f"{done}，年末自评时已完成，不晚于{due}，得满分{fx(w, places)}"


def graded(
    places: int, top: Quantity, a: Decimal, reached: str, lowest: str, share: Decimal, w: Decimal, score: Decimal
) -> str:
    """实际92%，达到良（≥90%），80%×12.50=10.00; below every grade: 实际70%，未达到最低档≥80%，计0分"""
    if not reached:
        return f"实际{top.written(a, places)}，未达到最低档{lowest}，计0分"
    return f"实际{top.written(a, places)}，达到{reached}，{plain(share * HUNDRED)}%×{fx(w, places)}={fx(score, places)}"


def tier_default(places: int, head: str, tier: str, share: Decimal, w: Decimal, score: Decimal) -> str:
    """评价为部分达成，按70%×12.50=8.75"""
    return f"{head}{tier}，默认{plain(share * HUNDRED)}%×{fx(w, places)}={fx(score, places)}"


def tier_given(places: int, head: str, tier: str, score: Decimal, band: str) -> str:
    """评价为部分达成，评分8.00（档内[7.50, 10.00)）"""
    return f"{head}{tier}，自评得分{fx(score, places)}（{tier}区间{band}）"


def sub_row(places: int, status: str) -> str:
    """其中项，不计分；判定为达成"""
    return f"其中项，不计分；判定为{status}"


def text(places: int, sentence: str) -> str:
    """A sentence as it is: 不适用, 缺少实际完成值."""
    return sentence


def execution(
    places: int,
    spent: Decimal,
    budget: Decimal,
    pct: Decimal,
    cap: Decimal | None,
    counted: Decimal,
    weight: Decimal,
    score: Decimal,
) -> str:
    """执行率4.85÷5=97.00%，97%×10=9.70"""
    capped = f"，按{plain(cap)}%计" if cap is not None else ""
    rate = f"执行率{plain(spent)}÷{plain(budget)}={fx(pct, places)}%{capped}"
    return f"{rate}，{plain(counted)}%×{plain(weight)}={fx(score, places)}"


def printed_rate(places: int, pct: Decimal, counted: Decimal, weight: Decimal, score: Decimal) -> str:
    """执行率76.00%（表中所填），76%×20=15.20"""
    return f"执行率{fx(pct, places)}%（表中所填），{plain(counted)}%×{plain(weight)}={fx(score, places)}"


def over(places: int, inner: Why, limit: str) -> str:
    """The inner trace, then the over-achievement note."""
    return f"{render(inner, places)}；实际值达到目标的{limit}%以上"


def deduct(places: int, inner: Why, limit: str, before: Decimal, cut: Decimal, after: Decimal) -> str:
    """The inner trace, then the deduction for over-achievement."""
    points = plain(cut)
    return f"{render(inner, places)}；超过目标{limit}%，扣{points}分：{fx(before, places)}−{points}={fx(after, places)}"
