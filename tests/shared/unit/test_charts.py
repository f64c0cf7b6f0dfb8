"""Server-rendered charts: Persian digits only, labels in right-to-left reading order, nothing of pygal's tooltips,
hostile labels escaped, the same chart drawn the same way twice."""

import re
import xml.etree.ElementTree as ET

from shared.web.charts import _whole_ticks, bar_chart, number_fa

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """Every text people see in the chart, in document order."""
    return [node.text or "" for node in ET.fromstring(svg).iter(f"{SVG}text")]


def test_numbers_are_persian_with_a_persian_decimal_separator() -> None:
    assert number_fa(12) == "۱۲"
    assert number_fa(7.25) == "۷٫۲"
    assert number_fa(None) == ""


def test_a_chart_shows_no_ascii_digit_and_keeps_no_tooltip_data() -> None:
    svg = bar_chart("پیشرفت ارزیابی", ["داور الف", "داور ب"], {"ثبت شده": [7, 12], "مانده": [5, 0]},
                    horizontal=True, stacked=True, colours=["scored", "remaining"])
    visible = " ".join(texts(svg))
    assert not re.search("[0-9]", visible), visible
    assert "۱۲" in visible
    assert "<desc" not in svg and "<!--" not in svg and "<script" not in svg
    assert svg.count("<title>") == 1
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "پیشرفت ارزیابی"


def test_the_first_label_is_read_first_from_the_top_or_the_right() -> None:
    horizontal = bar_chart("منطقه‌ها", ["یکم", "دوم", "سوم"], {"آثار": [1, 2, 3]}, horizontal=True)
    vertical = bar_chart("بخش‌ها", ["یکم", "دوم", "سوم"], {"آثار": [1, 2, 3]})

    def position(svg: str, label: str, axis: str) -> float:
        node = next(n for n in ET.fromstring(svg).iter(f"{SVG}text") if n.text == label)
        return float(node.get(axis))

    assert position(horizontal, "یکم", "y") < position(horizontal, "سوم", "y")  # top first
    assert position(vertical, "یکم", "x") > position(vertical, "سوم", "x")  # right first


def test_hostile_labels_are_text_not_markup_and_the_chart_is_stable() -> None:
    hostile = '<script>alert("x")</script>'
    svg = bar_chart(hostile, [hostile], {hostile: [1]})
    assert "<script" not in svg
    assert hostile in texts(svg)
    assert bar_chart("الف", ["ب"], {"ج": [1]}) == bar_chart("الف", ["ب"], {"ج": [1]})


def test_counts_are_marked_in_whole_numbers() -> None:
    few = bar_chart("آثار", ["منطقهٔ ۱", "منطقهٔ ۲"], {"رفاه": [1, 2]}, horizontal=True)
    assert "۰٫۲" not in few and "۰٫۵" not in few  # no fractions of a work on the axis
    assert _whole_ticks({"a": [3, 4], "b": [5, 6]}, stacked=True) == [0, 2, 4, 6, 8, 10]
    assert _whole_ticks({"a": [2.5]}, stacked=False) is None  # scores keep pygal's own ticks
