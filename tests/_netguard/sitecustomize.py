"""Installs the loopback-only network guard in subprocesses started by the tests."""

import netguard

netguard.install()
