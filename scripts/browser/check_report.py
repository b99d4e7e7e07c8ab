#!/usr/bin/env python3
"""Loads report pages in headless Chromium and checks them the way a reader would see them.

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in, fd 4 out, messages
ended by NUL), so it needs no network port and no package beyond the standard library. For each page:

  * zero console errors, uncaught exceptions and error log entries (a blocked request, a bad SVG, CSP violations);
  * zero network requests other than the page itself (data: URIs are inline content, counted separately);
  * every chart (figure.chart) has an SVG with a non-empty title (.chart-title), two axis labels (.axis-label;
    charts marked data-axes="none" have none) and at least one data mark (.mark), drawn at a visible size;
  * the named charts are present (--expect), and the page does not scroll sideways at phone width;
  * printed (print media at an A4 page's width, then Page.printToPDF on A4): nothing wider than the paper, every
    chart still drawn, at least one page;
  * a screenshot at desktop width and one at phone width are saved (--screenshot-scale and --screenshot-height
    make them smaller, for the committed ones).

Prints one line per page and exits non-zero when any check fails.
"""
import argparse
import base64
import json
import os
import pathlib
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

CHECK_SCRIPT = r"""
(() => {
  const figures = [...document.querySelectorAll('figure.chart')];
  const problems = [];
  for (const f of figures) {
    const name = f.dataset.chart || '?';
    const svg = f.querySelector('svg');
    if (!svg) { problems.push(name + ': no svg'); continue; }
    const title = svg.querySelector('.chart-title');
    if (!title || !title.textContent.trim()) problems.push(name + ': no title');
    const hasAxes = svg.getAttribute('data-axes') !== 'none';
    const labels = [...svg.querySelectorAll('.axis-label')].filter(e => e.textContent.trim());
    if (hasAxes && labels.length < 2) problems.push(name + ': ' + labels.length + ' axis labels');
    const marks = svg.querySelectorAll('.mark').length;
    if (marks === 0) problems.push(name + ': no data marks');
    const box = svg.getBoundingClientRect();
    if (box.width < 100 || box.height < 60) problems.push(name + ': drawn at ' + box.width + 'x' + box.height);
  }
  return {
    title: document.title,
    charts: figures.map(f => f.dataset.chart),
    problems,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    scripts: document.querySelectorAll('script').length,
  };
})()
"""


class Browser:
    """One headless Chromium with a DevTools session on a pipe."""

    def __init__(self, executable, timeout):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="report-check-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire():
            # Chromium reads fd 3 and writes fd 4. Copies above them first, so neither dup2 below is a no-op
            # (dup2 onto itself would keep close-on-exec) nor overwrites the other end.
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        args = [executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-features=Translate,MediaRouter,OptimizationHints", "--hide-scrollbars",
                "--font-render-hinting=none", f"--user-data-dir={self.profile}", "about:blank"]
        # close_fds=False: subprocess would otherwise close fds 3 and 4 after wire() made them.
        self.process = subprocess.Popen(args, preexec_fn=wire, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", wait=False)
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_child], [], [], 0.5)
            if ready:
                chunk = os.read(self.from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, wait=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        if not wait:
            return None
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, session, seconds):
        deadline = time.monotonic() + seconds
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(index)
            self.events.append(self._read_message(deadline))

    def drain(self, seconds):
        """Collects events for a moment (late console messages, lazy requests)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass


# An A4 sheet with Chromium's default margins (0.4 in): 8.27 in - 0.8 in of paper, at 96 CSS px per inch.
A4_INCHES = (8.27, 11.69)
PRINT_MARGIN_INCHES = 0.4
PRINT_WIDTH = int((A4_INCHES[0] - 2 * PRINT_MARGIN_INCHES) * 96)


def printed_pages(browser, session):
    """Prints the page to PDF on A4 and counts its pages (page objects of the PDF)."""
    pdf = base64.b64decode(browser.send("Page.printToPDF", {
        "paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1], "marginTop": PRINT_MARGIN_INCHES,
        "marginBottom": PRINT_MARGIN_INCHES, "marginLeft": PRINT_MARGIN_INCHES, "marginRight": PRINT_MARGIN_INCHES,
        "printBackground": False,
    }, session=session)["data"])
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def check_page(browser, page, width, height, mobile, screenshot, expect, media="screen", shot_scale=1.0,
               shot_height=None):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session=session)
    browser.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
    browser.events = [e for e in browser.events if e.get("sessionId") != session]
    url = page.resolve().as_uri()
    browser.send("Page.navigate", {"url": url}, session=session)
    browser.wait_for("Page.loadEventFired", session, browser.timeout)
    browser.drain(0.7)
    result = browser.send("Runtime.evaluate", {"expression": CHECK_SCRIPT, "returnByValue": True}, session=session)
    facts = result["result"]["value"]

    errors, requests, inline = [], [], 0
    for event in browser.events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            errors.append("exception: " + params.get("exceptionDetails", {}).get("text", ""))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append("log: " + params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            request_url = params.get("request", {}).get("url", "")
            if request_url.startswith("data:"):
                inline += 1
            elif request_url != url:
                requests.append(request_url)
        elif method == "Network.loadingFailed":
            errors.append("failed request: " + params.get("errorText", ""))

    problems = list(facts["problems"])
    missing = [name for name in expect if name not in facts["charts"]]
    if missing:
        problems.append("missing charts: " + ", ".join(missing))
    if (mobile or media == "print") and facts["scrollWidth"] > facts["innerWidth"] + 1:
        problems.append(f"wider than {width} px (content {facts['scrollWidth']} px wide)")
    if media == "print":
        facts["pages"] = printed_pages(browser, session)
        if facts["pages"] < 1:
            problems.append("printing gave no page")
    if facts["scripts"]:
        problems.append(f"{facts['scripts']} script elements")

    if screenshot:
        metrics = browser.send("Page.getLayoutMetrics", session=session)
        content = metrics.get("cssContentSize", metrics.get("contentSize"))
        limit = shot_height or (2400 if mobile else 16000)
        shot = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(int(content["height"]), limit), "scale": shot_scale},
        }, session=session)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    browser.send("Target.closeTarget", {"targetId": target})
    return facts, errors, requests, inline, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+", help="NAME=PATH/report.html[:chart,chart,...] (charts that must be present)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--screenshots", type=pathlib.Path, help="folder for NAME.png and NAME-phone.png")
    parser.add_argument("--max-bytes", type=int, default=2_000_000)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--screenshot-scale", type=float, default=1.0,
                        help="pixels per CSS pixel in the desktop screenshots (the phone ones stay at 1: smaller, they "
                        "would not show what a phone shows)")
    parser.add_argument("--screenshot-height", type=int, help="CSS pixels of the page's top to capture (default: "
                        "the whole page, at most 16000; 2400 at phone width)")
    args = parser.parse_args()

    failures = 0
    browser = Browser(args.chromium, args.timeout)
    try:
        browser.send("Browser.getVersion")
        for spec in args.pages:
            name, _, rest = spec.partition("=")
            path_text, _, expected = rest.partition(":")
            page = pathlib.Path(path_text)
            expect = [e for e in expected.split(",") if e]
            size = page.stat().st_size
            page_problems = [] if size < args.max_bytes else [f"{size} bytes (limit {args.max_bytes})"]
            summary = []
            views = (("desktop", 1200, 900, False, "screen"), ("phone", 390, 844, True, "screen"),
                     ("print", PRINT_WIDTH, 1000, False, "print"))
            for label, width, height, mobile, media in views:
                shot = None
                if args.screenshots and media == "screen":
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    shot = args.screenshots / (f"{name}.png" if label == "desktop" else f"{name}-{label}.png")
                facts, errors, requests, inline, problems = check_page(
                    browser, page, width, height, mobile, shot, expect, media=media,
                    shot_scale=1.0 if mobile else args.screenshot_scale,
                    shot_height=args.screenshot_height)
                page_problems += [f"{label}: {p}" for p in problems + errors]
                page_problems += [f"{label}: network request {r}" for r in requests]
                summary.append(f"{label}: {len(facts['charts'])} charts, {len(errors)} console errors, "
                               f"{len(requests)} network requests ({inline} inline data: images)"
                               + (f", {facts['pages']} A4 pages" if "pages" in facts else ""))
            status = "ok" if not page_problems else "FAIL"
            print(f"{status} {name}: {size / 1e6:.2f} MB; " + "; ".join(summary))
            for problem in page_problems:
                print(f"    {problem}")
            failures += bool(page_problems)
    finally:
        browser.close()
    print(f"browser check: {len(args.pages) - failures} of {len(args.pages)} pages ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
