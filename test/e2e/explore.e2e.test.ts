import { afterAll, beforeAll, it } from 'vitest';
import { startTestServer } from '../helpers/server.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import { launchBrowser, signInAs } from './browser.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const PAGES = (process.env.PAGES ?? '/').split(',');
const WHO = (process.env.WHO ?? 'samordnare@lund.example').split(',');
const VP = process.env.VP === 'phone' ? { width: 375, height: 800 } : { width: 1280, height: 900 };
it('shots', async () => {
  for (const who of WHO) {
    const b = await launchBrowser({ viewport: VP });
    b.page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text()); });
    await signInAs(b.page, server.url, who, DEMO_PASSWORD);
    for (const p of PAGES) {
      await b.page.goto(new URL(p, server.url).toString());
      await b.page.waitForLoadState('networkidle');
      await b.page.waitForTimeout(500);
      const name = `${who.split('@')[0]}${p.replace(/[^a-z0-9]/gi, '_')}-${process.env.VP ?? 'desk'}`;
      await b.page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: process.env.FULL === '1' });
      const cur = await b.page.evaluate(() => [...document.querySelectorAll('[aria-current]')].map((e) => e.textContent));
      console.log(name, 'aria-current:', JSON.stringify(cur));
    }
    await b.close();
  }
}, 300000);
