"""A mistake in a (site's own) template, as one line naming the file and line."""

from __future__ import annotations

from types import TracebackType

import jinja2

from hotpapers.errors import InputError


def template_error(exc: jinja2.TemplateError) -> InputError:
    """A mistake in a (site's own) template as one line naming the file and line."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return InputError(f"template {exc.name} not found")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}, line {exc.lineno}"
    else:
        where = _template_frame(exc.__traceback__)
    return InputError(f"template {where}: {exc.message}")


def _template_frame(traceback: TracebackType | None) -> str:
    """The innermost template file and line in a traceback (Jinja writes templates'
    own lines into the tracebacks of errors raised while rendering)."""
    where = "unknown"
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            where = f"{code.co_filename}, line {traceback.tb_lineno}"
        traceback = traceback.tb_next
    return where
