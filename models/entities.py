"""ORM entities of the domain (SQLAlchemy 2, typed ``Mapped[]``).

Italian words users say are given beside each class. The schema itself is owned by
Alembic (``models/migrations``); a test checks that these classes match it.

Every relationship is ``lazy="raise_on_sql"``: a read names the related rows it needs
(``selectinload``, ``joinedload``), so loading them one row at a time (N+1 statements,
each a round trip to a remote server) fails the tests instead of slowing an office down.
Rows already in the session are still reached without a statement.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as the value string with a CHECK constraint on both engines: readable in
    # psql and sqlite3, and no PostgreSQL ENUM type for migrations to alter.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class ProgrammeKind(enum.StrEnum):
    SAI = "sai"
    ANTI_TRAFFICKING = "anti_trafficking"
    OTHER = "other"


class SaiCategory(enum.StrEnum):
    ORD = "ord"
    DM_DS = "dm_ds"
    MSNA = "msna"


class TargetGroup(enum.StrEnum):
    """Target groups of a structure (destinatari)."""

    MEN = "men"
    WOMEN = "women"
    FAMILIES = "families"
    SINGLE_PARENT = "single_parent"
    LGBTQIA = "lgbtqia"
    TRANSGENDER = "transgender"
    MINORS = "minors"


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"
    OTHER = "X"


class LegalStatus(enum.StrEnum):
    ASYLUM_SEEKER = "asylum_seeker"
    REFUGEE = "refugee"
    SUBSIDIARY_PROTECTION = "subsidiary_protection"
    SPECIAL_PROTECTION = "special_protection"
    ART18_PERMIT = "art18_permit"
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    OTHER = "other"


class Relationship(enum.StrEnum):
    REFERENCE = "reference"
    PARTNER = "partner"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    OTHER = "other"


class ExitReason(enum.StrEnum):
    SOCIO_ECONOMIC = "socio_economic"
    TERM_EXPIRED = "term_expired"
    VOLUNTARY_ABANDONMENT = "voluntary_abandonment"
    REVOCATION = "revocation"
    ASSISTED_RETURN = "assisted_return"
    TRANSFER_OTHER_PROJECT = "transfer_other_project"
    DUBLIN_TRANSFER = "dublin_transfer"
    OTHER = "other"


class PlacementStatus(enum.StrEnum):
    ACTIVE = "active"
    EXITED = "exited"
    CANCELLED = "cancelled"


class ReservationStatus(enum.StrEnum):
    HELD = "held"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Versioned:
    """Optimistic concurrency: a version counter checked on every UPDATE."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class Programme(Versioned, Base):
    """Progetto SAI / programma art. 18."""

    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProgrammeKind] = mapped_column(_enum(ProgrammeKind, "programme_kind"))
    sai_category: Mapped[SaiCategory | None] = mapped_column(
        _enum(SaiCategory, "sai_category"), nullable=True
    )
    holder: Mapped[str] = mapped_column(String(200), default="")
    managing_partner: Mapped[str] = mapped_column(String(200), default="")
    # Comma-separated province codes, sorted (migration 0006); see ``province_codes``.
    provinces: Mapped[str] = mapped_column(String(200), default="", server_default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    structures: Mapped[list[Structure]] = relationship(
        back_populates="programme", lazy="raise_on_sql"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date > start_date", name="dates"),)

    @property
    def province_codes(self) -> tuple[str, ...]:
        return tuple(p for p in self.provinces.split(",") if p)


def stored_targets(stored: str) -> frozenset[TargetGroup]:
    """The target groups a structure's ``target_groups`` column holds (comma-separated
    values), also for a list that reads the column alone."""
    return frozenset(TargetGroup(t) for t in stored.split(",") if t)


class Structure(Versioned, Base):
    """Struttura, appartamento."""

    __tablename__ = "structure"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    comune: Mapped[str] = mapped_column(String(120), default="")
    province: Mapped[str] = mapped_column(String(2), index=True)
    # Comma-separated TargetGroup values, sorted; see ``targets``.
    target_groups: Mapped[str] = mapped_column(String(200), default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    programme: Mapped[Programme] = relationship(back_populates="structures", lazy="raise_on_sql")
    rooms: Mapped[list[Room]] = relationship(
        back_populates="structure", order_by="Room.name", lazy="raise_on_sql"
    )
    capacity_periods: Mapped[list[CapacityPeriod]] = relationship(
        back_populates="structure", order_by="CapacityPeriod.valid_from", lazy="raise_on_sql"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (CheckConstraint("closed_on IS NULL OR closed_on > opened_on", name="dates"),)

    @property
    def targets(self) -> frozenset[TargetGroup]:
        return stored_targets(self.target_groups)

    @targets.setter
    def targets(self, value: set[TargetGroup] | frozenset[TargetGroup]) -> None:
        self.target_groups = ",".join(sorted(TargetGroup(t).value for t in value))


class CapacityPeriod(Base):
    """Capienza: places authorised from a date until the next period."""

    __tablename__ = "capacity_period"
    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    places: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(300), default="")

    structure: Mapped[Structure] = relationship(
        back_populates="capacity_periods", lazy="raise_on_sql"
    )
    __table_args__ = (
        UniqueConstraint("structure_id", "valid_from"),
        CheckConstraint("places >= 0", name="places"),
    )


class StructureMove(Base):
    """A structure passed from one programme to another on ``moved_on``: it counts under
    ``from_programme_id`` up to the night before and under ``to_programme_id`` from that
    night (migration 0006). ``Structure.programme_id`` is always its latest programme;
    the programme of an earlier night is the ``from_programme_id`` of the first move
    after that night (``occupancy_counts.programme_on``)."""

    __tablename__ = "structure_move"
    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"))
    from_programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    to_programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    moved_on: Mapped[dt.date] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("structure_id", "moved_on"),)


class Room(Base):
    """Stanza."""

    __tablename__ = "room"
    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # A rename checks it (migration 0006); written by the database for bulk inserts.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    structure: Mapped[Structure] = relationship(back_populates="rooms", lazy="raise_on_sql")
    beds: Mapped[list[Bed]] = relationship(
        back_populates="room", order_by="Bed.label", lazy="raise_on_sql"
    )
    __table_args__ = (UniqueConstraint("structure_id", "name"),)


class Bed(Base):
    """Posto letto."""

    __tablename__ = "bed"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    # Not in service from this night on (migration 0006): a bed with history is never
    # deleted, it is retired.
    retired_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    room: Mapped[Room] = relationship(back_populates="beds", lazy="raise_on_sql")
    __table_args__ = (UniqueConstraint("room_id", "label"),)


class BedOutage(Base):
    """A bed out of service for ``[start_date, end_date)`` (repairs, closure)."""

    __tablename__ = "bed_outage"
    id: Mapped[int] = mapped_column(primary_key=True)
    bed_id: Mapped[int] = mapped_column(ForeignKey("bed.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    __table_args__ = (CheckConstraint("end_date IS NULL OR end_date > start_date", name="dates"),)


class Person(Versioned, Base):
    """Ospite, beneficiario."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    alias: Mapped[str] = mapped_column(String(120), default="")
    sex: Mapped[Sex] = mapped_column(_enum(Sex, "sex"))
    gender_identity: Mapped[str] = mapped_column(String(80), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    citizenship: Mapped[str] = mapped_column(String(80), default="")
    legal_status: Mapped[LegalStatus] = mapped_column(
        _enum(LegalStatus, "legal_status"), default=LegalStatus.OTHER
    )
    # Lower-case "first last alias code", kept by the services, for search as you type.
    search_text: Mapped[str] = mapped_column(String(500), default="")

    __mapper_args__ = {"version_id_col": Versioned.version}
    # The search's order, holding the text searched: see migration 0005.
    __table_args__ = (
        Index("ix_person_name_search", "last_name", "first_name", "id", "search_text"),
    )

    def is_minor_on(self, day: dt.date) -> bool:
        return is_minor(self.birth_date, day)


def is_minor(birth_date: dt.date | None, day: dt.date) -> bool:
    if birth_date is None:
        return False
    years = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return years < 18


class Household(Versioned, Base):
    """Nucleo familiare (monogenitoriale when one adult with minors)."""

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", order_by="HouseholdMember.id", lazy="raise_on_sql"
    )
    __mapper_args__ = {"version_id_col": Versioned.version}


class HouseholdMember(Base):
    __tablename__ = "household_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    # A person belongs to one household.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    relationship_: Mapped[Relationship] = mapped_column(
        "relationship", _enum(Relationship, "relationship")
    )

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise_on_sql")
    person: Mapped[Person] = relationship(lazy="raise_on_sql")


class Placement(Versioned, Base):
    """Inserimento, accoglienza: a household's stay in a programme."""

    __tablename__ = "placement"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    entry_date: Mapped[dt.date] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    exit_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    exit_reason: Mapped[ExitReason | None] = mapped_column(
        _enum(ExitReason, "exit_reason"), nullable=True
    )
    exit_destination: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[PlacementStatus] = mapped_column(
        _enum(PlacementStatus, "placement_status"), default=PlacementStatus.ACTIVE, index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household] = relationship(lazy="raise_on_sql")
    programme: Mapped[Programme] = relationship(lazy="raise_on_sql")
    extensions: Mapped[list[Extension]] = relationship(order_by="Extension.id", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("exit_date IS NULL OR exit_date >= entry_date", name="dates"),
    )


class Extension(Base):
    """Proroga of a placement's planned end."""

    __tablename__ = "extension"
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    previous_planned_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    new_planned_end: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    authorised_by: Mapped[str] = mapped_column(String(200), default="")
    granted_on: Mapped[dt.date] = mapped_column(Date)


class BedStay(Base):
    """Assegnazione letto: one person in one bed for ``[start_date, end_date)``.

    The database refuses two live stays of one bed, or of one person, on the same
    night (PostgreSQL exclusion constraints, SQLite triggers).
    """

    __tablename__ = "bed_stay"
    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    bed_id: Mapped[int] = mapped_column(ForeignKey("bed.id"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why a target-group rule was overridden for this stay, if it was.
    override_reason: Mapped[str] = mapped_column(String(500), default="")

    placement: Mapped[Placement] = relationship(lazy="raise_on_sql")
    person: Mapped[Person] = relationship(lazy="raise_on_sql")
    bed: Mapped[Bed] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date > start_date", name="dates"),
        Index("ix_bed_stay_bed_dates", "bed_id", "start_date", "end_date"),
        Index("ix_bed_stay_person_dates", "person_id", "start_date", "end_date"),
        Index("ix_bed_stay_dates", "start_date", "end_date"),
        # Stays still open or ending after a date (occupancy today): see migration 0003.
        Index("ix_bed_stay_end_dates", "end_date", "start_date"),
        # The open stays alone, by bed: is this bed occupied today? See migration 0004.
        Index(
            "ix_bed_stay_open",
            "bed_id",
            "start_date",
            sqlite_where=text("end_date IS NULL AND cancelled IS 0"),
            postgresql_where=text("end_date IS NULL AND cancelled IS false"),
        ),
    )


class Reservation(Versioned, Base):
    """Prenotazione: beds held for a household expected on a date.

    The beds are held from ``held_from`` until the reservation is confirmed or
    cancelled (``closed_on``).
    """

    __tablename__ = "reservation"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), index=True)
    held_from: Mapped[dt.date] = mapped_column(Date)
    expected_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[ReservationStatus] = mapped_column(
        _enum(ReservationStatus, "reservation_status"), default=ReservationStatus.HELD
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    beds: Mapped[list[ReservationBed]] = relationship(
        order_by="ReservationBed.id", lazy="raise_on_sql"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}


class ReservationBed(Base):
    __tablename__ = "reservation_bed"
    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("reservation.id"), index=True)
    bed_id: Mapped[int] = mapped_column(ForeignKey("bed.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)


class AuditEntry(Base):
    """Audit trail of every change. Holds ids, dates and reasons, never names."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)


class ChangeLog(Base):
    """Every insert, update and delete of the recorded tables, written by the database's
    own triggers (see models/change_log.py): who (the database user), when, which record,
    and its values before and after as JSON. Holds names: read only where the role may."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False), server_default=func.now())
    db_user: Mapped[str] = mapped_column(String(120), default="")
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(1))
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_change_log_record", "table_name", "row_id"),)


class RequestStatus(enum.StrEnum):
    WAITING = "waiting"
    PLACED = "placed"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class RequestNeed(enum.StrEnum):
    """Needs a referral names, for the coordinator who chooses the structure."""

    GROUND_FLOOR = "ground_floor"
    ACCESSIBLE = "accessible"
    MEDICAL = "medical"


class PlacementRequest(Versioned, Base):
    """Richiesta di inserimento on the waiting list (lista d'attesa): a household referred
    for a place (by the SAI central service, a prefecture, a social service) and waiting.

    Never deleted: placing closes it with the placement and the day (the wait); a
    withdrawn or expired request keeps its status, day and reason.
    """

    __tablename__ = "placement_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    referral_code: Mapped[str] = mapped_column(String(60), default="")
    referral_date: Mapped[dt.date] = mapped_column(Date)
    referring_body: Mapped[str] = mapped_column(String(200), default="")
    target_group: Mapped[TargetGroup | None] = mapped_column(
        _enum(TargetGroup, "request_target_group"), nullable=True
    )
    adults: Mapped[int] = mapped_column(Integer, default=1)
    minors: Mapped[int] = mapped_column(Integer, default=0)
    # Comma-separated RequestNeed values, sorted.
    needs: Mapped[str] = mapped_column(String(200), default="")
    # 1 urgent, 2 high, 3 normal
    priority: Mapped[int] = mapped_column(Integer, default=3)
    province: Mapped[str] = mapped_column(String(2), default="")
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), nullable=True)
    # How long the stay is expected to last: the period the free-bed finder looks at.
    stay_days: Mapped[int] = mapped_column(Integer, default=180)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus, "request_status"), default=RequestStatus.WAITING, index=True
    )
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    close_reason: Mapped[str] = mapped_column(String(500), default="")
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"), nullable=True)

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("adults >= 0 AND minors >= 0 AND adults + minors > 0", name="people"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority"),
        CheckConstraint("stay_days > 0", name="stay_days"),
        CheckConstraint("closed_on IS NULL OR closed_on >= referral_date", name="dates"),
    )

    @property
    def need_set(self) -> frozenset[RequestNeed]:
        return frozenset(RequestNeed(n) for n in self.needs.split(",") if n)


class AppUser(Versioned, Base):
    """Utente: someone who signs in, with a role (``models.access.Role``). On the shared
    server each is also a PostgreSQL login of the same name (no password kept here); on a
    local file the password's argon2id hash is kept here, with the failed sign-ins that
    lock the account for a while."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(63), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=False), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=False), server_default=func.now()
    )

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint(
            "role IN ('administrator', 'coordinator', 'operator', 'reader')", name="role"
        ),
    )


class AppUserProgramme(Base):
    """A programme assigned to a user (coordinators, operators, readers)."""

    __tablename__ = "app_user_programme"
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), primary_key=True)
