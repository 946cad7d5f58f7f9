import type { Page } from '@playwright/test';
import { accountWithSecret, expect, signInAs, test } from './fixtures';

// Dark mode follows the system setting (prefers-color-scheme; app/globals.css). Each main page
// is checked from its computed styles: a dark page behind, and WCAG contrast of key text.
test.use({ colorScheme: 'dark' });

type Sample = { selector: string; text: string; ratio: number; fg: string; bg: string };

/**
 * contrastOf measures, for the first visible element of each selector, the WCAG 2 contrast of its
 * text colour against the first opaque background behind it. Colours are read back through a
 * canvas, so oklch() and named colours compare as the screen shows them.
 */
async function contrastOf(page: Page, selectors: string[]): Promise<{ body: number; samples: Sample[] }> {
  return page.evaluate((selectors) => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgba = (color: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      return [r ?? 0, g ?? 0, b ?? 0, (a ?? 0) / 255];
    };
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(b ?? 0);
    };
    const backgroundBehind = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (rgba(bg)[3] > 0.5) return bg;
      }
      return getComputedStyle(document.documentElement).backgroundColor || 'rgb(255,255,255)';
    };
    const ratio = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const samples = selectors.flatMap((selector) => {
      const el = [...document.querySelectorAll(selector)].find((e) => (e as HTMLElement).offsetParent !== null);
      if (!el) return [];
      const fg = getComputedStyle(el).color;
      const bg = backgroundBehind(el);
      return [
        {
          selector,
          text: (el.textContent ?? '').trim().slice(0, 30),
          fg,
          bg,
          ratio: ratio(luminance(rgba(fg)), luminance(rgba(bg))),
        },
      ];
    });
    return { body: luminance(rgba(backgroundBehind(document.body))), samples };
  }, selectors);
}

/** The elements every page has some of: headings, body text, muted text, links, fields, table cells, badges. */
const KEY_ELEMENTS = [
  'h1',
  'main p',
  '.text-gray-500',
  '.text-gray-600',
  'a.text-brand-700',
  'input',
  'select',
  'td',
  'th',
  'button',
];

async function expectLegibleDark(page: Page, path: string, required: string[] = []) {
  const { body, samples } = await contrastOf(page, KEY_ELEMENTS);
  expect(body, `${path}: the page behind is dark`).toBeLessThan(0.05);
  for (const s of required)
    expect(
      samples.map((x) => x.selector),
      `${path} has ${s}`,
    ).toContain(s);
  for (const s of samples)
    expect(s.ratio, `${path} ${s.selector} "${s.text}" ${s.fg} on ${s.bg}`).toBeGreaterThanOrEqual(4.5);
}

test('the main pages are dark and legible when the system asks for dark', async ({ page, seed }) => {
  test.setTimeout(90_000);
  await page.goto('/sign-in');
  await expectLegibleDark(page, '/sign-in', ['h1', 'input', 'button']);

  const org = await seed.org();
  const owner = await seed.member(org, 'OWNER');
  await signInAs(page, owner);
  const account = await accountWithSecret(page, org.slug, 'dark-mode-account');
  const pages: Array<[string, string[]]> = [
    [`/orgs/${org.slug}`, ['h1']],
    [`/orgs/${org.slug}/service-accounts`, ['h1', 'td', 'th', 'a.text-brand-700']],
    [`/orgs/${org.slug}/service-accounts/new`, ['h1', 'input', 'select']],
    [`/orgs/${org.slug}/service-accounts/${account.id}`, ['h1', 'input']],
    [`/orgs/${org.slug}/service-accounts/${account.id}/secrets`, ['h1', 'td']],
    [`/orgs/${org.slug}/audit`, ['h1', 'td', 'input']],
    [`/orgs/${org.slug}/members`, ['h1', 'td']],
    [`/orgs/${org.slug}/settings`, ['h1', 'input']],
    [`/orgs/${org.slug}/vehicles`, ['h1', 'input']],
    ['/docs/api', ['h1', 'a.text-brand-700', 'td']],
  ];
  for (const [path, required] of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await expectLegibleDark(page, path, required);
  }

  // A dialog and the chart are dark too.
  await page.goto(`/orgs/${org.slug}/service-accounts/${account.id}`);
  await page.getByRole('button', { name: 'Suspend' }).first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const dialogBg = await dialog.evaluate((d) => getComputedStyle(d).backgroundColor);
  const { samples } = await contrastOf(page, ['dialog[open] h2', 'dialog[open] p']);
  expect(samples.length).toBeGreaterThan(0);
  for (const s of samples) expect(s.ratio, `dialog ${s.selector} on ${dialogBg}`).toBeGreaterThanOrEqual(4.5);
});

test('light stays light when the system asks for light', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  const { body, samples } = await contrastOf(page, ['h1', 'input']);
  expect(body).toBeGreaterThan(0.8);
  for (const s of samples) expect(s.ratio, s.selector).toBeGreaterThanOrEqual(4.5);
  await context.close();
});
