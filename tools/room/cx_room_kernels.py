"""A kernel manager that caps how many kernels one learner's server may run.

Used by the room server (``make room``): tools/room/singleuser_config.py makes each
learner's Jupyter server use :class:`LimitedKernelManager` with ``max_kernels`` from the
launcher's ``--max-kernels``. Opening one notebook too many gets HTTP 403 with a short
message saying how to free a kernel (JupyterLab shows it in its "Error Starting Kernel"
dialog); reconnecting to a running kernel is always allowed.
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
            notebooks = "notebook" if running == 1 else "notebooks"
            # JupyterLab shows this on one line: keep it short
            raise web.HTTPError(
                403,
                f"Limit reached ({running} running {notebooks}). Shut one down first: Kernel > Shut Down Kernel.",
            )
        return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
