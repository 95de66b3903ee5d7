/**
 * Labels of the governing-document register's enumerations, shared by the server (exports, e-mails)
 * and the web UI, so that a status reads the same in the exported list as on screen.
 */
export const documentLabels = {
  sv: {
    documentType: {
      program: 'Program',
      plan: 'Plan',
      policy: 'Policy',
      guideline: 'Riktlinje',
      strategy: 'Strategi',
      action_plan: 'Handlingsplan',
      routine: 'Rutin',
    },
    documentStatus: { draft: 'Utkast', in_force: 'Gällande', repealed: 'Upphävd', replaced: 'Ersatt' },
    /** As a document (or program) reads today: in force past its validity has expired. */
    documentState: { draft: 'Utkast', in_force: 'Gällande', expired: 'Upphört att gälla', repealed: 'Upphävd', replaced: 'Ersatt' },
  },
  en: {
    documentType: {
      program: 'Programme',
      plan: 'Plan',
      policy: 'Policy',
      guideline: 'Guideline',
      strategy: 'Strategy',
      action_plan: 'Action plan',
      routine: 'Routine',
    },
    documentStatus: { draft: 'Draft', in_force: 'In force', repealed: 'Repealed', replaced: 'Replaced' },
    documentState: { draft: 'Draft', in_force: 'In force', expired: 'Expired', repealed: 'Repealed', replaced: 'Replaced' },
  },
};
