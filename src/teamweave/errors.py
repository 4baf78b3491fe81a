"""One error hierarchy for the whole product.

Services raise these; the web app turns them into a page or JSON, the CLI into a one-line message.
They carry where the problem is (file, line, field) and, when useful, a hint for the user.
"""

from __future__ import annotations


class TeamweaveError(Exception):
    """Base of every expected error. ``status`` is the HTTP status the web layer answers with."""

    status: int = 400

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class NotFound(TeamweaveError):
    status = 404


class Forbidden(TeamweaveError):
    status = 403


class NotAuthenticated(TeamweaveError):
    status = 401


class BelowPrivacyThreshold(TeamweaveError):
    """An aggregate covers fewer people than the minimum group size k."""

    status = 403

    def __init__(self, size: int, k: int, *, where: str | None = None) -> None:
        super().__init__(
            f"too few people to show ({size} < {k})",
            where=where,
            hint="aggregates are shown only over at least k people",
        )
        self.size = size
        self.k = k


class ConfigurationError(TeamweaveError):
    status = 500


class InputFormatError(TeamweaveError):
    """Bad input, located as precisely as the source allows: file, line (1-based) and field."""

    status = 422

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        parts = [p for p in (file, f"line {line}" if line is not None else None) if p]
        if field:
            parts.append(f"field '{field}'")
        super().__init__(message, where=", ".join(parts) or None, hint=hint)
        self.file = file
        self.line = line
        self.field = field
