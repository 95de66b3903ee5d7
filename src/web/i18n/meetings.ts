/**
 * UI texts of the meeting process (issue #11 item 1: agenda, minutes, adjustment, the notice board) and of
 * proposals that take effect at the body that decides them (item 2); spread into sv.ts and en.ts.
 */
const decisionsSv = {
  proposalBadge: 'Förslag till {{body}}',
  proposalHelp: 'Får verkan först när {{body}} beslutar.',
  condition: 'Villkor',
  conditionHelp: 'Om att-satsen gäller under ett villkor, t.ex. "under förutsättning att kommunfullmäktige antar programmet".',
  conditionShort: 'villkor: {{condition}}',
  preparedBy: 'Bereds från',
  forwardedTo: 'Skickat vidare till',
  forward: 'Skicka förslagen vidare',
  forwardTitle: 'Skicka förslagen vidare till nästa organ',
  forwardText: 'Ett beslutsutkast skapas hos organet med de att-satser som är förslag ({{count}} st). De får verkan när organet fattar beslutet.',
  forwardBody: 'Organ som ska besluta',
  forwarded: 'Förslagen är skickade vidare till {{body}} som ett beslutsutkast.',
  exampleNote: 'Exempeldata',
};
const decisionsEn: typeof decisionsSv = {
  proposalBadge: 'Proposal to {{body}}',
  proposalHelp: 'Takes effect only when {{body}} decides.',
  condition: 'Condition',
  conditionHelp: 'If the clause applies under a condition, e.g. "provided that the council adopts the programme".',
  conditionShort: 'condition: {{condition}}',
  preparedBy: 'Prepared by',
  forwardedTo: 'Forwarded to',
  forward: 'Forward the proposals',
  forwardTitle: 'Forward the proposals to the next body',
  forwardText: 'A draft decision is created for the body with the clauses that are proposals ({{count}}). They take effect when that body decides.',
  forwardBody: 'Body to decide',
  forwarded: 'The proposals were forwarded to {{body}} as a draft decision.',
  exampleNote: 'Example data',
};

export const meetingsUi = {
  sv: { decisions: decisionsSv },
  en: { decisions: decisionsEn },
};
