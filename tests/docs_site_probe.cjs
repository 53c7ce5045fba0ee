// Opens one page of the built docs site in headless Chromium, works its code tabs and reports what a
// reader sees as JSON on stdout; tests/test_docs_site.py makes the assertions.
// Usage: node docs_site_probe.cjs <docs-site dir> <page url> <screenshot.png> <user-data-dir>
'use strict';

const path = require('path');
const {createRequire} = require('module');

const [siteDir, pageUrl, screenshot, userDataDir] = process.argv.slice(2);
// playwright-core is a devDependency of the docs site, installed by its lockfile; it drives the system
// Chromium and never downloads a browser.
const {chromium} = createRequire(path.join(path.resolve(siteDir), 'package.json'))('playwright-core');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT_MS = 30000;

async function visible(locator) {
  return (await locator.count()) > 0 && (await locator.first().isVisible());
}

async function main() {
  const origin = new URL(pageUrl).origin;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.OPI_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    viewport: {width: 1280, height: 900},
    timeout: TIMEOUT_MS,
  });
  const report = {offsite: [], consoleErrors: [], pageErrors: []};
  try {
    context.setDefaultTimeout(TIMEOUT_MS);
    // The site must work offline: anything not served by the local server is blocked and reported.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
      report.offsite.push(url);
      return route.abort();
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (msg) => msg.type() === 'error' && report.consoleErrors.push(msg.text()));
    page.on('pageerror', (err) => report.pageErrors.push(String(err)));

    const response = await page.goto(pageUrl, {waitUntil: 'networkidle'});
    report.status = response ? response.status() : null;
    report.title = await page.title();
    report.h1 = await page.locator('article h1').first().innerText();
    report.tableHeaders = await page.locator('article table').first().locator('th').allInnerTexts();
    report.tableRows = await page.locator('article table').first().locator('tbody tr').allInnerTexts();
    const tip = page.locator('article .theme-admonition-tip');
    report.tipVisible = await visible(tip);
    report.tipText = report.tipVisible ? await tip.first().innerText() : '';

    // Code blocks by their title bar (```lang title="..."```).
    const block = (title, language) =>
      page.locator(`article div.language-${language}`).filter({
        has: page.locator('[class*="codeBlockTitle"]', {hasText: title}),
      });
    const python = block('Code example', 'python');
    report.pythonVisible = await visible(python);
    report.pythonCode = report.pythonVisible ? await python.first().locator('pre').innerText() : '';
    const result = block('Result', 'json');
    report.resultVisible = await visible(result);
    report.resultCode = report.resultVisible ? await result.first().locator('pre').innerText() : '';

    const bash = block('CLI command example', 'bash');
    const batch = block('CLI command example', 'batch');
    const tabs = page.locator('article [role="tablist"]').first().locator('[role="tab"]');
    report.tabLabels = await tabs.allInnerTexts();
    report.before = {bash: await visible(bash), batch: await visible(batch)};
    // The second tab only becomes visible once React has hydrated the page and handled the click.
    await tabs.nth(1).click();
    await batch.first().waitFor({state: 'visible'});
    report.after = {bash: await visible(bash), batch: await visible(batch)};
    report.batchCode = await batch.first().locator('pre').innerText();
    report.selectedTab = await page
      .locator('article [role="tablist"]')
      .first()
      .locator('[role="tab"][aria-selected="true"]')
      .innerText();

    report.sidebar = await page.locator('nav.menu a.menu__link').allInnerTexts();
    // A full-page shot taken while scrolled paints the sticky navbar mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({path: screenshot, fullPage: true});
    report.screenshot = screenshot;

    // Local search: the index is fetched from the same server on first use.
    const search = page.locator('input.navbar__search-input');
    report.searchBox = await visible(search);
    if (report.searchBox) {
      await search.fill(process.env.OPI_PROBE_SEARCH || 'customer refund');
      const hits = page.locator('.navbar__search [role="option"]');
      await hits.first().waitFor({state: 'visible'});
      report.searchHits = await hits.allInnerTexts();
    }
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
