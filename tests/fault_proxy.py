"""A TCP forwarder between a client and a real server that a test can cut, to make real network faults."""

from __future__ import annotations

import socket
import threading


class FaultProxy:
    """Forward ``127.0.0.1:port`` to ``target``; :meth:`cut` drops every connection and refuses new ones.

    :meth:`drop_next_reply` lets the next request through to the server but
    closes the client's connection instead of passing the answer back: the
    server did the work, the client never heard (a fault during a write).
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._up = True
        self._drop_reply = False
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, is_reply: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if is_reply and self._drop_reply:
                    self._drop_reply = False
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until :meth:`restore`."""
        self._up = False
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def restore(self) -> None:
        """Accept connections again."""
        self._up = True

    def drop_next_reply(self) -> None:
        """Close the connection instead of passing on the server's next reply."""
        self._drop_reply = True

    def close(self) -> None:
        self.cut()
        self._listener.close()
