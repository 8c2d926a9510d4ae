"""The books on this computer: storage, metadata, import and reading-state rules."""
