import type { z } from 'zod';
import { recordAudit } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { scopeOf, type Actor } from '../../lib/policies.ts';
import type { createLink, linkTargetQuery } from '../../../shared/schemas/incidents.ts';
import { accessOf } from '../../access/index.ts';
import { incidentsRepo as repo } from './incidents.repo.ts';
import type { Ctx, IncidentCore, IncidentPartDeps } from './incidents.shared.ts';

/** Links from an incident to plan actions and cases the actor may read: search for targets, add and remove. */
export function createLinksPart(deps: IncidentPartDeps, core: IncidentCore) {
  const { db } = deps;
  const { managedIncident, detail, timeline } = core;
  return {
    async linkTargets(actor: Actor, q: z.infer<typeof linkTargetQuery>) {
      const tree = await loadOrgTree(db);
      const items: { kind: 'action' | 'case'; id: string; title: string; context: string }[] = [];
      // Cases first when both kinds are asked for: a registry number is the likelier search.
      if (q.kind !== 'action') {
        const cases = await repo.searchCases(db, accessOf(actor, tree), q.q || undefined, q.limit);
        items.push(...cases.map((c) => ({ kind: 'case' as const, id: c.id, title: c.title, context: c.registry_number })));
      }
      if (q.kind !== 'case') {
        const actions = await repo.searchActions(db, scopeOf(actor, 'program.read', tree), q.q || undefined, q.limit);
        items.push(...actions.map((r) => ({ kind: 'action' as const, id: r.id, title: r.title, context: r.program_title })));
      }
      return { items: items.slice(0, q.limit) };
    },

    async addLink(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof createLink>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const inc = await managedIncident(tx, actor, tree, id);
        // The actor must be able to read what they link (else it is "not found", as on the action and case pages).
        const target =
          input.kind === 'case'
            ? await repo.readableCase(tx, input.targetId, accessOf(actor, tree))
            : await repo.readableAction(tx, input.targetId, scopeOf(actor, 'program.read', tree));
        if (!target) throw new AppError('VALIDATION_FAILED', [{ path: 'targetId', message: input.kind === 'case' ? 'CASE_NOT_FOUND' : 'ACTION_NOT_FOUND' }]);
        const link = await repo.insertLink(tx, { incidentId: id, targetKind: input.kind, targetId: target.id, createdBy: actor.id });
        if (!link) throw new AppError('INCIDENT_LINK_EXISTS');
        // No title in the timeline: its readers need not be readers of the action or case (the links list shows titles to those who are).
        await timeline(tx, ctx, id, 'link_added', null, { linkId: link.id, kind: link.targetKind, targetId: link.targetId });
        await recordAudit(tx, ctx, { entityType: 'incident_link', entityId: link.id, action: 'create', after: link });
        return detail(tx, actor, tree, id, inc);
      });
    },

    async removeLink(ctx: Ctx, actor: Actor, id: string, linkId: string) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const inc = await managedIncident(tx, actor, tree, id);
        const link = await repo.findLink(tx, id, linkId);
        if (!link) throw new AppError('INCIDENT_LINK_NOT_FOUND');
        const gone = await repo.deleteLink(tx, linkId);
        if (!gone) throw new AppError('INCIDENT_LINK_NOT_FOUND');
        // The link lives on in the timeline and the audit trail.
        await timeline(tx, ctx, id, 'link_removed', null, { linkId, kind: link.targetKind, targetId: link.targetId });
        await recordAudit(tx, ctx, { entityType: 'incident_link', entityId: linkId, action: 'delete', before: link });
        return detail(tx, actor, tree, id, inc);
      });
    },

  };
}
