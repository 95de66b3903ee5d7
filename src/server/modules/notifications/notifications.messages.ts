/** Server texts of notifications (the returned-report mail, the calendar feed); added to t() by the boot loop. */
export const notificationServerMessages = {
  sv: {
    notifications: {
      kind: { assignment: 'Uppdrag', deadline: 'Sista dag', report_returned: 'Återsänd rapport', reminder: 'Påminnelse', overdue: 'Försenad' },
      calendar: { name: 'Trygg – mina tidsfrister' },
      workEnvironment: 'Anmälan till Arbetsmiljöverket: allvarligt tillbud ({{category}})',
      mail: {
        reportReturned: {
          subject: 'Uppföljningsrapporten för "{{action}}" har skickats tillbaka',
          text:
            'Hej!\n\nDin uppföljningsrapport för åtgärden "{{action}}" ({{round}}) har skickats tillbaka för komplettering.\n\nKommentar: {{comment}}\n\nLogga in i Trygg och öppna Aviseringar för att se rapporten. Vilka aviseringar du får med e-post ändrar du under Mitt konto.\n\nDet här meddelandet skickades av Trygg.',
        },
      },
    },
  },
  en: {
    notifications: {
      kind: { assignment: 'Assignment', deadline: 'Deadline', report_returned: 'Returned report', reminder: 'Reminder', overdue: 'Overdue' },
      calendar: { name: 'Trygg – my deadlines' },
      workEnvironment: 'Report to the Swedish Work Environment Authority: serious incident ({{category}})',
      mail: {
        reportReturned: {
          subject: 'The follow-up report for "{{action}}" has been returned',
          text:
            'Hello,\n\nYour follow-up report for the action "{{action}}" ({{round}}) has been returned for completion.\n\nComment: {{comment}}\n\nSign in to Trygg and open Notifications to see the report. You choose which notifications you get by e-mail under My account.\n\nThis message was sent by Trygg.',
        },
      },
    },
  },
};
