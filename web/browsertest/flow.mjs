// pcnhub's browser test: a receptionist's day in a real Chromium, driven by
// Playwright (playwright-core; the browser is Debian's, at /usr/bin/chromium).
// cmd/pcnhub's TestBrowser starts pcnhub with the demo data and runs this
// with:
//   PCNHUB_URL        the server, e.g. http://127.0.0.1:41234
//   PCNHUB_NHS        a Riverside Medical Centre (A99991) patient's NHS number
//   PCNHUB_FAMILY     that patient's family name, as the book shows it
//   PCNHUB_PASSWORD   the demo staff password
//   PCNHUB_SHOTS      the folder for screenshots (the test's artefacts)
// It prints one line per step and exits 1 at the first failure, after a
// screenshot of the page as it was.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = must('PCNHUB_URL');
const nhs = must('PCNHUB_NHS');
const family = must('PCNHUB_FAMILY');
const password = must('PCNHUB_PASSWORD');
const shots = must('PCNHUB_SHOTS');
mkdirSync(shots, { recursive: true });

function must(name) {
  const v = process.env[name];
  if (!v) { console.error(`${name} is not set`); process.exit(2); }
  return v;
}

const browser = await chromium.launch({
  executablePath: process.env.PCNHUB_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // As root, without the sandbox; and no calls to Google's services, which
  // this machine's closed network refuses.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/London' });
context.setDefaultTimeout(20000);
let page = await context.newPage();
const offsite = [];
page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) offsite.push(r.url()); });
const consoleErrors = [];
// A page answered 403 or 422 on purpose is not a failure; a script, style
// or image that fails to load is.
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
page.on('response', (r) => {
  if (r.status() >= 400 && r.request().resourceType() !== 'document') consoleErrors.push(`${r.status()} ${r.url()}`);
});
page.on('pageerror', (e) => consoleErrors.push(String(e)));

let n = 0;
async function step(name, fn) {
  n++;
  const label = `${String(n).padStart(2, '0')} ${name}`;
  try {
    await fn();
    console.log(`ok   ${label}`);
  } catch (e) {
    console.log(`FAIL ${label}: ${e.message.split('\n')[0]}`);
    await page.screenshot({ path: join(shots, `FAILED-${String(n).padStart(2, '0')}.png`), fullPage: true }).catch(() => {});
    console.log(`     at ${page.url()}`);
    await browser.close();
    process.exit(1);
  }
}

// A screenshot of the whole page, or of its first 2,400 pixels when it is
// longer (a busy practice's day runs to many screens).
async function shot(name) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const opts = { path: join(shots, `${name}.png`), fullPage: true };
  if (height > 2400) opts.clip = { x: 0, y: 0, width: 1400, height: 2400 };
  await page.screenshot(opts);
}

function expect(cond, message) { if (!cond) throw new Error(message); }

// Every visible form control has a label (WCAG 1.3.1, 4.1.2).
async function labelled() {
  const unlabelled = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.offsetParent === null) continue;
      const byFor = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (!byFor && !el.closest('label') && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
        out.push(el.outerHTML.slice(0, 120));
      }
    }
    return out;
  });
  expect(unlabelled.length === 0, `form controls without a label on ${page.url()}: ${unlabelled.join(' | ')}`);
}

async function signIn(username) {
  await page.goto(base + '/');
  await page.waitForSelector('#username');
  // By keyboard, as many receptionists do: type, Tab, type, Enter.
  await page.focus('#username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#signed-in-as');
}

async function signOut() {
  await page.click('button:has-text("Sign out")');
  await page.waitForSelector('#username');
}

// London date (YYYY-MM-DD) of an RFC 3339 instant.
function londonDate(iso) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

await step('the sign-in page', async () => {
  await page.goto(base + '/');
  await page.waitForSelector('#username');
  await labelled();
  await shot('01-sign-in');
});

await step('a wrong password is refused next to the field', async () => {
  await page.fill('#username', 'rosa.reception');
  await page.fill('#password', 'not-the-password');
  await page.click('#sign-in');
  await page.waitForSelector('.nhsuk-error-summary');
  const msg = await page.textContent('#password-error');
  expect(msg.includes('The user name or password is wrong'), `password error reads "${msg}"`);
});

await step('receptionist signs in by keyboard', async () => {
  await signIn('rosa.reception');
  await labelled();
  await shot('02-home');
});

await step('find a patient by NHS number', async () => {
  await page.goto(base + '/patients');
  await labelled();
  await page.fill('#nhs', nhs);
  await page.click('#find-patient');
  await page.waitForSelector('a.patient-result');
  await shot('03-find-patient');
  await page.click('a.patient-result');
  await page.waitForSelector('#book-across');
  await labelled();
  await shot('04-patient');
});

let slotStart = '';
await step('search free slots across practices', async () => {
  await page.click('#book-across');
  await page.waitForSelector('#search-slots');
  await labelled();
  await page.click('#search-slots');
  await page.waitForSelector('#slot-results tr.slot-result');
  const practices = await page.$$eval('#slot-results tr.slot-result', (rows) => [...new Set(rows.map((r) => r.dataset.practice))]);
  expect(practices.length > 1, `results from one practice only: ${practices}`);
  await shot('05-search-results');
});

await step('book a Riverside slot for the patient', async () => {
  // Book the patient's own practice, so that the receptionist sees the
  // booking in her book afterwards.
  const row = page.locator('#slot-results tr.slot-result[data-practice="A99991"]').last();
  slotStart = await row.getAttribute('data-start');
  await row.locator('.book-slot').click();
  await page.waitForSelector('#description');
  await labelled();
  await page.fill('#description', 'Browser test: sore throat');
  await shot('06-confirm-booking');
  await page.click('#confirm-booking');
  await page.waitForSelector('#booking-confirmation');
  const confirmation = await page.textContent('#booking-confirmation');
  expect(confirmation.includes('Riverside Medical Centre'), `confirmation lacks the practice: ${confirmation}`);
  await shot('07-booked');
});

let slotID = '';
await step('the booking is in the appointment book', async () => {
  await page.goto(`${base}/book?date=${londonDate(slotStart)}`);
  await page.waitForSelector('#appointment-book');
  const slot = page.locator('[data-slot-id].slot-booked', { hasText: family }).filter({ hasText: 'Browser test' });
  expect(await slot.count() === 1, `the book shows ${await slot.count()} booked slots for ${family} with the test description`);
  slotID = await slot.getAttribute('data-slot-id');
  await labelled();
  await shot('08-appointment-book');
});

await step('cancel it from the book', async () => {
  await page.locator(`[data-slot-id="${slotID}"] .cancel-appointment`).click();
  await page.waitForSelector('#reason');
  await labelled();
  await page.fill('#reason', 'Patient called to cancel');
  await page.click('#confirm-cancel');
  await page.waitForSelector('#flash');
  await page.waitForSelector(`[data-slot-id="${slotID}"].slot-free`);
  await shot('09-cancelled');
});

await step('a receptionist cannot open the GP record', async () => {
  const resp = await page.goto(`${base}/patients/${nhs}/record`);
  expect(resp.status() === 403, `record page answered ${resp.status()} to a receptionist`);
  const h = await page.textContent('h1');
  expect(h.includes('You cannot do this'), `heading reads "${h}"`);
  expect(!(await page.$('#patient-record')), 'the record is on the page');
  await shot('10-record-refused');
  await signOut();
});

await step('a clinician reads the record', async () => {
  await signIn('gp.riverside');
  const resp = await page.goto(`${base}/patients/${nhs}/record`);
  expect(resp.status() === 200, `record page answered ${resp.status()} to a clinician`);
  await page.waitForSelector('#patient-record');
  await page.waitForSelector('#allergies');
  await page.waitForSelector('#medications');
  await page.waitForSelector('#problems');
  await page.waitForSelector('#record-section');
  await shot('11-record');
  await signOut();
});

await step('the manager sees the duties with charts', async () => {
  await signIn('pm.riverside');
  await page.goto(base + '/duties');
  await page.waitForSelector('#duty-111');
  await page.waitForSelector('.app-chart canvas');
  await labelled();
  await shot('12-duties');
  await page.locator('.app-chart').first().screenshot({ path: join(shots, '12-duties-chart.png') });
});

await step('the manager configures the book, agreements and staff', async () => {
  await page.goto(base + '/config');
  await shot('13-config');
  await page.click('#config-templates');
  await page.waitForSelector('#session-templates');
  await shot('14-config-templates');
  await page.goto(base + '/config/agreements');
  await page.waitForSelector('#agreements');
  await labelled();
  await shot('15-config-agreements');
  await page.goto(base + '/config/staff');
  await page.waitForSelector('#staff-users');
  await labelled();
  await shot('16-config-staff');
});

await step('the manager reads the audit trail', async () => {
  await page.goto(base + '/audit');
  await page.waitForSelector('#audit-events');
  await labelled();
  await shot('17-audit');
  await signOut();
});

await step('the hub sees its week', async () => {
  await signIn('hub.reception');
  await page.goto(base + '/book?view=week');
  await page.waitForSelector('#appointment-book');
  await shot('18-hub-week');
});

await step('nothing was fetched from another site and no script failed', async () => {
  expect(offsite.length === 0, `requests to other sites: ${offsite.slice(0, 5).join(', ')}`);
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.slice(0, 5).join(' | ')}`);
});

await browser.close();
console.log(`browser test passed: ${n} steps; screenshots in ${shots}`);
