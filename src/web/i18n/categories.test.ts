import { describe, expect, it } from 'vitest';
import { CATEGORY_NAMES_EN, categoryName } from './categories.ts';

describe('incident category names (issue #13 item 9)', () => {
  it('keeps the stored name in Swedish, translates seeded keys in English and falls back to the stored name', () => {
    expect(categoryName('sv', 'vandalism', 'Skadegörelse')).toBe('Skadegörelse');
    expect(categoryName('en', 'vandalism', 'Skadegörelse')).toBe('Vandalism');
    expect(categoryName('en-GB', 'staff_threat', 'Hot och våld mot anställda och förtroendevalda')).toBe('Threats and violence against employees and elected officials');
    // A category the municipality added itself keeps its own name.
    expect(categoryName('en', 'lekplats', 'Skadad lekplats')).toBe('Skadad lekplats');
    expect(categoryName('en', null, 'Okänd')).toBe('Okänd');
  });

  it('names every seeded category (drizzle/0004_incidents.sql) in English', async () => {
    const fs = await import('node:fs');
    const sql = fs.readFileSync(new URL('../../../drizzle/0004_incidents.sql', import.meta.url), 'utf8');
    const block = sql.slice(sql.indexOf('INSERT INTO "incident_categories"'));
    const keys = [...block.slice(0, block.indexOf(';')).matchAll(/\('([a-z_]+)', '/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !CATEGORY_NAMES_EN[k!])).toEqual([]);
  });
});
