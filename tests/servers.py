"""Real servers for the tests: a free loopback port, and a process started, awaited and stopped."""

from __future__ import annotations

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(args: list[str], ready: str, log: Path, env: dict[str, str] | None = None,
            headers: dict[str, str] | None = None, wait_s: float = 120) -> Iterator[subprocess.Popen]:
    """Start `args`, wait until GET `ready` answers 200, yield the process, then stop it."""
    with open(log, "w+", encoding="utf-8") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    if httpx.get(ready, headers=headers, timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    out.seek(0)
                    raise RuntimeError(f"{' '.join(args[:3])} did not start: {out.read()[-2000:]}")
                time.sleep(0.2)
            yield proc
        finally:
            proc.terminate()
            proc.wait(timeout=30)
