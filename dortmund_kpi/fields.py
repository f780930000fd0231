"""An indicator's fields, declared once (the PUDL way: metadata as data).

Each ``Field`` names its YAML key, its column of the ``indicators`` table, its type,
whether it is required, and its English description. The declaration drives the check
of the YAML (``catalog.parse_catalog``), the insert into the database
(``INDICATOR_COLUMNS``, ``catalog.stored_values``) and the field table in
``data/README.md`` (``field_table``; ``python -m dortmund_kpi.fields`` prints it).
A new field needs an entry here, an attribute of ``catalog.Indicator`` and a migration
that adds its column; tests check that the three agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DIRECTIONS = ("higher", "lower")
AGGREGATIONS = ("sum", "mean_pop", "none")
LEVELS = ("city", "district")
FREQUENCIES = ("yearly", "quarterly", "monthly")
VISIBILITIES = ("oeffentlich", "intern")
# How an indicator's value is compared with other municipalities (peers).
PEER_MODES = ("none", "as_is", "per_1000", "per_km2")
SQL_TYPES: dict[type, str] = {str: "VARCHAR", bool: "BOOLEAN", int: "INTEGER", float: "DOUBLE"}


@dataclass(frozen=True)
class Field:
    """One field of an indicator, declared once.

    ``name``: the attribute of ``Indicator`` (``target.value`` is ``Indicator.target.value``).
    ``yaml_key``: the key in catalog.yaml (``target.value`` is ``value`` in the ``target:``
    block). ``column``: the column of the ``indicators`` table (None: not stored).
    ``type``: str, bool, int or float. A required field must be present and not empty (in
    a block: when the block is given); an absent optional one takes ``default``.
    ``description_en``: its row in data/README.md (``{choices}`` lists ``choices``).
    """

    name: str
    yaml_key: str
    column: str | None
    type: type
    required: bool
    description_en: str
    choices: tuple[str, ...] = ()
    default: Any = None

    @property
    def block(self) -> str | None:
        """The YAML block of a nested key (``target`` for ``target.value``), else None."""
        return self.yaml_key.split(".", 1)[0] if "." in self.yaml_key else None

    @property
    def key(self) -> str:
        """The key inside its block (the whole key for a top-level field)."""
        return self.yaml_key.rsplit(".", 1)[-1]

    @property
    def sql_type(self) -> str:
        """The DuckDB type of its column."""
        return SQL_TYPES[self.type]


def _field(
    yaml_key: str,
    type_: type,
    required: bool,
    description_en: str,
    *,
    name: str | None = None,
    column: str | None = "",
    choices: tuple[str, ...] = (),
    default: Any = None,
) -> Field:
    """A ``Field`` whose name is its YAML key and whose column is the key with ``_`` for
    ``.``, unless given (``column=None``: not stored)."""
    column = yaml_key.replace(".", "_") if column == "" else column
    name = name or yaml_key
    return Field(name, yaml_key, column, type_, required, description_en, choices, default)


FIELDS: tuple[Field, ...] = (
    _field(
        "id",
        str,
        True,
        "stable slug, `[a-z0-9_]+`, unique. Used in imports and URLs – **never change it** "
        "once data exists; create a new id instead",
    ),
    _field("masterplan", str, True, "the `id` of one of the `masterplans` above"),
    _field("name", str, True, "full German name"),
    _field("short_name", str, True, "German tile title, **at most 24 characters**"),
    _field(
        "unit",
        str,
        True,
        "German display unit, e.g. `%`, `Anzahl`, `Leistungen`, `Anträge`, `Mio. €`, "
        "`Geräte`, `Beschäftigte`, `Unternehmen`, `Hotspots`, `Datensätze`, "
        "`Schüler je Gerät`, `Punkte`, `Rang`",
    ),
    _field(
        "definition",
        str,
        True,
        "German, 1–3 sentences: exactly what is counted or measured and the reference date "
        '(e.g. "Stand 31.12.")',
    ),
    _field("source", str, True, "German: the body that publishes / delivers the figure"),
    _field(
        "source_url",
        str,
        False,
        "`https` address of a real page about the figure; omit if none is known",
    ),
    _field(
        "direction",
        str,
        True,
        "{choices} – which is better (e.g. `lower` for a rank or pupils per device)",
        choices=DIRECTIONS,
    ),
    _field(
        "aggregation",
        str,
        True,
        "how district values make the city value: `sum` (counts), `mean_pop` "
        "(population-weighted mean of district values, for shares and ratios), `none` "
        "(city-level indicators)",
        choices=AGGREGATIONS,
    ),
    _field(
        "level",
        str,
        True,
        "`city` (city-wide only) or `district` (city and the 12 Stadtbezirke). In this "
        "catalog `level: city` always goes with `aggregation: none`",
        choices=LEVELS,
    ),
    _field(
        "per_capita",
        bool,
        False,
        '`true` if "per 1,000 inhabitants" is meaningful (only for district counts with '
        "`aggregation: sum`)",
        default=False,
    ),
    _field(
        "visibility",
        str,
        False,
        "{choices} – `oeffentlich` is shown in public mode (`serve --oeffentlich`), `intern` "
        "only to the administration; absent means `intern` (nothing is published by omission)",
        choices=VISIBILITIES,
        default="intern",
    ),
    _field(
        "peers",
        str,
        False,
        "{choices} – whether values of other municipalities are comparable and how: "
        "`as_is` (shares, rates, ranks), `per_1000` (an absolute count per 1,000 "
        "inhabitants), `per_km2` (an absolute count per km²), `none` (not comparable)",
        choices=PEER_MODES,
        default="none",
    ),
    _field("frequency", str, True, "{choices} – the reporting rhythm", choices=FREQUENCIES),
    _field("decimals", int, False, "decimals shown in the dashboard", default=0),
    _field(
        "min",
        float,
        False,
        "lower plausibility bound, checked on import. For unit `%` always 0 (the default)",
        column="min_value",
    ),
    _field(
        "max",
        float,
        False,
        "upper plausibility bound, checked on import. For unit `%` always 100 (the default)",
        column="max_value",
    ),
    _field("target.value", float, True, "the target value (the whole `target:` is optional)"),
    _field("target.year", int, True, "the year (2000–2100) by whose end it is to be reached"),
    _field(
        "target.official",
        bool,
        False,
        "`true` **only** for a target the city has actually published, with that source",
        default=False,
    ),
    _field(
        "target.source",
        str,
        False,
        "the citation (required for an official target), or "
        "`Demo-Zielwert (kein beschlossener Zielwert)`",
        default="",
    ),
    _field(
        "demo.start",
        float,
        False,
        "plausible city value 2018 for the deterministic demo series (for `mean_pop` "
        "indicators a city mean); keep it consistent with the real figures of the indicator",
        name="demo_start",
        column=None,
    ),
    _field(
        "demo.end",
        float,
        False,
        "plausible city value 2025 for the deterministic demo series (as `demo.start`)",
        name="demo_end",
        column=None,
    ),
)
# The columns the catalog fills, in declaration order (the table also has sort_order).
INDICATOR_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.column)


# -- the field table of data/README.md ----------------------------------------------
def _yaml_literal(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _required_text(field: Field) -> str:
    if field.required:
        return f"yes, if `{field.block}` is given" if field.block else "yes"
    if field.default is not None and field.default != "":
        return f"no (default `{_yaml_literal(field.default)}`)"
    return "no"


def _choices_text(choices: tuple[str, ...]) -> str:
    quoted = [f"`{c}`" for c in choices]
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)


def field_table() -> str:
    """The Markdown table of the indicator fields in data/README.md, from ``FIELDS``."""
    lines = ["| field | required | meaning |", "|---|---|---|"]
    for f in FIELDS:
        meaning = f.description_en.replace("{choices}", _choices_text(f.choices))
        lines.append(f"| `{f.yaml_key}` | {_required_text(f)} | {meaning} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(field_table())
