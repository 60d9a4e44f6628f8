"""axe-core in every browser test: each page a test shows is audited for WCAG 2.1 A/AA (issue 20).

Why this shape:

- **What is audited.** Every document a test's page loads sends its HTML, as it stands at its
  ``load`` event (after the form submission, with its messages and errors), to the auditor
  (an init script and an exposed binding, both outside the page's CSP). The auditor renders
  that HTML, at the same URL with the same CSS and scripts from the live server, in a page of
  its own and runs axe-core there, at 1280 and at 375 px. The test's own page is never resized
  or scripted, so the audit cannot change what the test sees, and it runs while the test goes on.
- **Where axe comes from.** axe-core is pinned in the Makefile (``make browser`` installs it
  under ``.tools/``); the product never serves it. Only the auditor's page bypasses the CSP
  (Playwright's test-only ``bypass_csp``) to take axe as a script tag; the test's pages keep
  the product's strict CSP, so a template that broke it still fails a browser test.
- **How much.** At the test's own width each distinct state (URL path and a hash of the HTML
  without its CSRF tokens) is audited once per test session; at the other width each page once
  (its path with ids and numbers left out). That keeps the added time modest.

A violation fails the test (after it has run, so one run reports them all), naming the rule, its
impact, the element's selector and the help text.
"""

import re
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 375)
HEIGHT = 800

# In every test page: at each load of the top document, hand its HTML to the auditor.
SEND_ON_LOAD = """window.addEventListener("load", () => {
  if (window.top === window) window.__axeLoaded(location.href, document.documentElement.outerHTML);
});"""

RUN_AXE = """async tags => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def _check_installed():
    if not AXE_JS.exists():
        raise RuntimeError(
            f"axe-core 不在 {AXE_JS}：请先运行 `make browser`（安装固定版本的 axe-core）"
        )


def _state(url: str, html: str) -> tuple[str, int]:
    """The URL's path and the HTML without its per-request CSRF tokens, as a short key."""
    path = "/" + url.split("#")[0].split("//", 1)[1].split("/", 1)[1]
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return path, zlib.crc32(html.encode())


class Auditor:
    """Audits the pages of the browser tests in a page of its own; one for the session."""

    def __init__(self, browser):
        _check_installed()
        self.page = browser.new_context(bypass_csp=True, locale="zh-CN").new_page()
        self.page.route("**/*", self._serve_the_snapshot)
        self.html = ""
        self.contexts = []
        self.queue: list[tuple[str, str]] = []
        self.busy = False
        self.audited: set[tuple] = set()
        self.found: list[str] = []
        self.audits = 0
        self.seconds = 0.0

    def watch(self, context):
        """Audit every document a page of ``context`` loads from now on."""
        context.expose_binding(
            "__axeLoaded",
            lambda source, url, html: self._loaded(
                url, html, source["page"].viewport_size["width"]
            ),
        )
        context.add_init_script(SEND_ON_LOAD)
        self.contexts.append(context)

    def _serve_the_snapshot(self, route):
        if route.request.resource_type == "document":
            route.fulfill(body=self.html, content_type="text/html; charset=utf-8")
        else:
            route.fallback()

    def _loaded(self, url, html, width):
        """Queue the document; audit the queue unless an audit is under way (it takes them)."""
        self.queue.append((url, html, width))
        if self.busy:
            return
        self.busy = True
        try:
            while self.queue:
                url, html, width = self.queue.pop(0)
                try:
                    self._audit(url, html, width)
                except Exception as error:  # an audit that could not run must not pass unseen
                    self.found.append(f"  {url}：axe-core 未能运行：{error}")
        finally:
            self.busy = False

    def _audit(self, url, html, width):
        """At the test's width each new state; at the other width each page once (its path
        with the ids and numbers left out)."""
        path, state = _state(url, html)
        page = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "…", path)
        keys = {width: (path, width, state)}
        keys.update({w: (page, w) for w in WIDTHS if w != width})
        todo = [w for w, key in keys.items() if key not in self.audited]
        self.audited.update(keys.values())
        if not todo:
            return
        started = time.monotonic()
        self.html = html
        self.page.set_viewport_size({"width": todo[0], "height": HEIGHT})
        self.page.goto(url)
        self.page.add_script_tag(path=AXE_JS)
        for w in todo:
            self.page.set_viewport_size({"width": w, "height": HEIGHT})
            violations = self.page.evaluate(RUN_AXE, WCAG_21_AA)
            self.found += [describe(v, path, w) for v in violations]
            self.audits += 1
        self.seconds += time.monotonic() - started

    def forget(self):
        """A test that failed on its own: what is queued or found does not follow the next test."""
        self.contexts, self.queue, self.found = [], [], []

    def finish(self):
        """Wait for the audits of this test's pages (the last may still be loading); fail if
        anything was found."""
        contexts, self.contexts = self.contexts, []
        for page in (page for context in contexts for page in context.pages):
            page.wait_for_load_state("load")
            page.evaluate("() => 0")  # after the page's report of its load has reached us
        while self.queue or self.busy:
            self.page.wait_for_timeout(20)
        found, self.found = self.found, []
        if found:
            raise AssertionError("axe-core（WCAG 2.1 A/AA）发现问题：\n" + "\n".join(found))


def describe(violation: dict, path: str, width: int) -> str:
    nodes = "\n".join(f"      {target}" for target in violation["nodes"])
    return (
        f"  {path} @ {width}px — {violation['id']} ({violation['impact']}): {violation['help']}"
        f"\n    {violation['helpUrl']}\n{nodes}"
    )
