"""A kernel manager that caps how many kernels one learner's server may run.

Used by the room server (``make room``): each learner's Jupyter server is started with
``--ServerApp.kernel_manager_class=cx_room_kernels.LimitedKernelManager`` and
``--LimitedKernelManager.max_kernels=N``. Asking for one kernel too many (opening another
notebook) gets HTTP 403 with a message saying how to free one; reconnecting to a running
kernel is always allowed.
"""
from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer


class LimitedKernelManager(AsyncMappingKernelManager):
    """:class:`AsyncMappingKernelManager` that refuses to start more than ``max_kernels``."""

    max_kernels = Integer(2, config=True, help="Kernels one server may run at once (0 = no limit).")

    async def start_kernel(self, *args: Any, kernel_id: str | None = None, **kwargs: Any) -> str:
        running = len(self.list_kernel_ids())
        is_new = kernel_id is None or kernel_id not in self
        if is_new and self.max_kernels and running >= self.max_kernels:
            raise web.HTTPError(
                403,
                f"You already have {running} notebook kernels running, the most this room allows. "
                "Close one first: in JupyterLab's left bar open 'Running Terminals and Kernels' "
                "and shut down a kernel you no longer need.",
            )
        return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
