import type { Policy } from '../../lib/policies.ts';

/** The audit log is read (and its chain verified) with audit.read on the municipality itself. */
export const auditPolicies = {
  read: { action: 'audit.read', org: 'root' },
} as const satisfies Record<string, Policy>;
