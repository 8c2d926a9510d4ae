"""The year in review: `figures` holds the pure rules (which reads a year holds, re-reads, the
top authors, the KOReader time figures), `gather` reads what they need from the library in a few
aggregate queries, `report` turns them into what `stats year --json` prints. Imports no Qt."""
