"""What one input may make evalengine do: every cap in one place, each named in the message that enforces it.

The caps are far above any real 绩效目标表 or 自评表 (a department has tens of projects, a project tens of
indicators) and low enough that any input finishes or fails within seconds.
"""

from __future__ import annotations

from decimal import Decimal

MIB = 1 << 20


MAX_TEXT_BYTES = 64 * MIB  # a YAML, JSON or text file read whole (10,000 projects of JSON take ~20 MiB)


MAX_PACK_BYTES = 1 * MIB  # a rule pack or vocabulary; the built-in packs are a few KiB


MAX_WORKBOOK_BYTES = 32 * MIB  # an .xlsx file as stored (zip-compressed)


MAX_WORKBOOK_UNPACKED = 64 * MIB  # the parts of an .xlsx once unzipped: a zip bomb stops here


MAX_ERRORS = 100  # errors reported from one file; past them the file is not read further


MAX_DEPTH = 32  # nesting of mappings and lists in one file; the deepest real file nests 6


MAX_EXTENDS = 16  # packs in one extends: chain; the built-in ones are at most 2 deep


MAX_PROJECTS = 10_000  # projects in one targets, actuals or workbook file


MAX_INDICATORS = 500  # indicators of one project


MAX_SHEET_ROWS = 5_000  # rows read from one worksheet (a 自评表 sheet has 5 + one per indicator)


MAX_SHEET_COLUMNS = 64  # columns read from one worksheet (A to BL); the 自评表 uses 7


MAX_SHEETS = MAX_PROJECTS  # a workbook holds one project a sheet


# Numbers: the arithmetic carries 28 significant digits, so a number read must fit well inside it.
MAX_NUMBER_CHARACTERS = 64  # a number as written, before its digits are counted


MAX_SIGNIFICANT_DIGITS = 18  # digits of one number as written (more would be rounded away silently)


MAX_NUMBER = Decimal(10) ** 15  # any quantity: counts, people, 元; exclusive


MAX_QUANTITY = Decimal(10) ** 20  # a quantity once its magnitude and unit apply (9亿亿 would be 9×10^16)


MAX_AMOUNT = Decimal(10) ** 9  # money in 万元 (a budget, spent, an amount): 10 万亿元; exclusive


MAX_POINTS = Decimal(100)  # a weight, a deduction or a cap, in points of a total of 100; inclusive


MAX_SCALE = 12  # decimal places a number may have (0.000000000001); the reports round to 0-6
