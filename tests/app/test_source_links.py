"""Sources are links with intact targets: on the indicator page and for every source of
the catalog (link text the source's name, the target the URL as written in the catalog)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.settings import get_settings
from dortmund_kpi.ui.widgets import markdown_link

from .conftest import assert_ok, open_page

LINK = re.compile(r"^\[(?P<text>.*)\]\((?P<target>[^()\s\\]+)\)$")
SOURCES = [
    (ind.id, ind.source, ind.source_url)
    for ind in load_catalog(get_settings().catalog_path).indicators
    if ind.source_url
]


@pytest.mark.parametrize(("indicator_id", "source", "url"), SOURCES, ids=[s[0] for s in SOURCES])
def test_every_catalog_source_is_a_link_to_its_url(indicator_id, source, url):
    match = LINK.match(markdown_link(source, url))
    assert match, f"{indicator_id}: not one Markdown link"
    assert unquote(match["target"]) == unquote(url)
    assert "\\" not in match["target"]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x", ""]
)
def test_other_targets_are_text_not_links(url):
    assert "](" not in markdown_link("Quelle", url)


def test_indicator_page_links_its_source(app_db):
    ind = next(i for i in load_catalog(app_db.catalog_path).indicators if "_" in i.source_url)
    at = open_page("indikator", {"indikator": ind.id})
    assert_ok(at)
    text = "\n".join(m.value for m in at.markdown)
    assert f"]({ind.source_url})" in text
    assert "\\_" not in text.split(f"]({ind.source_url})")[0].rsplit("[", 1)[-1]
