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

  it('names every seeded category (the migrations that insert incident categories) in English', async () => {
    const fs = await import('node:fs');
    const dir = new URL('../../../drizzle/', import.meta.url);
    const keys = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .flatMap((f) => {
        const sql = fs.readFileSync(new URL(f, dir), 'utf8');
        return sql.split('INSERT INTO "incident_categories"').slice(1).flatMap((block) => [...block.slice(0, block.indexOf(';')).matchAll(/\('([a-z_]+)', '/g)].map((m) => m[1]));
      });
    expect(keys).toContain('robbery');
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !CATEGORY_NAMES_EN[k!])).toEqual([]);
  });
});
