"""A fake Slack Web API on 127.0.0.1 for the bot tests (slack_sdk's ``base_url`` points here).

It records every call (method + parameters, JSON or form) and answers what the bot uses:
auth.test, conversations.open, chat.postMessage, chat.postEphemeral, views.publish, the
files upload v2 trio (files.getUploadURLExternal, the upload URL, files.completeUploadExternal),
oauth.v2.access; ``/response/<id>`` stands in for response_url, ``/files/<name>`` serves files
registered by a test (what ``url_private_download`` points to).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}
        self.files: dict[str, bytes] = {}
        self.file_gets: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.team = "T1"
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any, ctype: str = "application/json") -> None:
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                if path.startswith("/files/"):
                    name = path[len("/files/"):]
                    with fake.lock:
                        fake.file_gets.append({"name": name, "auth": self.headers.get(
                            "Authorization", "")})
                    data = fake.files.get(name)
                    if data is None:
                        self._send(404, {"ok": False})
                    else:
                        self._send(200, data, "application/octet-stream")
                    return
                self._send(404, {"ok": False})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = urlsplit(self.path).path
                if path.startswith("/upload/"):
                    with fake.lock:
                        fake.uploads[path[len("/upload/"):]] = raw
                    self._send(200, b"OK", "text/plain")
                    return
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    params = json.loads(raw or b"{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                if path.startswith("/response/"):
                    method = "response_url"
                    params["_url"] = path
                else:
                    method = path.rsplit("/", 1)[-1]
                with fake.lock:
                    fake.calls.append({"method": method, "params": params,
                                       "auth": self.headers.get("Authorization", ""),
                                       "time": time.perf_counter()})
                self._send(200, fake.answer(method, params))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = f"{self.url}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": self.team, "user_id": "UBOT", "bot_id": "BBOT",
                    "team": "Test", "url": "https://test.slack.com/"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X"))}}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            return {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}",
                    "message_ts": f"{time.time():.6f}"}
        if method == "files.getUploadURLExternal":
            fid = f"F{len(self.calls)}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{fid}", "file_id": fid}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            if isinstance(files, str):
                files = json.loads(files)
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")}
                                          for f in files or []]}
        if method == "oauth.v2.access":
            if params.get("code") != "good-code":
                return {"ok": False, "error": "invalid_code"}
            return {"ok": True, "access_token": "xoxb-installed", "token_type": "bot",
                    "scope": "chat:write,commands", "bot_user_id": "UBOT2", "app_id": "A1",
                    "team": {"id": "T2", "name": "Other"}, "enterprise": None,
                    "is_enterprise_install": False,
                    "authed_user": {"id": "U9", "scope": "", "access_token": None}}
        return {"ok": True}

    def start(self) -> FakeSlack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def of(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [c for c in self.calls if c["method"] == method]

    def wait(self, method: str, n: int = 1, timeout: float = 20.0,
             where: Any = None) -> list[dict[str, Any]]:
        """Wait until ``n`` calls of ``method`` (matching ``where(params)``) were made."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.of(method) if where is None or where(c["params"])]
            if len(found) >= n or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()
            self.uploads.clear()
