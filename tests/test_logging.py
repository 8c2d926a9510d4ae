"""Logging: a rotating file in the log folder, stderr only with -v, secrets masked."""

from __future__ import annotations

import logging
import logging.handlers

import pytest

from bookorbit_desktop.logging_setup import LOG_FILENAME, setup_logging


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_file_only_by_default(tmp_path, capsys):
    log_file = setup_logging(tmp_path / "logs")
    logging.getLogger("bookorbit_desktop.test").info("imported 3 books")
    logging.getLogger("bookorbit_desktop.test").debug("details nobody asked for")
    assert log_file == tmp_path / "logs" / LOG_FILENAME
    text = log_file.read_text(encoding="utf-8")
    assert "INFO bookorbit_desktop.test: imported 3 books" in text
    assert "details" not in text
    assert "imported 3 books" not in capsys.readouterr().err


def test_verbose_also_logs_to_stderr_with_debug(tmp_path, capsys):
    log_file = setup_logging(tmp_path / "logs", verbose=True)
    logging.getLogger("bookorbit_desktop.test").debug("looking closer")
    assert "looking closer" in capsys.readouterr().err
    assert "looking closer" in log_file.read_text(encoding="utf-8")


def test_setting_up_twice_does_not_duplicate_lines(tmp_path):
    setup_logging(tmp_path / "logs")
    log_file = setup_logging(tmp_path / "logs")
    logging.getLogger("bookorbit_desktop.test").info("once")
    assert log_file.read_text(encoding="utf-8").count("once") == 1


def test_the_file_rotates(tmp_path):
    log_file = setup_logging(tmp_path / "logs")
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    ]
    handler.maxBytes = 10_000  # the real limit is 2 MB; the behaviour is the same
    for number in range(400):
        logging.getLogger("bookorbit_desktop.test").info("line %d %s", number, "x" * 40)
    assert (tmp_path / "logs" / f"{LOG_FILENAME}.1").is_file()
    assert log_file.stat().st_size <= 10_000


def test_tokens_are_masked(tmp_path):
    log_file = setup_logging(tmp_path / "logs")
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    logging.getLogger("bookorbit_desktop.test").info("header Authorization: Bearer %s", token)
    text = log_file.read_text(encoding="utf-8")
    assert token not in text and "[redacted]" in text


def test_undecodable_file_names_are_escaped_not_fatal(tmp_path, capsys):
    log_file = setup_logging(tmp_path / "logs")
    logging.getLogger("bookorbit_desktop.test").warning("Not imported: %s", "caf\udce9.epub")
    assert "Not imported: caf\\udce9.epub" in log_file.read_text(encoding="utf-8")
    assert "Logging error" not in capsys.readouterr().err
