"""Driving the app in Debian's headless Chromium with Playwright, the way Streamlit's own
end-to-end tests do: wait for the script to finish before looking."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The app's own sidebar links (qa_app.ui.navigation.show_links).
NAV = ".st-key-app_navigation"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TIMEOUT_MS = 90_000
# Streamlit's data grid draws rows 35 pixels high under a header of the same height, with
# the row-selection checkboxes in the first column.
ROW_HEIGHT = 35


def chromium_path() -> str | None:
    return CHROMIUM if shutil.which(CHROMIUM) else shutil.which("chromium")


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=ARGS)


@contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator:
    """A page in a fresh headless Chromium; skips the test where Chromium is missing."""
    if chromium_path() is None:
        pytest.skip("browser test skipped: chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser.new_page(viewport={"width": width, "height": height})
        browser.close()


def settle(page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the app has finished its current run (and any run it triggered)."""
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def choose_files(page, files, count: int) -> None:
    """Choose ``files`` in the page's file uploader and wait until all ``count`` have
    reached the server: each shows as a chip, and no chip still spins. Pressing the form's
    button before then reads only the files already uploaded."""
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)
    chips = page.get_by_test_id("stFileChip")
    expect(chips).to_have_count(count, timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stFileChipIconSpinner")).to_have_count(0, timeout=TIMEOUT_MS)


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Open the app and sign in as ``username``; a session the browser's cookie still
    holds (someone else's, say) is signed out first."""
    page.goto(base_url)
    settle(page)
    sign_out = page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
        page.get_by_role("textbox", name="Password").wait_for(timeout=TIMEOUT_MS)
        settle(page)
    submit_sign_in(page, username, password)


def submit_sign_in(page, username: str, password: str, *, refused: bool = False) -> None:
    """Fill in and send the sign-in form the page is showing, then wait for the signed-in
    app (its Sign out button) or, with ``refused``, for the refusal."""
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if refused:
        page.get_by_test_id("stAlertContentError").wait_for(timeout=TIMEOUT_MS)
    else:
        page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").wait_for(
            timeout=TIMEOUT_MS
        )
    settle(page)


def go_to_page(page, title: str) -> None:
    """Follow a link in the sidebar navigation (keeps the signed-in session)."""
    page.locator(NAV).get_by_role("link", name=title, exact=True).click()
    settle(page)


def select_row(page, table_key: str, row: int) -> None:
    """Tick the selection box of a row (0 = first) of the data grid with widget key ``table_key``."""
    grid = page.locator(f".st-key-{table_key} [data-testid='stDataFrameResizable']")
    grid.wait_for(timeout=TIMEOUT_MS)
    grid.click(position={"x": 18, "y": ROW_HEIGHT * (row + 1) + ROW_HEIGHT // 2})
    settle(page)


def open_first_audit(page) -> None:
    """From My audits, open the audit in the first row and wait for the audit page."""
    select_row(page, "my_audits_table", 0)
    page.get_by_role("heading", name="Audit of plan").wait_for(timeout=TIMEOUT_MS)
    page.get_by_test_id("stRadio").first.wait_for(timeout=TIMEOUT_MS)
    settle(page)


CRITERION_LEVELS = "[class*='st-key-audit-'][class*='-level-'] [data-testid='stRadio']"


def criterion(page, index: int):
    """The level radio group of the ``index``-th criterion on the audit page (other radio
    groups, such as what the family said, are not criteria)."""
    return page.locator(CRITERION_LEVELS).nth(index)


def choose_level(page, index: int, label: str, *, wait: bool = True) -> None:
    """Click a level (for example "3 · Good") on the ``index``-th criterion; the page
    saves it in the widget's callback."""
    criterion(page, index).get_by_test_id("stRadioOption").filter(has_text=label).click()
    if wait:
        settle(page)


def level_radio(page, index: int, label: str):
    return criterion(page, index).get_by_role("radio", name=label)


def choose_option(page, select_label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``select_label``."""
    box = page.get_by_role("combobox", name=select_label).first
    box.click()
    box.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def typed_field(page, key: str):
    """The textarea of the save-as-you-type field with widget key ``key``."""
    return page.locator(f".st-key-{key} textarea")


def wait_until_saved(page, key: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the save-as-you-type field ``key`` shows its text as saved (the server
    confirmed it), not merely until the page is quiet."""
    page.wait_for_function(
        """key => {
            const field = document.querySelector(`.st-key-${key} .qa-autosave`);
            return field && field.dataset.saved && field.dataset.saved !== "pending";
        }""",
        arg=key,
        timeout=timeout_ms,
    )


def wait_until_field_saved(page, field, timeout_ms: int = TIMEOUT_MS) -> None:
    """As ``wait_until_saved``, for the save-as-you-type textarea ``field`` (a locator)."""
    page.wait_for_function(
        """area => {
            const field = area.closest(".qa-autosave");
            return field && field.dataset.saved && field.dataset.saved !== "pending";
        }""",
        arg=field.element_handle(),
        timeout=timeout_ms,
    )


def type_then_reload_at_once(page, key: str, text: str) -> None:
    """Type ``text`` into the save-as-you-type field ``key`` and press F5 straight after,
    while its save may still be on its way."""
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?"
    typed_field(page, key).click()
    page.keyboard.type(text)
    page.keyboard.press("F5")
    page.wait_for_load_state()


def wait_for_field_text(page, key: str, text: str) -> None:
    """Wait until the save-as-you-type field ``key`` holds ``text``."""
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.value === text",
        arg=[f".st-key-{key} textarea", text],
        timeout=TIMEOUT_MS,
    )
