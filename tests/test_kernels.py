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


class _LateSocket:
    """A socket whose wake-up is missed: a waiting message is seen only when a poll's wait runs out."""

    def __init__(self, has_message: bool):
        self.has_message, self.polls = has_message, []

    async def poll(self, timeout_ms: int) -> int:
        import asyncio

        self.polls.append(timeout_ms)
        await asyncio.sleep(timeout_ms / 1000)
        return 1 if self.has_message else 0


def _channel(socket: _LateSocket):
    channel_class = kernels.sliced_client_class().class_traits()["shell_channel_class"].default_value
    channel = object.__new__(channel_class)
    channel.socket = socket

    async def _recv(**kwargs):
        return {"msg_type": "execute_reply"}

    channel._recv = _recv
    return channel


def test_a_message_whose_wake_up_was_missed_is_read_within_a_slice_not_at_the_timeout():
    """On a busy machine a reply landed as pyzmq's edge-triggered wake-up was consumed, and the
    lesson's widget cell waited its whole 300-second timeout; the client now looks again every slice."""
    import asyncio
    import time

    late = _LateSocket(has_message=True)
    t0 = time.monotonic()
    msg = asyncio.run(_channel(late).get_msg(timeout=300))
    assert msg["msg_type"] == "execute_reply" and time.monotonic() - t0 < 3 * kernels.POLL_SLICE
    assert late.polls == [int(1000 * kernels.POLL_SLICE)]
    forever = _LateSocket(has_message=True)
    assert asyncio.run(_channel(forever).get_msg(timeout=None))["msg_type"] == "execute_reply"


def test_a_wait_without_a_message_still_ends_with_empty_at_its_timeout():
    import asyncio
    import time
    from queue import Empty

    quiet = _LateSocket(has_message=False)
    t0 = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(_channel(quiet).get_msg(timeout=0.6))
    waited = time.monotonic() - t0
    assert 0.55 < waited < 1.5 and len(quiet.polls) >= 3 and max(quiet.polls) <= 1000 * kernels.POLL_SLICE


def test_kernels_started_by_the_course_use_the_sliced_client():
    km = kernels.kernel_manager_class()(kernel_name="python3")
    assert km.client_factory is kernels.sliced_client_class()
