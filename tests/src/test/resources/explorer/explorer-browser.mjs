// Drives the router's explorer page in headless Chromium (ExplorerBrowserTest): loads it, runs the demo query, reads
// the answer and the drawn plan, opens the schema docs, saves a screenshot, and prints what it saw as one JSON line.
// The assertions are the Java test's. Usage: node explorer-browser.mjs CHROMIUM ORIGIN SCREENSHOT USER_DATA_DIR [batch]
// With batch it runs BATCH_QUERY instead, whose plan holds a BatchFetch, and reads how the panel draws that.
import { chromium } from 'playwright-core';

const [executablePath, origin, screenshot, userDataDir, scenario = 'demo'] = process.argv.slice(2);
const DEMO_QUERY = 'query TopProducts { topProducts(first: 2) { name price inStock shippingEstimate(zip: "94110") '
  + 'reviews(first: 1) { totalCount edges { node { rating author { username } } } } media { __typename title likes } '
  + 'seller { displayName } } me { username } }';
const CONDITIONAL_QUERY = 'query MaybeReviews($withReviews: Boolean = false) { topProducts(first: 1) { name '
  + 'reviews(first: 1) @include(if: $withReviews) { totalCount } } }';
// reviews asked for the same type at two paths with different arguments: one selection cannot ask both, so the
// planner batches the two entity fetches to reviews in one request; the second part under a condition of its own
const BATCH_QUERY = 'query ProductReviews($more: Boolean = true) { topProducts(first: 2) { name reviews(first: 1) { totalCount } } '
  + 'product(upc: "100008") { name reviews(first: 2) @include(if: $more) { totalCount } } }';
const seen = { console: [], pageErrors: [], cspViolations: [], foreignRequests: [] };

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1600, height: 1000 },
  deviceScaleFactor: 1,
});
try {
  // nothing but the router's origin may be asked: the page must work offline
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('data:')) return route.continue();
    seen.foreignRequests.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  const loaded = await page.goto(origin + '/', { waitUntil: 'load' });
  const headers = loaded.headers();
  await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 20000 });
  // the schema arrives by introspection; the docs button works once it has
  await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), null, { timeout: 20000 });
  if (scenario === 'batch') {
    console.log(JSON.stringify({ headers, batch: await batch(page), ...seen, cspViolations: await page.evaluate(() => window.__csp) }));
    await context.close();
    process.exit(0); // the demo's steps below are not this scenario's
  }

  // type the demo query over the one the page opens with, on one line: the editor closes brackets and quotes itself,
  // and typing a closing one steps over it
  const editor = '.graphiql-query-editor .CodeMirror';
  await page.click(editor);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(DEMO_QUERY, { delay: 2 });
  await page.keyboard.press('Escape'); // closes an autocompletion list, if one is open
  const typed = await page.evaluate((sel) => document.querySelector(sel).CodeMirror.getValue(), editor);
  await page.click('[aria-label^="Prettify query"]');
  await page.click('.graphiql-execute-button');
  await page.waitForSelector('[data-testid=plan-tree] [data-kind=Fetch]', { timeout: 30000 });
  const firstSummary = await page.textContent('[data-testid=plan-summary]');
  // again: the plan now comes from the plan cache, and the connections are warm
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => /cache hit/.test(document.querySelector('[data-testid=plan-summary]')?.textContent ?? ''),
    null, { timeout: 30000 });
  await page.waitForFunction(() => /"topProducts"/.test(
    document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? ''), null, { timeout: 30000 });
  const answer = JSON.parse(await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()));

  const plan = await page.evaluate(() => {
    const kinds = [...document.querySelectorAll('[data-testid=plan-tree] [data-kind]')].map((n) => n.dataset.kind);
    const fetches = [...document.querySelectorAll('[data-testid=plan-tree] [data-kind=Fetch]')].map((n) => ({
      service: n.querySelector('[data-testid=fetch-service]')?.textContent,
      operation: n.dataset.operation,
      duration: n.querySelector('[data-testid=fetch-duration]')?.textContent,
      entities: n.querySelector('[data-testid=fetch-entities]')?.textContent ?? null,
      bar: !!n.querySelector('.vx-bar'),
    }));
    const summary = document.querySelector('[data-testid=plan-summary]')?.textContent ?? null;
    return { kinds, fetches, summary };
  });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot });

  // the schema docs: the root type and its fields
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer', { timeout: 10000 });
  await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name >> text=Query');
  await page.waitForSelector('.graphiql-doc-explorer-title >> text=Query', { timeout: 10000 });
  const docs = await page.evaluate(() => document.querySelector('.graphiql-doc-explorer').textContent);

  // a plan with a Condition: @include on a variable that is false (its default), so the fetch under it does not run
  await page.evaluate((query) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query),
    CONDITIONAL_QUERY);
  // GraphiQL takes the operation's name from the editor 100 ms after a change (debounced): run once it has
  await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.operationName
    === 'MaybeReviews', null, { timeout: 10000 });
  await page.click('.graphiql-execute-button');
  try {
    await page.waitForSelector('[data-testid=plan-tree] [data-kind=Condition]', { timeout: 30000 });
  } catch (e) {
    const panel = await page.textContent('.vx-plan');
    const response = await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue());
    throw new Error(`no Condition drawn; the panel says: ${panel}; the response: ${response}`);
  }
  const conditional = await page.evaluate(() => ({
    answer: document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue(),
    kinds: [...document.querySelectorAll('[data-testid=plan-tree] [data-kind]')].map((n) => n.dataset.kind),
    fetches: [...document.querySelectorAll('[data-testid=plan-tree] [data-kind=Fetch]')].map((n) => ({
      service: n.dataset.service,
      duration: n.querySelector('[data-testid=fetch-duration]')?.textContent,
      insideCondition: !!n.closest('[data-kind=Condition]'),
    })),
  }));

  seen.cspViolations = await page.evaluate(() => window.__csp);
  console.log(JSON.stringify({ headers, typed, firstSummary, answer, plan, docs, conditional, ...seen }));
} finally {
  await context.close();
}

// runs BATCH_QUERY and reads the BatchFetch card as a user reads it (innerText: what is shown, not what is hidden)
async function batch(page) {
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.evaluate((query) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query),
    BATCH_QUERY);
  await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.operationName
    === 'ProductReviews', null, { timeout: 10000 });
  await page.click('.graphiql-execute-button');
  try {
    await page.waitForSelector('[data-testid=plan-tree] [data-kind=BatchFetch]', { timeout: 30000 });
  } catch (e) {
    const panel = await page.textContent('.vx-plan');
    throw new Error(`no BatchFetch drawn; the panel says: ${panel}`);
  }
  await page.waitForFunction(() => /"product"/.test(
    document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? ''), null, { timeout: 30000 });
  const drawn = await page.evaluate(() => {
    const text = (n) => n?.innerText ?? null;
    const card = document.querySelector('[data-testid=plan-tree] [data-kind=BatchFetch]');
    return {
      answer: document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue(),
      kinds: [...document.querySelectorAll('[data-testid=plan-tree] [data-kind]')].map((n) => n.dataset.kind),
      service: text(card.querySelector('[data-testid=fetch-service]')),
      duration: text(card.querySelector('[data-testid=fetch-duration]')),
      badge: text(card.querySelector('[data-testid=fetch-batch]')),
      bar: !!card.querySelector('.vx-bar'),
      parts: [...card.querySelectorAll('[data-testid=batch-part]')].map((part) => ({
        alias: text(part.querySelector('[data-testid=batch-part-alias]')),
        path: text(part.querySelector('[data-testid=batch-part-path]')),
        operation: text(part.querySelector('[data-testid=batch-part-operation]')),
        conditions: text(part.querySelector('[data-testid=batch-part-conditions]')),
        text: text(part),
      })),
      card: text(card),
    };
  });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot });
  return drawn;
}
