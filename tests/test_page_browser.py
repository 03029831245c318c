"""The quotes page in a real headless browser: Debian's chromium, driven by selenium through chromedriver.
Skips, saying why, where no browser is installed (.ci/run installs one)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import QUOTES, SEED_DIR, SEED_NAME

pytestmark = pytest.mark.slow  # `quotes extract` and a browser in subprocesses

BROWSER = os.environ.get("QUOTES_BROWSER") or next(
    (path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None)
DRIVER = os.environ.get("QUOTES_CHROMEDRIVER") or shutil.which("chromedriver")

# What the page shows, as the browser lays it out: per quote in the list, the text of its highlights, their
# computed background colour and their size on the screen.
READ_PAGE = """
const quotes = [...document.querySelectorAll('ol.quotes > li')].map(li => li.id);
return quotes.map(id => {
  const marks = [...document.querySelectorAll('mark.quote')].filter(m => m.dataset.quotes.split(' ').includes(id));
  return {id, text: marks.map(m => m.textContent).join(''),
          colours: [...new Set(marks.map(m => getComputedStyle(m).backgroundColor))],
          width: marks.reduce((w, m) => w + m.getBoundingClientRect().width, 0),
          title: marks.length ? marks[0].title : ''};
});
"""


@pytest.fixture()
def browser():
    if not BROWSER or not DRIVER:
        pytest.skip("no headless browser here: install Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run does), or set QUOTES_BROWSER and "
                    "QUOTES_CHROMEDRIVER")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (the test extra) is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    yield driver
    driver.quit()


@pytest.mark.parametrize("suffix", ["html", "txt"])
def test_the_page_shows_every_quote_highlighted(browser, tmp_path, suffix):
    source = SEED_DIR / f"{SEED_NAME}.{suffix}"
    page = subprocess.run([QUOTES, "extract", str(source), "--format", "html", "--publisher", "RT"],
                          capture_output=True, text=True, check=True).stdout
    json_out = subprocess.run([QUOTES, "extract", str(source), "--publisher", "RT"], capture_output=True,
                              text=True, check=True).stdout
    quotes = json.loads(json_out)["quotes"]
    view = tmp_path / "view.html"
    view.write_text(page, "utf-8")
    browser.get(view.as_uri())
    assert browser.title == f"Quotes in {source.name}"
    shown = browser.execute_script(READ_PAGE)
    assert [s["id"] for s in shown] == [q["id"] for q in quotes]
    for s, q in zip(shown, quotes):
        assert s["text"] == q["content"]["content"]
        assert s["width"] > 0, s  # laid out on the screen
        assert s["colours"] and all(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in s["colours"]), s
        assert q["speaker"]["name"] in s["title"]  # what hovering shows
    browser.save_screenshot(str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 10_000
    if os.environ.get("QUOTES_KEEP_SCREENSHOT"):
        shutil.copy(tmp_path / "view.png", Path(os.environ["QUOTES_KEEP_SCREENSHOT"]) / f"view-{suffix}.png")
