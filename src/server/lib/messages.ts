/** Server-only texts (e-mails). Swedish is the default; English kept up. */
export const serverMessages = {
  sv: {
    mail: {
      followupReminder: {
        before: {
          subject: 'Påminnelse: uppföljning {{round}} ska lämnas senast {{deadline}}',
          text: 'Hej {{name}}!\n\n{{organisation}} har {{count}} åtgärder kvar att rapportera i uppföljningen {{round}}. Sista dag är {{deadline}}.\n\nRapportera här: {{link}}\n',
        },
        overdue: {
          subject: 'Försenad: uppföljning {{round}} skulle ha lämnats {{deadline}}',
          text: 'Hej {{name}}!\n\nUppföljningen {{round}} skulle ha lämnats {{deadline}}. {{organisation}} har fortfarande {{count}} åtgärder som inte är inskickade.\n\nRapportera här: {{link}}\n',
        },
      },
      invite: {
        subject: 'Välkommen till Trygg',
        text:
          'Hej {{name}}!\n\n{{by}} har skapat ett konto åt dig i Trygg, kommunens stödsystem för trygghets- och säkerhetsarbete.\n\n' +
          'Välj ditt lösenord här (länken gäller i {{days}} dagar och kan användas en gång):\n{{link}}\n\n' +
          'Om du inte väntade dig detta kan du bortse från meddelandet.\n',
      },
    },
  },
  en: {
    mail: {
      followupReminder: {
        before: {
          subject: 'Reminder: follow-up {{round}} is due by {{deadline}}',
          text: 'Hello {{name}},\n\n{{organisation}} has {{count}} actions left to report in the follow-up {{round}}. The deadline is {{deadline}}.\n\nReport here: {{link}}\n',
        },
        overdue: {
          subject: 'Overdue: follow-up {{round}} was due {{deadline}}',
          text: 'Hello {{name}},\n\nThe follow-up {{round}} was due {{deadline}}. {{organisation}} still has {{count}} actions not submitted.\n\nReport here: {{link}}\n',
        },
      },
      invite: {
        subject: 'Welcome to Trygg',
        text:
          'Hello {{name}},\n\n{{by}} has created an account for you in Trygg, the municipality\'s support system for safety and security work.\n\n' +
          'Choose your password here (the link is valid for {{days}} days and can be used once):\n{{link}}\n\n' +
          'If you did not expect this, you can ignore this message.\n',
      },
    },
  },
};
