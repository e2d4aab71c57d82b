// The days of the browser journeys. No journey reads the machine's date to choose its data:
// - each starts on a fixed day written in the test, its « today » (the server's clock through
//   PORTAIL_TEST_CLOCK, the browser's through Playwright's clock, both at the same instant);
// - `E2E_TODAY=AAAA-MM-JJ` (scripts/e2e-dates, the calendar sweep) replaces that day: the
//   journey then starts on the first day from E2E_TODAY that its rule accepts (a journey about
//   Monday's crèche wishes starts on a Monday), and says which;
// - the days a journey books are asked of the API (`bookableDays`): never offsets from today
//   that could land on Christmas, a bank holiday or the next month.
// When a journey fails, the harness prints each portal's clock, the browser's and the run's
// seed (E2E_SEED) so the failure can be replayed exactly (e2e/README.md).
import assert from 'node:assert/strict';

export const WEEKDAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
export const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const DAY_MS = 86400000;

/** `AAAA-MM-JJ` of a journey day (its UTC date: journey days are 07:00 UTC). */
export const iso = (d) => d.toISOString().slice(0, 10);
/** The day `n` days after `d`, at the same UTC time. */
export const addDays = (d, n) => new Date(d.getTime() + n * DAY_MS);
/** « 1er » or the day's number, as French writes a day of the month (and the portal does). */
export const dayOfMonth = (d) => (d.getUTCDate() === 1 ? '1er' : String(d.getUTCDate()));
/** How the grid names a day to a screen reader: « mardi 8 décembre ». */
export const dayName = (d) => `${WEEKDAYS[d.getUTCDay()]} ${dayOfMonth(d)} ${MONTHS[d.getUTCMonth()]}`;
/** How the recap and the staff screens write a date: « mardi 8 décembre 2026 ». */
export const longDate = (d) => `${dayName(d)} ${d.getUTCFullYear()}`;
export const capital = (s) => s[0].toUpperCase() + s.slice(1);
/** « Décembre 2026 », the month navigation's title. */
export const monthTitle = (d) => `${capital(MONTHS[d.getUTCMonth()])} ${d.getUTCFullYear()}`;
export const isMonday = (d) => d.getUTCDay() === 1;

function parseDay(text, what) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  assert.ok(match, `${what} must be AAAA-MM-JJ (got « ${text} »)`);
  // 07:00 UTC: 08:00 or 09:00 in Paris, before the 10:00 cut-offs, never across midnight.
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 7));
  assert.equal(iso(d), text, `${what} is not a day of the calendar: « ${text} »`);
  return d;
}

/** Every clock a journey set, printed when it fails (lib/harness.js). */
export const clocks = [];

/**
 * A journey's « today »: `fixed` (written in the test, and accepted by `rule`), or with
 * E2E_TODAY the first day from it that `rule` accepts (within a year).
 */
export function journeyToday(name, fixed, rule = () => true) {
  const fixedDay = parseDay(fixed, `${name}: the fixed day`);
  assert.ok(rule(fixedDay), `${name}: the fixed day ${fixed} does not follow the journey's own rule`);
  const asked = process.env.E2E_TODAY;
  if (!asked) {
    clocks.push({ name, today: fixedDay, source: 'fixed in the test' });
    return fixedDay;
  }
  let d = parseDay(asked, 'E2E_TODAY');
  for (let i = 0; i < 366 && !rule(d); i += 1) d = addDays(d, 1);
  assert.ok(rule(d), `${name}: no day within a year of E2E_TODAY=${asked} suits the journey`);
  clocks.push({ name, today: d, source: `E2E_TODAY=${asked}` });
  if (iso(d) !== asked) console.log(`# ${name}: E2E_TODAY=${asked}, the journey starts on ${iso(d)} (${WEEKDAYS[d.getUTCDay()]})`);
  return d;
}

/** The months `AAAA-MM` from `from`'s, `count` of them. */
function monthsFrom(from, count) {
  const months = [];
  for (let i = 0; i < count; i += 1) {
    const m = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + i, 1, 7));
    months.push(iso(m).slice(0, 7));
  }
  return months;
}

/**
 * `count` days after `after` that the API says `child` can book for `unitName` of `service`
 * (the family's own month grid: open, in a period whose bookings are open, before the cut-off,
 * with at least `places` places left), all in one month (the grid shows a month at a time), the
 * earliest such month within `months` months. `filter(date)` narrows the days further.
 */
export async function bookableDays(portal, token, { childId, service, unitName, count, after, places = 1, months = 6, filter = () => true }) {
  for (const month of monthsFrom(after, months)) {
    const grid = await portal.api(`/api/v1/planning?child_id=${childId}&service=${service}&month=${month}`, { token });
    assert.equal(grid.status, 200, `the ${service} grid of ${month}: ${JSON.stringify(grid.body)}`);
    const unit = grid.body.units.find((u) => u.name === unitName);
    assert.ok(unit, `the ${service} grid has « ${unitName} »`);
    const days = grid.body.days
      .filter((d) => d.date > iso(after))
      .filter((d) => d.cells.some((c) => c.unit_id === unit.id && c.can_book && c.state === 'free' && (c.places_left ?? places) >= places))
      .map((d) => parseDay(d.date, 'a grid day'))
      .filter(filter);
    if (days.length >= count) return days.slice(0, count);
  }
  assert.fail(`no month within ${months} from ${iso(after)} has ${count} bookable « ${unitName} » days for the child`);
}

/** Easter Sunday (the anonymous Gregorian algorithm, as crates/domain's calendar). */
function easterSunday(year) {
  const a = year % 19; const b = Math.floor(year / 100); const c = year % 100;
  const d = Math.floor(b / 4); const e = b % 4; const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4); const k = c % 4; const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31); const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day, 7));
}

/** The eleven public holidays of metropolitan France (the portal closes its services then). */
export function isPublicHoliday(d) {
  const md = iso(d).slice(5);
  if (['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].includes(md)) return true;
  const easter = easterSunday(d.getUTCFullYear());
  return [1, 39, 50].some((n) => iso(addDays(easter, n)) === iso(d));
}

/**
 * The demo's school year (crates/service/src/seed_planning.rs): the canteen and the crèche's
 * occasional care run from 1 September to 4 July.
 */
export const inDemoSchoolYear = (d) => {
  const md = iso(d).slice(5);
  return md >= '09-01' || md <= '07-04';
};

/** Moves a month grid forward to `d`'s month (« Mois suivant »), at most a year. */
export async function showMonth(page, d) {
  const wanted = monthTitle(d);
  for (let i = 0; i < 12; i += 1) {
    const shown = (await page.locator('.month-nav__title').textContent()).trim();
    if (shown === wanted) return;
    await page.getByRole('button', { name: 'Mois suivant' }).click();
    await page.locator('.month-nav__title', { hasText: wanted }).waitFor({ timeout: 2000 }).catch(() => {});
  }
  assert.fail(`the grid never showed ${wanted}`);
}
