"""Domain errors: each carries a message a coordinator understands, in their language."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation. ``str(error)`` is the translated message; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(DomainError):
    pass


class ValidationError(DomainError):
    pass


class NotAllowedError(DomainError):
    """The signed-in user's role does not allow the change (``models.access``)."""


class SignInRefused(DomainError):
    """A wrong login or password, a disabled or locked-out account: nothing says which."""


class BedOccupiedError(DomainError):
    pass


class PersonAlreadyPlacedError(DomainError):
    pass


class BedOutOfServiceError(DomainError):
    pass


class BedReservedError(DomainError):
    pass


class StructureFullError(DomainError):
    pass


class TargetGroupError(DomainError):
    """The structure's target group does not fit; an override with a reason is possible."""


class MinorAloneError(DomainError):
    pass


class ConcurrentEditError(DomainError):
    pass


class StructureBusyError(ConcurrentEditError):
    """Another PC holds the structure (it is saving there) longer than the lock timeout."""


class DatabaseProblem(DomainError):
    """The database cannot be used as it is (newer version, corrupted, network share...)."""


class DatabaseMissing(DatabaseProblem):
    """The local database file does not exist: it is created only when the user asks."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class LoginRefused(DatabaseProblem):
    """The shared server refused the user name or the password (or does not know the user).

    ``address`` is the server's address (never with a password), to ask for it again."""

    def __init__(self, message: str, address: str = "") -> None:
        super().__init__(message)
        self.address = address


class PasswordNeeded(LoginRefused):
    """The shared server asks for a password and none was given."""
