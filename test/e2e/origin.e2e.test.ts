import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../helpers/factories.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import { useBrowserJourney, type JourneyBrowser } from './browser.ts';

// Cross-site request forgery in a real browser (issue #10 item 8). The other site is Trygg's own host on
// another port: the same *site*, so SameSite=Lax still sends the session cookie — only the Origin check
// stands between a page there and the API.
const { server, open } = useBrowserJourney();
let other: http.Server;
let otherUrl: string;
// One browser for the file: the second test goes on with the first one's session.
let browser: JourneyBrowser;
const pages = new Map<string, string>();

beforeAll(async () => {
  other = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(pages.get(req.url ?? '') ?? '<!doctype html><title>tom</title>');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  browser = await open();
});
afterAll(() => {
  other?.close();
});

describe('a page on another site', () => {
  it('cannot upload a file to a record with the signed-in registrar\'s cookie; Trygg\'s own page still can', async () => {
    const { page } = browser;
    const api = (p: string) => new URL(p, server.url).toString();
    // Sign in within the browser's cookie jar (page.request shares it).
    const signIn = await page.request.post(api('/api/auth/sign-in'), { data: { email: 'registrator@lund.example', password: DEMO_PASSWORD } });
    expect(signIn.status()).toBe(200);
    const c = await createCase(server.database);
    const rec = await page.request.post(api(`/api/cases/${c.id}/records`), { data: { direction: 'incoming', recordDate: '2026-01-10', title: 'Skrivelse', counterpart: 'Boende' } });
    expect(rec.status(), await rec.text()).toBe(201);
    const target = api(`/api/cases/${c.id}/records/${(await rec.json()).id}/files`);
    const upload = (into: string) => `
      const form = new FormData();
      form.append('file', new Blob(['%PDF-1.4 falsk handling'], { type: 'application/pdf' }), 'falsk.pdf');
      window.done = fetch(${JSON.stringify(into)}, { method: 'POST', body: form, credentials: 'include', mode: 'no-cors' }).then((r) => r.status, (e) => String(e));`;
    const files = async () =>
      (await server.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_record_files f join case_records r on r.id = f.record_id where r.case_id = ${c.id}`)).rows[0].n;

    pages.set('/uppladdning', `<!doctype html><title>Vinst</title><script>${upload(target)}</script>`);
    await page.goto(`${otherUrl}/uppladdning`);
    await page.waitForFunction(() => (window as unknown as { done?: Promise<unknown> }).done !== undefined);
    await page.evaluate(() => (window as unknown as { done: Promise<unknown> }).done);
    expect(await files()).toBe(0);

    // The same upload from a Trygg page goes through (the browser sends Trygg's own origin).
    await page.goto(server.url);
    await page.evaluate(upload(target));
    expect(await page.evaluate(() => (window as unknown as { done: Promise<unknown> }).done)).toBe(201);
    expect(await files()).toBe(1);
  });

  it('a form that posts sign-out from another site gets a Swedish refusal and the session stays', async () => {
    const { page } = browser;
    const me = () => page.request.get(new URL('/api/auth/me', server.url).toString());
    expect((await me()).status()).toBe(200);
    pages.set('/logga-ut', `<!doctype html><title>Erbjudande</title><form method="post" action="${new URL('/api/auth/sign-out', server.url)}"><button>Hämta vinsten</button></form>`);
    await page.goto(`${otherUrl}/logga-ut`);
    await Promise.all([page.waitForURL(/\/api\/auth\/sign-out$/), page.getByRole('button', { name: 'Hämta vinsten' }).click()]);
    const body = JSON.parse((await page.locator('body').innerText()).trim()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'CROSS_SITE_REQUEST', message: expect.stringContaining('annan webbplats') });
    expect((await me()).status()).toBe(200);
  });
});
