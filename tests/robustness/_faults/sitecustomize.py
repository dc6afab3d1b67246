"""Loaded first by the pipeline processes the crash tests start (see ``cli_env``).

It installs the loopback-only network guard, like tests/_netguard/sitecustomize.py, and can
stop the process at an exact point so the test can SIGKILL it there: with
``FAULT_PAUSE_AT=<regex>`` the first ``os.replace`` whose destination matches stops the
process just before the rename (or just after it, with ``FAULT_PAUSE_WHEN=after``), after
creating the file ``FAULT_PAUSE_MARKER``. Nothing is faked: the process really waits there.
"""

import os
import re
import time

import netguard

netguard.install()

_PATTERN = os.environ.get("FAULT_PAUSE_AT")
if _PATTERN:
    _real_replace = os.replace
    _after = os.environ.get("FAULT_PAUSE_WHEN") == "after"
    _marker = os.environ["FAULT_PAUSE_MARKER"]
    _armed = [True]

    def _pause(dst: object) -> None:
        _armed[0] = False
        with open(_marker, "w") as fh:
            fh.write(f"{os.getpid()} {dst}\n")
        time.sleep(3600)  # the test kills the process here

    def _replace(src, dst, *args, **kwargs):
        hit = _armed[0] and re.search(_PATTERN, os.fsdecode(dst)) is not None
        if hit and not _after:
            _pause(dst)
        result = _real_replace(src, dst, *args, **kwargs)
        if hit and _after:
            _pause(dst)
        return result

    os.replace = _replace
