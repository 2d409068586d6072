"""Running notebooks in a kernel: the one client the build tools, benchmarks and tests share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

__all__ = ["notebook_client"]


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
        timeout=timeout,
        kernel_name="python3",
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(folder)}},
    )
