"""Logging: a rotating file in the log folder, stderr only with -v, secrets masked."""

from __future__ import annotations

import errno
import logging
import logging.handlers

import pytest

from bookorbit_desktop.logging_setup import LOG_FILENAME, redact, setup_logging
from tests.logging_support import restore_root_logger  # noqa: F401


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


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("b'x-auth-key: 5ebe2294ecd0e0f08eab\\x00'", "5ebe2294ecd0e0f08eab"),
        ("b'X-Auth-Key : hunter2'", "hunter2"),
        ("b'Authorization: Basic YWxpY2U6aHVudGVyMg==\\x01'", "YWxpY2U6aHVudGVyMg=="),
        ("headers {'x-auth-key': 'abc123', 'x-auth-user': 'alice'}", "abc123"),
        ('body {"username": "alice", "password": "5ebe2294"}', "5ebe2294"),
        ("Authorization: Bearer hc_pat_abcdef", "hc_pat_abcdef"),
    ],
)
def test_redact_masks_credentials_next_to_their_name(text, secret):
    masked = redact(text)
    assert secret not in masked and "[redacted]" in masked


@pytest.mark.parametrize(
    "text",
    [
        "Refused a KOReader login as 'alice' from 127.0.0.1: wrong user name or password",
        "Progress from Kobo for document 59d481d168cca6267322f150c5f6a2a3: 31.9%",
        "The password on standard input is not UTF-8 text.",
    ],
)
def test_redact_leaves_ordinary_lines_alone(text):
    assert redact(text) == text


async def test_a_malformed_request_never_puts_the_key_in_the_log_file(library, tmp_path):
    """A malformed request is one log line naming the sender, never its header bytes."""
    import asyncio

    from bookorbit_desktop.server import ServerContext
    from bookorbit_desktop.server.app import LanServer

    log_file = setup_logging(tmp_path / "logs")
    server = LanServer(ServerContext(library, opds_enabled=False), "127.0.0.1", 0)
    await server.start()
    requests = [
        b"GET /kosync/users/auth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"x-auth-user: alice\r\nx-auth-key: 0123456789abcdef0123456789abcdef\x00\r\n\r\n",
        b"GET /kosync/users/auth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"x-auth-key : fedcba9876543210fedcba9876543210\r\n\r\n",
    ]
    try:
        for request in requests:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(request)
            await writer.drain()
            assert b" 400 " in (await reader.read()).split(b"\r\n", 1)[0]
            writer.close()
    finally:
        await server.stop()
    text = log_file.read_text(encoding="utf-8")
    assert text.count("Refused a malformed request from 127.0.0.1") == 2
    assert "0123456789abcdef0123456789abcdef" not in text
    assert "fedcba9876543210fedcba9876543210" not in text
    assert "Traceback" not in text


def test_a_log_file_the_drive_refuses_is_said_once_without_a_traceback(tmp_path, capsys):
    log_file = setup_logging(tmp_path)
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "_bookorbit", False)]
    full = OSError(errno.ENOSPC, "No space left on device")

    def write(_line):
        raise full

    handler.stream.write = write
    log = logging.getLogger("bookorbit_desktop.test")
    try:
        raise RuntimeError("the commit failed")
    except RuntimeError:
        log.exception("An import batch failed")
    log.info("another line")
    said = capsys.readouterr().err
    assert said == f"The log file {log_file} cannot be written (No space left on device).\n"
    del handler.stream.write  # the drive has room again: lines are written, and a new
    log.info("written again")  # refusal would be said again
    handler.stream.write = write
    log.info("lost")
    assert capsys.readouterr().err.count("cannot be written") == 1
    handler.flush()
    assert "written again" in log_file.read_text()
