"""A real headless Chromium driven over the DevTools protocol (a websocket; no Node toolchain).

Only for pages on 127.0.0.1: every host name resolves to nothing, and Chromium's background
services (updates, sync, metrics, safe browsing) are switched off, so no packet leaves the machine.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--metrics-recording-only",
         "--disable-client-side-phishing-detection", "--disable-breakpad",
         "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--remote-debugging-port=0")


def find_chromium() -> str | None:
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


class Browser:
    """One tab. goto() waits for the load event; type_and_enter() types as a user does."""

    def __init__(self, executable: str, profile: Path, width: int = 1100, height: int = 1400) -> None:
        from websockets.sync.client import connect

        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile}",
                                         f"--window-size={width},{height}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.socket = connect(self._devtools_url(), max_size=None, open_timeout=30)
        self._next_id, self.events = 0, []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        # a target made over DevTools gets a default viewport, not the window's size
        self.width, self.height = width, height
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                         "mobile": False})

    def _devtools_url(self, timeout_s: float = 60) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                threading.Thread(target=self.process.stderr.read, daemon=True).start()  # keep the pipe drained
                return found.group(1)
            if not line and self.process.poll() is not None:
                break
        self.process.kill()
        raise RuntimeError("chromium did not start its DevTools endpoint")

    def _call(self, method: str, params: dict | None = None, session: str | None = None,
              timeout_s: float = 60) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + timeout_s
        while True:
            reply = json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def call(self, method: str, params: dict | None = None) -> dict:
        return self._call(method, params, self.session)

    def wait_event(self, name: str, timeout_s: float = 60) -> dict:
        deadline = time.monotonic() + timeout_s
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == name:
                    return self.events.pop(index)
            self.events.append(json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic()))))

    def goto(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def value(self, expression: str):
        """A JavaScript expression's value in the page (DevTools runs it whatever the page's CSP)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def type_and_enter(self, selector: str, text: str) -> None:
        """Focus a field, type into it and press Enter: the form is submitted as by a reader."""
        self.value(f"document.querySelector({json.dumps(selector)}).focus()")
        self.value(f"document.querySelector({json.dumps(selector)}).select()")
        self.events.clear()
        self.call("Input.insertText", {"text": text})
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "text": "\r"})
        self.wait_event("Page.loadEventFired")

    def screenshot(self, path: Path) -> Path:
        """The whole page as PNG: the viewport is grown to the page's height for the shot (a clip beyond
        the viewport came out shifted on a right-to-left page)."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        self.call("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": int(size["height"]),
                                                         "deviceScaleFactor": 1, "mobile": False})
        try:
            shot = self.call("Page.captureScreenshot", {"format": "png"})
        finally:
            self.call("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                             "deviceScaleFactor": 1, "mobile": False})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
