// `npm run audit:verify`: walks the audit log's hash chain in the configured database and reports the
// first entry that was edited, or where entries were inserted or deleted.
// Exit 0: intact. Exit 1: tampering found. Exit 2: could not check (no database, Trygg running, …).
import { verifyAuditChain } from '../src/server/lib/audit.ts';
import { describeTarget, openForTool, runTool, ToolError } from './tool.ts';

runTool(async (config) => {
  const database = await openForTool(config, {
    mustExist: true,
    whenLocked:
      'Stoppa Trygg först och kör kommandot igen, eller kontrollera kedjan i den körande appen: ' +
      'GET /api/audit/verify (inloggad som administratör), t.ex. från sidan Granskningslogg.',
  });
  try {
    const table = await database.pool.query(`select to_regclass('public.audit_log') as t`);
    if (!table.rows[0].t) throw new ToolError(`${describeTarget(config)} har ingen granskningslogg (tabellen audit_log saknas). Har Trygg startats mot den?`);

    console.log(`Kontrollerar granskningsloggens hashkedja i ${describeTarget(config)} …`);
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      const last = await database.pool.query<{ id: number; hash: string }>(`select id, hash from audit_log order by id desc limit 1`);
      console.log(`OK: granskningsloggen är obruten – ${result.checked} poster kontrollerade.`);
      if (last.rows[0]) {
        console.log(
          `Senaste post: id ${last.rows[0].id}, hash ${last.rows[0].hash}\n` +
            `(Spara hashen utanför systemet: den visar senare att inga av de senaste posterna har tagits bort.)`,
        );
      }
      return 0;
    }
    const bad = result.firstBad!;
    const entry = await database.pool.query<{ at: Date; entity_type: string; entity_id: string; action: string; actor_name: string | null }>(
      `select at, entity_type, entity_id, action, actor_name from audit_log where id = $1`,
      [bad.id],
    );
    const e = entry.rows[0];
    const why =
      bad.problem === 'edited'
        ? 'posten har ÄNDRATS i efterhand (innehållet stämmer inte med dess hash)'
        : 'poster har LAGTS TILL eller TAGITS BORT före den här posten (kedjan till föregående post är bruten)';
    console.error(`FEL: granskningsloggen har manipulerats.`);
    console.error(`Första felaktiga post: id ${bad.id} – ${why}.`);
    if (e) {
      console.error(
        `  Posten: ${new Date(e.at).toISOString()} ${e.action} ${e.entity_type} ${e.entity_id}` + (e.actor_name ? ` av ${e.actor_name}` : ''),
      );
    }
    console.error(`${result.checked} poster före den är oförändrade.`);
    return 1;
  } finally {
    await database.close();
  }
});
