"""Small ORM queries that every request asks, built once per process and then only executed.

Who is logged in, their unread count, an API token: each is one tiny indexed lookup, yet building
it with the ORM (filter, compile to SQL, converters) cost about 0.4 ms of Python per query, more
than the database's work and a large part of a small page (issue 18). A ``Prepared`` query is
written with the ORM as usual, with placeholders (``Param``) where the request's values go; its
SQL and its result converters are made by the ORM on first use for each database connection
alias, and each later call only substitutes the values, executes and converts. The SQL is
therefore the ORM's own, for SQLite and PostgreSQL alike, and every call is a normal cursor
execution (counted by assertNumQueries, seen by execute wrappers).

Only for queries whose SQL depends on nothing but the model and the placeholders: not on the
time, the time zone, the language or settings that change while the process runs.
"""

from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators


class Param:
    """A placeholder for one value of the query, given at each call by position.

    ``example`` is a value of the right type that appears nowhere else among the query's
    parameters: the ORM turns it into a parameter of the SQL, whose position is then known.
    ``adapt(connection, value)`` is what the ORM makes of a value of this type for the database
    (say ``adapt_datetimefield_value`` for a time), when it is not the value itself.
    """

    def __init__(self, example, adapt=None):
        self.example = example
        self.adapt = adapt or (lambda connection, value: value)


def a_time(example):
    """A placeholder for a moment (a ``DateTimeField`` compared with it)."""
    return Param(example, lambda connection, value: connection.ops.adapt_datetimefield_value(value))


class Prepared:
    """``build(*examples)`` is the query as a QuerySet (``values_list`` rows, or model
    instances, with the rows ``select_related`` names); ``rows(*values)`` executes it with
    ``values``."""

    def __init__(self, build, *params: Param):
        self._build = build
        self._params = params
        self._compiled = {}  # connection alias -> _Compiled

    def rows(self, *values, using="default") -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = _Compiled(self._build, self._params, using)
        return compiled.rows(values)

    def first(self, *values, using="default"):
        """The first row (or instance), or None."""
        found = self.rows(*values, using=using)
        return found[0] if found else None


class _Compiled:
    def __init__(self, build, params, using):
        queryset = build(*(param.example for param in params))
        compiler = queryset.query.get_compiler(using=using)
        self.sql, constants = compiler.as_sql()
        connection = connections[using]
        examples = [param.adapt(connection, param.example) for param in params]
        self.slots = [_slot(value, examples) for value in constants]
        if sorted(slot for slot in self.slots if slot is not None) != list(range(len(params))):
            raise ValueError(f"Each placeholder must appear once in the query: {self.sql}")
        self.adapters = [param.adapt for param in params]
        self.constants = list(constants)
        columns = [select[0] for select in compiler.select[: compiler.col_count]]
        self.converters = [
            (position, converters, expression)
            for position, (converters, expression) in compiler.get_converters(columns).items()
        ]
        self.model = _model_of(queryset, compiler)
        self.using = using
        # What Django's ModelIterable makes the rows ``select_related`` follows from.
        klass_info = compiler.klass_info if self.model else None
        self.related = None
        if klass_info and klass_info.get("related_klass_infos"):
            self.related = (klass_info, compiler.select, queryset._fetch_mode)

    def rows(self, values) -> list:
        connection = connections[self.using]
        parameters = [
            self.adapters[slot](connection, values[slot]) if slot is not None else constant
            for slot, constant in zip(self.slots, self.constants, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, parameters)
            found = cursor.fetchall()
        if self.converters:
            found = [self._convert(row, connection) for row in found]
        if self.model is None:
            return [tuple(row) for row in found]
        model, names = self.model
        if self.related is None:
            return [model.from_db(self.using, names, row) for row in found]
        klass_info, select, fetch_mode = self.related
        populators = get_related_populators(klass_info, select, self.using, fetch_mode)
        made = []
        for row in found:
            instance = model.from_db(self.using, names, row[: len(names)])
            for populator in populators:
                populator.populate(row, instance)
            made.append(instance)
        return made

    def _convert(self, row, connection) -> list:
        row = list(row)
        for position, converters, expression in self.converters:
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        return row


def _slot(value, examples):
    """Which placeholder a parameter of the SQL is, or None for a constant of the query."""
    slots = [index for index, example in enumerate(examples) if value == example]
    if len(slots) > 1:
        raise ValueError("Two placeholders have the same example.")
    return slots[0] if slots else None


def _model_of(queryset, compiler):
    """(model, attribute names) when the query yields model instances, else None. The model's
    own columns come first; those of the rows ``select_related`` follows come after them."""
    if queryset._iterable_class is not ModelIterable:
        return None
    klass_info = compiler.klass_info
    names = [compiler.select[index][0].target.attname for index in klass_info["select_fields"]]
    if klass_info["select_fields"] != list(range(len(names))) or compiler.annotation_col_map:
        raise ValueError("Prepared model queries select the model's own columns only.")
    return klass_info["model"], names
