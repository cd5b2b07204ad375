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
