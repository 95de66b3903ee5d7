/**
 * Labels of the program module's enumerations, shared by the server (reports, imports, e-mails) and the
 * web UI, so that a status reads the same in a Word report as on screen. Spread into both catalogues.
 */
export const programLabels = {
  sv: {
    actionStatus: { not_started: 'Ej påbörjad', in_progress: 'Pågår', done: 'Genomförd', delayed: 'Försenad', cancelled: 'Avbruten' },
    reportState: { not_started: 'Ej påbörjad', draft: 'Utkast', submitted: 'Inskickad', returned: 'Återsänd' },
    subArea: {
      crisis_preparedness: 'Krisberedskap',
      civil_defence: 'Civilt försvar',
      protective_security: 'Säkerhetsskydd',
      accident_prevention: 'Skydd mot olyckor',
      it_security: 'IT-säkerhet',
      information_security: 'Informationssäkerhet',
      staff_safety: 'Säkerhet för anställda och förtroendevalda',
      perimeter_protection: 'Skalskydd',
      fire_safety: 'Systematiskt brandskyddsarbete',
      crime_accident_coordination: 'Samordning av olycks- och brottsförebyggande arbete',
      sense_of_safety: 'Trygghetshöjande arbete',
      insurance: 'Försäkringssamordning',
    },
  },
  en: {
    actionStatus: { not_started: 'Not started', in_progress: 'In progress', done: 'Done', delayed: 'Delayed', cancelled: 'Cancelled' },
    reportState: { not_started: 'Not started', draft: 'Draft', submitted: 'Submitted', returned: 'Returned' },
    subArea: {
      crisis_preparedness: 'Crisis preparedness',
      civil_defence: 'Civil defence',
      protective_security: 'Protective security',
      accident_prevention: 'Accident prevention',
      it_security: 'IT security',
      information_security: 'Information security',
      staff_safety: 'Safety of staff and elected officials',
      perimeter_protection: 'Perimeter protection',
      fire_safety: 'Systematic fire safety',
      crime_accident_coordination: 'Coordination of crime and accident prevention',
      sense_of_safety: 'Work for a sense of safety',
      insurance: 'Insurance coordination',
    },
  },
};
