import type { Policy } from '../../lib/policies.ts';

/** Liveness and readiness are public (monitoring asks without a session). */
export const healthPolicies = {
  probe: { public: true },
} as const satisfies Record<string, Policy>;
