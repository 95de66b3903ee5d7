/** The test factories, one file per module under test/helpers/factories/ (see its index.ts). */
export * from './factories/index.ts';
