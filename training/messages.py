"""Exceptions as the one line people read, in the command line and in the window."""

from __future__ import annotations


def one_line(exc: BaseException) -> str:
    """``str(exc)`` on one line (tracebacks and multi-line Keras errors folded).

    Falls back to the exception's class name when it has no message, so a message
    built around it never reads "failed: ".
    """
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
