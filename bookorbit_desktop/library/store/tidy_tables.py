"""The models of the tidy journal's tables (`tidy_schema`), for the schema check and for
readers that prefer the ORM; `library.files.journal` writes them in plain SQL."""

from __future__ import annotations

from peewee import AutoField, FloatField, ForeignKeyField, IntegerField, TextField

from bookorbit_desktop.library.store.models import BaseModel


class TidyBatch(BaseModel):
    id = AutoField()
    created_at = FloatField()
    undoes = ForeignKeyField("self", null=True, on_delete="SET NULL", column_name="undoes")
    undone_at = FloatField(null=True)

    class Meta:
        table_name = "tidy_batch"


class TidyMove(BaseModel):
    id = AutoField()
    batch = ForeignKeyField(TidyBatch, on_delete="CASCADE", column_name="batch_id")
    book_file_id = IntegerField()
    old_path = TextField()
    new_path = TextField()
    copy = IntegerField()  # how: 0 rename, 1 copy then delete, 2 copy kept, 3 drop the copy
    state = TextField()

    class Meta:
        table_name = "tidy_move"
        indexes = ((("batch", "id"), False),)
