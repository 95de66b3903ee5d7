export * from './organisations.ts';
export * from './users.ts';
export * from './audit.ts';
export * from './jobs.ts';
export * from './program.ts';
export * from './exports.ts';
export * from './incidents.ts';
export * from './cases.ts';
export * from './lagesbild.ts';
// decisions (issue #5): assignments and dispatch
export * from './cases-decisions.ts';
export * from './remiss.ts';
export * from './meetings.ts';
export * from './documents.ts';
export * from './access.ts';
export * from './notifications.ts';
