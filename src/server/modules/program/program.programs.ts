import { focusAreas, goals, programs } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { allowedActions, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { z } from 'zod';
import { programActions, type createFocusArea, type createGoal, type createProgram, type Program, type updateFocusArea, type updateGoal, type updateProgram } from '../../../shared/schemas/program.ts';
import { programsRepo, type GoalRow, type ProgramRow } from './program.programs.repo.ts';
import { createProgramEntry, updateProgramEntry } from '../documents/index.ts';
import { documentState } from '../../../shared/schemas/documents.ts';

/** A goal as the API shows it: its numeric columns as numbers. */
export const goalOut = (g: GoalRow) => ({ ...g, baseline: num(g.baseline), targetValue: num(g.targetValue), scaleMin: num(g.scaleMin), scaleMax: num(g.scaleMax) });
import { programOrThrow, requireOn, requireOrganisation, num, type ProgramPartDeps } from './program.shared.ts';

/** Programmes, their focus areas and goals. */
export function createProgramsPart({ db, now }: ProgramPartDeps) {
  const toProgram = (p: ProgramRow, actor: Actor, tree: OrgTree, today: string): Program => ({
    id: p.id,
    kind: p.kind as Program['kind'],
    title: p.title,
    description: p.description,
    ownerOrganisationId: p.ownerOrganisationId,
    documentId: p.documentId,
    adoptedByOrganisationId: p.adoptedByOrganisationId,
    adoptedBy: p.adoptedBy,
    decisionRef: p.decisionRef,
    decisionId: p.decisionId,
    decisionCaseId: p.decisionCaseId,
    decisionCaseNumber: p.decisionCaseNumber,
    adoptedOn: p.adoptedOn,
    validFrom: p.validFrom,
    validTo: p.validTo,
    // The register entry's status as it reads today: the same word on the program page and in the register.
    status: documentState(p.status, p.validTo, today),
    isExample: p.isExample,
    version: p.version,
    allowedActions: allowedActions(actor, programActions, p.ownerOrganisationId, tree),
  });

  /** The adopting body named in the input is an organisation in the tree. */
  const checkBody = (tree: OrgTree, id: string | null | undefined) => {
    if (id && !tree.has(id)) throw new AppError('VALIDATION_FAILED', [{ path: 'adoptedByOrganisationId', message: 'ORGANISATION_NOT_FOUND' }]);
  };
  /** A program's status is set by decision, not by hand (issue #11 item 3): only "draft" may be sent, and only while it is one. */
  const checkNoStatus = (status: string | undefined, current: string) => {
    if (status !== undefined && (status !== 'draft' || current !== 'draft')) throw new AppError('PROGRAM_STATUS_BY_DECISION', [{ path: 'status', message: 'PROGRAM_STATUS_BY_DECISION' }]);
  };

  return {
    // --- Programs ---
    async listPrograms(actor: Actor) {
      const tree = await loadOrgTree(db);
      const today = now();
      return (await programsRepo.listPrograms(db)).map((p) => toProgram(p, actor, tree, today));
    },

    async getProgram(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const p = await programOrThrow(db, id);
      const focus = await programsRepo.listFocusAreas(db, id);
      const goalRows = await programsRepo.listGoals(db, id);
      return {
        ...toProgram(p, actor, tree, now()),
        focusAreas: focus.map((f) => ({
          id: f.id,
          programId: f.programId,
          number: f.number,
          title: f.title,
          description: f.description,
          version: f.version,
          goals: goalRows
            .filter((g) => g.focusAreaId === f.id)
            .map((g) => ({ ...goalOut(g), createdAt: undefined, updatedAt: undefined })),
        })),
      };
    },

    /** The program and its register entry, a draft, in one transaction. */
    async createProgram(ctx: RequestContext, actor: Actor, input: z.infer<typeof createProgram>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await requireOrganisation(tx, tree, input.ownerOrganisationId, 'ownerOrganisationId');
        requireOn(actor, 'program.manage', input.ownerOrganisationId, tree);
        checkNoStatus(input.status, 'draft');
        checkBody(tree, input.adoptedByOrganisationId);
        const entry = await createProgramEntry(tx, ctx, {
          kind: input.kind,
          title: input.title,
          description: input.description ?? null,
          ownerOrganisationId: input.ownerOrganisationId,
          adoptedByOrganisationId: input.adoptedByOrganisationId ?? null,
          validFrom: input.validFrom ?? null,
          validTo: input.validTo ?? null,
          createdBy: actor.id,
        });
        const row = await programsRepo.insertProgram(tx, { kind: input.kind, title: input.title, description: input.description ?? null, ownerOrganisationId: input.ownerOrganisationId, documentId: entry.id });
        await recordAudit(tx, ctx, { entityType: 'program', entityId: row.id, action: 'create', after: row });
        return toProgram(row, actor, tree, now());
      });
    },

    /** The program and, for what it shares with it, its register entry; status and an adopted program's validity are the decision's. */
    async updateProgram(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateProgram>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await programOrThrow(tx, id);
        requireOn(actor, 'program.manage', before.ownerOrganisationId, tree);
        if (input.ownerOrganisationId) {
          await requireOrganisation(tx, tree, input.ownerOrganisationId, 'ownerOrganisationId');
          requireOn(actor, 'program.manage', input.ownerOrganisationId, tree);
        }
        checkNoStatus(input.status, before.status);
        checkBody(tree, input.adoptedByOrganisationId);
        const { version, status: _status, adoptedByOrganisationId, validFrom, validTo, ...own } = input;
        if (before.version !== version) throw new AppError('VERSION_CONFLICT');
        await updateProgramEntry(tx, ctx, before.documentId, { ...own, adoptedByOrganisationId, validFrom, validTo });
        const updated = await programsRepo.updateVersioned(tx, programs, id, version, own);
        if (!updated) throw new AppError('VERSION_CONFLICT');
        const row = (await programsRepo.findProgram(tx, id))!;
        await recordAudit(tx, ctx, { entityType: 'program', entityId: id, action: 'update', before, after: row });
        return toProgram(row, actor, tree, now());
      });
    },

    // --- Focus areas and goals ---
    async createFocusArea(ctx: RequestContext, actor: Actor, programId: string, input: z.infer<typeof createFocusArea>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const program = await programOrThrow(tx, programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        if ((await programsRepo.listFocusAreas(tx, programId)).some((f) => f.number === input.number)) throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        const row = await programsRepo.insertFocusArea(tx, { programId, number: input.number, title: input.title, description: input.description ?? null });
        await recordAudit(tx, ctx, { entityType: 'focus_area', entityId: row.id, action: 'create', after: row });
        return row;
      });
    },

    async updateFocusArea(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateFocusArea>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await programsRepo.findFocusArea(tx, id);
        if (!before) throw new AppError('FOCUS_AREA_NOT_FOUND');
        const program = await programOrThrow(tx, before.programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        if (input.number !== undefined && (await programsRepo.listFocusAreas(tx, before.programId)).some((f) => f.number === input.number && f.id !== id))
          throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        const { version, ...changes } = input;
        const row = await programsRepo.updateVersioned(tx, focusAreas, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'focus_area', entityId: id, action: 'update', before, after: row });
        return row;
      });
    },

    async createGoal(ctx: RequestContext, actor: Actor, focusAreaId: string, input: z.infer<typeof createGoal>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const area = await programsRepo.findFocusArea(tx, focusAreaId);
        if (!area) throw new AppError('FOCUS_AREA_NOT_FOUND');
        const program = await programOrThrow(tx, area.programId);
        requireOn(actor, 'program.manage', program.ownerOrganisationId, tree);
        const siblings = (await programsRepo.listGoals(tx, area.programId)).filter((g) => g.focusAreaId === focusAreaId);
        if (siblings.some((g) => g.number === input.number)) throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        if (input.indicatorOrganisationId) await requireOrganisation(tx, tree, input.indicatorOrganisationId, 'indicatorOrganisationId');
        const row = await programsRepo.insertGoal(tx, {
          focusAreaId,
          number: input.number,
          text: input.text,
          indicator: input.indicator ?? null,
          unit: input.unit ?? null,
          baseline: input.baseline == null ? null : String(input.baseline),
          targetValue: input.targetValue == null ? null : String(input.targetValue),
          targetYear: input.targetYear ?? null,
          kpiId: input.kpiId ?? null,
          scaleMin: input.scaleMin == null ? null : String(input.scaleMin),
          scaleMax: input.scaleMax == null ? null : String(input.scaleMax),
          indicatorOrganisationId: input.indicatorOrganisationId ?? null,
        });
        await recordAudit(tx, ctx, { entityType: 'goal', entityId: row.id, action: 'create', after: row });
        return goalOut(row);
      });
    },

    async updateGoal(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof updateGoal>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const before = await programsRepo.findGoal(tx, id);
        if (!before) throw new AppError('GOAL_NOT_FOUND');
        const owner = await programsRepo.programOfGoal(tx, id);
        requireOn(actor, 'program.manage', owner.owner, tree);
        const { version, baseline, targetValue, scaleMin, scaleMax, ...rest } = input;
        const min = scaleMin !== undefined ? scaleMin : num(before.scaleMin);
        const max = scaleMax !== undefined ? scaleMax : num(before.scaleMax);
        if (min !== null && max !== null && max < min) throw new AppError('VALIDATION_FAILED', [{ path: 'scaleMax', message: 'SCALE_MAX_BELOW_MIN' }]);
        if (rest.indicatorOrganisationId) await requireOrganisation(tx, tree, rest.indicatorOrganisationId, 'indicatorOrganisationId');
        if (rest.number !== undefined) {
          const siblings = (await programsRepo.listGoals(tx, owner.program_id)).filter((g) => g.focusAreaId === before.focusAreaId && g.id !== id);
          if (siblings.some((g) => g.number === rest.number)) throw new AppError('NUMBER_TAKEN', [{ path: 'number', message: 'NUMBER_TAKEN' }]);
        }
        const changes = {
          ...rest,
          ...(baseline !== undefined ? { baseline: baseline === null ? null : String(baseline) } : {}),
          ...(targetValue !== undefined ? { targetValue: targetValue === null ? null : String(targetValue) } : {}),
          ...(scaleMin !== undefined ? { scaleMin: scaleMin === null ? null : String(scaleMin) } : {}),
          ...(scaleMax !== undefined ? { scaleMax: scaleMax === null ? null : String(scaleMax) } : {}),
        };
        const row = await programsRepo.updateVersioned(tx, goals, id, version, changes);
        if (!row) throw new AppError('VERSION_CONFLICT');
        await recordAudit(tx, ctx, { entityType: 'goal', entityId: id, action: 'update', before, after: row });
        return goalOut(row);
      });
    },

  };
}
