// The README's picture of the Orleans Dashboard (scripts/dashboard-screenshot.sh runs it against a gateway it starts):
//   node dashboard-screenshot.mjs <gateway base URL> <operator key> <png file>
// The dashboard answers only the operator key, so the browser sends it as X-Api-Key with every request.

import { launch, stepTimeout } from './support.mjs';

const [base, key, file] = process.argv.slice(2);
if (!file) throw new Error('usage: node dashboard-screenshot.mjs <gateway base URL> <operator key> <png file>');

const browser = await launch();
try {
  const context = await browser.newContext({ extraHTTPHeaders: { 'X-Api-Key': key }, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeout);
  const response = await page.goto(new URL('dashboard/', base).href);
  if (response?.status() !== 200) throw new Error(`GET /dashboard/ answered ${response?.status()}`);
  await page.locator('.fa-spinner').first().waitFor({ state: 'detached' });
  await page.locator('#content canvas').first().waitFor({ state: 'visible' });
  await page.getByText(/^[\d.]+req\/sec$/).first().waitFor(); // "Methods with Most Calls" has its first figures
  await page.waitForTimeout(30_000); // the dashboard samples from its first visit on, once a second: let the chart fill
  await page.screenshot({ path: file });
} finally {
  await browser.close();
}
