"""Migration operations that run only on PostgreSQL (trigram indexes, search triggers); SQLite keeps the state only."""

from django.db.migrations.operations import AddIndex, RunSQL


class AddPostgresIndex(AddIndex):
    """AddIndex for PostgreSQL-only index types (GIN trigram); a no-op on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RunPostgresSQL(RunSQL):
    """RunSQL for PostgreSQL-only objects (triggers, functions, expression indexes); a no-op elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def change_trail_sql(table: str, centre_sql: str = "NULL") -> tuple[str, str]:
    """SQL that attaches the change trail (docs/decisions/0008) to `table`, and SQL that detaches it.

    Three statement-level triggers with transition tables: a bulk UPDATE of 10,000 rows costs one
    INSERT ... SELECT, not 10,000 trigger calls. `centre_sql` computes the row's centre from `c.r`, the row
    as jsonb (e.g. "(c.r->>'centre_id')::bigint"); the function is accounts' socius_change_trail().
    """
    centre_literal = centre_sql.replace("'", "''")
    forwards = "\n".join(
        f"CREATE TRIGGER socius_trail_{op.lower()} AFTER {op} ON {table} "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION socius_change_trail('{centre_literal}');"
        for op, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    )
    backwards = "\n".join(f"DROP TRIGGER socius_trail_{op} ON {table};" for op in ("insert", "update", "delete"))
    return forwards, backwards


class AttachChangeTrail(RunPostgresSQL):
    """Record every insert, update and delete of `table` in the change trail; a no-op on SQLite."""

    def __init__(self, table: str, centre_sql: str = "NULL"):
        self.table, self.centre_sql = table, centre_sql
        forwards, backwards = change_trail_sql(table, centre_sql)
        super().__init__(forwards, reverse_sql=backwards)

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table], {"centre_sql": self.centre_sql})

    def describe(self):
        return f"Attach the change trail to {self.table}"
