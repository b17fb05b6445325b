"""Faults of a (site's own) template as one line naming the file and line: a mistake
Jinja finds, any exception raised while the template renders, a file that is not UTF-8,
a filter given what it does not take, and a record's attribute or a name that is not there
(with the field or name it likely stands for)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, MutableMapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from hotpapers.errors import InputError
from hotpapers.guesses import close_names, closest
from hotpapers.models import Mention, Paper, RankedPaper


class TemplateFolder(jinja2.FileSystemLoader):
    """The templates of one folder, read as UTF-8 without a byte order mark (one would
    hide a post's leading `---`)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder, encoding="utf-8-sig")
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise InputError(
                f"template {self.folder / template}, line {line}: not UTF-8 text; save it as UTF-8"
            ) from None


class FieldUndefined(jinja2.StrictUndefined):
    """Jinja's StrictUndefined, saying a record's missing attribute in words with the names it
    likely stands for ('a Paper has no attribute 'coment' (did you mean comment?)'), or the
    record's fields: Jinja named the class's module path and no field."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        fields: tuple[str, ...] | None = getattr(type(self._undefined_obj), "__struct_fields__", None)
        if self._undefined_hint or fields is None or not isinstance(self._undefined_name, str):
            return str(super()._undefined_message)
        close = close_names(self._undefined_name, fields, 2)
        hint = f"did you mean {' or '.join(close)}?" if close else f"its fields: {', '.join(fields)}"
        return f"a {type(self._undefined_obj).__name__} has no attribute {self._undefined_name!r} ({hint})"


def template_error(exc: Exception, env: jinja2.Environment, given: Iterable[str] = ()) -> InputError:
    """`exc`, raised by a template, as one line naming its file and line; `given`: the names
    the template was rendered with, for the "did you mean" of a name it uses and is not given."""
    if isinstance(exc, jinja2.TemplateNotFound):
        where = _template_frame(exc.__traceback__)
        close = closest(str(exc.name), env.list_templates(), cutoff=0.8)
        hint = f" (did you mean {close}?)" if close else ""
        included = f", included from {where}" if where != "unknown" else ""
        return InputError(f"template {exc.name} not found{hint}{included}")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        hint = _did_you_mean(exc.message or "", env)
        return InputError(f"template {exc.filename or exc.name}, line {exc.lineno}: {exc.message}{hint}")
    where = _template_frame(exc.__traceback__)
    if isinstance(exc, jinja2.UndefinedError):
        return InputError(f"template {where}: {exc.message}{_name_meant(exc.message or '', where, env, given)}")
    if isinstance(exc, jinja2.TemplateError):
        return InputError(f"template {where}: {exc.message}")
    return InputError(f"template {where}: {exc or 'failed'} ({type(exc).__name__})")


_UNKNOWN = re.compile(r"No (filter|test) named '([^']*)'")


def _did_you_mean(message: str, env: jinja2.Environment) -> str:
    """For a filter or test that `env` does not have, the names closest to it."""
    unknown = _UNKNOWN.match(message)
    if unknown is None:
        return ""
    names = env.filters if unknown[1] == "filter" else env.tests
    close = close_names(unknown[2], names, 3)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


_UNDEFINED = re.compile(r"'([^']*)' is undefined")


def _name_meant(message: str, where: str, env: jinja2.Environment, given: Iterable[str]) -> str:
    """For a name a template uses and is neither given nor sets, the names closest to it among
    those it is given (`given`, Jinja's globals) and those it sets (a loop's `item`), which the
    file `where` names holds."""
    unknown = _UNDEFINED.fullmatch(message)
    if unknown is None:
        return ""
    names = {*given, *env.globals}
    with contextlib.suppress(OSError, UnicodeError, jinja2.TemplateError):
        parsed = env.parse(Path(where.rpartition(", line ")[0]).read_text(encoding="utf-8-sig"))
        names.update(node.name for node in parsed.find_all(jinja2.nodes.Name) if node.ctx in ("store", "param"))
    close = close_names(unknown[1], sorted(names), 2)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


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


_TEXT_FILTERS = ("md_text", "md_heading", "local_time", "utc_stamp")
"""The filters that write one text (a time stamp for the last two)."""


def _text_filter(name: str, filter: Callable[[str], str]) -> Callable[[object], str]:
    """The filter `name` writing nothing for None, the value of a field a snapshot may
    leave out (a paper's `comment`, a mention's `created_at`): a site's template that
    writes one must not fail on the day a snapshot has none. Anything else but text is
    refused in words (a list of authors, a score), and an undefined name as Jinja says it."""

    def checked(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return filter(value)
        if isinstance(value, jinja2.Undefined):
            return str(value)  # a StrictUndefined raises Jinja's own error, naming what is undefined
        if isinstance(value, list | tuple):
            given = f"""a list: join it first, as `| join(", ") | {name}`"""
        else:
            given = "a number" if isinstance(value, int | float) else f"a {type(value).__name__}"
        raise TypeError(f"{name} writes one text, not {given}")

    return checked


_TAKEN = {
    "abs_link": (Paper, "a paper", "item.paper"),
    "pdf_link": (Paper, "a paper", "item.paper"),
    "engagement": (RankedPaper, "a paper of the post", "item"),
    "embed": (Mention, "a mention", "mention"),
}
"""The filters that take an object, what they take, and how the bundled templates name one."""


def check_arguments(filters: MutableMapping[str, Callable[..., Any]]) -> None:
    """Each filter of _TAKEN refusing anything else than it takes, in words: `item.paper |
    engagement` failed with "'Paper' object has no attribute 'platforms'". An undefined value
    goes on, for Jinja to name it. And the text filters as _text_filter has them."""
    for name in _TEXT_FILTERS:
        filters[name] = _text_filter(name, filters[name])
    for name, taken in _TAKEN.items():
        filters[name] = _taking(name, *taken, filters[name])


def _taking(name: str, kind: type, what: str, example: str, filter: Callable[..., Any]) -> Callable[[object], Any]:
    def checked(value: object) -> Any:
        if isinstance(value, kind | jinja2.Undefined):
            return filter(value)
        raise TypeError(f"{name} takes {what}, `{example} | {name}`, not a {type(value).__name__}")

    return checked
