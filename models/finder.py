"""The free-bed finder (cerca posti liberi): which structures can take a household of so
many adults and minors on every night of a period, with the beds they would be given,
and why the others cannot (``backend.finder``).

The household need not be recorded yet (a referral on the waiting list): the answer is
the placement's own checks from ``models.rules`` — open structure and programme, target
group, the minors' rule, free beds for the whole period, the places on every night —
asked of the whole selection in a fixed number of statements whatever its size.
"""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import or_, select

from . import entities as e
from . import results as r
from . import rules
from .database import Database, collection_deferred
from .errors import ValidationError
from .i18n import _

# No household has more people than this: more is a typing mistake.
MOST_PEOPLE = 30
# From this many structures the stays are looked for by their dates rather than bed by
# bed, on SQLite (``rules.dates_first``): on the national demo network (8,000 structures)
# the two ways cost the same at about 1,500.
WHOLE_NETWORK = 2000


class _Slot(NamedTuple):
    """A place for one person of a household not recorded yet."""

    id: int


class _Structure(NamedTuple):
    """What the finder reads of a structure (``rules.StructureFacts``): plain columns,
    for a whole network."""

    id: int
    code: str
    name: str
    province: str
    confidential: bool
    opened_on: dt.date
    closed_on: dt.date | None
    targets: frozenset[e.TargetGroup]


class _Programme(NamedTuple):
    """What the finder reads of a programme (``rules.ProgrammeFacts``)."""

    id: int
    code: str
    sai_category: e.SaiCategory | None
    start_date: dt.date
    end_date: dt.date | None


def request_groups(
    adults: int, minors: int, target: e.TargetGroup | None
) -> frozenset[e.TargetGroup] | None:
    """The target groups a household of ``adults`` and ``minors`` is looked for as: the
    one asked for; otherwise what the numbers alone say (minors alone, a family, a
    single-parent family); None when they say nothing (one or more adults without
    minors: their sex decides), and no target group is checked."""
    if target is not None:
        return frozenset({target})
    if not adults:
        return frozenset({e.TargetGroup.MINORS})
    if minors:
        groups = {e.TargetGroup.FAMILIES}
        if adults == 1:
            groups.add(e.TargetGroup.SINGLE_PARENT)
        return frozenset(groups)
    return None


def check_request(start: dt.date, end: dt.date, adults: int, minors: int) -> None:
    """Refuse a period or a household that cannot be looked for."""
    if end <= start:
        raise ValidationError(_("The end of the period must come after its start."))
    if adults < 0 or minors < 0 or adults + minors == 0:
        raise ValidationError(_("Give the number of adults and minors: at least one person."))
    if adults + minors > MOST_PEOPLE:
        raise ValidationError(
            _("Too many people for one household: at most {count}.").format(count=MOST_PEOPLE)
        )


class Finder:
    """Free beds for a household over a period, through the placement's rules."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def free(
        self,
        start: dt.date,
        end: dt.date,
        *,
        adults: int = 1,
        minors: int = 0,
        target: e.TargetGroup | str | None = None,
        programme_code: str | None = None,
        province: str | None = None,
    ) -> list[r.FreeBedAnswer]:
        """Every structure of the selection, those that take the household on every night
        from ``start`` up to the night before ``end`` (the departure day, as a planned
        end) first, with the beds proposed; the others with their reasons. Structures
        closed, or in programmes ended, before ``start`` are left out."""
        check_request(start, end, adults, minors)
        wanted = e.TargetGroup(target) if target else None
        needed = adults + minors
        last_night = end - dt.timedelta(days=1)
        ids = (
            select(e.Structure.id)
            .join(e.Programme, e.Programme.id == e.Structure.programme_id)
            .where(
                or_(e.Structure.closed_on.is_(None), e.Structure.closed_on >= start),
                or_(e.Programme.end_date.is_(None), e.Programme.end_date >= start),
            )
        )
        if province:
            ids = ids.where(e.Structure.province == province.strip().upper())
        if programme_code:
            ids = ids.where(e.Programme.code == programme_code)
        # Tens of thousands of rows, tuples and messages: no cyclic collection meanwhile.
        with collection_deferred():
            with self.db.read() as s:
                structures: dict[int, _Structure] = {}
                programmes: dict[int, _Programme] = {}
                # Plain columns: a network has thousands of structures, in a thousand
                # programmes, each programme read once, each set of target groups too.
                programme_of: dict[int, _Programme] = {}
                targets_of: dict[str, frozenset[e.TargetGroup]] = {}
                for (
                    sid,
                    code,
                    name,
                    province_code,
                    confidential,
                    opened_on,
                    closed_on,
                    groups,
                    pid,
                    *programme_columns,
                ) in (
                    s.connection()
                    .execute(
                        select(
                            e.Structure.id,
                            e.Structure.code,
                            e.Structure.name,
                            e.Structure.province,
                            e.Structure.confidential,
                            e.Structure.opened_on,
                            e.Structure.closed_on,
                            e.Structure.target_groups,
                            e.Programme.id,
                            e.Programme.code,
                            e.Programme.sai_category,
                            e.Programme.start_date,
                            e.Programme.end_date,
                        )
                        .join(e.Programme, e.Programme.id == e.Structure.programme_id)
                        .where(e.Structure.id.in_(ids))
                    )
                    .all()
                ):  # in one fetch, not row by row
                    targets = targets_of.get(groups)
                    if targets is None:
                        targets = targets_of[groups] = e.stored_targets(groups)
                    structures[sid] = _Structure(
                        sid, code, name, province_code, confidential, opened_on, closed_on, targets
                    )
                    programme = programme_of.get(pid)
                    if programme is None:
                        programme = programme_of[pid] = _Programme(pid, *programme_columns)
                    programmes[sid] = programme
                if not structures:
                    return []
                slots = [_Slot(-i - 1) for i in range(needed)]
                names: dict[int, str] = {}
                # Most of a network: its stays of the period are fewer than its beds'
                # whole histories (``rules.dates_first``); a province, a programme: not.
                by_dates = len(structures) >= WHOLE_NETWORK and rules.dates_first(s)
                proposals = rules.proposals(
                    s,
                    list(structures),
                    slots,
                    start,
                    end,
                    None,
                    among=ids,
                    names=names,
                    explain=False,
                    by_dates=by_dates,
                )
                shortfalls = rules.capacity_shortfalls(
                    s,
                    start,
                    dict.fromkeys(structures, end),
                    needed=needed,
                    among=ids,
                    by_dates=by_dates,
                )
            asked = request_groups(adults, minors, wanted)
            # Minors without an adult: refused wherever the programme is not MSNA.
            alone_refused = rules.minor_alone_message() if minors and not adults else None
            ranked = []
            for sid, st in structures.items():
                programme = programmes[sid]
                proposal = proposals[sid]
                reasons = rules.structure_fit_reasons(
                    st,
                    programme,
                    start,
                    rules.target_groups_problem(st, asked) if asked is not None else None,
                    needed,
                    proposal,
                    shortfalls[sid],
                    last_night=last_night,
                    minor_alone=(
                        alone_refused
                        if alone_refused and not rules.unaccompanied_allowed(programme)
                        else None
                    ),
                )
                beds = (
                    tuple(r.ProposedBed(bed_id, names[bed_id]) for bed_id in proposal.values())
                    if proposal and not reasons
                    else ()
                )
                answer = r.FreeBedAnswer(
                    structure_id=sid,
                    structure_code=st.code,
                    structure_name=st.name,
                    province=st.province,
                    programme_id=programme.id,
                    programme_code=programme.code,
                    confidential=st.confidential,
                    fits=not reasons,
                    reasons=tuple(reasons),
                    beds=beds,
                )
                # Those that fit first; a structure's code is unique: no two keys are equal.
                ranked.append(((bool(reasons), st.province, programme.code, st.code), answer))
            ranked.sort(key=itemgetter(0))
        return [answer for _key, answer in ranked]
