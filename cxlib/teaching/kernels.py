"""Running notebooks in a kernel: the one client the build tools, benchmarks and tests share.

Kernels talk to their client over local (Unix domain) sockets where the system has them
(:func:`kernel_manager_class`): no network port is opened, only the user can reach the sockets, and
ipykernel has no reason to warn that "the kernel is running over TCP without encryption" (it
printed that to an analyst's terminal at every ``cx run``).

The client waits for the kernel's messages in short slices (:data:`POLL_SLICE`): pyzmq's
asyncio poll watches an edge-triggered descriptor, and a message that lands as the edge is
consumed is only seen when the wait times out. Over local sockets, on a busy machine, that
happened to about one lesson run in four (a widget cell's reply was read after the whole
300-second cell timeout); a slice bounds such a miss to a fraction of a second.
"""

from __future__ import annotations

import functools
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

__all__ = ["notebook_client", "kernel_manager_class", "POLL_SLICE"]

#: Seconds the client waits for a kernel message before it checks the socket again.
POLL_SLICE = 0.25


def notebook_client(nb: nbformat.NotebookNode, folder: str | Path, timeout: int = 600) -> Any:
    """A client that runs ``nb`` in a fresh ``python3`` kernel started in ``folder``, as nbval does.

    The kernel is stopped at once when the client is done (a polite shutdown now and then hangs 2.5 s:
    see ``cxlib.teaching.lessons._register_engine``). The build tools, the benchmarks and the tests
    that execute notebooks use it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook; its cells receive their outputs.
    folder : str or pathlib.Path
        The kernel's working folder (a lesson's own, so its relative paths resolve).
    timeout : int, default 600
        Seconds a cell may run.

    Returns
    -------
    nbclient.NotebookClient
        Call ``.execute()`` to run every cell, or ``.setup_kernel()`` to run them one by one.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    >>> _ = notebook_client(nb, ".").execute()
    >>> print(nb.cells[0].outputs[0]["text"].strip())
    42
    """
    from nbclient import NotebookClient

    return NotebookClient(
        nb,
        kernel_manager_class=kernel_manager_class(),
        timeout=timeout,
        kernel_name="python3",
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(folder)}},
    )


@functools.cache
def kernel_manager_class() -> type:
    """The kernel manager the course's clients start kernels with: local sockets (IPC) on Linux and macOS.

    Each kernel's sockets sit next to its connection file in Jupyter's runtime folder (made
    readable by the user only) and are removed with it. On Windows, which has no such sockets
    for ZeroMQ, or where the runtime folder cannot hold them (its path too long for a socket's,
    a network folder), kernels use TCP on localhost, Jupyter's default.

    Returns
    -------
    type
        A subclass of ``jupyter_client.AsyncKernelManager``, for nbclient's and papermill's
        ``kernel_manager_class`` (the client then owns the kernel and stops it).

    Examples
    --------
    >>> km = kernel_manager_class()(kernel_name="python3")
    >>> km.transport in ("ipc", "tcp")  # tests/test_kernels.py checks which, and when
    True
    """
    from jupyter_client.manager import AsyncKernelManager

    client = sliced_client_class()

    class LocalSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            base = _socket_base() if "transport" not in kwargs else None
            if base is not None:  # its sockets: <base>-ipc-1 to -5, next to its connection file
                kwargs.update(transport="ipc", connection_file=f"{base}.json")
            super().__init__(**kwargs)
            self.client_factory = client

    return LocalSocketKernelManager


@functools.cache
def sliced_client_class() -> type:
    """An asyncio kernel client whose channels wait for a message :data:`POLL_SLICE` seconds at a time.

    A wait of ``timeout`` seconds (or none) is a series of short polls, each of which ends by
    asking the socket itself whether a message is there; a message whose wake-up was missed is
    read at the end of the slice, not of the whole timeout. Nothing else changes: the same
    messages, in the same order, and ``Empty`` once the timeout has passed.

    Returns
    -------
    type
        A subclass of ``jupyter_client.asynchronous.AsyncKernelClient``.

    Examples
    --------
    >>> sliced_client_class().class_traits()["shell_channel_class"].default_value.__name__
    'SlicedChannel'
    """
    import time
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.channels import AsyncZMQSocketChannel
    from traitlets import Type

    class SlicedChannel(AsyncZMQSocketChannel):
        async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
            assert self.socket is not None
            end = None if timeout is None or timeout < 0 else time.monotonic() + timeout  # < 0: no limit, as zmq
            while True:
                left = POLL_SLICE if end is None else max(0.0, end - time.monotonic())
                if await self.socket.poll(max(1, int(1000 * min(POLL_SLICE, left)))):  # 0 would not yield
                    return await self._recv()
                if end is not None and time.monotonic() >= end:
                    raise Empty

    class SlicedKernelClient(AsyncKernelClient):
        shell_channel_class = Type(SlicedChannel)
        iopub_channel_class = Type(SlicedChannel)
        stdin_channel_class = Type(SlicedChannel)
        control_channel_class = Type(SlicedChannel)

    return SlicedKernelClient


def _socket_base() -> str | None:
    """Where a new kernel's connection file and sockets go (a path without its ending), or None for TCP.

    None on Windows, when the runtime folder's path is too long for a socket's (ZeroMQ allows
    107 characters, macOS's sockets 103) or when the folder cannot hold sockets (some network
    and FUSE folders): the kernel then talks over TCP on localhost, as Jupyter's default.
    """
    if os.name != "posix":
        return None
    import zmq
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(jupyter_runtime_dir())
    base = runtime / f"kernel-cx-{uuid.uuid4().hex[:12]}"
    limit = min(zmq.IPC_PATH_MAX_LEN, 103)  # the smaller of ZeroMQ's and macOS's limits
    if len(f"{base}-ipc-99") > limit or not _holds_sockets(str(runtime)):
        return None
    return str(base)


@functools.cache
def _holds_sockets(folder: str) -> bool:
    """Whether ``folder`` (made if missing, readable by the user only) can hold a Unix socket."""
    import socket

    try:
        Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = Path(folder) / f"cx-probe-{uuid.uuid4().hex[:8]}"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.bind(str(probe))
        probe.unlink()
        return True
    except OSError:
        return False
