import type { Policy } from '../../lib/policies.ts';

/**
 * Who may do what with incidents and the lägesbild. Incident routes gate on holding the action somewhere;
 * the service checks visibility and management on the incident's organisation (invisible → 404, visible
 * but not managed → 403) and filters lists in SQL. The lägesbild, settings and the police import are the
 * municipality's: checked on the municipality itself ('root').
 */
export const incidentPolicies = {
  reporting: { action: 'incidents.report' },
  reading: { action: 'incidents.read' },
  managing: { action: 'incidents.manage' },
  /** Municipality-wide settings (categories, areas, police type mapping). */
  configure: { action: 'incidents.configure', org: 'root' },
  /** The police import. */
  importing: { action: 'incidents.manage', org: 'root' },
  /** The weekly lägesbild and its reports: read and written on the municipality. */
  lagesbildReading: { action: 'incidents.read', org: 'root' },
  lagesbildManaging: { action: 'incidents.manage', org: 'root' },
  /** Map extracts are made to be shared with partners: by those who share on the municipality's behalf. */
  mapExtracting: { action: 'shares.manage', org: 'root' },
} as const satisfies Record<string, Policy>;
