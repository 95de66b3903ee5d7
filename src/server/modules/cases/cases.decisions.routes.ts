import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import {
  addClause,
  assignment,
  assignmentActionParams,
  assignmentList,
  assignmentQuery,
  clauseParams,
  createDecision,
  createMeeting,
  decide,
  decision,
  decisionList,
  forwardDecision,
  dispatch,
  dispatchResult,
  linkAction,
  meeting,
  meetingList,
  meetingQuery,
  reorderClauses,
  setDispatchList,
  updateAssignment,
  updateClause,
  updateDecision,
  versionQuery,
} from '../../../shared/schemas/decisions.ts';
import {
  addMeetingItem,
  addReservation,
  adjust,
  meetingDetail,
  meetingItemParams,
  noticeBoard,
  postNotice,
  reservationParams,
  setAdjusters,
  setAttendees,
  setImmediate,
  updateMeeting,
  userOptions,
} from '../../../shared/schemas/meetings.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { localeOf } from '../../lib/i18n.ts';
import type { DecisionService } from './cases.decisions.ts';
import type { DispatchService } from './cases.dispatch.ts';
import { casePolicies } from './cases.policy.ts';

const tags = ['Ärenden: beslut och expediering'];
/**
 * Route policies gate on holding the action somewhere; the service checks that the case is readable
 * (else 404) and that the actor handles it (cases.handle on the case's organisation or registering
 * body, else 403). Lists filter in SQL.
 */
const reading = { policy: casePolicies.reading };
const handling = { policy: casePolicies.handling };
const participant = { policy: casePolicies.meetingParticipant };
const meetingTags = ['Sammanträden: kallelse, protokoll, justering och anslag'];

export function decisionRoutes(app: App, { decisions, dispatcher }: { decisions: DecisionService; dispatcher: DispatchService }) {
  // --- Meetings ---
  app.get(
    '/api/meetings',
    { config: reading, schema: { tags, summary: 'Sammanträden (organ och datum)', querystring: meetingQuery, response: { 200: meetingList, ...errorResponses } } },
    async (req) => decisions.listMeetings(req.query),
  );
  app.post(
    '/api/meetings',
    { config: handling, schema: { tags, summary: 'Lägg till sammanträde för ett beslutande organ', body: createMeeting, response: { 201: meeting, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await decisions.createMeeting(contextOf(req), requireActor(req), req.body)),
  );

  // --- The meeting process: notice and agenda, minutes, adjustment, notice board ---
  app.get(
    '/api/meetings/:id',
    { config: participant, schema: { tags: meetingTags, summary: 'Sammanträde: kallelse, föredragningslista, protokoll med §§, närvaro, justering och anslag', params: idParams, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.getMeeting(requireActor(req), req.params.id),
  );
  app.patch(
    '/api/meetings/:id',
    { config: handling, schema: { tags: meetingTags, summary: 'Ändra kallelsens uppgifter (tid, plats, rubrik, protokollets förvaringsplats)', params: idParams, body: updateMeeting, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.updateMeeting(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/meetings/:id/items',
    { config: handling, schema: { tags: meetingTags, summary: 'Sätt upp ett ärende på föredragningslistan', params: idParams, body: addMeetingItem, response: { 201: meetingDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await decisions.addItem(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/meetings/:id/items/:itemId',
    { config: handling, schema: { tags: meetingTags, summary: 'Ta bort ett ärende från föredragningslistan', params: meetingItemParams, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.removeItem(contextOf(req), requireActor(req), req.params.id, req.params.itemId),
  );
  app.put(
    '/api/meetings/:id/attendees',
    { config: handling, schema: { tags: meetingTags, summary: 'Spara närvaron i protokollet', params: idParams, body: setAttendees, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.setAttendees(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.put(
    '/api/meetings/:id/adjusters',
    { config: handling, schema: { tags: meetingTags, summary: 'Utse ordförande och justerare', params: idParams, body: setAdjusters, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.setAdjusters(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/meeting-users',
    { config: handling, schema: { tags: meetingTags, summary: 'Användare att utse till ordförande och justerare', response: { 200: userOptions, ...errorResponses } } },
    async () => decisions.userOptions(),
  );
  app.post(
    '/api/meetings/:id/adjust',
    {
      config: participant,
      schema: {
        tags: meetingTags,
        summary: 'Justera protokollet (eller en omedelbart justerad paragraf) som ordförande eller justerare',
        description: 'Bara ordföranden och de utsedda justerarna, var och en med sitt eget konto; andra får 403 och ingenting ändras. När alla har justerat är protokollet justerat den dagen.',
        params: idParams,
        body: adjust,
        response: { 200: meetingDetail, ...errorResponses },
      },
    },
    async (req) => decisions.adjust(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/meetings/:id/notice',
    { config: handling, schema: { tags: meetingTags, summary: 'Sätt upp anslaget om justerat protokoll på anslagstavlan (överklagandetiden börjar)', params: idParams, body: postNotice, response: { 201: meetingDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await decisions.postNotice(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.post(
    '/api/decisions/:id/reservations',
    { config: handling, schema: { tags: meetingTags, summary: 'Anteckna en reservation mot paragrafen', params: idParams, body: addReservation, response: { 201: meetingDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await decisions.addReservation(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/decisions/:id/reservations/:reservationId',
    { config: handling, schema: { tags: meetingTags, summary: 'Ta bort en reservation', params: reservationParams, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.removeReservation(contextOf(req), requireActor(req), req.params.id, req.params.reservationId),
  );
  app.put(
    '/api/decisions/:id/immediate-adjustment',
    { config: handling, schema: { tags: meetingTags, summary: 'Paragrafen justeras omedelbart (eller inte)', params: idParams, body: setImmediate, response: { 200: meetingDetail, ...errorResponses } } },
    async (req) => decisions.setImmediate(contextOf(req), requireActor(req), req.params.id, req.body.immediate),
  );
  for (const [kind, path, summary] of [
    ['agenda', 'agenda.pdf', 'Kallelse med föredragningslista (PDF)'],
    ['minutes', 'minutes.pdf', 'Protokoll med paragrafer, närvaro, reservationer och justering (PDF)'],
  ] as const)
    app.get(
      `/api/meetings/:id/${path}`,
      { config: participant, schema: { tags: meetingTags, summary, params: idParams, response: { 200: z.any().describe('PDF'), ...errorResponses } } },
      async (req, reply) => {
        const f = await decisions.meetingPdf(requireActor(req), req.params.id, kind);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
          .header('cache-control', 'private, no-store')
          .send(f.content);
      },
    );
  app.get(
    '/api/notice-board',
    { config: { policy: casePolicies.noticeBoard }, schema: { tags: meetingTags, summary: 'Kommunens digitala anslagstavla: anslag om justerade protokoll (öppen, utan inloggning)', response: { 200: noticeBoard, ...errorResponses } } },
    async () => decisions.noticeBoard(),
  );

  // --- Decisions in a case ---
  app.get(
    '/api/cases/:id/decisions',
    { config: reading, schema: { tags, summary: 'Ärendets beslut med att-satser och sändlistor', params: idParams, response: { 200: decisionList, ...errorResponses } } },
    async (req) => decisions.listForCase(requireActor(req), req.params.id),
  );
  app.post(
    '/api/cases/:id/decisions',
    { config: handling, schema: { tags, summary: 'Skapa beslut (utkast), t.ex. beslut, återremiss, remiss eller delegationsbeslut', params: idParams, body: createDecision, response: { 201: decision, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await decisions.create(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/decisions/:id',
    { config: reading, schema: { tags, summary: 'Hämta beslut', params: idParams, response: { 200: decision, ...errorResponses } } },
    async (req) => decisions.get(requireActor(req), req.params.id),
  );
  app.patch(
    '/api/decisions/:id',
    { config: handling, schema: { tags, summary: 'Ändra beslutsutkast (organ, datum, §, rubrik, motivering)', params: idParams, body: updateDecision, response: { 200: decision, ...errorResponses } } },
    async (req) => decisions.update(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/decisions/:id/clauses',
    { config: handling, schema: { tags, summary: 'Lägg till att-sats sist i beslutsutkastet', params: idParams, body: addClause, response: { 201: decision, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await decisions.addClause(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/decisions/:id/clauses/:clauseId',
    { config: handling, schema: { tags, summary: 'Ändra att-sats', params: clauseParams, body: updateClause, response: { 200: decision, ...errorResponses } } },
    async (req) => decisions.updateClause(contextOf(req), requireActor(req), req.params.id, req.params.clauseId, req.body),
  );
  app.delete(
    '/api/decisions/:id/clauses/:clauseId',
    { config: handling, schema: { tags, summary: 'Ta bort att-sats (beslutets version i ?version=)', params: clauseParams, querystring: versionQuery, response: { 200: decision, ...errorResponses } } },
    async (req) => decisions.removeClause(contextOf(req), requireActor(req), req.params.id, req.params.clauseId, req.query.version),
  );
  app.put(
    '/api/decisions/:id/clause-order',
    { config: handling, schema: { tags, summary: 'Ändra ordningen på att-satserna', params: idParams, body: reorderClauses, response: { 200: decision, ...errorResponses } } },
    async (req) => decisions.reorderClauses(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/decisions/:id/decide',
    {
      config: handling,
      schema: {
        tags,
        summary: 'Markera beslutet som fattat (låser det; skapar uppdrag; återremiss öppnar ärendet igen)',
        description: 'Kräver barnkonsekvensanalys i ärendet, datum och §. Samma organ, datum och § två gånger ger 409.',
        params: idParams,
        body: decide,
        response: { 200: decision, ...errorResponses },
      },
    },
    async (req) => decisions.decide(contextOf(req), requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/decisions/:id/forward',
    {
      config: handling,
      schema: {
        tags,
        summary: 'Skicka ett fattat besluts förslag vidare till nästa organ (t.ex. KS förslag till KF)',
        description: 'Skapar ett beslutsutkast hos organet med de att-satser som är förslag; de får verkan först när det organet fattar beslutet.',
        params: idParams,
        body: forwardDecision,
        response: { 201: decision, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await decisions.forward(contextOf(req), requireActor(req), req.params.id, req.body)),
  );

  // --- Dispatch ---
  app.put(
    '/api/decisions/:id/dispatch-list',
    { config: handling, schema: { tags, summary: 'Spara sändlistan (organisationer och akten)', params: idParams, body: setDispatchList, response: { 200: decision, ...errorResponses } } },
    async (req) => dispatcher.setList(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/decisions/:id/dispatch',
    {
      config: handling,
      schema: {
        tags,
        summary: 'Expediera beslutet till sändlistans nya mottagare',
        description: 'E-post med protokollsutdrag (PDF) och en utgående handling per mottagare; akten får en upprättad handling. Mottagare utan e-postadress redovisas för manuell expediering.',
        params: idParams,
        body: dispatch,
        response: { 200: dispatchResult, ...errorResponses },
      },
    },
    async (req) =>
      dispatcher.dispatch(contextOf(req), requireActor(req), req.params.id, req.body.version, localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale)),
  );
  app.get(
    '/api/decisions/:id/extract.pdf',
    { config: reading, schema: { tags, summary: 'Protokollsutdrag (PDF) för ett fattat beslut', params: idParams, response: { 200: z.any().describe('PDF'), ...errorResponses } } },
    async (req, reply) => {
      const f = await dispatcher.extractPdf(requireActor(req), req.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .header('cache-control', 'private, no-store')
        .send(f.content);
    },
  );

  // --- Assignments (uppdrag) ---
  app.get(
    '/api/assignments',
    { config: reading, schema: { tags, summary: 'Uppdrag från beslut (per organisation; det du får se)', querystring: assignmentQuery, response: { 200: assignmentList, ...errorResponses } } },
    async (req) => decisions.listAssignments(requireActor(req), req.query),
  );
  app.patch(
    '/api/assignments/:id',
    { config: handling, schema: { tags, summary: 'Markera uppdrag som slutfört eller öppet', params: idParams, body: updateAssignment, response: { 200: assignment, ...errorResponses } } },
    async (req) => decisions.updateAssignment(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/assignments/:id/actions',
    { config: handling, schema: { tags, summary: 'Koppla en åtgärd i programmets plan till uppdraget', params: idParams, body: linkAction, response: { 200: assignment, ...errorResponses } } },
    async (req) => decisions.linkAction(contextOf(req), requireActor(req), req.params.id, req.body.actionId),
  );
  app.delete(
    '/api/assignments/:id/actions/:actionId',
    { config: handling, schema: { tags, summary: 'Ta bort kopplingen mellan uppdrag och åtgärd', params: assignmentActionParams, response: { 200: assignment, ...errorResponses } } },
    async (req) => decisions.unlinkAction(contextOf(req), requireActor(req), req.params.id, req.params.actionId),
  );
}
