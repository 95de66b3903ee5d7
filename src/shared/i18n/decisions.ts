/**
 * The names of a decision's fields that must read the same wherever they appear: the server's error
 * messages, the web's form labels, the decision card and its list of what is missing (issue #13 item 3:
 * the assignment's end date had three names in three places). Server and web build their texts from these.
 */
export const decisionTerms = {
  sv: {
    dueDate: 'Slutdatum för uppdraget',
    assignee: 'Uppdraget ges till',
    document: 'Styrdokument',
    replacementDocument: 'Ersättande styrdokument',
    childAssessment: 'Barnkonsekvensanalys',
    clauses: 'Att-satser',
  },
  en: {
    dueDate: 'End date of the assignment',
    assignee: 'Assignment given to',
    document: 'Governing document',
    replacementDocument: 'Replacing governing document',
    childAssessment: 'Child impact assessment',
    clauses: 'Resolution clauses',
  },
} as const;

/** What a draft decision lacks before it can be marked decided (field of `missing`, by error code). */
export const MISSING_TERM = {
  CHILD_ASSESSMENT_MISSING: 'childAssessment',
  DECISION_NO_CLAUSES: 'clauses',
  ASSIGNEE_REQUIRED: 'assignee',
  DUE_DATE_REQUIRED: 'dueDate',
  DOCUMENT_REQUIRED: 'document',
  REPLACEMENT_DOCUMENT_REQUIRED: 'replacementDocument',
} as const;
export type MissingCode = keyof typeof MISSING_TERM;
