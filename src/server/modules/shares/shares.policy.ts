/**
 * Who may use the sharing and secrecy routes. Sharing: the owner side holds shares.manage (the service checks
 * it on the record's organisation), the partner side shares.view (the service checks the share's partner).
 * Secrecy markings: the right differs per record type (cases.secret, incidents.manage, documents.manage,
 * followup.manage) and the access core checks it on the record's own organisation, so the route only
 * requires a signed-in user.
 */
export const manageShares = { policy: { action: 'shares.manage' as const } };
export const viewShares = { policy: { action: 'shares.view' as const } };
export const markSecrecyPolicy = { policy: { authenticated: true as const } };
