import { INCIDENT_STATUSES } from '../../../shared/schemas/incident-status.ts';

/** The page's filters, kept in the address (shareable, survives reload). */
export interface LagesbildSearch {
  categoryId?: string;
  organisationId?: string;
  areaId?: string;
  status?: string;
  /** Which layers: both (unset), only the municipality's incidents, only the police's events, or none. */
  source?: 'incidents' | 'police' | 'none';
  from?: string;
  to?: string;
  /** The time slider: one month (YYYY-MM) of the period; unset → the whole period. */
  month?: string;
  heat?: boolean;
}

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pick = (v: unknown, re: RegExp) => (typeof v === 'string' && re.test(v) ? v : undefined);

export function validateLagesbildSearch(s: Record<string, unknown>): LagesbildSearch {
  return {
    categoryId: pick(s.categoryId, UUID),
    organisationId: pick(s.organisationId, UUID),
    areaId: pick(s.areaId, UUID),
    status: typeof s.status === 'string' && (INCIDENT_STATUSES as readonly string[]).includes(s.status) ? s.status : undefined,
    source: s.source === 'incidents' || s.source === 'police' || s.source === 'none' ? s.source : undefined,
    from: pick(s.from, DATE),
    to: pick(s.to, DATE),
    month: pick(s.month, MONTH),
    heat: s.heat === true || s.heat === 'true' ? true : undefined,
  };
}

