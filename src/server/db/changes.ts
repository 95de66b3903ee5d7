import pg from 'pg';

/**
 * The channel on which the database announces changes that per-process caches depend on. Statement triggers
 * (migration 0030_change_notify) send the changed table's name on it from the same transaction as the change,
 * so the notice goes out when, and only if, the change commits.
 */
export const CHANGES_CHANNEL = 'trygg_changes';

/**
 * Changes announced by the database, for caches kept per process (users/session-cache.ts). A cache may only
 * answer from memory while `live()`: while it is false a change could go unheard, so the cache must ask the
 * database. Subscribers are also called whenever the feed goes down or comes back, since changes may have been
 * missed in between.
 *
 * How every change is heard:
 * - Every pool connection LISTENs before its first statement (the pool's `onConnect`). A session that listens
 *   gets the notices of its own transaction before the commit's ReadyForQuery, so a change made through this
 *   process has reached the subscribers when the statement or commit that made it resolves (db/changes.test.ts).
 * - On PostgreSQL, one more connection of its own listens all the time, so that changes made by other
 *   instances on the same database (and by anyone else) reach this process too, within the time a notice takes
 *   (well under a millisecond on one machine). It reconnects by itself; `live()` is false while it is down.
 * - Each change is heard once: a pool connection passes on only its own transactions' notices (an idle one also
 *   gets everyone else's), and the listening connection skips those of this process's pool connections, which
 *   were heard when their statement resolved.
 * - PGlite is one session for the whole process (and the data directory is locked to it), so every change is
 *   made on a listening pool connection: it is live once one has listened.
 */
export interface ChangeFeed {
  live(): boolean;
  /** Calls `fn` with the changed table's name (or '' when the feed went down or came back); returns unsubscribe. */
  subscribe(fn: (table: string) => void): () => void;
}

export interface ChangeFeedControl {
  feed: ChangeFeed;
  /** The pool's onConnect hook: the connection listens before it is used. */
  onConnect(client: pg.ClientBase): Promise<void>;
  /** PostgreSQL: starts the connection that always listens (resolves once it does). */
  start(connectionString: string): Promise<void>;
  close(): Promise<void>;
}

const RECONNECT_MS = 1_000;

export function createChangeFeed(kind: 'pglite' | 'postgres'): ChangeFeedControl {
  const subscribers = new Set<(table: string) => void>();
  const emit = (table: string) => {
    for (const fn of subscribers) fn(table);
  };
  /** The server processes of this process's pool connections: their notices are heard on them. */
  const ownBackends = new Set<number>();

  let listeningPoolClients = 0;
  let listener: pg.Client | undefined;
  let listenerUp = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const listenerDown = () => {
    if (listenerUp) {
      listenerUp = false;
      emit('');
    }
  };

  async function connectListener(connectionString: string) {
    const client = new pg.Client({ connectionString, application_name: 'trygg-change-feed', keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    listener = client;
    const lost = () => {
      if (listener !== client) return;
      listener = undefined;
      listenerDown();
      void client.end().catch(() => {});
      if (!closed) {
        retry = setTimeout(() => void connectListener(connectionString).catch(() => {}), RECONNECT_MS);
        retry.unref();
      }
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (msg: pg.Notification) => {
      if (msg.channel === CHANGES_CHANNEL && !ownBackends.has(msg.processId)) emit(msg.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (err) {
      lost();
      throw err;
    }
    if (listener !== client) return;
    listenerUp = true;
    emit(''); // whatever changed while nobody listened
  }

  return {
    feed: {
      live: () => (kind === 'postgres' ? listenerUp : listeningPoolClients > 0),
      subscribe(fn) {
        subscribers.add(fn);
        return () => subscribers.delete(fn);
      },
    },
    async onConnect(client) {
      const backend = (client as unknown as { processID: number | null }).processID;
      client.on('notification', (msg: pg.Notification) => {
        if (msg.channel === CHANGES_CHANNEL && (backend === null || msg.processId === backend)) emit(msg.payload ?? '');
      });
      await client.query(`listen ${CHANGES_CHANNEL}`);
      if (backend !== null) ownBackends.add(backend);
      listeningPoolClients++;
      client.once('end', () => {
        if (backend !== null) ownBackends.delete(backend);
        listeningPoolClients--;
        // On PGlite the pool's connections are the only listeners, so losing one may have lost notices. On
        // PostgreSQL the listening connection covers the gap: a pool connection closed after its idle time
        // must not empty every cache.
        if (kind === 'pglite') emit('');
      });
    },
    async start(connectionString) {
      try {
        await connectListener(connectionString);
      } catch (err) {
        // The database does not open: no retry may outlive it with a connection nobody closes.
        await this.close();
        throw err;
      }
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = listener;
      listener = undefined;
      listenerDown();
      await client?.end().catch(() => {});
    },
  };
}

/** A feed that is never live, for modules built only for their seeds (seed/seed.ts): nothing is cached. */
export const NO_CHANGE_FEED: ChangeFeed = { live: () => false, subscribe: () => () => {} };
