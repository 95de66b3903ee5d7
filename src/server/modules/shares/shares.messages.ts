/** Server texts of partner sharing (the expiry notice); added to t() by the boot loop (index.ts `messages`). */
export const shareServerMessages = {
  sv: {
    shares: {
      expiry: {
        subject: 'Delningen med {{partner}} upphör {{date}}',
        text:
          'Hej!\n\nDelningen av "{{title}}" med {{partner}} upphör efter {{date}}. Därefter kan samverkansparten inte längre se uppgiften.\n\nBehöver de den längre, dela den på nytt med ett senare slutdatum. Delningarna finns här: {{link}}\n\nDet här meddelandet skickades av Trygg.',
      },
    },
  },
  en: {
    shares: {
      expiry: {
        subject: 'The share with {{partner}} ends {{date}}',
        text:
          'Hello,\n\nThe share of "{{title}}" with {{partner}} ends after {{date}}. After that the partner can no longer see it.\n\nIf they need it longer, share it again with a later end date. The shares are here: {{link}}\n\nThis message was sent by Trygg.',
      },
    },
  },
};
