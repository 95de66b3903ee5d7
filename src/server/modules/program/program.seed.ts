import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../lib/policies.ts';
import type { RequestContext } from '../../lib/audit.ts';
import type { CreatePlanAction } from '../../../shared/schemas/program.ts';
import { createProgramService } from './program.service.ts';

/**
 * Demo data for the program module: the structure of Lund's safety program with its known focus areas
 * (2 Förebyggande arbete, 3 Informationssäkerhet) and plausible example actions — all marked
 * is_example, and titled so in the UI — plus one closed and one open follow-up round.
 * Runs through the service as the demo coordinator, so every row has its audit entry.
 */
export async function seedProgramDemo(db: Db, coordinatorEmail: string) {
  const ids = new Map(
    (await db.execute<{ key: string; id: string }>(sql`select key, id from organisations where key is not null`)).rows.map((r) => [r.key, r.id]),
  );
  const user = (await db.execute<{ id: string; name: string; email: string }>(sql`select id, name, email from users where email = ${coordinatorEmail}`)).rows[0];
  if (!user) throw new Error(`seedProgramDemo: no user ${coordinatorEmail}`);
  const actor: Actor = { id: user.id, name: user.name, email: user.email, sessionId: 'seed', grants: [{ organisationId: ids.get('lund')!, role: 'coordinator', includeSubtree: true }] };
  const ctx: RequestContext = { actor: { id: user.id, name: user.name }, requestId: 'seed' };
  const svc = createProgramService({ db });
  const org = (key: string) => ids.get(key)!;

  // The program KS 2018/0316 proposes (the name its first att-sats gives it): created as a draft with its entry in
  // the register, and adopted when KF decides the case's proposal (the cases module's seed links the adopt
  // att-sats to its entry). The period's end is example data: the memo gives none.
  const program = await svc.createProgram(ctx, actor, {
    kind: 'safety_program',
    title: 'Program för trygghet och säkerhet i Lunds kommun',
    description: 'Förslag till program för trygghets- och säkerhetsarbetet (KS 2018/0316), med fokusområden som bland annat förebyggande arbete och informationssäkerhet. Exempeldata: programmets struktur efter tjänsteskrivelsen; åtgärderna och slutåret är påhittade exempel.',
    ownerOrganisationId: org('ks'),
    adoptedByOrganisationId: org('kf'),
    validTo: '2027-12-31',
  });
  const plan = await svc.createProgram(ctx, actor, {
    kind: 'crime_prevention_plan',
    title: 'Åtgärdsplan för brottsförebyggande arbete 2025–2026 (exempel)',
    description: 'Exempeldata: åtgärdsplan enligt lag (2023:196) om kommuners ansvar för brottsförebyggande arbete.',
    ownerOrganisationId: org('ks'),
    adoptedByOrganisationId: org('kf'),
    validFrom: '2025-01-01',
    validTo: '2026-12-31',
  });

  const structure: { number: number; title: string; description: string; goals: { text: string; indicator?: string; unit?: string; baseline?: number; targetValue?: number; targetYear?: number; actions: (Omit<CreatePlanAction, 'goalId' | 'responsibleOrganisationId' | 'contributorIds'> & { org: string; contributors?: string[]; progressLater: number })[] }[] }[] = [
    {
      number: 2,
      title: 'Förebyggande arbete',
      description: 'Brottsförebyggande och trygghetsskapande arbete, däribland våld i nära relationer och hedersrelaterat våld och förtryck.',
      goals: [
        {
          text: 'Färre utsätts för våld i nära relationer, och fler får tidigt stöd',
          indicator: 'Andel medarbetare i berörda verksamheter som utbildats i att upptäcka våld',
          unit: '%',
          baseline: 20,
          targetValue: 80,
          targetYear: 2027,
          actions: [
            { title: 'Utbilda socialtjänstens personal i att upptäcka och fråga om våld', org: 'son', contributors: ['polisen'], startDate: '2026-01-01', endDate: '2026-12-31', status: 'in_progress', progress: 70, weight: 2, subAreas: ['crime_accident_coordination'], progressLater: 80 },
            { title: 'Rutin för skyddat boende och stöd till våldsutsatta', org: 'son', startDate: '2026-02-01', endDate: '2026-10-31', status: 'done', progress: 100, weight: 1, subAreas: ['crime_accident_coordination', 'sense_of_safety'], progressLater: 100 },
            { title: 'Vård- och omsorgspersonal: våld mot äldre', org: 'von', startDate: '2026-03-01', endDate: '2027-06-30', status: 'in_progress', progress: 40, weight: 1, subAreas: ['crime_accident_coordination'], progressLater: 50 },
          ],
        },
        {
          text: 'Hedersrelaterat våld och förtryck upptäcks och förebyggs i skolan',
          indicator: 'Antal skolor med handlingsplan mot hedersrelaterat våld',
          unit: 'st',
          baseline: 3,
          targetValue: 20,
          targetYear: 2027,
          actions: [
            { title: 'Handlingsplan mot hedersrelaterat våld i varje grundskola', org: 'bsn', startDate: '2026-01-01', endDate: '2026-12-31', status: 'in_progress', progress: 75, weight: 4, subAreas: ['crime_accident_coordination'], progressLater: 85 },
            { title: 'Kompetenshöjning för elevhälsan', org: 'un', startDate: '2026-01-01', endDate: '2026-06-30', status: 'delayed', progress: 10, weight: 1, subAreas: ['crime_accident_coordination'], progressLater: 30 },
          ],
        },
        {
          text: 'Fler känner sig trygga i offentlig miljö',
          indicator: 'Andel som känner sig trygga ute ensamma sent på kvällen (trygghetsmätning)',
          unit: '%',
          baseline: 68,
          targetValue: 75,
          targetYear: 2027,
          actions: [
            { title: 'Trygghetsvandringar i tre stadsdelar per år', org: 'lkf', contributors: ['polisen', 'bra'], startDate: '2026-01-01', endDate: '2026-12-31', status: 'in_progress', progress: 80, weight: 1, subAreas: ['sense_of_safety'], progressLater: 90 },
            { title: 'Bättre belysning i otrygga gång- och cykelstråk', org: 'tn', startDate: '2026-03-01', endDate: '2027-03-31', status: 'in_progress', progress: 45, weight: 2, subAreas: ['sense_of_safety', 'accident_prevention'], progressLater: 60 },
          ],
        },
      ],
    },
    {
      number: 3,
      title: 'Informationssäkerhet',
      description: 'Systematiskt informationssäkerhetsarbete i hela kommunkoncernen.',
      goals: [
        {
          text: 'All verksamhetskritisk information är klassad och skyddad efter sitt värde',
          indicator: 'Andel informationstillgångar som klassats',
          unit: '%',
          baseline: 35,
          targetValue: 100,
          targetYear: 2027,
          actions: [
            { title: 'Informationsklassning av verksamhetssystem', org: 'kk-ts', startDate: '2026-01-01', endDate: '2026-12-31', status: 'in_progress', progress: 75, weight: 2, subAreas: ['information_security'], progressLater: 85 },
            { title: 'Grundutbildning i informationssäkerhet för alla anställda', org: 'sen', startDate: '2026-01-01', endDate: '2026-12-31', status: 'in_progress', progress: 85, weight: 1, subAreas: ['information_security', 'it_security'], progressLater: 95 },
            { title: 'Övning i att hantera en IT-incident (kontinuitetsplan)', org: 'sen', contributors: ['kk-ts'], startDate: '2026-09-01', endDate: '2026-11-30', status: 'in_progress', progress: 70, weight: 1, subAreas: ['it_security', 'crisis_preparedness'], progressLater: 80 },
          ],
        },
      ],
    },
  ];

  const actions: { id: string; progressLater: number; org: string }[] = [];
  for (const area of structure) {
    const fa = await svc.createFocusArea(ctx, actor, program.id, { number: area.number, title: area.title, description: area.description });
    for (const [gi, g] of area.goals.entries()) {
      const { actions: list, ...goalFields } = g;
      const goal = await svc.createGoal(ctx, actor, fa.id, { number: gi + 1, ...goalFields });
      // Measured values of the safety survey's indicator (example data, marked so), for its trend in the council report.
      if (goalFields.unit === '%' && goalFields.indicator?.includes('trygghetsmätning'))
        for (const [year, value] of [[2022, 68], [2024, 70], [2025, 72]] as const)
          await svc.addIndicatorValue(ctx, actor, goal.id, { measuredOn: `${year}-12-31`, period: String(year), value, note: 'Exempeldata' });
      for (const a of list) {
        const { org: key, contributors, progressLater, ...fields } = a;
        const created = await svc.createAction(ctx, actor, {
          ...fields,
          goalId: goal.id,
          responsibleOrganisationId: org(key),
          contributorIds: (contributors ?? []).map(org),
        });
        actions.push({ id: created.id, progressLater, org: key });
      }
    }
  }
  await db.execute(sql`update plan_actions set is_example = true where goal_id in (select g.id from goals g join focus_areas f on f.id = g.focus_area_id where f.program_id = ${program.id})`);
  await db.execute(sql`update programs set is_example = true where id in (${program.id}, ${plan.id})`);
  await db.execute(sql`update governing_documents set is_example = true where id in (${program.documentId}, ${plan.documentId})`);

  // A closed round where everyone reported, then an open one where some have started.
  const closed = await svc.openRound(ctx, actor, { programId: program.id, name: 'Tertial 2 2026', deadline: '2026-09-15', scopeOrganisationIds: [] });
  const reports = (await svc.listReports(actor, { roundId: closed.id })).items;
  for (const r of reports) {
    const current = await svc.getAction(actor, r.actionId);
    const text = { done: 'Exempel: arbetet fortgår enligt plan.', nextSteps: 'Exempel: fortsätta enligt plan.' };
    await svc.saveReport(ctx, actor, r.id, { version: r.version, actionStatus: current.status, progress: current.progress, ...text }, true);
  }
  await svc.closeRound(ctx, actor, closed.id, closed.version);

  const open = await svc.openRound(ctx, actor, { programId: program.id, name: 'Tertial 3 2026', deadline: '2027-01-15', scopeOrganisationIds: [] });
  const openReports = (await svc.listReports(actor, { roundId: open.id })).items;
  for (const r of openReports) {
    const plan = actions.find((a) => a.id === r.actionId)!;
    if (plan.org === 'kk-ts' || plan.org === 'lkf') {
      await svc.saveReport(ctx, actor, r.id, { version: r.version, actionStatus: 'in_progress', progress: plan.progressLater, done: 'Exempel: fler moment genomförda.' }, true);
    } else if (plan.org === 'tn') {
      await svc.saveReport(ctx, actor, r.id, { version: r.version, actionStatus: 'in_progress', progress: plan.progressLater, done: 'Exempel: utkast, inte inskickat.' }, false);
    }
  }
  return { programId: program.id, programDocumentId: program.documentId, closedRoundId: closed.id, openRoundId: open.id };
}
