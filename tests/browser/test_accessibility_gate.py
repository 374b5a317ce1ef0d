"""The accessibility and layout gate: every HTML page of the permission matrix, in English, Arabic and French, in
Chromium.

New pages are covered automatically: the pages visited are the rows of the table in docs/security.md (read with
`table()` of tests/attache/test_permission_matrix.py, whose `world` fixture gives the ids and tokens the URLs
need), and that suite fails on a route without its row. Every row that some role gets 200 on is visited as the
least privileged and as the most privileged of those roles (once when they are the same), at `/en/`, `/ar/` and
`/fr/`.
Responses that are not text/html (downloads, JSON, PDFs) are skipped.

Each page must have
- no axe-core violation of WCAG 2.2 AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa); axe runs once per page
  and language: English at 1280 px, Arabic at 360 px, so that both layouts are checked across the suite;
- no horizontal scroll at 360 px and at 1280 px (document.documentElement.scrollWidth <= clientWidth);
- on Arabic pages, none of our interface strings left in English: the page's text (what is shown, what screen
  readers read: aria-label, placeholder, alt, title, the title), less what people and editors typed (elements with
  `dir="auto"`, the pages' intros), contains no msgid of locale/ar longer than 12 characters
  whose Arabic msgstr differs from it; the same on French pages with locale/fr, and no horizontal scroll at 360 px
  there either (French runs longer); axe is not run again in French (the markup is the English page's);
- on our pages in either language (not the CMS's), no time zone shown as its IANA id (`Asia/Kuala_Lumpur`): a
  zone is named in the reader's language ("توقيت ماليزيا، غرينتش+8").

Known violations that are not fixed yet are listed in ALLOWED, one entry per page and rule with the reason; the
gate fails on anything else, and on an entry that no longer occurs (so the list only shrinks).

It takes about two minutes (90 to 120 s here, a third of it seeding the demo), so it runs only in the SQLite pass of
CI (skipped on PostgreSQL: the pages are the same). Run it alone with
`.venv/bin/python -m pytest tests/browser/test_accessibility_gate.py -p no:cacheprovider`.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.attache import test_permission_matrix as matrix
from tests.attache.test_permission_matrix import ROLES, table
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Decided when the tests are collected, so that neither a database nor a browser is set up for nothing.
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the accessibility gate runs in the SQLite pass only: the pages are the same on PostgreSQL",
    ),
]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = ["en", "ar", "fr"]
TRANSLATED = ("ar", "fr")  # pages where none of our English strings may be left


def po_of(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


# (route, language, rule) -> why it is allowed for now. Rules are axe-core rule ids, "scroll", "untranslated" or
# "zone id".
ALLOWED: dict[tuple[str, str, str], str] = {}

# The page's text, for the eye and for screen readers (text, labels, placeholders, alternatives), less what people
# and editors typed (dir="auto", the pages' intros).
PAGE_TEXT = """() => {
    const theirs = '[dir="auto"], .lead-intro, script, style, template';
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.closest(theirs)) texts.push(node.textContent);
    }
    for (const element of document.querySelectorAll('[aria-label], [placeholder], [alt], [title]')) {
        if (element.closest(theirs)) continue;
        for (const name of ['aria-label', 'placeholder', 'alt', 'title']) {
            if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
        }
    }
    texts.push(document.title);
    return texts.join(' ');
}"""
IANA_ID = re.compile(r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Z][A-Za-z_+-]+")
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
# What sticks out of the page sideways, deepest first, to say where to look when it scrolls.
STICKING_OUT = """() => {
    const width = document.documentElement.clientWidth;
    const name = (element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + [...element.classList].map((c) => '.' + c).join('');
    const out = (element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 1 || box.left < -1);
    };
    const clipped = (element) => {
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
        }
        return false;
    };
    return [...document.body.querySelectorAll('*')]
        .filter((element) => out(element) && !clipped(element) && ![...element.children].some(out))
        .slice(0, 3).map((element) => name(element.parentElement) + ' > ' + name(element));
}"""


world = matrix.world  # the matrix's fixture: the demo, one person per role, the ids and tokens of the URLs


def interface_strings(language: str) -> list[str]:
    """Our msgids that have a translation in `language`, as the literal pieces of them that a page would show."""
    import polib

    pieces = set()
    for entry in polib.pofile(str(po_of(language))):
        if entry.obsolete or entry.fuzzy:
            continue
        translated = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
        if not translated or translated == entry.msgid:
            continue
        # Placeholders and markup are filled in or rendered: look for the fixed text between them.
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>|\n", entry.msgid):
            piece = " ".join(piece.split())
            if len(piece) > 12:
                pieces.add(piece)
    return sorted(pieces)


def visits() -> list[tuple[str, str, str]]:
    """(route, URL template, role): each row as the least and the most privileged role that gets 200 on it."""
    chosen = []
    for row in table():
        allowed = [role for role in ROLES if row[role] == "200"]
        for role in dict.fromkeys([allowed[0], allowed[-1]] if allowed else []):
            chosen.append((row["route"], row["url"], role))
    return chosen


def test_every_page_is_accessible_and_fits(world, live_server, browser):
    from playwright.sync_api import Error as PlaywrightError

    from participants.models import Registration

    people, values = world
    # The demo has no one on the waiting list of the matrix's cohort: put someone there, so that the cohort page
    # shows its Override button too.
    waiting = Registration.objects.filter(cohort_id=values["cohort"]).exclude(user__in=people.values()).last()
    Registration.objects.filter(pk=waiting.pk).update(status="waitlisted")
    axe = (files("axe_playwright_python") / "axe.min.js").read_text()
    strings = {language: interface_strings(language) for language in TRANSLATED}
    found: dict[tuple[str, str, str], list[str]] = {}
    contexts = {}
    checked = 0

    def context_for(role):
        if role not in contexts:
            # axe is injected as an inline script, which our Content-Security-Policy rightly refuses.
            context = browser.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
            if role != "anonymous":
                client = Client()
                client.force_login(people[role])
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(15_000)
            contexts[role] = (context, page)
        return contexts[role][1]

    try:
        for route, template, role in visits():
            for language in LANGUAGES:
                url = template.format(**values)
                if "/en/" not in url and language != "en":
                    continue  # not a page of ours in a language (the CMS, Django's admin)
                url = url.replace("/en/", f"/{language}/", 1)
                page = context_for(role)
                axe_at, other = (DESKTOP, PHONE) if language == "en" else (PHONE, DESKTOP)
                page.set_viewport_size(axe_at)
                try:
                    response = page.goto(live_server.url + url, wait_until="load")
                except PlaywrightError as error:
                    if "Download is starting" in str(error):
                        continue  # a download (a sheet, a PDF, the person's data), not a page
                    raise
                if "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                where = f"{role} {url}"
                if response.status != 200:
                    found.setdefault((route, language, f"status {response.status}"), []).append(where)
                    continue
                checked += 1
                if language == "fr":  # French: the words and the width only (axe has seen this markup in en and ar)
                    page.set_viewport_size(PHONE)
                    if not page.evaluate(NO_SIDEWAYS_SCROLL):
                        culprits = ", ".join(page.evaluate(STICKING_OUT))
                        found.setdefault((route, language, "scroll"), []).append(f"{where} at 360 px ({culprits})")
                    text = " ".join(page.evaluate(PAGE_TEXT).split())
                    for string in strings["fr"]:
                        if string in text:
                            found.setdefault((route, language, "untranslated"), []).append(f"{where}: {string!r}")
                    continue
                page.add_script_tag(content=axe)
                results = page.evaluate(
                    "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                    TAGS,
                )
                for violation in results["violations"]:
                    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
                    found.setdefault((route, language, violation["id"]), []).append(f"{where} at {targets}")
                for viewport in (axe_at, other):
                    page.set_viewport_size(viewport)
                    if not page.evaluate(NO_SIDEWAYS_SCROLL):
                        culprits = ", ".join(page.evaluate(STICKING_OUT))
                        found.setdefault((route, language, "scroll"), []).append(
                            f"{where} at {viewport['width']} px ({culprits})"
                        )
                text = " ".join(page.evaluate(PAGE_TEXT).split())
                for zone in sorted(set(IANA_ID.findall(text))) if f"/{language}/" in url else []:  # not the CMS's
                    found.setdefault((route, language, "zone id"), []).append(f"{where}: {zone!r}")
                if language == "ar":
                    for string in strings["ar"]:
                        if string in text:
                            found.setdefault((route, language, "untranslated"), []).append(f"{where}: {string!r}")
    finally:
        for context, _page in contexts.values():
            context.close()

    assert checked > 40, f"only {checked} pages were checked: is the demo seeded, the session cookie accepted?"
    new = {key: places for key, places in found.items() if key not in ALLOWED}
    gone = [key for key in ALLOWED if key not in found]
    report = "\n".join(f"{route} [{language}] {rule}: " + "; ".join(places) for (route, language, rule), places in
                       sorted(new.items()))  # fmt: skip
    assert not new, f"{len(new)} new accessibility or layout problems:\n{report}"
    assert not gone, f"fixed, take them off ALLOWED: {gone}"
