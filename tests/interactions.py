"""What each screen and workflow asks of the database, as the screens ask it: the reads
of a search, a person's details, the placement and transfer dialogs, the structure page
and the dashboard, and the writes of a placement's life (place, extend, transfer, exit).

Used by the statement counts (tests/models/test_round_trips.py) and by the benchmark
(tests/benchmarks/run.py), so both measure the same thing. The reads are the views'
own loaders, called without a window (they run in a task in the application).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from models import entities as e
from models.backend import Backend
from models.results import NewPerson, PlacementInfo


@dataclass
class Network:
    """Where the interactions look, chosen the same way on any network."""

    day: dt.date
    programme_id: int  # the programme with most structures
    structure_id: int  # the structure with most beds
    household_id: int  # placed on ``day``, with the longest history
    person_id: int  # its reference person
    placement_id: int  # its running placement
    person_ids: tuple[int, ...]  # its members in a bed on ``day``
    full_name: str  # "last first" of a person with both names
    # the last row of the fifth page of a one-letter search
    deep_key: tuple[int, str, str, int] | None
    # (of the last full page on a smaller network; None: there is none)


def biggest_programme(backend: Backend) -> int:
    with backend.db.read() as s:
        return int(
            s.scalar(
                select(e.Structure.programme_id)
                .group_by(e.Structure.programme_id)
                .order_by(func.count().desc(), e.Structure.programme_id)
                .limit(1)
            )
        )


def survey(backend: Backend, day: dt.date) -> Network:
    """Find the programme, structure, household and people the interactions use."""
    db = backend.db
    with db.read() as s:
        beds = (
            select(e.Room.structure_id, func.count(e.Bed.id).label("n"))
            .join(e.Bed, e.Bed.room_id == e.Room.id)
            .group_by(e.Room.structure_id)
            .subquery()
        )
        structure_id = int(
            s.scalar(
                select(e.Structure.id)
                .join(beds, beds.c.structure_id == e.Structure.id)
                .where(e.Structure.opened_on <= day, e.Structure.closed_on.is_(None))
                .order_by(beds.c.n.desc(), e.Structure.opened_on, e.Structure.id)
                .limit(1)
            )
        )
        live = (
            select(e.BedStay.id)
            .where(
                e.BedStay.placement_id == e.Placement.id,
                e.BedStay.cancelled.is_(False),
                e.BedStay.start_date <= day,
                (e.BedStay.end_date.is_(None)) | (e.BedStay.end_date > day),
            )
            .exists()
        )
        other = e.Placement.__table__.alias("other")
        stays = (
            select(func.count(e.BedStay.id))
            .join(other, other.c.id == e.BedStay.placement_id)
            .where(other.c.household_id == e.Placement.household_id)
            .scalar_subquery()
        )
        household_id, placement_id = s.execute(
            select(e.Placement.household_id, e.Placement.id)
            .where(
                e.Placement.status == e.PlacementStatus.ACTIVE,
                e.Placement.planned_end.is_not(None),
                e.Placement.planned_end > day,
                live,
            )
            .order_by(stays.desc(), e.Placement.id)
            .limit(1)
        ).one()
        person_ids = tuple(
            s.scalars(
                select(e.BedStay.person_id)
                .where(
                    e.BedStay.placement_id == placement_id,
                    e.BedStay.cancelled.is_(False),
                    e.BedStay.start_date <= day,
                    (e.BedStay.end_date.is_(None)) | (e.BedStay.end_date > day),
                )
                .order_by(e.BedStay.person_id)
            )
        )
        person_id = int(
            s.scalar(
                select(e.HouseholdMember.person_id)
                .where(
                    e.HouseholdMember.household_id == household_id,
                    e.HouseholdMember.relationship_ == e.Relationship.REFERENCE,
                )
                .limit(1)
            )
        )
        last, first = s.execute(
            select(e.Person.last_name, e.Person.first_name)
            .where(e.Person.last_name != "", e.Person.first_name != "")
            .order_by(e.Person.id.desc())
            .limit(1)
        ).one()
    key: tuple[int, str, str, int] | None = None
    for _page in range(5):  # as deep as the network goes, five pages at most
        rows = backend.directory.search_people("a", after=key)
        if len(rows) < 200:
            break
        key = rows[-1].search_key
    return Network(
        day,
        biggest_programme(backend),
        structure_id,
        household_id,
        person_id,
        placement_id,
        person_ids,
        f"{last} {first}".lower(),
        key,
    )


def reads(backend: Backend, net: Network) -> dict[str, Callable[[], Any]]:
    """Each screen's reads, by name: what one click or keystroke makes the screen ask."""
    from views.dashboard import load_dashboard
    from views.dialogs.placement_workflow_dialog import read_placement
    from views.dialogs.structure_chooser import FitQuestion, programmes_readings, read_fit
    from views.people_page import load_household
    from views.selection import Selection
    from views.structure_page import load_structure

    day = net.day
    directory = backend.directory

    def transfer_dialog() -> Any:
        # As the dialog opened from a person (no destination chosen yet): the placement,
        # its household, who is in a bed and the programmes to choose from in one round
        # trip; the fit of every structure of the placement's programme; the beds of the
        # structure proposed (the first that fits). Opened from the planning board, with
        # the destination known, its beds come with the fit (``sheet_of``).
        at_hand, _rows, (open_ids, programmes) = read_placement(
            backend, net.placement_id, None, [day], *programmes_readings(backend, day)
        )
        assert at_hand is not None and programmes
        placement = at_hand.placement
        question = FitQuestion(
            net.household_id,
            net.person_ids,
            day,
            placement.planned_end,
            placement.programme_id,
        )
        answer = read_fit(backend, placement.programme_id, None, question, placement.programme_code)
        proposed = next(
            (st.id for st in answer.structures if answer.reports[st.id].fits),
            net.structure_id,
        )
        return answer, backend.sheets.sheet(proposed, day)

    return {
        "search, one letter": lambda: directory.search_people("a"),
        "search, three letters": lambda: directory.search_people("mar"),
        "search, full name": lambda: directory.search_people(net.full_name),
        "search, a deep page": lambda: directory.search_people("a", after=net.deep_key),
        "a person's details": lambda: load_household(backend, net.household_id, net.person_id, day),
        "placement dialog fit, biggest programme": lambda: read_fit(
            backend,
            net.programme_id,
            None,
            FitQuestion(net.household_id, None, day + dt.timedelta(days=1)),
        ),
        "transfer dialog": transfer_dialog,
        "structure page": lambda: load_structure(backend, net.structure_id, day),
        "dashboard": lambda: (
            load_dashboard(backend, day, Selection()),
            backend.occupancy.monthly(day, 12),
        ),
        # Actions › Find free beds…: a mother and a child, for a month, the whole network.
        "free-bed finder": lambda: backend.finder.free(
            day, day + dt.timedelta(days=30), adults=1, minors=1
        ),
        # The whole network's beds, then three months on every one of them.
        "planning board, three months": lambda: backend.planning.board(
            day - dt.timedelta(days=30), day + dt.timedelta(days=60)
        ),
    }


WRITES = ("place", "extend", "transfer", "exit")


class Writes:
    """A placement's life for a throw-away person: place, extend, transfer, exit, each
    one transaction; ``remove`` takes every row it made away again."""

    def __init__(self, backend: Backend, net: Network) -> None:
        self.backend = backend
        self.day = net.day
        self.made: list[tuple[int, int]] = []  # (household, person)
        self.first, self.second = self._two_structures(net)

    def _new(self) -> tuple[int, int]:
        household = self.backend.people.register_household(
            [NewPerson("Prova", f"Misura {len(self.made)}", "M", dt.date(1990, 1, 1))]
        )
        made = (household.id, household.members[0].person.id)
        self.made.append(made)
        return made

    def _two_structures(self, net: Network) -> tuple[int, int]:
        """Two structures of their own for men, in the biggest programme, with a room of
        four beds each: the same path through every check on any network."""
        programme = next(p for p in self.backend.directory.programmes() if p.id == net.programme_id)
        made = []
        for n in (1, 2):
            st = self.backend.structures.create_structure(
                programme.id,
                f"ZZ-MISURA-{n}-{uuid.uuid4().hex[:6]}",
                f"Misura {n}",
                "MI",
                programme.start_date,
                targets=["men"],
                places=4,
            )
            self.backend.structures.add_room(st.id, "Camera", 4)
            made.append(st.id)
        return made[0], made[1]

    def steps(self) -> dict[str, Callable[[], Any]]:
        """One placement's life, in order: each step uses the one before."""
        hid, _pid = self._new()
        day = self.day
        state: dict[str, PlacementInfo] = {}
        placements = self.backend.placements

        def place() -> None:
            state["p"] = placements.place(
                hid, self.first, day, planned_end=day + dt.timedelta(days=30)
            )

        def extend() -> None:
            p = state["p"]
            state["p"] = placements.extend(
                p.id, day + dt.timedelta(days=40), "Misura", version=p.version
            )

        def transfer() -> None:
            p = state["p"]
            state["p"] = placements.transfer(
                p.id, day + dt.timedelta(days=7), self.second, version=p.version
            )

        def exit_() -> None:
            p = state["p"]
            placements.record_exit(
                p.id, day + dt.timedelta(days=14), "socio_economic", version=p.version
            )

        return {"place": place, "extend": extend, "transfer": transfer, "exit": exit_}

    def remove(self) -> None:
        """Take away the rows made here; their audit entries stay (nobody may delete
        the audit trail)."""
        households = [h for h, _p in self.made]
        people = [p for _h, p in self.made]
        with self.backend.db.write() as s:
            placements = select(e.Placement.id).where(e.Placement.household_id.in_(households))
            s.execute(e.BedStay.__table__.delete().where(e.BedStay.person_id.in_(people)))
            s.execute(
                e.Extension.__table__.delete().where(e.Extension.placement_id.in_(placements))
            )
            s.execute(
                e.Placement.__table__.delete().where(e.Placement.household_id.in_(households))
            )
            s.execute(
                e.HouseholdMember.__table__.delete().where(
                    e.HouseholdMember.household_id.in_(households)
                )
            )
            s.execute(e.Person.__table__.delete().where(e.Person.id.in_(people)))
            s.execute(e.Household.__table__.delete().where(e.Household.id.in_(households)))
        self.made = []

    def remove_structures(self) -> None:
        """Take away the two structures made here (after ``remove``)."""
        ids = [self.first, self.second]
        with self.backend.db.write() as s:
            rooms = select(e.Room.id).where(e.Room.structure_id.in_(ids))
            s.execute(e.Bed.__table__.delete().where(e.Bed.room_id.in_(rooms)))
            s.execute(e.Room.__table__.delete().where(e.Room.structure_id.in_(ids)))
            s.execute(
                e.CapacityPeriod.__table__.delete().where(e.CapacityPeriod.structure_id.in_(ids))
            )
            s.execute(e.Structure.__table__.delete().where(e.Structure.id.in_(ids)))
