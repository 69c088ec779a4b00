"""Numbers for the CSS/SVG bar charts: each bar's share of the largest, as a whole percentage."""


def with_shares(rows: list, value: str) -> list:
    """Sets `row.share` (0-100) on each row from attribute or key `value`."""
    numbers = [_get(row, value) or 0 for row in rows]
    top = max(numbers, default=0) or 1
    for row, number in zip(rows, numbers, strict=True):
        share = round(number * 100 / top)
        if isinstance(row, dict):
            row["share"] = share
        else:
            row.share = share
    return rows


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)
