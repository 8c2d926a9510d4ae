"""Which KOReader documents wait for their book: pushed while no book had them, now known.

Plain SQL text with no ORM behind it, so the quick unchanged import (`importer.unchanged`) can
ask the same question as the adoption that answers it (`pushes.adopt_documents`).
"""

WAITING_DOCUMENTS_SQL = """SELECT DISTINCT document FROM progress_event
   WHERE book_id IS NULL AND document IN (SELECT document FROM document_alias)"""
