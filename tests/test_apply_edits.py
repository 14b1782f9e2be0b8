"""One fix pass: which fixes apply together, and the text they make."""

from __future__ import annotations

from digestlint.fixer import apply_edits
from digestlint.model import Edit, Fix


def fix(*edits: tuple[int, int, str]) -> Fix:
    return Fix(tuple(Edit(*edit) for edit in edits), "safe", "test")


def test_touching_fixes_apply_together() -> None:
    text, chosen = apply_edits("abcdef", [fix((0, 2, "X")), fix((2, 4, "Y"))])
    assert text == "XYef"
    assert len(chosen) == 2


def test_an_overlapping_fix_waits_for_the_next_pass() -> None:
    first, second = fix((0, 3, "X")), fix((2, 4, "Y"))
    text, chosen = apply_edits("abcdef", [second, first])
    assert (text, chosen) == ("Xdef", [first])


def test_an_insertion_at_the_end_of_a_replacement_waits() -> None:
    replacement, insertion = fix((1, 3, "X")), fix((3, 3, "+"))
    assert apply_edits("abcdef", [replacement, insertion]) == ("aXdef", [replacement])


def test_an_insertion_at_the_start_of_a_replacement_goes_before_it() -> None:
    text, chosen = apply_edits("abcdef", [fix((1, 3, "X")), fix((1, 1, "+"))])
    assert text == "a+Xdef"
    assert len(chosen) == 2


def test_two_insertions_at_one_place_take_two_passes() -> None:
    first, second = fix((2, 2, "1")), fix((2, 2, "2"))
    text, chosen = apply_edits("abcd", [first, second])
    assert (text, len(chosen)) == ("ab1cd", 1)


def test_a_fix_between_the_edits_of_another_applies_in_the_same_pass() -> None:
    """A row join is small edits at each line break; a cell fix between them does not overlap it."""
    join = fix((2, 4, " "), (6, 8, " "))
    cell = fix((4, 6, "XY"))
    text, chosen = apply_edits("ab\n cd\n ef", [cell, join])
    assert text == "ab XY ef"
    assert len(chosen) == 2


def test_a_fix_whose_edits_straddle_another_fix_waits_whole() -> None:
    join = fix((0, 1, "A"), (8, 9, "B"))
    cell = fix((7, 9, "XY"))
    text, chosen = apply_edits("abcdefghij", [join, cell])
    assert (text, chosen) == ("AbcdefghBj", [join])
    insertion = fix((5, 5, "+"))
    text, chosen = apply_edits("abcdefghij", [fix((0, 1, "A"), (5, 6, "F")), insertion])
    assert text == "Abcde+Fghij"
    assert len(chosen) == 2
    ending = fix((6, 6, "+"))
    assert apply_edits("abcdefghij", [fix((0, 1, "A"), (5, 6, "F")), ending])[0] == "AbcdeFghij"
