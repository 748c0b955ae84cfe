"""The one shape of a driver's error: a stable ``code`` that the device layer turns into a state
or a fault, and a plain ``message`` for the technician (naming the port or the frame, never a
citizen's data). Each driver subclasses it so a caller still catches only its own."""

from __future__ import annotations


class DriverError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
