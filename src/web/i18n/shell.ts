/** UI texts of the shell, the start page's agenda and the partner's start (issue #13 items 4–7, 9); spread into sv.ts and en.ts. */
const sv = {
  navGroup: {
    myWork: 'Mitt arbete',
    incidents: 'Händelser och lägesbild',
    cases: 'Ärenden, remisser och styrdokument',
    program: 'Program och uppföljning',
    preparedness: 'Beredskap',
    admin: 'Administration',
  },
  shell: {
    breadcrumb: 'Du är här',
    scrollRegion: '{{name}} (rulla i sidled för att se hela tabellen)',
  },
};

const en: typeof sv = {
  navGroup: {
    myWork: 'My work',
    incidents: 'Incidents and situational picture',
    cases: 'Cases, consultations and governing documents',
    program: 'Programme and follow-up',
    preparedness: 'Preparedness',
    admin: 'Administration',
  },
  shell: {
    breadcrumb: 'You are here',
    scrollRegion: '{{name}} (scroll sideways to see the whole table)',
  },
};

export const shellUi = { sv, en };
