"""Reading ebook files: one reader per format plus the value rules they share.

`reader` recognises a file's format from its bytes and dispatches to `epub`, `mobi` or
`pdf_cbz_fb2`; `identifiers`, `isbn`, `languages` and `naming` tidy what the files say;
`covers` resizes cover images; `koreader_hash` computes KOReader's document digests;
`epub_write` writes given metadata into an EPUB's package document. No database access here.
"""
