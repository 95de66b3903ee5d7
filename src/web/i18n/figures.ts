/** UI texts of the program's figures and the council report's charts (issue #13 items 1, 2, 12); spread into sv.ts and en.ts. */
export const figuresUi = {
  sv: {
    figures: {
      goalNoActions: 'Målet har inga åtgärder ännu.',
      noMatchingActions: 'Inga åtgärder matchar filtret.',
      hiddenActions_one: '{{count}} åtgärd som du inte har behörighet att se räknas med i målets genomförandegrad.',
      hiddenActions_other: '{{count}} åtgärder som du inte har behörighet att se räknas med i målets genomförandegrad.',
      chartData: 'Diagrammets värden',
    },
  },
  en: {
    figures: {
      goalNoActions: 'The goal has no actions yet.',
      noMatchingActions: 'No actions match the filter.',
      hiddenActions_one: '{{count}} action you are not authorised to see counts towards the goal’s implementation rate.',
      hiddenActions_other: '{{count}} actions you are not authorised to see count towards the goal’s implementation rate.',
      chartData: 'The chart’s values',
    },
  },
};
