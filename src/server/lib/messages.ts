/** Server-only texts (e-mails). Swedish is the default; English kept up. */
export const serverMessages = {
  sv: {
    mail: {
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
