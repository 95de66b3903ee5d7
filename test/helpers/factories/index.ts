/**
 * Test factories, one file per module: rows written straight to the database (or, for signIn, through
 * the API) so that a test can start from the state it needs. A new module adds its own file here.
 */
export * from './organisations.ts';
export * from './users.ts';
export * from './cases.ts';
export { unique } from './unique.ts';
