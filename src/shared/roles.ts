/** Roles a user can be granted on an organisation (optionally its subtree). UI names are i18n keys role.<id>. */
export const ROLES = ['admin', 'coordinator', 'officer', 'registrar', 'reporter', 'reader', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every action a policy can grant. Module policies map actions to roles here, so that the UI
 * and the API agree on what a role may do. Grow this list with each module.
 */
export const ACTIONS = [
  'organisations.read',
  'organisations.create',
  'organisations.update',
  'users.read',
  'users.manage',
  'roles.grant',
  'audit.read',
  'jobs.read',
  'mail.read',
  'program.read',
  'program.manage',
  'followup.manage',
  'followup.report',
  'incidents.report',
  'incidents.read',
  'incidents.manage',
  'incidents.configure',
  // Cases (diarium): read non-secret cases; register cases and records; handle (decisions, remiss,
  // dispatch); read secrecy-marked cases and records.
  'cases.read',
  'cases.register',
  'cases.handle',
  'cases.secret',
  // Governing-document register: the list is for every signed-in user; managing it is the office's.
  'documents.read',
  'documents.manage',
  // Governing documents: take a repealed or replaced document back out of its final status (with a reason).
  'documents.revert',
  // Partner sharing: share one record with a partner organisation until an end date (the office), and see
  // what is shared with one's own partner organisation (the partner's users).
  'shares.manage',
  'shares.view',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Which role may perform which action on the organisation it is granted on (and its subtree if so granted). */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  admin: ACTIONS,
  coordinator: [
    'organisations.read', 'users.read', 'audit.read', 'program.read', 'program.manage', 'followup.manage', 'followup.report',
    'incidents.report', 'incidents.read', 'incidents.manage',
    'cases.read', 'cases.register', 'cases.handle', 'cases.secret', 'documents.read', 'documents.manage', 'shares.manage',
  ],
  officer: [
    'organisations.read', 'program.read', 'followup.report', 'incidents.report', 'incidents.read', 'incidents.manage',
    'cases.read', 'cases.handle', 'documents.read',
  ],
  /** Registrator: registers cases and records, sees the whole registry including secrecy-marked entries. */
  registrar: ['organisations.read', 'program.read', 'incidents.report', 'cases.read', 'cases.register', 'cases.secret', 'documents.read'],
  reporter: ['organisations.read', 'program.read', 'followup.report', 'incidents.report', 'documents.read'],
  reader: ['organisations.read', 'program.read', 'incidents.report', 'incidents.read', 'cases.read', 'documents.read'],
  partner: ['organisations.read', 'program.read', 'incidents.report', 'incidents.read', 'documents.read', 'shares.view'],
};

export const ORGANISATION_TYPES = [
  'municipality',
  'council',
  'board',
  'committee',
  'department',
  'office',
  'unit',
  'company',
  'federation',
  'partner',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];
