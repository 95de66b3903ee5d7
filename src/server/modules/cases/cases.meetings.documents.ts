import type { DocumentModel } from '../../lib/documents/model.ts';
import type { MeetingDetail } from '../../../shared/schemas/meetings.ts';

/**
 * The meeting's documents as council documents (rendered to PDF, Swedish as they go out): the notice with
 * its agenda (kallelse och föredragningslista) and the minutes (protokoll) with attendance, numbered §§,
 * their att-satser and reservations, the adjustment and the notice of it. Built from the meeting as the
 * reader may see it: cases the reader may not see are left out of the agenda and their §§ named by number only.
 */

const ROLE: Record<string, string> = {
  chair: 'ordförande',
  vice_chair: 'vice ordförande',
  member: 'ledamot',
  substitute_serving: 'tjänstgörande ersättare',
  substitute: 'ersättare',
  official: 'tjänsteperson',
};

export function agendaModel(m: MeetingDetail, municipality: string): DocumentModel {
  const blocks: DocumentModel['blocks'] = [
    { type: 'paragraph', text: `Ledamöterna och ersättarna kallas till sammanträde med ${m.bodyName}.` },
    { type: 'heading', level: 2, text: 'Föredragningslista' },
  ];
  if (!m.items.length) blocks.push({ type: 'paragraph', text: 'Inga ärenden på föredragningslistan.', muted: true });
  else
    blocks.push({
      type: 'table',
      caption: 'Ärenden',
      columns: [{ header: 'Nr', width: 8 }, { header: 'Diarienummer', width: 22 }, { header: 'Ärende', width: 70 }],
      rows: m.items.map((i) => [String(i.ordinal), i.registryNumber, i.decisionTitle ?? i.caseTitle]),
    });
  if (m.hiddenItems) blocks.push({ type: 'paragraph', text: `Därutöver ${m.hiddenItems} ärenden som inte visas här.`, muted: true });
  return {
    organisation: `${municipality} — ${m.bodyName}`,
    title: 'Kallelse',
    subtitle: `${m.bodyName}, sammanträde ${m.meetingDate}`,
    meta: meetingMeta(m),
    blocks,
    lang: 'sv-SE',
    footer: `Kallelse ${m.bodyShortName ?? m.bodyName} ${m.meetingDate}`,
  };
}

export function minutesModel(m: MeetingDetail, clauses: Map<string, { text: string; toBodyName: string | null }[]>, municipality: string): DocumentModel {
  const blocks: DocumentModel['blocks'] = [];
  blocks.push({ type: 'heading', level: 2, text: 'Närvarande' });
  const present = m.attendees.filter((a) => a.present);
  blocks.push({ type: 'paragraph', text: present.length ? present.map((a) => `${a.name}${a.party ? ` (${a.party})` : ''}, ${ROLE[a.role] ?? a.role}`).join('\n') : 'Ingen närvaro antecknad.' });
  const absent = m.attendees.filter((a) => !a.present);
  if (absent.length) blocks.push({ type: 'paragraph', text: `Frånvarande: ${absent.map((a) => a.name).join(', ')}`, muted: true });
  const chair = m.adjusters.find((a) => a.role === 'chair');
  const adjusters = m.adjusters.filter((a) => a.role === 'adjuster');
  blocks.push({ type: 'heading', level: 2, text: 'Justering' });
  blocks.push({
    type: 'paragraph',
    text:
      (chair ? `Ordförande: ${chair.name}${chair.signedOn ? `, justerat ${chair.signedOn}` : ''}\n` : '') +
      (adjusters.length ? `Justerare: ${adjusters.map((a) => `${a.name}${a.signedOn ? `, justerat ${a.signedOn}` : ''}`).join('; ')}\n` : '') +
      (m.adjustedOn ? `Protokollet justerades ${m.adjustedOn}.` : 'Protokollet är inte justerat.'),
  });
  if (m.notice)
    blocks.push({ type: 'paragraph', text: `Anslaget om justering sattes upp på kommunens digitala anslagstavla ${m.notice.postedOn}. Tiden för överklagande går ut ${m.notice.appealEndsOn}.` });
  for (const p of m.paragraphs) {
    blocks.push({ type: 'heading', level: 2, text: `§ ${p.paragraph} ${p.title}` });
    blocks.push({ type: 'paragraph', text: `Diarienummer ${p.registryNumber}`, muted: true });
    let lead: string | null | undefined;
    for (const k of clauses.get(p.decisionId) ?? []) {
      if (k.toBodyName !== lead) {
        lead = k.toBodyName;
        blocks.push({ type: 'paragraph', text: lead ? `${m.bodyName} föreslår ${lead.charAt(0).toLowerCase()}${lead.slice(1)} besluta` : `${m.bodyName} beslutar` });
      }
      blocks.push({ type: 'paragraph', text: k.text });
    }
    for (const r of p.reservations) blocks.push({ type: 'paragraph', text: `${r.name}${r.party ? ` (${r.party})` : ''} reserverar sig mot beslutet${r.written ? ' till förmån för en skriftlig reservation, bilaga' : ''}.` });
    if (p.immediateAdjustment) blocks.push({ type: 'paragraph', text: `Paragrafen justerades omedelbart${p.adjustedOn ? ` ${p.adjustedOn}` : ''}.`, muted: true });
  }
  return {
    organisation: `${municipality} — ${m.bodyName}`,
    title: 'Protokoll',
    subtitle: `${m.bodyName}, sammanträde ${m.meetingDate}`,
    meta: [
      ...meetingMeta(m),
      ...(m.paragraphs.length ? [{ label: 'Paragrafer', value: `§ ${m.paragraphs[0].paragraph}–${m.paragraphs[m.paragraphs.length - 1].paragraph}` }] : []),
      ...(m.minutesKeptAt ? [{ label: 'Förvaringsplats', value: m.minutesKeptAt }] : []),
    ],
    blocks,
    lang: 'sv-SE',
    footer: `Protokoll ${m.bodyShortName ?? m.bodyName} ${m.meetingDate}${m.adjustedOn ? `, justerat ${m.adjustedOn}` : ', ej justerat'}`,
  };
}

/** The facts at the top of a meeting's documents: body, date, and time and place when known. */
function meetingMeta(m: Pick<MeetingDetail, 'bodyName' | 'meetingDate' | 'startsAt' | 'location'>) {
  return [
    { label: 'Organ', value: m.bodyName },
    { label: 'Datum', value: m.meetingDate },
    ...(m.startsAt ? [{ label: 'Tid', value: m.startsAt }] : []),
    ...(m.location ? [{ label: 'Plats', value: m.location }] : []),
  ];
}
