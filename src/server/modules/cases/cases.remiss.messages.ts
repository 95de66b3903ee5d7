/** Server texts of the remiss part: e-mails and the sammanställning. Swedish first; English kept up. */
export const remissMessages = {
  sv: {
    mail: {
      link: {
        subject: 'Remiss: {{title}} – svar senast {{replyBy}}',
        text:
          'Till {{organisation}}\n\n{{sender}} sänder härmed {{title}} ({{registryNumber}}) på remiss. Vi vill ha ert svar senast {{replyBy}}.\n\n' +
          'Läs remissen och lämna ert svar via er personliga länk:\n{{link}}\n\n' +
          'Länken gäller till och med {{expires}} och kan bara användas för ert eget svar, en gång. Vidarebefordra den inte utanför er organisation.\n\n' +
          'Remissbrev\n----------\n{{letter}}\n',
      },
      internal: {
        subject: 'Remiss till {{organisation}}: {{title}} – svar senast {{replyBy}}',
        text:
          'Till {{organisation}}\n\n{{sender}} sänder härmed {{title}} ({{registryNumber}}) på remiss. Vi vill ha ert svar senast {{replyBy}}.\n\n' +
          'Läs remissen och lämna svaret i Trygg under Remisser till oss:\n{{link}}\n\n' +
          'Remissbrev\n----------\n{{letter}}\n',
      },
      reissued: {
        subject: 'Ny svarslänk: remiss {{title}} – svar senast {{replyBy}}',
        text:
          'Till {{organisation}}\n\nHär är en ny personlig länk för ert svar på remissen {{title}} ({{registryNumber}}). Tidigare länkar gäller inte längre.\n\n' +
          '{{link}}\n\nLänken gäller till och med {{expires}} och kan användas en gång.\n',
      },
      before: {
        subject: 'Påminnelse: remissvar om {{title}} senast {{replyBy}}',
        text:
          'Till {{organisation}}\n\nVi har ännu inte fått ert svar på remissen {{title}} ({{registryNumber}}). Svaret ska vara oss till handa senast {{replyBy}}.\n\n{{how}}\n',
      },
      overdue: {
        subject: 'Försenat remissvar: {{title}} skulle ha besvarats {{replyBy}}',
        text:
          'Till {{organisation}}\n\nSvarsdatum för remissen {{title}} ({{registryNumber}}) var {{replyBy}} och vi har ännu inte fått ert svar. Skicka det så snart som möjligt eller hör av er till handläggaren.\n\n{{how}}\n',
      },
      howLink: 'Svara via den personliga länk ni fick i det första e-postmeddelandet. Har ni inte kvar den kan handläggaren skicka en ny.',
      howInternal: 'Lämna svaret i Trygg under Remisser till oss: {{link}}',
    },
    record: {
      letter: 'Remiss: {{title}}',
      reply: 'Remissvar från {{organisation}}',
      replyDecision: 'Remissvar från {{organisation}}: {{body}} {{date}} § {{paragraph}}',
      replyNoObjection: 'Remissvar från {{organisation}}: inget att erinra',
    },
    compilation: {
      title: 'Sammanställning av remissvar',
      registryNumber: 'Diarienummer',
      case: 'Ärende',
      remiss: 'Remiss',
      decision: 'Remissbeslut',
      sentOn: 'Skickad',
      status: 'Remissomgångens status',
      open: 'Öppen',
      closed: 'Stängd {{date}}',
      answered: 'Svar',
      ofTotal: '{{answered}} av {{total}} remissinstanser',
      generated: 'Framtagen',
      overview: 'Inkomna svar',
      replies: 'Remissvaren',
      missing: 'Remissinstanser som inte har svarat',
      noneMissing: 'Alla remissinstanser har svarat.',
      noReplies: 'Inga svar har kommit in.',
      noText: 'Svaret saknar text (se bifogad handling).',
      secret: 'Svaret är sekretessmarkerat. Innehållet visas bara för den som har behörighet att läsa sekretessmarkerade handlingar i ärendet.',
      col: { recipient: 'Remissinstans', received: 'Inkommet', decision: 'Beslut', summary: 'Svar', replyBy: 'Svarsdatum', record: 'Handling' },
      noObjection: 'Inget att erinra',
      plainReply: 'Yttrande',
      decisionRef: '{{body}} {{date}} § {{paragraph}}',
      attachment: 'Bifogad fil: {{filename}}',
    },
  },
  en: {
    mail: {
      link: {
        subject: 'Consultation: {{title}} – reply by {{replyBy}}',
        text:
          'To {{organisation}}\n\n{{sender}} hereby sends {{title}} ({{registryNumber}}) for consultation. We would like your reply by {{replyBy}}.\n\n' +
          'Read the consultation and reply through your personal link:\n{{link}}\n\n' +
          'The link is valid until {{expires}} and can be used once, for your own reply only. Do not forward it outside your organisation.\n\n' +
          'Letter\n------\n{{letter}}\n',
      },
      internal: {
        subject: 'Consultation to {{organisation}}: {{title}} – reply by {{replyBy}}',
        text:
          'To {{organisation}}\n\n{{sender}} hereby sends {{title}} ({{registryNumber}}) for consultation. We would like your reply by {{replyBy}}.\n\n' +
          'Read it and reply in Trygg under Consultations to us:\n{{link}}\n\nLetter\n------\n{{letter}}\n',
      },
      reissued: {
        subject: 'New reply link: consultation {{title}} – reply by {{replyBy}}',
        text: 'To {{organisation}}\n\nHere is a new personal link for your reply to {{title}} ({{registryNumber}}). Earlier links no longer work.\n\n{{link}}\n\nThe link is valid until {{expires}} and can be used once.\n',
      },
      before: {
        subject: 'Reminder: consultation reply on {{title}} due {{replyBy}}',
        text: 'To {{organisation}}\n\nWe have not yet received your reply to {{title}} ({{registryNumber}}). It is due {{replyBy}}.\n\n{{how}}\n',
      },
      overdue: {
        subject: 'Overdue consultation reply: {{title}} was due {{replyBy}}',
        text: 'To {{organisation}}\n\nThe reply to {{title}} ({{registryNumber}}) was due {{replyBy}} and we have not received it. Please send it as soon as possible or contact the case officer.\n\n{{how}}\n',
      },
      howLink: 'Reply through the personal link in the first e-mail. If you no longer have it, the case officer can send a new one.',
      howInternal: 'Reply in Trygg under Consultations to us: {{link}}',
    },
    record: {
      letter: 'Consultation: {{title}}',
      reply: 'Consultation reply from {{organisation}}',
      replyDecision: 'Consultation reply from {{organisation}}: {{body}} {{date}} § {{paragraph}}',
      replyNoObjection: 'Consultation reply from {{organisation}}: no objection',
    },
    compilation: {
      title: 'Compilation of consultation replies',
      registryNumber: 'Registry number',
      case: 'Case',
      remiss: 'Consultation',
      decision: 'Consultation decision',
      sentOn: 'Sent',
      status: 'Round status',
      open: 'Open',
      closed: 'Closed {{date}}',
      answered: 'Replies',
      ofTotal: '{{answered}} of {{total}} consultees',
      generated: 'Generated',
      overview: 'Replies received',
      replies: 'The replies',
      missing: 'Consultees that have not replied',
      noneMissing: 'Every consultee has replied.',
      noReplies: 'No replies have been received.',
      noText: 'The reply has no text (see the attached record).',
      secret: 'The reply is marked secret. Its content is shown only to those who may read secret records in the case.',
      col: { recipient: 'Consultee', received: 'Received', decision: 'Decision', summary: 'Reply', replyBy: 'Reply by', record: 'Record' },
      noObjection: 'No objection',
      plainReply: 'Statement',
      decisionRef: '{{body}} {{date}} § {{paragraph}}',
      attachment: 'Attached file: {{filename}}',
    },
  },
};
