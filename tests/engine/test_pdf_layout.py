"""The reading order of words with positions: margin columns, sidebars and header bands."""

from __future__ import annotations

from core.engine.pdf_layout import Word, read_page


def _line(text: str, x0: float, top: float, size: float = 10.0) -> list[Word]:
    """Words of `text` laid out from x0 at 5 points per character, one space between words."""
    words, x = [], x0
    for token in text.split():
        words.append(Word(token, x, x + 5 * len(token), top, top + size, size))
        x += 5 * (len(token) + 1)
    return words


def test_wrapped_dates_in_a_margin_column_go_before_their_entry() -> None:
    words = _line("Jane Example", 60, 40, 20)
    rows = [
        ("Summary", 20),
        ("Builds reliable services.", 40),
        ("Experience", 60),
        ("Senior Engineer, Acme, Denver, CO", 80),
        ("• Led the platform team.", 94),
        ("• Cut costs by a third.", 108),
        ("Engineer, Bluefin, Boulder, CO", 130),
        ("• Wrote Go services.", 144),
    ]
    for text, top in rows:
        words += _line(text, 140, 60 + top)
    for text, top in (("Mar 2021 –", 80), ("Present", 94), ("Jun 2018 –", 130), ("Feb 2021", 144)):
        words += _line(text, 60, 60 + top)
    page = read_page(words)
    assert page.lines[page.lines.index("Senior Engineer, Acme, Denver, CO") - 1] == "Mar 2021 – Present"
    assert page.lines[page.lines.index("Engineer, Bluefin, Boulder, CO") - 1] == "Jun 2018 – Feb 2021"
    assert not page.has_columns


def test_a_sidebar_is_read_after_the_main_column_and_the_header_band_first() -> None:
    words = _line("Jane Example", 40, 20, 20) + _line("Backend Engineer", 40, 46)
    side = ["CONTACT", "jane@example.com", "Denver, CO", "SKILLS", "Languages: Python, Go,", "SQL, Rust"]
    main = ["EXPERIENCE", "Senior Engineer at Acme Corp", "Built the billing platform in Go", "and", "Python"]
    main += ["for forty teams across the company", "EDUCATION", "B.S. in Computer Science, 2018"]
    for i, text in enumerate(side):
        words += _line(text, 40, 100 + 14 * i)
    for i, text in enumerate(main):
        words += _line(text, 220, 100 + 14 * i)
    page = read_page(words)
    assert page.lines[:2] == ["Jane Example", "Backend Engineer"]
    assert page.lines[2:10] == main
    assert page.lines[10:] == side
    assert page.has_columns
