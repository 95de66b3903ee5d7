/** Roles a user can be granted on an organisation (optionally its subtree). UI names are i18n keys role.<id>. */
export const ROLES = ['admin', 'coordinator', 'officer', 'reporter', 'reader', 'partner'] as const;
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
] as const;
export type Action = (typeof ACTIONS)[number];

/** Which role may perform which action on the organisation it is granted on (and its subtree if so granted). */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  admin: ACTIONS,
  coordinator: ['organisations.read', 'users.read', 'audit.read', 'program.read', 'program.manage', 'followup.manage', 'followup.report', 'incidents.report', 'incidents.read', 'incidents.manage'],
  officer: ['organisations.read', 'program.read', 'followup.report', 'incidents.report', 'incidents.read', 'incidents.manage'],
  reporter: ['organisations.read', 'program.read', 'followup.report', 'incidents.report'],
  reader: ['organisations.read', 'program.read', 'incidents.report', 'incidents.read'],
  partner: ['organisations.read', 'program.read', 'incidents.report', 'incidents.read'],
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
