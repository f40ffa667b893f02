"""The planning board printed: one structure a page, A4 landscape, its beds with the stays,
the beds held and out of service and the free places per night; codes instead of names
when pseudonymised, always in anti-trafficking programmes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from desktop.printing import planning_board
from models.backend import Backend
from models.i18n import _
from tests.desktop.printing_scenario import PrintScenario, print_scenario

D = dt.date
START = D(2024, 11, 4)


@pytest.fixture
def sc(backend: Backend) -> PrintScenario:
    return print_scenario(backend)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_one_structure_a_page_in_landscape(backend, sc):
    pdf = planning_board(backend.db, START, programme_code="SAI-TEST")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3  # Casa Glicine, Casa Betulla, Casa Abete
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    texts = pages(pdf)
    first = texts[0]
    assert "T-FAM" in first and "T-UOM" not in first
    assert "ĞÜLŞEN" not in first and "Ğülşen Amina" in first  # names in an SAI programme
    assert sc.expected.code in first  # the beds held for the family expected
    assert _("Free places") in first
    men = next(t for t in texts if "T-UOM" in t)
    assert "×" in men  # the bed out of service
    assert "Ştefănescu" in men or "Ștefănescu" in men


def test_codes_instead_of_names_and_no_protected_name(backend, sc):
    db = backend.db
    art = pages(planning_board(db, START, programme_code="ART18-T"))
    code = sc.woman.members[0].person.code
    assert len(art) == 1 and code in art[0] and "Kayalı" not in art[0]
    assert "Appartamento Riservato" not in art[0]
    # Asked for by the coordinator in an SAI programme too.
    text = "\n".join(
        pages(planning_board(db, START, programme_code="SAI-TEST", pseudonymised=True))
    )
    assert "Ğülşen" not in text and sc.base.mother.members[0].person.code in text
