import type { Action } from '../../shared/roles.ts';
import { can, canSomewhere, scopeOf, type OrgTree } from '../../shared/access.ts';
import type { Actor } from '../lib/policies.ts';
import { todayInStockholm } from '../lib/time.ts';

/**
 * Who is asking, with everything the record rules need, computed at most once per request: the actor, the
 * organisation tree, the organisations on which they hold each action, and today's date in Stockholm
 * (shares end at the end of their end date there).
 */
export class Access {
  private readonly scopes = new Map<Action, string[]>();
  readonly today: string;
  constructor(
    readonly actor: Actor,
    readonly tree: OrgTree,
    now: Date = new Date(),
  ) {
    this.today = todayInStockholm(now);
  }
  get actorId() {
    return this.actor.id;
  }
  /** The organisations on which the actor holds `action` (subtree grants expanded). */
  scope(action: Action): string[] {
    let s = this.scopes.get(action);
    if (!s) {
      s = scopeOf(this.actor, action, this.tree);
      this.scopes.set(action, s);
    }
    return s;
  }
  /** Held on every organisation of the register (then a rule need not compare a record's organisation with them all). */
  everywhere(action: Action): boolean {
    const s = this.scope(action);
    return s.length >= this.tree.size && s.filter((id) => this.tree.has(id)).length === this.tree.size;
  }
  can(action: Action, orgId: string): boolean {
    return can(this.actor, action, orgId, this.tree);
  }
  /** On any of the organisations. */
  canAny(action: Action, orgIds: readonly (string | null | undefined)[]): boolean {
    return orgIds.some((o) => !!o && this.can(action, o));
  }
  canSomewhere(action: Action): boolean {
    return canSomewhere(this.actor, action);
  }
  /** On the municipality itself (system-wide material: lägesbild reports, the audit log). */
  canAtRoot(action: Action): boolean {
    return !!this.tree.rootId && this.can(action, this.tree.rootId);
  }
}

export function accessOf(actor: Actor, tree: OrgTree, now?: Date): Access {
  return new Access(actor, tree, now);
}
