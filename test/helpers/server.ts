import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { createTestApp } from './app.ts';

export const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** The whole app (API + built SPA from dist/web) on 127.0.0.1 and a free port, with fresh seeded data. */
export async function startTestServer(opts: { env?: Record<string, string> } = {}) {
  if (!fs.existsSync(`${webDir}/index.html`)) throw new Error('dist/web is missing: run `npm run build` first (npm test does).');
  const ctx = await createTestApp({ webDir, env: opts.env });
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, ...ctx };
}
