import fs from 'node:fs';
import { z } from 'zod';

/** Every setting Trygg reads from the environment, validated at boot. Documented in README.md. */
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Set → a real PostgreSQL; unset → the embedded PGlite in DATA_DIR/pglite. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'måste börja med postgres:// eller postgresql:// (t.ex. postgres://trygg@127.0.0.1:5432/trygg)', abort: true })
    .refine((v) => URL.canParse(v), 'är ingen giltig adress (URL)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Registry records, governing documents and remiss replies are kept here, addressed by SHA-256. Unset → DATA_DIR/files. */
  FILES_DIR: z.string().min(1).optional(),
  /** Public base URL, used in e-mails and to decide whether cookies are Secure. */
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'måste börja med smtp:// eller smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Trygg <trygg@localhost>'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** Requests per minute per client address across the whole API (sign-in has its own, stricter limit). */
  API_RATE_LIMIT: z.coerce.number().int().min(10).max(1_000_000).default(1200),
  /** Failed sign-ins per account and client address before growing waits (10× per address across accounts). */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  /** Behind a reverse proxy: trust X-Forwarded-For for the client address. */
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: bool.default(true),
  JOBS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Map tiles for the lägesbild ({z}/{x}/{y}, optionally {s}); empty → offline: the bundled municipal boundary only. */
  MAP_TILE_URL: z
    .string()
    .refine((v) => v === '' || (/^https?:\/\//.test(v) && URL.canParse(v.replace(/\{[a-z]\}/g, 'x'))), 'måste börja med http:// eller https://, t.ex. https://tiles.example/{z}/{x}/{y}.png')
    .default(''),
  /**
   * Map tiles from a WMTS in SWEREF 99 TM (EPSG:3006), e.g. Lantmäteriet's topographic web map or the municipality's
   * own GIS server: a URL template with {z} (TileMatrix), {y} (TileRow) and {x} (TileCol). Empty → not used.
   */
  MAP_WMTS_URL: z
    .string()
    .refine((v) => v === '' || (/^https?:\/\//.test(v) && URL.canParse(v.replace(/\{[a-z]\}/g, 'x'))), 'måste börja med http:// eller https://, t.ex. https://karta.kommun.se/wmts/1.0.0/topowebb/default/3006/{z}/{y}/{x}.png')
    .default(''),
  /** The WMTS tile matrix set's top-left corner (easting,northing in metres); default Lantmäteriet's set "3006". */
  MAP_WMTS_ORIGIN: z
    .string()
    .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'måste vara två tal: östlig koordinat,nordlig koordinat, t.ex. -1200000,8500000')
    .default('-1200000,8500000'),
  /** The tile matrix set's resolutions in metres per pixel, from matrix 0 down (comma-separated); default Lantmäteriet's set "3006". */
  MAP_WMTS_RESOLUTIONS: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'måste vara positiva tal åtskilda med kommatecken, störst först, t.ex. 4096,2048,1024')
    .refine((v) => v.split(',').map(Number).every((r, i, a) => r > 0 && (i === 0 || r < a[i - 1]!)), 'måste vara positiva och minska, störst först')
    .default('4096,2048,1024,512,256,128,64,32,16,8,4,2,1,0.5,0.25,0.125'),
  /**
   * A self-hosted basemap: the path of one PMTiles file (raster tiles, PNG/JPEG/WebP, web mercator) that Trygg
   * serves itself at /api/basemap/{z}/{x}/{y}, so the browser asks no one else. Empty → not used.
   */
  MAP_PMTILES: z
    .string()
    .refine((v) => v === '' || fs.existsSync(v), 'filen finns inte (ange sökvägen till en .pmtiles-fil som Trygg kan läsa)')
    .default(''),
  /** The tiles' attribution (plain text, shown in the map's corner), e.g. "© OpenStreetMap-bidragsgivare". */
  MAP_TILE_ATTRIBUTION: z.string().max(500).default(''),
  /** Police events: fetch this URL on a schedule (a job). Unset → off (the default: machines may have no internet). */
  POLICE_EVENTS_URL: z.url().optional(),
  /** Minutes between fetches (polisen.se allows at most 60 calls an hour). */
  POLICE_EVENTS_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(10),
  /** Police events are kept when location.name is one of these (comma-separated) or the position lies inside the municipal boundary. */
  POLICE_LOCATION_NAMES: z.string().default('Lund'),
  // --- remiss ---
  /** A personal remiss reply link stays valid this many days after the recipient's reply date. */
  REMISS_LINK_DAYS_AFTER: z.coerce.number().int().min(0).max(365).default(14),
  /** Outstanding recipients are reminded this many days before their reply date (and the day after it). */
  REMISS_REMINDER_DAYS_BEFORE: z.coerce.number().int().min(1).max(90).default(7),
  /** Requests per minute per client address to the public remiss reply pages. */
  REMISS_PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Governing documents: days before the next review date that the owning organisation is reminded. */
  DOCUMENT_REVIEW_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * The registry series Trygg numbers itself, comma-separated (e.g. "BRÅ,KSAU"); empty: every series. A series
   * outside the list is numbered in the municipality's own registry system: a case registered in it carries
   * that system's number, given when it is registered.
   */
  REGISTRY_OWN_SERIES: z.string().max(1000).default(''),
  // --- program ---
  /** The municipality's code(s) (SCB kommunkod, comma-separated): an imported key-figure file may hold only these. */
  MUNICIPALITY_CODES: z.string().regex(/^\d{4}(\s*,\s*\d{4})*$/, 'ange fyrsiffriga kommunkoder, kommaseparerade (t.ex. 1281)').default('1281'),
  // --- lägesbild ---
  /**
   * The column names the crime-statistics import accepts, as JSON: {"municipality": [...], "category": [...],
   * "year": [...], "value": [...], "per100k": [...], "source": [...]} (each list replaces the default names of its
   * column; compared without case). Brå's and the safety surveys' export formats are not fixed, so the names are
   * configuration, not code (the defaults cover Brå's statistics database and a plain table).
   */
  CRIME_STATS_COLUMNS: z
    .string()
    .default('{}')
    .refine((v) => {
      try {
        const o = JSON.parse(v) as unknown;
        return typeof o === 'object' && o !== null && !Array.isArray(o) && Object.values(o).every((l) => Array.isArray(l) && l.every((x) => typeof x === 'string'));
      } catch {
        return false;
      }
    }, 'ange ett JSON-objekt med listor av kolumnnamn, t.ex. {"category": ["Brottstyp"]}'),
}).superRefine((c, ctx) => {
  // One basemap at a time: the map has one coordinate system.
  const set = (['MAP_TILE_URL', 'MAP_WMTS_URL', 'MAP_PMTILES'] as const).filter((k) => c[k] !== '');
  for (const k of set.slice(1)) ctx.addIssue({ code: 'custom', path: [k], message: `ange bara en bakgrundskarta: ${set.join(', ')} är alla angivna` });
});

export type Config = Omit<z.infer<typeof configSchema>, 'PUBLIC_URL'> & { PUBLIC_URL: string };

export class ConfigError extends Error {}

/** Variables whose value may hold a password: never echoed in an error message. */
const SECRET = new Set(['DATABASE_URL', 'SMTP_URL']);

/** Swedish messages for the checks the schema above uses (custom messages on the schema win). */
const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' ? 'måste vara ett tal' : issue.expected === 'int' ? 'måste vara ett heltal' : `har fel typ (förväntade ${issue.expected})`;
    case 'too_small':
      return issue.origin === 'string' ? 'får inte vara tom' : `måste vara minst ${String(issue.minimum)}`;
    case 'too_big':
      return `får vara högst ${String(issue.maximum)}`;
    case 'invalid_value':
      return `måste vara ett av: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'måste vara en fullständig URL, t.ex. https://trygg.kommun.se' : 'har fel format';
    default:
      return undefined;
  }
};

/** Parses the environment; on failure throws one readable Swedish message naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned, { error: configErrorMap });
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = i.path.join('.');
      const given = cleaned[name];
      const shown = given === undefined ? '' : SECRET.has(name) ? ' (värdet visas inte)' : ` (angivet: ${JSON.stringify(given)})`;
      return `  ${name}: ${i.message}${shown}`;
    });
    throw new ConfigError(
      `Ogiltig konfiguration – Trygg startar inte. Rätta miljövariablerna nedan (se konfigurationstabellen i README.md):\n${lines.join('\n')}`,
    );
  }
  // Unset PUBLIC_URL: the address this process serves on, as seen from the machine itself.
  return { ...result.data, PUBLIC_URL: result.data.PUBLIC_URL ?? `http://localhost:${result.data.PORT}` };
}
