import type { Policy } from '../../lib/policies.ts';

/** Operations pages: on the municipality itself. */
export const adminPolicies = {
  mail: { action: 'mail.read', org: 'root' },
  jobs: { action: 'jobs.read', org: 'root' },
} as const satisfies Record<string, Policy>;
