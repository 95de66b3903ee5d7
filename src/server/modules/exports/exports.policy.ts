import type { Policy } from '../../lib/policies.ts';

/**
 * Any signed-in user may ask for a file: each export kind checks its own rights on its parameters (when
 * asked and again when built), and only the requester can see or download it.
 */
export const exportPolicies = {
  own: { authenticated: true },
} as const satisfies Record<string, Policy>;
