"""Cells of the CSV files people open in a spreadsheet."""

# A spreadsheet runs a cell that starts with one of these as a formula: exported text cells that
# do (or that start with the apostrophe itself) get an apostrophe in front, which an import takes
# off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def safe_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
