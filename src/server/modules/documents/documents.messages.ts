import { documentLabels } from '../../../shared/i18n/documents.ts';

/** Server texts of the governing-document register (export, reminder e-mail); added to t() by the boot loop (index.ts `messages`). */
export const documentServerMessages = {
  sv: {
    documents: {
      ...documentLabels.sv,
      inForce: {
        title: 'Gällande styrdokument',
        filename: 'Gällande styrdokument {{date}}',
        intro: 'Förteckning över gällande styrdokument den {{date}}: {{count}} dokument.',
        empty: 'Det finns inga gällande styrdokument.',
        generated: 'Framtagen',
        count: 'Antal dokument',
        sheet: 'Gällande styrdokument',
        col: {
          title: 'Titel',
          type: 'Typ',
          owner: 'Ägare',
          adoptedBy: 'Beslutande organ',
          decision: 'Beslut',
          adoptedOn: 'Antaget',
          validFrom: 'Gäller från',
          validTo: 'Gäller till',
          nextReview: 'Revideras senast',
        },
      },
      reviewReminder: {
        subject: 'Påminnelse: {{title}} ska revideras senast {{date}}',
        text:
          'Hej!\n\nStyrdokumentet "{{title}}" ({{type}}) som {{organisation}} äger ska revideras senast {{date}}.\n\n' +
          'Se över dokumentet och registrera ett nytt revideringsdatum, eller för upp ett förslag om att revidera, ersätta eller upphäva det.\n\n' +
          'Styrdokumentet i Trygg: {{link}}\n',
      },
    },
  },
  en: {
    documents: {
      ...documentLabels.en,
      inForce: {
        title: 'Governing documents in force',
        filename: 'Governing documents in force {{date}}',
        intro: 'Governing documents in force on {{date}}: {{count}} documents.',
        empty: 'There are no governing documents in force.',
        generated: 'Generated',
        count: 'Number of documents',
        sheet: 'Documents in force',
        col: {
          title: 'Title',
          type: 'Type',
          owner: 'Owner',
          adoptedBy: 'Adopted by',
          decision: 'Decision',
          adoptedOn: 'Adopted',
          validFrom: 'Valid from',
          validTo: 'Valid to',
          nextReview: 'Review due',
        },
      },
      reviewReminder: {
        subject: 'Reminder: {{title}} is due for review by {{date}}',
        text:
          'Hello,\n\nThe governing document "{{title}}" ({{type}}) owned by {{organisation}} is due for review by {{date}}.\n\n' +
          'Review the document and register a new review date, or propose to revise, replace or repeal it.\n\n' +
          'The document in Trygg: {{link}}\n',
      },
    },
  },
};
