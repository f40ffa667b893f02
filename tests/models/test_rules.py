"""The rules of DESIGN.md, checked through the backend on both engines.

A refused operation raises the domain error a coordinator reads and changes nothing:
"nothing changed" is checked by comparing row counts and the stays before and after.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from models.directory import Directory
from models.errors import (
    BedOccupiedError,
    BedOutOfServiceError,
    BedReservedError,
    ConcurrentEditError,
    MinorAloneError,
    StructureFullError,
    TargetGroupError,
    ValidationError,
)
from models.occupancy import Occupancy
from models.presence import Presence
from models.results import NewPerson
from tests.factories import D, scenario
from tests.models.helpers import bed_ids, row_counts, single, snapshot


@pytest.fixture
def sc(backend):
    return scenario(backend)


def mother_ids(sc) -> tuple[int, list[int]]:
    """(adult, [minors]) of the single-parent family of the scenario."""
    ids = [m.person.id for m in sc.mother.members]
    return ids[0], ids[1:]


def where(db, household_id: int, day) -> dict[int, str]:
    return {
        r.person_id: r.structure_code
        for r in Presence(db).who_is_where(day, household_id=household_id)
    }


class Unchanged:
    """Context manager: the database is the same after the block as before it."""

    def __init__(self, db) -> None:
        self.db = db

    def __enter__(self) -> Unchanged:
        self.before = (row_counts(self.db), snapshot(self.db))
        return self

    def __exit__(self, *exc) -> None:
        assert (row_counts(self.db), snapshot(self.db)) == self.before


def test_single_parent_family_is_placed_together(backend, db, sc):
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10)
    )
    assert pl.status == "active"
    placed = where(db, sc.mother.id, D(2023, 1, 10))
    assert set(placed) == {m.person.id for m in sc.mother.members}
    assert set(placed.values()) == {"T-FAM"}
    assert where(db, sc.mother.id, D(2023, 1, 9)) == {}
    # A family of three does not fit in a structure of two places.
    other = backend.people.register_household(
        [
            NewPerson("Sara", "Prova", "F", D(1985, 1, 1)),
            NewPerson("Tea", "Prova", "F", D(2016, 1, 1), relationship="child"),
            NewPerson("Ugo", "Prova", "M", D(2019, 1, 1), relationship="child"),
        ]
    )
    with Unchanged(db), pytest.raises(StructureFullError):
        backend.placements.place(other.id, sc.small.id, D(2023, 1, 10))


def test_man_refused_from_women_structure_unless_reason_given(backend, db, sc):
    women = backend.structures.create_structure(
        sc.programme.id, "T-DON", "Casa Donne", "SO", D(2014, 2, 1), targets=["women"], places=2
    )
    backend.structures.add_room(women.id, "Camera 1", 2)
    hh, man = single(backend, "Luca", "M")
    with Unchanged(db), pytest.raises(TargetGroupError):
        backend.placements.place(hh.id, women.id, D(2023, 1, 10))
    reason = "Unico posto libero in provincia, per una notte"
    pl = backend.placements.place(hh.id, women.id, D(2023, 1, 10), override_reason=reason)
    (stay,) = Directory(db).person_history(man)
    assert stay.override_reason == reason
    assert stay.structure_code == "T-DON"
    with db.engine.connect() as c:
        details = c.execute(
            text("SELECT details FROM audit_entry WHERE action = 'place' AND entity_id = :id"),
            {"id": pl.id},
        ).scalar_one()
    assert json.loads(details)["override"] is True


def test_single_man_is_not_taken_for_lgbtqia(backend, db, sc):
    """Nothing in the record says a man is LGBTQIA+: a women/LGBTQIA+ apartment needs a reason."""
    st = backend.structures.create_structure(
        sc.programme.id,
        "T-LGB",
        "Casa Arcobaleno",
        "MI",
        D(2014, 2, 1),
        targets=["women", "lgbtqia"],
        places=2,
    )
    backend.structures.add_room(st.id, "Camera 1", 2)
    hh, _man = single(backend, "Luca", "M")
    with Unchanged(db), pytest.raises(TargetGroupError):
        backend.placements.place(hh.id, st.id, D(2023, 1, 10))
    trans, _p = single(backend, "Noa", "X")
    backend.placements.place(trans.id, st.id, D(2023, 1, 10))


def test_full_structure_refused_when_capacity_is_below_beds(backend, db, sc):
    backend.structures.set_capacity(sc.families.id, D(2023, 1, 1), 2, "lavori")
    for name in ("Ada", "Bice"):
        hh, _ = single(backend, name)
        backend.placements.place(hh.id, sc.families.id, D(2023, 2, 1))
    third, _ = single(backend, "Carla")
    assert len(bed_ids(backend, sc.families.id)) == 4  # beds are free, places are not
    with Unchanged(db), pytest.raises(StructureFullError):
        backend.placements.place(third.id, sc.families.id, D(2023, 2, 1))
    # Before the reduction there was room.
    backend.placements.place(third.id, sc.families.id, D(2022, 6, 1), planned_end=D(2022, 12, 1))


def test_places_are_counted_on_every_night_up_to_the_planned_end(backend, db, sc):
    """Casa Glicine keeps its four beds but goes down to two places on 1 March: a stay
    planned past that date does not fit, one that ends before it does."""
    backend.structures.set_capacity(sc.families.id, D(2023, 3, 1), 2, "lavori")
    for name in ("Ada", "Bice"):
        hh, _ = single(backend, name)
        backend.placements.place(hh.id, sc.families.id, D(2023, 2, 1))
    carla, _ = single(backend, "Carla")
    with Unchanged(db), pytest.raises(StructureFullError, match="1° marzo 2023"):
        backend.placements.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 4, 1))
    with Unchanged(db), pytest.raises(StructureFullError, match="1° marzo 2023"):
        backend.placements.place(
            carla.id, sc.families.id, D(2023, 2, 1)
        )  # no planned end: open-ended
    fit = backend.placements.check_fit(carla.id, sc.families.id, D(2023, 2, 1), until=D(2023, 4, 1))
    assert not fit.fits and any("1° marzo 2023" in reason for reason in fit.reasons)
    # The planned end is the first night away: leaving on 1 March she fits.
    assert backend.placements.check_fit(
        carla.id, sc.families.id, D(2023, 2, 1), until=D(2023, 3, 1)
    ).fits
    backend.placements.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 3, 1))


def test_places_count_the_people_already_expected_later(backend, db, sc):
    """Casa Glicine has two places for its four beds. Ada is placed from 1 May; Bice and
    Carla from February to June would make three on 1 May."""
    backend.structures.set_capacity(sc.families.id, D(2023, 1, 1), 2, "lavori")
    ada, _ = single(backend, "Ada")
    backend.placements.place(ada.id, sc.families.id, D(2023, 5, 1))
    bice, _ = single(backend, "Bice")
    backend.placements.place(bice.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 6, 1))
    carla, _ = single(backend, "Carla")
    with Unchanged(db), pytest.raises(StructureFullError, match="1° maggio 2023"):
        backend.placements.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 6, 1))
    backend.placements.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 5, 1))


def test_transfer_counts_places_up_to_the_planned_end(backend, db, sc):
    """A transfer within the programme keeps the placement's planned end: Casa Betulla,
    down to one place, has room in February but not from 1 April, when Dora comes."""
    backend.structures.set_capacity(sc.small.id, D(2023, 1, 1), 1, "una camera chiusa")
    dora, _ = single(backend, "Dora")
    backend.placements.place(dora.id, sc.small.id, D(2023, 4, 1), override_reason="prova")
    elsa, _ = single(backend, "Elsa")
    staying = backend.placements.place(
        elsa.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10)
    )
    with Unchanged(db), pytest.raises(StructureFullError, match="1° aprile 2023"):
        backend.placements.transfer(staying.id, D(2023, 2, 1), sc.small.id, override_reason="prova")
    fede, _ = single(backend, "Fede")
    leaving = backend.placements.place(
        fede.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 3, 15)
    )
    backend.placements.transfer(leaving.id, D(2023, 2, 1), sc.small.id, override_reason="prova")


def test_extension_past_a_reduction_of_places_is_warned_about(backend, db, sc):
    """Only the nights the extension adds count, and only the placement's people still
    there; the people of the placement are not counted twice."""
    backend.structures.set_capacity(sc.families.id, D(2023, 6, 1), 3, "lavori")
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 5, 1)
    )
    assert (
        backend.placements.extension_capacity_warning(pl.id, D(2023, 9, 1)) is None
    )  # three for three places
    backend.structures.set_capacity(sc.families.id, D(2023, 7, 1), 2, "lavori")
    warning = backend.placements.extension_capacity_warning(pl.id, D(2023, 9, 1))
    assert warning and "1° luglio 2023" in warning and "Casa Glicine" in warning
    assert (
        backend.placements.extension_capacity_warning(pl.id, D(2023, 7, 1)) is None
    )  # ends before it
    backend.placements.extend(pl.id, D(2023, 9, 1), "anno scolastico")  # recorded anyway
    assert Directory(db).placement(pl.id).planned_end == D(2023, 9, 1)


def test_bed_out_of_service_refused(backend, db, sc):
    beds = bed_ids(backend, sc.families.id)
    backend.structures.put_bed_out_of_service(
        beds[0], D(2023, 1, 1), D(2023, 3, 1), "infiltrazioni"
    )
    hh, p = single(backend)
    with Unchanged(db), pytest.raises(BedOutOfServiceError):
        backend.placements.place(hh.id, sc.families.id, D(2023, 2, 1), beds={p: beds[0]})
    # An open stay starting before the repairs would run into them too.
    with Unchanged(db), pytest.raises(BedOutOfServiceError):
        backend.placements.place(hh.id, sc.families.id, D(2022, 12, 1), beds={p: beds[0]})
    # Proposed beds avoid it; from the end of the outage the bed is usable again.
    pl = backend.placements.place(hh.id, sc.families.id, D(2023, 2, 1))
    assert Directory(db).person_history(p)[0].bed_id != beds[0]
    backend.placements.record_exit(pl.id, D(2023, 2, 20), "other")
    backend.placements.place(hh.id, sc.families.id, D(2023, 3, 1), beds={p: beds[0]})


def test_a_bed_with_several_problems_gives_the_first_reason(backend, db, sc):
    """Occupied comes before out of service, which comes before reserved; of each kind
    the earliest is named."""
    beds = bed_ids(backend, sc.families.id)
    bed = beds[0]
    backend.structures.put_bed_out_of_service(
        bed, D(2023, 2, 10), D(2023, 2, 20), "tinteggiatura"
    )  # earlier, yet second
    lia, someone = single(backend, "Lia")
    stay = backend.placements.place(lia.id, sc.families.id, D(2023, 3, 1), beds={someone: bed})
    backend.placements.record_exit(stay.id, D(2023, 3, 20), "other")
    backend.structures.put_bed_out_of_service(bed, D(2023, 6, 1), D(2023, 7, 1), "muffa")
    backend.structures.put_bed_out_of_service(bed, D(2023, 4, 1), D(2023, 5, 1), "infiltrazioni")
    family = [m.person.id for m in sc.mother.members]
    backend.reservations.reserve(
        sc.mother.id,
        sc.families.id,
        D(2023, 9, 1),
        beds=dict(zip(family, beds[:3], strict=True)),
        held_from=D(2023, 8, 1),
    )
    newcomer, person = single(backend, "Ines")
    for start, error, named in (
        (D(2023, 2, 1), BedOccupiedError, "1° marzo 2023"),
        (D(2023, 3, 20), BedOutOfServiceError, "1° aprile 2023"),
        (D(2023, 7, 1), BedReservedError, "1° settembre 2023"),
    ):
        with Unchanged(db), pytest.raises(error, match=named):
            backend.placements.place(newcomer.id, sc.families.id, start, beds={person: bed})


def test_reservation_holds_confirms_and_cancels(backend, db, sc):
    beds = bed_ids(backend, sc.families.id)
    res = backend.reservations.reserve(
        sc.mother.id, sc.families.id, D(2023, 3, 1), held_from=D(2023, 2, 1)
    )
    assert res.status == "held" and len(res.bed_ids) == 3
    held = set(res.bed_ids)
    row = {r.key: r for r in Occupancy(db).at(D(2023, 2, 15))}["T-FAM"]
    assert (row.reserved, row.occupied, row.free) == (3, 0, 1)
    hh, p = single(backend, "Dora")
    with Unchanged(db), pytest.raises(BedReservedError):
        backend.placements.place(hh.id, sc.families.id, D(2023, 2, 10), beds={p: sorted(held)[0]})
    # The free bed is still usable by someone else.
    free = next(b for b in beds if b not in held)
    backend.placements.place(hh.id, sc.families.id, D(2023, 2, 10), beds={p: free})
    pl = backend.reservations.confirm_reservation(res.id, planned_end=D(2023, 9, 1))
    assert pl.entry_date == D(2023, 3, 1)
    now = Presence(db).who_is_where(D(2023, 3, 1), household_id=sc.mother.id)
    assert {r.bed_id for r in now} == held
    assert {r.person_id: r.bed_id for r in now} == dict(
        zip(res.person_ids, res.bed_ids, strict=True)
    )
    with Unchanged(db), pytest.raises(ValidationError):
        backend.reservations.confirm_reservation(res.id)


def test_cancelled_reservation_frees_the_beds(backend, db, sc):
    res = backend.reservations.reserve(
        sc.mother.id, sc.families.id, D(2023, 3, 1), held_from=D(2023, 2, 1)
    )
    backend.reservations.cancel_reservation(res.id, day=D(2023, 2, 5), reason="non arriva")
    row = {r.key: r for r in Occupancy(db).at(D(2023, 2, 15))}["T-FAM"]
    assert (row.reserved, row.free) == (0, 4)
    hh, p = single(backend, "Dora")
    backend.placements.place(hh.id, sc.families.id, D(2023, 2, 10), beds={p: res.bed_ids[0]})


def _second_family_structure(backend, sc):
    st = backend.structures.create_structure(
        sc.programme.id,
        "T-FA2",
        "Casa Tiglio",
        "SO",
        D(2014, 2, 1),
        targets=["families", "single_parent"],
        places=4,
    )
    backend.structures.add_room(st.id, "Camera 1", 4)
    return st


def test_transfer_whole_household_keeps_presence_continuous(backend, db, sc):
    dest = _second_family_structure(backend, sc)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    moved = backend.placements.transfer(pl.id, D(2023, 4, 15), dest.id)
    assert moved.id == pl.id and moved.status == "active"
    assert set(where(db, sc.mother.id, D(2023, 4, 14)).values()) == {"T-FAM"}
    assert set(where(db, sc.mother.id, D(2023, 4, 15)).values()) == {"T-FA2"}
    for m in sc.mother.members:
        old, new = Directory(db).person_history(m.person.id)
        assert (old.end_date, new.start_date, new.end_date) == (
            D(2023, 4, 15),
            D(2023, 4, 15),
            None,
        )
    april = {p.person_id: p for p in Presence(db).month_nights(2023, 4)}
    assert {p.total for p in april.values()} == {30}
    assert all(set(p.structure_codes) == {"T-FAM", "T-FA2"} for p in april.values())
    # The day of the transfer is counted once, in the new structure.
    by_structure = {
        p.person_id: p.days for p in Presence(db).month_nights(2023, 4, structure_id=dest.id)
    }
    assert all(days == frozenset(range(15, 31)) for days in by_structure.values())


def test_transfer_to_another_programme_exits_and_starts_a_new_placement(backend, db, sc):
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    new = backend.placements.transfer(pl.id, D(2023, 5, 1), sc.other.id)
    assert new.id != pl.id
    assert (new.programme_code, new.entry_date, new.status) == ("ART18-T", D(2023, 5, 1), "active")
    old = {p.id: p for p in Directory(db).placements_of_household(sc.mother.id)}[pl.id]
    assert (old.status, old.exit_date, old.exit_reason) == (
        "exited",
        D(2023, 5, 1),
        "transfer_other_project",
    )
    assert set(where(db, sc.mother.id, D(2023, 5, 1)).values()) == {"T-ART"}


def test_adult_cannot_leave_minors_alone(backend, db, sc):
    dest = _second_family_structure(backend, sc)
    adult, minors = mother_ids(sc)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    with Unchanged(db), pytest.raises(MinorAloneError):
        backend.placements.transfer(pl.id, D(2023, 3, 1), dest.id, person_ids=[adult])
    with Unchanged(db), pytest.raises(MinorAloneError):
        backend.placements.record_exit(
            pl.id, D(2023, 3, 1), "voluntary_abandonment", person_ids=[adult]
        )
    # Moving the minors with her is fine.
    backend.placements.transfer(pl.id, D(2023, 3, 1), dest.id, person_ids=[adult, *minors])
    assert set(where(db, sc.mother.id, D(2023, 3, 1)).values()) == {"T-FA2"}


def test_minors_may_stay_alone_in_msna_programme(backend, db, sc):
    a = backend.structures.create_structure(
        sc.msna.id, "T-MS1", "Casa Minori 1", "SO", D(2014, 2, 1), places=4
    )
    backend.structures.add_room(a.id, "Camera 1", 4)
    b = backend.structures.create_structure(
        sc.msna.id, "T-MS2", "Casa Minori 2", "SO", D(2014, 2, 1), places=4
    )
    backend.structures.add_room(b.id, "Camera 1", 4)
    adult, minors = mother_ids(sc)
    pl = backend.placements.place(sc.mother.id, a.id, D(2023, 1, 10))
    backend.placements.transfer(pl.id, D(2023, 3, 1), b.id, person_ids=[adult])
    now = where(db, sc.mother.id, D(2023, 3, 1))
    assert now == {adult: "T-MS2", minors[0]: "T-MS1", minors[1]: "T-MS1"}


def test_exit_with_reason_ends_every_stay(backend, db, sc):
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    out = backend.placements.record_exit(
        pl.id, D(2023, 6, 30), "socio_economic", destination="Affitto a Sondrio"
    )
    assert (out.status, out.exit_date, out.exit_reason, out.exit_destination) == (
        "exited",
        D(2023, 6, 30),
        "socio_economic",
        "Affitto a Sondrio",
    )
    assert len(where(db, sc.mother.id, D(2023, 6, 29))) == 3
    assert where(db, sc.mother.id, D(2023, 6, 30)) == {}
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.record_exit(pl.id, D(2023, 7, 30), "other")


def test_extension_moves_planned_end_and_is_listed(backend, db, sc):
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10)
    )
    assert [x.placement_id for x in Presence(db).expiring(D(2023, 6, 20), 30)] == [pl.id]
    ext = backend.placements.extend(
        pl.id,
        D(2023, 12, 31),
        "Percorso lavorativo in corso",
        authorised_by="Servizio Centrale",
        granted_on=D(2023, 6, 25),
    )
    assert ext.planned_end == D(2023, 12, 31)
    assert [(x.previous_planned_end, x.new_planned_end, x.reason) for x in ext.extensions] == [
        (D(2023, 7, 10), D(2023, 12, 31), "Percorso lavorativo in corso")
    ]
    assert Presence(db).expiring(D(2023, 6, 20), 30) == []
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.extend(pl.id, D(2023, 11, 30), "prima della fine prevista")
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.extend(pl.id, D(2024, 3, 1), "  ")


def test_correct_and_cancel_keep_history(backend, db, sc):
    hh, p = single(backend)
    pl = backend.placements.place(hh.id, sc.families.id, D(2023, 1, 10))
    (stay,) = Directory(db).person_history(p)
    fixed = backend.corrections.correct_stay(
        stay.id, "Data di ingresso sbagliata", start_date=D(2023, 1, 12)
    )
    assert fixed.start_date == D(2023, 1, 12)
    cancelled = backend.corrections.cancel_stay(stay.id, "Inserimento per errore")
    assert cancelled.cancelled
    (kept,) = Directory(db).person_history(p)
    assert kept.cancelled and kept.start_date == D(2023, 1, 12)
    assert Presence(db).who_is_where(D(2023, 2, 1), household_id=hh.id) == []
    with db.engine.connect() as c:
        actions = c.execute(
            text(
                "SELECT action, details FROM audit_entry WHERE entity = 'bed_stay' AND entity_id = :id ORDER BY id"
            ),
            {"id": stay.id},
        ).all()
    assert [a for a, _d in actions] == ["correct", "cancel"]
    correction = json.loads(actions[0][1])
    assert (
        correction["before"]["start"] == "2023-01-10"
        and correction["after"]["start"] == "2023-01-12"
    )
    assert {p_.status for p_ in Directory(db).placements_of_household(hh.id)} == {"cancelled"}
    # The bed is free again for someone else.
    other, q = single(backend, "Bea")
    backend.placements.place(other.id, sc.families.id, D(2023, 1, 10), beds={q: stay.bed_id})
    del pl


def test_correction_cannot_create_an_overlap(backend, db, sc):
    beds = bed_ids(backend, sc.families.id)
    first, p = single(backend, "Ada")
    second, q = single(backend, "Bice")
    pl = backend.placements.place(first.id, sc.families.id, D(2023, 1, 10), beds={p: beds[0]})
    backend.placements.record_exit(pl.id, D(2023, 2, 1), "other")
    backend.placements.place(second.id, sc.families.id, D(2023, 2, 1), beds={q: beds[0]})
    (stay,) = Directory(db).person_history(p)
    with Unchanged(db), pytest.raises(BedOccupiedError):
        backend.corrections.correct_stay(stay.id, "uscita sbagliata", end_date=D(2023, 2, 5))
    with Unchanged(db), pytest.raises(BedOccupiedError):
        backend.corrections.correct_stay(stay.id, "uscita sbagliata", end_date=None)


def test_stale_version_is_refused(backend, db, sc):
    st = sc.families
    fresh = backend.structures.update_structure(st.id, st.version, name="Casa Glicine 2")
    assert fresh.version == st.version + 1
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        backend.structures.update_structure(st.id, st.version, name="Casa Glicine vecchia")
    pl = backend.placements.place(
        sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10)
    )
    backend.placements.extend(pl.id, D(2023, 9, 1), "proroga", version=pl.version)
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        backend.placements.extend(
            pl.id, D(2023, 12, 1), "proroga su dati vecchi", version=pl.version
        )
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        backend.placements.record_exit(pl.id, D(2023, 8, 1), "other", version=pl.version)


def test_bad_input_is_refused_and_changes_nothing(backend, db, sc):
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.place(
            sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 1, 1)
        )
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.place(
            sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 1, 10)
        )
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.record_exit(pl.id, D(2023, 1, 5), "other")
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.record_exit(pl.id, D(2023, 3, 1), "no-such-reason")
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.transfer(pl.id, D(2023, 1, 5), sc.small.id)
    # Placing before the structure opened or the programme started.
    hh, _p = single(backend)
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.place(hh.id, sc.other.id, D(2019, 6, 1))
    with Unchanged(db), pytest.raises(ValidationError):
        backend.structures.set_capacity(sc.families.id, D(2023, 1, 1), -1)


def test_transfer_and_partial_exit_make_older_copies_stale(backend, db, sc):
    """A coordinator who loaded the placement before a transfer cannot act on the old copy."""
    dest = _second_family_structure(backend, sc)
    pl = backend.placements.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    moved = backend.placements.transfer(pl.id, D(2023, 2, 1), dest.id, version=pl.version)
    assert moved.version > pl.version
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        backend.placements.record_exit(pl.id, D(2023, 3, 1), "other", version=pl.version)
    hh = backend.people.register_household(
        [
            NewPerson("Sara", "Prova", "F", D(1985, 1, 1)),
            NewPerson("Rita", "Prova", "F", D(1987, 1, 1), relationship="sibling"),
        ]
    )
    two = backend.placements.place(hh.id, sc.families.id, D(2023, 2, 1))
    one_left = backend.placements.record_exit(
        two.id, D(2023, 3, 1), "other", person_ids=[hh.members[1].person.id], version=two.version
    )
    assert one_left.status == "active" and one_left.version > two.version
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        backend.placements.transfer(two.id, D(2023, 4, 1), dest.id, version=two.version)


def test_adding_a_member_makes_older_household_copies_stale(backend, db, sc):
    h = backend.people.add_household_member(
        sc.mother.id,
        sc.mother.version,
        NewPerson("Nadia", "Ğülşen", "F", D(2020, 1, 1), relationship="child"),
    )
    assert h.version > sc.mother.version and len(h.members) == 4
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        backend.people.add_household_member(
            sc.mother.id,
            sc.mother.version,
            NewPerson("Zoe", "Ğülşen", "F", D(2021, 1, 1), relationship="child"),
        )


def test_override_reason_given_at_reservation_is_recorded_on_the_stays(backend, db, sc):
    women = backend.structures.create_structure(
        sc.programme.id, "T-DON", "Casa Donne", "SO", D(2014, 2, 1), targets=["women"], places=2
    )
    backend.structures.add_room(women.id, "Camera 1", 2)
    hh, man = single(backend, "Luca", "M")
    with Unchanged(db), pytest.raises(TargetGroupError):
        backend.reservations.reserve(hh.id, women.id, D(2023, 3, 1), held_from=D(2023, 2, 1))
    res = backend.reservations.reserve(
        hh.id,
        women.id,
        D(2023, 3, 1),
        held_from=D(2023, 2, 1),
        override_reason="Emergenza freddo",
        note="Arriva in treno",
    )
    backend.reservations.confirm_reservation(res.id)
    (stay,) = Directory(db).person_history(man)
    assert "Emergenza freddo" in stay.override_reason
    # A reservation that needed no reason records none, whatever its note.
    other, woman = single(backend, "Dora")
    res2 = backend.reservations.reserve(
        other.id, women.id, D(2023, 3, 1), held_from=D(2023, 2, 1), note="Arriva in treno"
    )
    backend.reservations.confirm_reservation(res2.id)
    assert Directory(db).person_history(woman)[0].override_reason == ""


def test_whole_exit_before_an_earlier_partial_exit_is_refused_not_overwritten(backend, db):
    """A member who already left on a later date keeps that date: the exit is refused."""
    sc = scenario(backend)
    couple = backend.people.register_household(
        [
            NewPerson("Yusuf", "Prova", "M", D(1985, 1, 1)),
            NewPerson("Ayşe", "Prova", "F", D(1987, 2, 2), relationship="partner"),
        ]
    )
    partner = couple.members[1].person.id
    pl = backend.placements.place(couple.id, sc.families.id, D(2023, 1, 10))
    backend.placements.record_exit(pl.id, D(2023, 6, 30), "socio_economic", person_ids=[partner])
    with Unchanged(db), pytest.raises(ValidationError):
        backend.placements.record_exit(pl.id, D(2023, 3, 1), "term_expired")
    (stay,) = [s for s in Directory(db).person_history(partner)]
    assert stay.end_date == D(2023, 6, 30)


def test_placing_a_household_with_held_beds_asks_to_confirm_the_reservation(backend, db, sc):
    res = backend.reservations.reserve(
        sc.mother.id, sc.families.id, D(2023, 3, 1), held_from=D(2023, 2, 1)
    )
    with Unchanged(db), pytest.raises(ValidationError) as info:
        backend.placements.place(sc.mother.id, sc.other.id, D(2023, 3, 1))
    assert "prenot" in str(info.value).lower() or "reserv" in str(info.value).lower()
    backend.reservations.cancel_reservation(res.id, day=D(2023, 2, 20))
    backend.placements.place(sc.mother.id, sc.families.id, D(2023, 3, 1))
