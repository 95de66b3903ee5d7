import type { Policy } from '../../lib/policies.ts';

/** Who may do what in the register of governing documents (the service checks the owning organisation). */
export const documentPolicies = {
  read: { action: 'documents.read' },
  manage: { action: 'documents.manage' },
  /** The public list of documents in force (rate-limited by the route). */
  public: { public: true },
} as const satisfies Record<string, Policy>;
