import fs from 'node:fs';

/**
 * Runs once before the test workers start. Without Debian's Chromium the browser tests use the one that
 * @sparticuz/chromium unpacks into /tmp on first use; two workers unpacking it at the same moment fail
 * with ETXTBSY, so it is unpacked here, once, before any of them starts.
 */
export default async function setup() {
  if (process.env.CHROMIUM_PATH || fs.existsSync('/usr/bin/chromium')) return;
  const files = fs.readdirSync('test/e2e').filter((f) => f.endsWith('.e2e.test.ts'));
  if (!files.length) return;
  const sparticuz = (await import('@sparticuz/chromium')).default;
  await sparticuz.executablePath();
}
