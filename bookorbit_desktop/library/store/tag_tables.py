"""The models of the tag tables (`tag_schema`): a tag, and which books carry it."""

from __future__ import annotations

from peewee import AutoField, CompositeKey, ForeignKeyField, TextField

from bookorbit_desktop.library.store.models import BaseModel, Book


class Tag(BaseModel):
    """A tag of the user's own; its name is unique without regard to case."""

    id = AutoField()
    name = TextField(unique=True, collation="NOCASE")


class BookTag(BaseModel):
    """A book carries a tag."""

    book = ForeignKeyField(Book, on_delete="CASCADE")
    book_id: int
    tag = ForeignKeyField(Tag, on_delete="CASCADE")
    tag_id: int

    class Meta:
        table_name = "book_tag"
        primary_key = CompositeKey("book", "tag")
