"""Server-side SVG charts: escaped text, gaps for missing values, colours for the E-I index."""

from __future__ import annotations

import re
from datetime import date

from teamweave.network.service import OrgEdge, OrgMap, OrgNode
from teamweave.web.charts import Mark, Series, ei_colour, line_chart, org_map_svg, share_bars


def test_line_chart_escapes_labels_and_draws_points() -> None:
    svg = line_chart(
        [Series("<b>ties</b>", [(date(2026, 1, 1), 3.0), (date(2026, 2, 1), None), (date(2026, 3, 1), 5.0)])],
        title="t & t",
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;ties&lt;/b&gt;" in svg
    assert "t &amp; t" in svg
    assert svg.count("<circle") == 2
    assert "style=" not in svg  # the CSP forbids inline styles


def test_line_chart_without_data() -> None:
    assert "no data yet" in line_chart([Series("ties", [])], title="empty")


def test_org_map_svg_has_teams_and_ties_only() -> None:
    result = OrgMap(
        period="month",
        window_start=date(2026, 10, 1),
        k=5,
        nodes=[OrgNode(1, "A<script>", 8, -0.5, 0.1, 0.1), OrgNode(2, "B", 6, None, 0.9, 0.9)],
        edges=[OrgEdge(1, 2, 4.0, 3)],
        hidden_teams=0,
    )
    svg = org_map_svg(result)
    assert svg.count('class="node"') == 2
    assert svg.count("<line") == 1
    assert "<script>" not in svg
    assert "A&lt;script&gt;" in svg


def test_ei_colour_runs_from_red_through_grey_to_blue() -> None:
    assert ei_colour(-1.0) == "#dc2626"
    assert ei_colour(0.0) == "#cbd5e1"
    assert ei_colour(1.0) == "#2563eb"
    assert ei_colour(None) == "#94a3b8"


def test_marks_are_drawn_inside_the_dates_only_and_escaped() -> None:
    points = [(date(2026, 1, 5), 3.0), (date(2026, 1, 12), 4.0), (date(2026, 1, 19), 1.0)]
    svg = line_chart(
        [Series("ties", points)],
        title="t",
        marks=[
            Mark(date(2026, 1, 19), "fell <a lot>", "down"),
            Mark(date(2026, 1, 12), "rose", "up"),
            Mark(date(2025, 1, 1), "outside", "down"),
        ],
    )
    assert svg.count('class="change-mark"') == 2
    assert "fell &lt;a lot&gt;" in svg
    assert 'stroke="#dc2626"' in svg
    assert 'stroke="#059669"' in svg
    assert "outside" not in svg
    assert "style=" not in svg
    assert line_chart([Series("ties", points)], title="t") == line_chart([Series("ties", points)], title="t", marks=[])


def test_share_bars_scale_and_say_unknown() -> None:
    svg = share_bars([("chat", 0.5), ("e-mail", None), ("<x>", 1.0)], title="mix")
    assert 'width="232.0"' in svg  # half of the 464-wide plot (640 - 120 - 56)
    assert "e-mail: —</title>" in svg
    assert "&lt;x&gt;: 100%" in svg
    assert "style=" not in svg
    assert "no data yet" in share_bars([("chat", None)], title="empty")


def test_small_values_get_an_axis_that_fits_them() -> None:
    """NMI and modularity (0..1) once sat under an axis running to 4; the axis now ends at the first round step
    above the data."""
    points = [(date(2026, 1, 1), 0.97), (date(2026, 2, 1), 0.76)]
    labels = re.findall(
        r'<text x="38" [^>]*text-anchor="end" font-size="11" fill="[^"]+">([^<]+)</text>',
        line_chart([Series("nmi", points)], title="t"),
    )
    assert labels == ["0", "0.25", "0.5", "0.75", "1"]
    labels = re.findall(
        r'<text x="38" [^>]*text-anchor="end" font-size="11" fill="[^"]+">([^<]+)</text>',
        line_chart([Series("ties", [(date(2026, 1, 1), 17.0)])], title="t"),
    )
    assert labels == ["0", "5", "10", "15", "20"]
