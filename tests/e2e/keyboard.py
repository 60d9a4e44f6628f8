"""Using a page by keyboard alone (issue 20): Tab to a control, then type, Space or Enter.

Each step checks what a keyboard user sees: the focused element is on screen (Chromium scrolls
no further when part of it shows) and no part of it is under a sticky bar (the nomination form's
保存草稿 bar stays at the bottom of the screen).
"""

import re

from tests.nominations.formdata import post_data

# Where the focused element is, and whether a sticky or fixed bar covers any of it.
FOCUS_IN_SIGHT = """() => {
  const focused = document.activeElement;
  const box = focused.getBoundingClientRect();
  const covered = [...document.querySelectorAll("body *")].filter(bar => {
    const position = getComputedStyle(bar).position;
    if ((position !== "sticky" && position !== "fixed") || bar.contains(focused)) return false;
    const cover = bar.getBoundingClientRect();
    return box.bottom > cover.top + 1 && box.top < cover.bottom - 1
      && box.right > cover.left && box.left < cover.right;
  });
  return {
    element: focused.outerHTML.slice(0, 120),
    onScreen: box.bottom > 0 && box.top < innerHeight,
    covered: covered.map(bar => bar.className),
  };
}"""

MOST_TABS = 200


def assert_focus_in_sight(page):
    seen = page.evaluate(FOCUS_IN_SIGHT)
    assert seen["onScreen"] and not seen["covered"], seen


def tab_to(page, selector, *, backwards=False):
    """Press Tab (or Shift+Tab) until ``selector`` has focus, checking every stop is in sight."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert_focus_in_sight(page)
            return
        if page.evaluate("() => document.activeElement !== document.body"):
            assert_focus_in_sight(page)
    raise AssertionError(f"按{MOST_TABS}次 Tab 仍未到达 {selector}")


def type_into_form(page, values):
    """Fill the nomination form by keyboard: Tab to each control, type, or Space to choose.

    A select takes the typed first letters of no Chinese option, so it is moved with the arrow
    keys to the wanted option, as a keyboard user does.
    """
    for name, value in post_data(values).items():
        rows = re.match(r"^(\w+?)__(\d+)__", name)
        if rows and page.locator(f"[name^='{rows.group(1)}__{rows.group(2)}__']").count() == 0:
            tab_to(page, f"button.add-row[data-field='{rows.group(1)}']")
            page.keyboard.press("Enter")
        choices = value if isinstance(value, list) else [value]
        for choice in choices:
            control = page.locator(f"[name='{name}']").first
            kind = control.get_attribute("type")
            if kind in ("radio", "checkbox"):
                tab_to(page, f"[name='{name}'][value='{choice}']")
                page.keyboard.press("Space")
            elif control.evaluate("e => e.tagName") == "SELECT":
                tab_to(page, f"[name='{name}']")
                options = control.evaluate("e => [...e.options].map(o => o.value)")
                for _ in range(options.index(choice)):
                    page.keyboard.press("ArrowDown")
            else:
                tab_to(page, f"[name='{name}']")
                page.keyboard.press("Control+A")
                page.keyboard.press("Delete")
                page.keyboard.insert_text(str(choice))
