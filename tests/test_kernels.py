"""The kernels the course's clients start (cxlib.teaching.kernels): local sockets where they can be, TCP otherwise."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from cxlib.teaching import kernels

posix = pytest.mark.skipif(os.name != "posix", reason="Unix sockets")


@posix
def test_a_kernel_talks_over_local_sockets_next_to_its_connection_file(monkeypatch):
    short = Path(tempfile.mkdtemp(prefix="cxk-"))  # a socket's whole path must fit in 103 characters
    try:
        monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(short / "rt"))
        km = kernels.kernel_manager_class()(kernel_name="python3")
        assert km.transport == "ipc"
        assert km.connection_file.startswith(str(short / "rt" / "kernel-cx-"))
        assert km.ip == km.connection_file[:-5] + "-ipc"
        assert (short / "rt").is_dir() and not list((short / "rt").iterdir())  # the probe socket is gone
    finally:
        shutil.rmtree(short)


@posix
def test_a_runtime_folder_too_deep_for_a_socket_falls_back_to_tcp(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(deep))
    assert kernels.kernel_manager_class()(kernel_name="python3").transport == "tcp"


@posix
def test_a_folder_that_cannot_hold_sockets_falls_back_to_tcp(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "rt"))
    monkeypatch.setattr(kernels, "_holds_sockets", lambda folder: False)
    assert kernels.kernel_manager_class()(kernel_name="python3").transport == "tcp"


def test_a_transport_asked_for_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "rt"))
    assert kernels.kernel_manager_class()(kernel_name="python3", transport="tcp").transport == "tcp"
