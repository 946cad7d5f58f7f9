import { expect, signInAs, test } from './fixtures';

const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

// Issue 11 item 2: a server action must come from our own origin. The real "Suspend" request the
// console sends is captured (and held back), then replayed the way a cross-site form would send it.
test('a server action without a same-origin Origin is refused with 403 and changes nothing', async ({ page, seed }) => {
  const org = await seed.org();
  await signInAs(page, await seed.member(org, 'ADMIN'));
  const headers = { 'Latchkey-Organization': org.slug, Origin: ORIGIN };
  const created = await page.request.post('/api/v1/service-accounts', {
    headers,
    data: { name: 'csrf-target', platform: 'SERVER' },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const status = async () =>
    ((await (await page.request.get(`/api/v1/service-accounts/${id}`, { headers })).json()) as { status: string })
      .status;

  let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
  await page.route(`**/orgs/${org.slug}/service-accounts/${id}`, async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    captured = {
      url: request.url(),
      headers: await request.allHeaders(),
      body: request.postDataBuffer() ?? Buffer.alloc(0),
    };
    await route.abort();
  });
  await page.goto(`/orgs/${org.slug}/service-accounts/${id}`);
  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.getByRole('dialog', { name: 'Suspend csrf-target?' }).getByRole('button', { name: 'Suspend' }).click();
  await expect.poll(() => captured).toBeDefined();
  const real = captured as NonNullable<typeof captured>;
  expect(real.headers['next-action']).toBeTruthy();
  expect(real.headers.origin).toBe(ORIGIN);

  const replay = (extra: Record<string, string>) => {
    const { origin: _o, 'sec-fetch-site': _s, ...rest } = real.headers;
    return page.request.fetch(real.url, { method: 'POST', headers: { ...rest, ...extra }, data: real.body });
  };
  const foreign: Array<Record<string, string>> = [
    {},
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { 'sec-fetch-site': 'cross-site' },
  ];
  for (const extra of foreign) {
    const refused = await replay(extra);
    expect(refused.status(), JSON.stringify(extra)).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'csrf_rejected' });
  }
  expect(await status()).toBe('ACTIVE');

  // The same request from our own page does run: the refusal above was the origin, nothing else.
  expect((await replay({ origin: ORIGIN })).status()).toBe(200);
  expect(await status()).toBe('SUSPENDED');

  // Every page also forbids framing by any origin.
  const pageResponse = await page.request.get(`/orgs/${org.slug}`);
  expect(pageResponse.headers()['content-security-policy']).toBe("frame-ancestors 'none'");
});
