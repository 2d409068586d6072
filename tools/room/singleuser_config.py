# Configuration of each learner's Jupyter server in the room (make room). RoomSpawner
# (tools/room/cx_room_hub.py) passes it with --config and sets the CX_ROOM_* variables.
import os

c = get_config()  # noqa: F821 (provided by Jupyter)

# what a learner may do through the server: their own folder's files and notebooks only
c.ServerApp.terminals_enabled = False  # no shell in the browser
c.ContentsManager.allow_hidden = False  # dot-files (runtime keys, caches) stay out of reach
c.FileContentsManager.delete_to_trash = False
c.ServerApp.kernel_manager_class = "cx_room_kernels.LimitedKernelManager"
c.LimitedKernelManager.max_kernels = int(os.environ.get("CX_ROOM_MAX_KERNELS", "2"))
minutes = int(os.environ.get("CX_ROOM_CULL_MINUTES", "30"))
if minutes > 0:  # shut down kernels idle this long with no open tab
    c.MappingKernelManager.cull_idle_timeout = minutes * 60
    c.MappingKernelManager.cull_interval = 60
    c.MappingKernelManager.cull_connected = False

# JupyterLab: nothing installed from the browser, nothing fetched from the network
c.LabApp.extension_manager = "readonly"
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.news_url = None
# default settings for every learner: never ask about (or fetch) Jupyter news
c.LabApp.app_settings_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lab-settings")
