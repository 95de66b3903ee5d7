/**
 * The access core, record half (the organisation half is src/shared/access.ts): who may see or act on a
 * record. Modules import from here only. See docs/architecture.md, "Access core".
 */
export { Access, accessOf } from './access.ts';
export * from './rules.ts';
export { markSecret, unmarkSecret, secrecyOf, SECRET_TYPES, SECRET_RECORD_TYPES, type SecrecyState } from './secrecy.ts';
export { logIfSecret, logSecretReads, type SecretRead, type SecretReadKind } from './read-log.ts';
