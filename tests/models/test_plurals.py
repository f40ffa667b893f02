"""Counts in the placement messages read right in both languages: one place, one person."""

from __future__ import annotations

import datetime as dt

import pytest

from models import i18n, rules

DAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "it",
            ["ha 1 posto libero su 6", "solo 1 posto:", "un posto letto libero", "per 1 persona."],
        ),
        ("en", ["has 1 of 6 places left", "only 1 place on", "free bed", "for 1 person."]),
    ],
)
def test_counts_of_one_are_singular(lang: str, expected: list[str]) -> None:
    i18n.set_language(lang)
    try:
        texts = [
            rules.capacity_message("Casa Glicine", DAY, 5, 6, 3),
            rules.capacity_message("Casa Glicine", DAY, 0, 1, 3),
            rules.not_enough_beds_message("Casa Glicine", DAY, 1),
            rules.not_enough_beds_message("Casa Glicine", DAY, 1),
        ]
        for text, part in zip(texts, expected, strict=True):
            assert part in text
        assert "1 posti" not in " ".join(texts) and "1 persone" not in " ".join(texts)
        assert "1 people" not in " ".join(texts) and "1 places" not in " ".join(texts)
        many = rules.not_enough_beds_message("Casa Glicine", DAY, 3)
        assert ("per 3 persone" if lang == "it" else "for 3 people") in many
    finally:
        i18n.set_language("it")
