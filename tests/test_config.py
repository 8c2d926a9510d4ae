"""Where BookOrbit keeps its files: --data-dir, then BOOKORBIT_DATA_DIR, then the platform's."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from bookorbit_desktop import APP_NAME
from bookorbit_desktop.cli import main
from bookorbit_desktop.config import DATA_DIR_ENV, DB_FILENAME, resolve_paths, resources_dir
from bookorbit_desktop.library.store.db import close_database
from tests.logging_support import restore_root_logger  # noqa: F401


def test_an_explicit_folder_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    paths = resolve_paths(tmp_path / "explicit")
    assert paths.data_dir == tmp_path / "explicit"
    assert (paths.log_dir, paths.cache_dir) == (paths.data_dir / "logs", paths.data_dir / "cache")
    assert paths.db_file == paths.data_dir / DB_FILENAME


def test_the_environment_is_used_without_an_explicit_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert resolve_paths().data_dir == tmp_path / "from-env"


def test_the_platform_folders_are_the_default(monkeypatch):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    paths = resolve_paths()
    assert str(paths.data_dir) == platformdirs.user_data_dir(APP_NAME, appauthor=False)
    assert str(paths.log_dir) == platformdirs.user_log_dir(APP_NAME, appauthor=False)
    assert str(paths.cache_dir) == platformdirs.user_cache_dir(APP_NAME, appauthor=False)


@pytest.mark.parametrize("use_option", [True, False])
def test_the_command_line_puts_library_and_log_in_the_chosen_folder(
    tmp_path, monkeypatch, use_option
):
    chosen = tmp_path / "chosen"
    monkeypatch.setenv(DATA_DIR_ENV, str(chosen if not use_option else tmp_path / "other"))
    try:
        assert main([*(["--data-dir", str(chosen)] if use_option else []), "books"]) == 0
    finally:
        close_database()
    assert (chosen / DB_FILENAME).is_file()
    assert (chosen / "logs" / "bookorbit-desktop.log").is_file()
    assert not (tmp_path / "other").exists()


def test_resources_sit_beside_the_package_in_the_source_tree(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    root = Path(__file__).resolve().parents[1]
    assert resources_dir() == root / "resources"
    assert (resources_dir() / "icons").is_dir()


def test_resources_are_inside_the_bundle_when_frozen(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
