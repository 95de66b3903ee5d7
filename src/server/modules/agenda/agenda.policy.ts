import type { Policy } from '../../lib/policies.ts';

/**
 * The agenda is every signed-in person's own: the route asks only for a session; each list inside is
 * filtered by the access core (src/server/access) for the actions that list is about.
 */
export const agendaPolicies = {
  mine: { authenticated: true },
} as const satisfies Record<string, Policy>;
