"""The rules of DESIGN.md, checked through the services on both engines.

A refused operation raises the domain error a coordinator reads and changes nothing:
"nothing changed" is checked by comparing row counts and the stays before and after.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from models import queries
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
from models.results import NewPerson
from tests.factories import D, scenario
from tests.models.helpers import bed_ids, row_counts, single, snapshot


@pytest.fixture
def sc(services):
    return scenario(services)


def mother_ids(sc) -> tuple[int, list[int]]:
    """(adult, [minors]) of the single-parent family of the scenario."""
    ids = [m.person.id for m in sc.mother.members]
    return ids[0], ids[1:]


def where(db, household_id: int, day) -> dict[int, str]:
    return {
        r.person_id: r.structure_code
        for r in queries.who_is_where(db, day, household_id=household_id)
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


def test_single_parent_family_is_placed_together(services, db, sc):
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10))
    assert pl.status == "active"
    placed = where(db, sc.mother.id, D(2023, 1, 10))
    assert set(placed) == {m.person.id for m in sc.mother.members}
    assert set(placed.values()) == {"T-FAM"}
    assert where(db, sc.mother.id, D(2023, 1, 9)) == {}
    # A family of three does not fit in a structure of two places.
    other = services.register_household(
        [
            NewPerson("Sara", "Prova", "F", D(1985, 1, 1)),
            NewPerson("Tea", "Prova", "F", D(2016, 1, 1), relationship="child"),
            NewPerson("Ugo", "Prova", "M", D(2019, 1, 1), relationship="child"),
        ]
    )
    with Unchanged(db), pytest.raises(StructureFullError):
        services.place(other.id, sc.small.id, D(2023, 1, 10))


def test_man_refused_from_women_structure_unless_reason_given(services, db, sc):
    women = services.create_structure(
        sc.programme.id, "T-DON", "Casa Donne", "SO", D(2014, 2, 1), targets=["women"], places=2
    )
    services.add_room(women.id, "Camera 1", 2)
    hh, man = single(services, "Luca", "M")
    with Unchanged(db), pytest.raises(TargetGroupError):
        services.place(hh.id, women.id, D(2023, 1, 10))
    reason = "Unico posto libero in provincia, per una notte"
    pl = services.place(hh.id, women.id, D(2023, 1, 10), override_reason=reason)
    (stay,) = queries.person_history(db, man)
    assert stay.override_reason == reason
    assert stay.structure_code == "T-DON"
    with db.engine.connect() as c:
        details = c.execute(
            text("SELECT details FROM audit_entry WHERE action = 'place' AND entity_id = :id"),
            {"id": pl.id},
        ).scalar_one()
    assert json.loads(details)["override"] is True


def test_single_man_is_not_taken_for_lgbtqia(services, db, sc):
    """Nothing in the record says a man is LGBTQIA+: a women/LGBTQIA+ apartment needs a reason."""
    st = services.create_structure(
        sc.programme.id,
        "T-LGB",
        "Casa Arcobaleno",
        "MI",
        D(2014, 2, 1),
        targets=["women", "lgbtqia"],
        places=2,
    )
    services.add_room(st.id, "Camera 1", 2)
    hh, _man = single(services, "Luca", "M")
    with Unchanged(db), pytest.raises(TargetGroupError):
        services.place(hh.id, st.id, D(2023, 1, 10))
    trans, _p = single(services, "Noa", "X")
    services.place(trans.id, st.id, D(2023, 1, 10))


def test_full_structure_refused_when_capacity_is_below_beds(services, db, sc):
    services.set_capacity(sc.families.id, D(2023, 1, 1), 2, "lavori")
    for name in ("Ada", "Bice"):
        hh, _ = single(services, name)
        services.place(hh.id, sc.families.id, D(2023, 2, 1))
    third, _ = single(services, "Carla")
    assert len(bed_ids(services, sc.families.id)) == 4  # beds are free, places are not
    with Unchanged(db), pytest.raises(StructureFullError):
        services.place(third.id, sc.families.id, D(2023, 2, 1))
    # Before the reduction there was room.
    services.place(third.id, sc.families.id, D(2022, 6, 1), planned_end=D(2022, 12, 1))


def test_places_are_counted_on_every_night_up_to_the_planned_end(services, db, sc):
    """Casa Glicine keeps its four beds but goes down to two places on 1 March: a stay
    planned past that date does not fit, one that ends before it does."""
    services.set_capacity(sc.families.id, D(2023, 3, 1), 2, "lavori")
    for name in ("Ada", "Bice"):
        hh, _ = single(services, name)
        services.place(hh.id, sc.families.id, D(2023, 2, 1))
    carla, _ = single(services, "Carla")
    with Unchanged(db), pytest.raises(StructureFullError, match="1 mar 2023"):
        services.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 4, 1))
    with Unchanged(db), pytest.raises(StructureFullError, match="1 mar 2023"):
        services.place(carla.id, sc.families.id, D(2023, 2, 1))  # no planned end: open-ended
    fit = services.check_fit(carla.id, sc.families.id, D(2023, 2, 1), until=D(2023, 4, 1))
    assert not fit.fits and any("1 mar 2023" in reason for reason in fit.reasons)
    # The planned end is the first night away: leaving on 1 March she fits.
    assert services.check_fit(carla.id, sc.families.id, D(2023, 2, 1), until=D(2023, 3, 1)).fits
    services.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 3, 1))


def test_places_count_the_people_already_expected_later(services, db, sc):
    """Casa Glicine has two places for its four beds. Ada is placed from 1 May; Bice and
    Carla from February to June would make three on 1 May."""
    services.set_capacity(sc.families.id, D(2023, 1, 1), 2, "lavori")
    ada, _ = single(services, "Ada")
    services.place(ada.id, sc.families.id, D(2023, 5, 1))
    bice, _ = single(services, "Bice")
    services.place(bice.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 6, 1))
    carla, _ = single(services, "Carla")
    with Unchanged(db), pytest.raises(StructureFullError, match="1 mag 2023"):
        services.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 6, 1))
    services.place(carla.id, sc.families.id, D(2023, 2, 1), planned_end=D(2023, 5, 1))


def test_transfer_counts_places_up_to_the_planned_end(services, db, sc):
    """A transfer within the programme keeps the placement's planned end: Casa Betulla,
    down to one place, has room in February but not from 1 April, when Dora comes."""
    services.set_capacity(sc.small.id, D(2023, 1, 1), 1, "una camera chiusa")
    dora, _ = single(services, "Dora")
    services.place(dora.id, sc.small.id, D(2023, 4, 1), override_reason="prova")
    elsa, _ = single(services, "Elsa")
    staying = services.place(elsa.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10))
    with Unchanged(db), pytest.raises(StructureFullError, match="1 apr 2023"):
        services.transfer(staying.id, D(2023, 2, 1), sc.small.id, override_reason="prova")
    fede, _ = single(services, "Fede")
    leaving = services.place(fede.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 3, 15))
    services.transfer(leaving.id, D(2023, 2, 1), sc.small.id, override_reason="prova")


def test_extension_past_a_reduction_of_places_is_warned_about(services, db, sc):
    """Only the nights the extension adds count, and only the placement's people still
    there; the people of the placement are not counted twice."""
    services.set_capacity(sc.families.id, D(2023, 6, 1), 3, "lavori")
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 5, 1))
    assert (
        services.extension_capacity_warning(pl.id, D(2023, 9, 1)) is None
    )  # three for three places
    services.set_capacity(sc.families.id, D(2023, 7, 1), 2, "lavori")
    warning = services.extension_capacity_warning(pl.id, D(2023, 9, 1))
    assert warning and "1 lug 2023" in warning and "Casa Glicine" in warning
    assert services.extension_capacity_warning(pl.id, D(2023, 7, 1)) is None  # ends before it
    services.extend(pl.id, D(2023, 9, 1), "anno scolastico")  # recorded anyway
    assert queries.placement(db, pl.id).planned_end == D(2023, 9, 1)


def test_bed_out_of_service_refused(services, db, sc):
    beds = bed_ids(services, sc.families.id)
    services.put_bed_out_of_service(beds[0], D(2023, 1, 1), D(2023, 3, 1), "infiltrazioni")
    hh, p = single(services)
    with Unchanged(db), pytest.raises(BedOutOfServiceError):
        services.place(hh.id, sc.families.id, D(2023, 2, 1), beds={p: beds[0]})
    # An open stay starting before the repairs would run into them too.
    with Unchanged(db), pytest.raises(BedOutOfServiceError):
        services.place(hh.id, sc.families.id, D(2022, 12, 1), beds={p: beds[0]})
    # Proposed beds avoid it; from the end of the outage the bed is usable again.
    pl = services.place(hh.id, sc.families.id, D(2023, 2, 1))
    assert queries.person_history(db, p)[0].bed_id != beds[0]
    services.record_exit(pl.id, D(2023, 2, 20), "other")
    services.place(hh.id, sc.families.id, D(2023, 3, 1), beds={p: beds[0]})


def test_a_bed_with_several_problems_gives_the_first_reason(services, db, sc):
    """Occupied comes before out of service, which comes before reserved; of each kind
    the earliest is named."""
    beds = bed_ids(services, sc.families.id)
    bed = beds[0]
    services.put_bed_out_of_service(
        bed, D(2023, 2, 10), D(2023, 2, 20), "tinteggiatura"
    )  # earlier, yet second
    lia, someone = single(services, "Lia")
    stay = services.place(lia.id, sc.families.id, D(2023, 3, 1), beds={someone: bed})
    services.record_exit(stay.id, D(2023, 3, 20), "other")
    services.put_bed_out_of_service(bed, D(2023, 6, 1), D(2023, 7, 1), "muffa")
    services.put_bed_out_of_service(bed, D(2023, 4, 1), D(2023, 5, 1), "infiltrazioni")
    family = [m.person.id for m in sc.mother.members]
    services.reserve(
        sc.mother.id,
        sc.families.id,
        D(2023, 9, 1),
        beds=dict(zip(family, beds[:3], strict=True)),
        held_from=D(2023, 8, 1),
    )
    newcomer, person = single(services, "Ines")
    for start, error, named in (
        (D(2023, 2, 1), BedOccupiedError, "1 mar 2023"),
        (D(2023, 3, 20), BedOutOfServiceError, "1 apr 2023"),
        (D(2023, 7, 1), BedReservedError, "1 set 2023"),
    ):
        with Unchanged(db), pytest.raises(error, match=named):
            services.place(newcomer.id, sc.families.id, start, beds={person: bed})


def test_reservation_holds_confirms_and_cancels(services, db, sc):
    beds = bed_ids(services, sc.families.id)
    res = services.reserve(sc.mother.id, sc.families.id, D(2023, 3, 1), held_from=D(2023, 2, 1))
    assert res.status == "held" and len(res.bed_ids) == 3
    held = set(res.bed_ids)
    row = {r.key: r for r in queries.occupancy(db, D(2023, 2, 15))}["T-FAM"]
    assert (row.reserved, row.occupied, row.free) == (3, 0, 1)
    hh, p = single(services, "Dora")
    with Unchanged(db), pytest.raises(BedReservedError):
        services.place(hh.id, sc.families.id, D(2023, 2, 10), beds={p: sorted(held)[0]})
    # The free bed is still usable by someone else.
    free = next(b for b in beds if b not in held)
    services.place(hh.id, sc.families.id, D(2023, 2, 10), beds={p: free})
    pl = services.confirm_reservation(res.id, planned_end=D(2023, 9, 1))
    assert pl.entry_date == D(2023, 3, 1)
    now = queries.who_is_where(db, D(2023, 3, 1), household_id=sc.mother.id)
    assert {r.bed_id for r in now} == held
    assert {r.person_id: r.bed_id for r in now} == dict(
        zip(res.person_ids, res.bed_ids, strict=True)
    )
    with Unchanged(db), pytest.raises(ValidationError):
        services.confirm_reservation(res.id)


def test_cancelled_reservation_frees_the_beds(services, db, sc):
    res = services.reserve(sc.mother.id, sc.families.id, D(2023, 3, 1), held_from=D(2023, 2, 1))
    services.cancel_reservation(res.id, day=D(2023, 2, 5), reason="non arriva")
    row = {r.key: r for r in queries.occupancy(db, D(2023, 2, 15))}["T-FAM"]
    assert (row.reserved, row.free) == (0, 4)
    hh, p = single(services, "Dora")
    services.place(hh.id, sc.families.id, D(2023, 2, 10), beds={p: res.bed_ids[0]})


def _second_family_structure(services, sc):
    st = services.create_structure(
        sc.programme.id,
        "T-FA2",
        "Casa Tiglio",
        "SO",
        D(2014, 2, 1),
        targets=["families", "single_parent"],
        places=4,
    )
    services.add_room(st.id, "Camera 1", 4)
    return st


def test_transfer_whole_household_keeps_presence_continuous(services, db, sc):
    dest = _second_family_structure(services, sc)
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    moved = services.transfer(pl.id, D(2023, 4, 15), dest.id)
    assert moved.id == pl.id and moved.status == "active"
    assert set(where(db, sc.mother.id, D(2023, 4, 14)).values()) == {"T-FAM"}
    assert set(where(db, sc.mother.id, D(2023, 4, 15)).values()) == {"T-FA2"}
    for m in sc.mother.members:
        old, new = queries.person_history(db, m.person.id)
        assert (old.end_date, new.start_date, new.end_date) == (
            D(2023, 4, 15),
            D(2023, 4, 15),
            None,
        )
    april = {p.person_id: p for p in queries.presence_days(db, 2023, 4)}
    assert {p.total for p in april.values()} == {30}
    assert all(set(p.structure_codes) == {"T-FAM", "T-FA2"} for p in april.values())
    # The day of the transfer is counted once, in the new structure.
    by_structure = {
        p.person_id: p.days for p in queries.presence_days(db, 2023, 4, structure_id=dest.id)
    }
    assert all(days == frozenset(range(15, 31)) for days in by_structure.values())


def test_transfer_to_another_programme_exits_and_starts_a_new_placement(services, db, sc):
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    new = services.transfer(pl.id, D(2023, 5, 1), sc.other.id)
    assert new.id != pl.id
    assert (new.programme_code, new.entry_date, new.status) == ("ART18-T", D(2023, 5, 1), "active")
    old = {p.id: p for p in queries.placements_of_household(db, sc.mother.id)}[pl.id]
    assert (old.status, old.exit_date, old.exit_reason) == (
        "exited",
        D(2023, 5, 1),
        "transfer_other_project",
    )
    assert set(where(db, sc.mother.id, D(2023, 5, 1)).values()) == {"T-ART"}


def test_adult_cannot_leave_minors_alone(services, db, sc):
    dest = _second_family_structure(services, sc)
    adult, minors = mother_ids(sc)
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    with Unchanged(db), pytest.raises(MinorAloneError):
        services.transfer(pl.id, D(2023, 3, 1), dest.id, person_ids=[adult])
    with Unchanged(db), pytest.raises(MinorAloneError):
        services.record_exit(pl.id, D(2023, 3, 1), "voluntary_abandonment", person_ids=[adult])
    # Moving the minors with her is fine.
    services.transfer(pl.id, D(2023, 3, 1), dest.id, person_ids=[adult, *minors])
    assert set(where(db, sc.mother.id, D(2023, 3, 1)).values()) == {"T-FA2"}


def test_minors_may_stay_alone_in_msna_programme(services, db, sc):
    a = services.create_structure(
        sc.msna.id, "T-MS1", "Casa Minori 1", "SO", D(2014, 2, 1), places=4
    )
    services.add_room(a.id, "Camera 1", 4)
    b = services.create_structure(
        sc.msna.id, "T-MS2", "Casa Minori 2", "SO", D(2014, 2, 1), places=4
    )
    services.add_room(b.id, "Camera 1", 4)
    adult, minors = mother_ids(sc)
    pl = services.place(sc.mother.id, a.id, D(2023, 1, 10))
    services.transfer(pl.id, D(2023, 3, 1), b.id, person_ids=[adult])
    now = where(db, sc.mother.id, D(2023, 3, 1))
    assert now == {adult: "T-MS2", minors[0]: "T-MS1", minors[1]: "T-MS1"}


def test_exit_with_reason_ends_every_stay(services, db, sc):
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    out = services.record_exit(
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
        services.record_exit(pl.id, D(2023, 7, 30), "other")


def test_extension_moves_planned_end_and_is_listed(services, db, sc):
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10))
    assert [x.placement_id for x in queries.expiring_placements(db, D(2023, 6, 20), 30)] == [pl.id]
    ext = services.extend(
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
    assert queries.expiring_placements(db, D(2023, 6, 20), 30) == []
    with Unchanged(db), pytest.raises(ValidationError):
        services.extend(pl.id, D(2023, 11, 30), "prima della fine prevista")
    with Unchanged(db), pytest.raises(ValidationError):
        services.extend(pl.id, D(2024, 3, 1), "  ")


def test_correct_and_cancel_keep_history(services, db, sc):
    hh, p = single(services)
    pl = services.place(hh.id, sc.families.id, D(2023, 1, 10))
    (stay,) = queries.person_history(db, p)
    fixed = services.correct_stay(stay.id, "Data di ingresso sbagliata", start_date=D(2023, 1, 12))
    assert fixed.start_date == D(2023, 1, 12)
    cancelled = services.cancel_stay(stay.id, "Inserimento per errore")
    assert cancelled.cancelled
    (kept,) = queries.person_history(db, p)
    assert kept.cancelled and kept.start_date == D(2023, 1, 12)
    assert queries.who_is_where(db, D(2023, 2, 1), household_id=hh.id) == []
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
    assert {p_.status for p_ in queries.placements_of_household(db, hh.id)} == {"cancelled"}
    # The bed is free again for someone else.
    other, q = single(services, "Bea")
    services.place(other.id, sc.families.id, D(2023, 1, 10), beds={q: stay.bed_id})
    del pl


def test_correction_cannot_create_an_overlap(services, db, sc):
    beds = bed_ids(services, sc.families.id)
    first, p = single(services, "Ada")
    second, q = single(services, "Bice")
    pl = services.place(first.id, sc.families.id, D(2023, 1, 10), beds={p: beds[0]})
    services.record_exit(pl.id, D(2023, 2, 1), "other")
    services.place(second.id, sc.families.id, D(2023, 2, 1), beds={q: beds[0]})
    (stay,) = queries.person_history(db, p)
    with Unchanged(db), pytest.raises(BedOccupiedError):
        services.correct_stay(stay.id, "uscita sbagliata", end_date=D(2023, 2, 5))
    with Unchanged(db), pytest.raises(BedOccupiedError):
        services.correct_stay(stay.id, "uscita sbagliata", end_date=None)


def test_stale_version_is_refused(services, db, sc):
    st = sc.families
    fresh = services.update_structure(st.id, st.version, name="Casa Glicine 2")
    assert fresh.version == st.version + 1
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        services.update_structure(st.id, st.version, name="Casa Glicine vecchia")
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10))
    services.extend(pl.id, D(2023, 9, 1), "proroga", version=pl.version)
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        services.extend(pl.id, D(2023, 12, 1), "proroga su dati vecchi", version=pl.version)
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        services.record_exit(pl.id, D(2023, 8, 1), "other", version=pl.version)


def test_bad_input_is_refused_and_changes_nothing(services, db, sc):
    with Unchanged(db), pytest.raises(ValidationError):
        services.place(sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 1, 1))
    with Unchanged(db), pytest.raises(ValidationError):
        services.place(sc.mother.id, sc.families.id, D(2023, 1, 10), planned_end=D(2023, 1, 10))
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    with Unchanged(db), pytest.raises(ValidationError):
        services.record_exit(pl.id, D(2023, 1, 5), "other")
    with Unchanged(db), pytest.raises(ValidationError):
        services.record_exit(pl.id, D(2023, 3, 1), "no-such-reason")
    with Unchanged(db), pytest.raises(ValidationError):
        services.transfer(pl.id, D(2023, 1, 5), sc.small.id)
    # Placing before the structure opened or the programme started.
    hh, _p = single(services)
    with Unchanged(db), pytest.raises(ValidationError):
        services.place(hh.id, sc.other.id, D(2019, 6, 1))
    with Unchanged(db), pytest.raises(ValidationError):
        services.set_capacity(sc.families.id, D(2023, 1, 1), -1)


def test_transfer_and_partial_exit_make_older_copies_stale(services, db, sc):
    """A coordinator who loaded the placement before a transfer cannot act on the old copy."""
    dest = _second_family_structure(services, sc)
    pl = services.place(sc.mother.id, sc.families.id, D(2023, 1, 10))
    moved = services.transfer(pl.id, D(2023, 2, 1), dest.id, version=pl.version)
    assert moved.version > pl.version
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        services.record_exit(pl.id, D(2023, 3, 1), "other", version=pl.version)
    hh = services.register_household(
        [
            NewPerson("Sara", "Prova", "F", D(1985, 1, 1)),
            NewPerson("Rita", "Prova", "F", D(1987, 1, 1), relationship="sibling"),
        ]
    )
    two = services.place(hh.id, sc.families.id, D(2023, 2, 1))
    one_left = services.record_exit(
        two.id, D(2023, 3, 1), "other", person_ids=[hh.members[1].person.id], version=two.version
    )
    assert one_left.status == "active" and one_left.version > two.version
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        services.transfer(two.id, D(2023, 4, 1), dest.id, version=two.version)


def test_adding_a_member_makes_older_household_copies_stale(services, db, sc):
    h = services.add_household_member(
        sc.mother.id,
        sc.mother.version,
        NewPerson("Nadia", "Ğülşen", "F", D(2020, 1, 1), relationship="child"),
    )
    assert h.version > sc.mother.version and len(h.members) == 4
    with Unchanged(db), pytest.raises(ConcurrentEditError):
        services.add_household_member(
            sc.mother.id,
            sc.mother.version,
            NewPerson("Zoe", "Ğülşen", "F", D(2021, 1, 1), relationship="child"),
        )


def test_override_reason_given_at_reservation_is_recorded_on_the_stays(services, db, sc):
    women = services.create_structure(
        sc.programme.id, "T-DON", "Casa Donne", "SO", D(2014, 2, 1), targets=["women"], places=2
    )
    services.add_room(women.id, "Camera 1", 2)
    hh, man = single(services, "Luca", "M")
    with Unchanged(db), pytest.raises(TargetGroupError):
        services.reserve(hh.id, women.id, D(2023, 3, 1), held_from=D(2023, 2, 1))
    res = services.reserve(
        hh.id,
        women.id,
        D(2023, 3, 1),
        held_from=D(2023, 2, 1),
        override_reason="Emergenza freddo",
        note="Arriva in treno",
    )
    services.confirm_reservation(res.id)
    (stay,) = queries.person_history(db, man)
    assert "Emergenza freddo" in stay.override_reason
    # A reservation that needed no reason records none, whatever its note.
    other, woman = single(services, "Dora")
    res2 = services.reserve(
        other.id, women.id, D(2023, 3, 1), held_from=D(2023, 2, 1), note="Arriva in treno"
    )
    services.confirm_reservation(res2.id)
    assert queries.person_history(db, woman)[0].override_reason == ""


def test_whole_exit_before_an_earlier_partial_exit_is_refused_not_overwritten(services, db):
    """A member who already left on a later date keeps that date: the exit is refused."""
    sc = scenario(services)
    couple = services.register_household(
        [
            NewPerson("Yusuf", "Prova", "M", D(1985, 1, 1)),
            NewPerson("Ayşe", "Prova", "F", D(1987, 2, 2), relationship="partner"),
        ]
    )
    partner = couple.members[1].person.id
    pl = services.place(couple.id, sc.families.id, D(2023, 1, 10))
    services.record_exit(pl.id, D(2023, 6, 30), "socio_economic", person_ids=[partner])
    with Unchanged(db), pytest.raises(ValidationError):
        services.record_exit(pl.id, D(2023, 3, 1), "term_expired")
    (stay,) = [s for s in queries.person_history(db, partner)]
    assert stay.end_date == D(2023, 6, 30)


def test_placing_a_household_with_held_beds_asks_to_confirm_the_reservation(services, db, sc):
    res = services.reserve(sc.mother.id, sc.families.id, D(2023, 3, 1), held_from=D(2023, 2, 1))
    with Unchanged(db), pytest.raises(ValidationError) as info:
        services.place(sc.mother.id, sc.other.id, D(2023, 3, 1))
    assert "prenot" in str(info.value).lower() or "reserv" in str(info.value).lower()
    services.cancel_reservation(res.id, day=D(2023, 2, 20))
    services.place(sc.mother.id, sc.families.id, D(2023, 3, 1))
