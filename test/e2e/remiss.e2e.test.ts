import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect as vitestExpect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import JSZip from 'jszip';
import { createCase, orgId } from '../helpers/factories.ts';
import { PDF } from '../helpers/multipart.ts';
import { checkA11y, h1, waitFor, useBrowserJourney } from './browser.ts';

// Mails and exports are jobs: a runner polls for them as in production.
const { server, url, signIn, open } = useBrowserJourney({ jobs: true });
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-remiss-e2e-'));
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('remiss in the browser', () => {
  it('a handläggare sends a case on remiss to four recipients, the external one answers through its link, the rest are recorded, and the sammanställning is generated', async () => {
    const c = await createCase(server.database, { title: 'Förslag till program för trygghet och säkerhet' });
    const officer = await open();
    const page = officer.page;
    await signIn(page, 'handlaggare@lund.example');

    // The remiss page of the case: empty at first.
    await page.goto(url(`/arenden/${c.id}/remiss`));
    await h1(page).filter({ hasText: `Remiss – ${c.registryNumber}` }).waitFor();
    await page.getByText('Ärendet har inte skickats på remiss.').waitFor();
    await checkA11y(page, 'remiss page (empty)');

    // Send on remiss: letter, and four recipients from the organisation register (one external).
    await page.getByRole('button', { name: 'Skicka på remiss' }).click();
    const dialog = page.getByRole('dialog', { name: 'Skicka på remiss' });
    await dialog.getByLabel('Rubrik').fill('Remiss: program för trygghet och säkerhet');
    await dialog.getByLabel('Remissbrev', { exact: false }).first().fill('Kommunstyrelsen sänder förslaget på remiss. Svara senast angivet datum.');
    const replyBy = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    for (const name of ['Socialnämnden', 'Tekniska nämnden', 'Barn- och skolnämnden', 'Polismyndigheten']) {
      const option = dialog.getByLabel('Lägg till remissinstans').locator('option', { hasText: name });
      await dialog.getByLabel('Lägg till remissinstans').selectOption({ value: (await option.first().getAttribute('value'))! });
      await dialog.getByRole('button', { name: 'Lägg till', exact: true }).click();
      await dialog.getByLabel(`Svarsdatum för ${name}`).fill(replyBy);
    }
    await expect(dialog.getByText('Extern – svarar via länk')).toHaveCount(1);
    await checkA11y(page, 'send on remiss dialog');
    await dialog.getByRole('button', { name: 'Skicka remissen' }).click();
    await page.getByText('Remissen är skickad till 4 remissinstanser.').waitFor();
    // The personal link of the external recipient is shown once, to copy.
    await expect(page.getByLabel('Polismyndigheten', { exact: true })).toHaveValue(/\/remissvar\/[A-Za-z0-9_-]+$/);
    await page.getByText('Besvarade 0 av 4').waitFor();
    await checkA11y(page, 'remiss page (sent)');

    // The external recipient opens the link from its e-mail in a fresh browser, not signed in.
    const mail = await waitFor(async () => {
      const r = await server.database.db.execute<{ text: string }>(sql`select text from mail_outbox where "to" = 'polisen@lund.example' and subject like 'Remiss:%' order by created_at desc limit 1`);
      return r.rows[0];
    }, 'the remiss e-mail to the police');
    const link = /https?:\/\/\S+\/remissvar\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
    const external = await open({ width: 390, height: 844 });
    const linkPath = new URL(link).pathname;
    await external.page.goto(url(linkPath));
    await h1(external.page).filter({ hasText: 'Remiss: program för trygghet och säkerhet' }).waitFor();
    await external.page.getByText('Remissinstans: Polismyndigheten').waitFor();
    await external.page.getByText('Kommunstyrelsen sänder förslaget på remiss.').waitFor();
    await expect(external.page.getByRole('navigation', { name: /Huvudmeny|Main menu/ })).toHaveCount(0);
    await checkA11y(external.page, 'public reply page');
    await external.page.getByLabel('Yttrande').check();
    await external.page.getByLabel('Svarets text').fill('Polisen ser positivt på förslaget och vill delta i samverkan.');
    const pdfPath = path.join(tmp, 'Yttrande Polisen.pdf');
    fs.writeFileSync(pdfPath, PDF);
    await external.page.getByLabel('Bifoga svaret (PDF eller Word, högst 10 MB)').setInputFiles(pdfPath);
    await external.page.getByRole('button', { name: 'Skicka svaret' }).click();
    await external.page.getByText(/Tack! Ert svar från Polismyndigheten är mottaget/).waitFor();
    await checkA11y(external.page, 'public reply page (done)');
    // The link is used up.
    await external.page.goto(url(linkPath));
    await h1(external.page).filter({ hasText: 'Det går inte att svara med den här länken' }).waitFor();
    await external.page.getByText(/Länken har redan använts/).waitFor();
    await checkA11y(external.page, 'public reply page (used link)');

    // The handläggare records the three internal replies.
    await page.reload();
    await page.getByText('Besvarade 1 av 4').waitFor();
    const replies = [
      { name: 'Socialnämnden', kind: 'Beslut', decidedOn: '2026-01-10', paragraph: '4', text: 'Socialnämnden tillstyrker förslaget.' },
      { name: 'Tekniska nämnden', kind: 'Inget att erinra' },
      { name: 'Barn- och skolnämnden', kind: 'Beslut', decidedOn: '2026-01-12', paragraph: '37', text: 'Barn- och skolnämnden tillstyrker med synpunkter om barnets bästa.' },
    ];
    for (const [i, r] of replies.entries()) {
      await page.getByRole('button', { name: `Registrera svar från ${r.name}` }).click();
      const d = page.getByRole('dialog', { name: `Registrera svar från ${r.name}` });
      await d.getByLabel(r.kind, { exact: true }).check();
      if (r.decidedOn) {
        await d.getByLabel('Beslutsdatum').fill(r.decidedOn);
        await d.getByLabel('Paragraf (§)').fill(r.paragraph!);
      }
      if (r.text) await d.getByLabel('Svarets text').fill(r.text);
      if (i === 0) await checkA11y(page, 'record reply dialog');
      await d.getByRole('button', { name: 'Registrera svar' }).click();
      await page.getByText(`Svaret från ${r.name} är registrerat som inkommen handling.`).waitFor();
    }
    await page.getByText('Besvarade 4 av 4').waitFor();
    await page.getByText('Socialnämnden 2026-01-10 § 4').waitFor();
    await checkA11y(page, 'remiss page (all answered)');

    // The sammanställning as DOCX.
    const downloadLink = page.getByRole('link', { name: /Ladda ner .*\.docx/ });
    await page.getByRole('button', { name: 'Skapa DOCX' }).click();
    await downloadLink.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
    const file = path.join(tmp, 'sammanstallning.docx');
    await download.saveAs(file);
    const xml = await (await JSZip.loadAsync(fs.readFileSync(file))).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, ' ');
    for (const s of ['Sammanställning av remissvar', 'Polismyndigheten', 'Socialnämnden 2026-01-10 § 4', 'Inget att erinra', 'Barn- och skolnämnden 2026-01-12 § 37', 'Polisen ser positivt på förslaget'])
      expect(text, s).toContain(s);

    // Close the round, after confirming.
    await page.getByRole('button', { name: 'Stäng remissomgången' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Stäng remissomgången?' });
    await checkA11y(page, 'close confirmation');
    await confirm.getByRole('button', { name: 'Stäng remissomgången' }).click();
    await page.getByText('Remissomgången är stängd.').waitFor();
    await checkA11y(page, 'remiss page (closed)');

    const records = await server.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_records where case_id = ${c.id} and direction = 'incoming'`);
    expect(records.rows[0].n).toBe(4);
    expect(await orgId(server.database, 'polisen')).toBeTruthy();
    expect(officer.problems).toEqual([]);
    expect(external.problems).toEqual([]);
  }, 180_000);
});

// Playwright's web-first assertion, without pulling in @playwright/test.
function expect<T>(actual: T, message?: string) {
  return {
    toBe: (v: unknown) => vitestExpect(actual, message).toBe(v),
    toEqual: (v: unknown) => vitestExpect(actual, message).toEqual(v),
    toContain: (v: unknown) => vitestExpect(actual, message).toContain(v),
    toBeTruthy: () => vitestExpect(actual, message).toBeTruthy(),
    async toHaveCount(n: number) {
      const loc = actual as unknown as { count(): Promise<number> };
      await waitFor(async () => ((await loc.count()) === n ? true : undefined), `count ${n}`, 10_000);
    },
    async toHaveValue(re: RegExp) {
      const loc = actual as unknown as { inputValue(): Promise<string> };
      await waitFor(async () => (re.test(await loc.inputValue()) ? true : undefined), `value ${re}`, 10_000);
    },
  };
}
