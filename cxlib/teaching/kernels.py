"""Running notebooks in a kernel: the one client the build tools, benchmarks and tests share.

Kernels talk to their client over local (Unix domain) sockets where the system has them
(:func:`kernel_manager_class`): no network port is opened, only the user can reach the sockets, and
ipykernel has no reason to warn that "the kernel is running over TCP without encryption" (it
printed that to an analyst's terminal at every ``cx run``).
"""

from __future__ import annotations

import functools
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

__all__ = ["notebook_client", "kernel_manager_class"]


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
    readable by the user only) and are removed with it; on Windows, which has no such sockets
    for ZeroMQ, kernels use TCP on localhost as before.

    Returns
    -------
    type
        A subclass of ``jupyter_client.AsyncKernelManager``, for nbclient's and papermill's
        ``kernel_manager_class`` (the client then owns the kernel and stops it).

    Examples
    --------
    >>> km = kernel_manager_class()(kernel_name="python3")
    >>> km.transport == ("ipc" if os.name == "posix" else "tcp")
    True
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    class LocalSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            if os.name == "posix" and "transport" not in kwargs:
                runtime = Path(jupyter_runtime_dir())
                runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
                name = f"kernel-cx-{uuid.uuid4()}.json"  # its sockets: kernel-cx-...-ipc-1 to -5, next to it
                kwargs.update(transport="ipc", connection_file=str(runtime / name))
            super().__init__(**kwargs)

    return LocalSocketKernelManager
