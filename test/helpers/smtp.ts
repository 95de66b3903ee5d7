import net from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  /** SMTP envelope. */
  from: string;
  to: string[];
  /** The user name the client authenticated with, if it did. */
  user?: string;
  raw: string;
  headers: Record<string, string>;
  /** Decoded Subject header. */
  subject: string;
  /** Decoded text body (the text/plain part of a multipart message). */
  text: string;
  /** Decoded attachments of a multipart message (parts with a file name). */
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/**
 * A real SMTP server on 127.0.0.1 and a free port that accepts any login and keeps every message.
 * `rejectWith` makes it answer the message data with that SMTP code instead (e.g. 451, 550).
 */
export async function startSmtpServer(opts: { rejectWith?: number } = {}) {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (opts.rejectWith) {
          callback(Object.assign(new Error('Rejected by the test server'), { responseCode: opts.rejectWith }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMessage(raw);
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw,
          ...parsed,
        });
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port));
  });
  return {
    port,
    /** With credentials, so the client logs in (the server accepts anyone). */
    url: `smtp://trygg:hemligt@127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP URL where nothing listens (the port was free a moment ago). */
export async function deadSmtpUrl() {
  const probe = net.createServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port)));
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

// --- A small MIME reader: single-part text messages, and multipart ones (text part + attachments). ---

function splitHead(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): Buffer {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return Buffer.from(decodeQp(body), 'utf8');
  return Buffer.from(body, 'utf8');
}

function textOf(headers: Record<string, string>, body: string) {
  const charset = /charset="?([\w-]+)/i.exec(headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8') throw new Error(`test SMTP server: unexpected charset ${charset}`);
  return decodeBody(headers, body).toString('utf8').replace(/\r\n/g, '\n');
}

function walk(headers: Record<string, string>, body: string, out: { text: string; attachments: CapturedMail['attachments'] }) {
  const type = headers['content-type'] ?? 'text/plain';
  if (/^multipart\//i.test(type)) {
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!boundary) throw new Error('test SMTP server: multipart without boundary');
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const p = splitHead(part.replace(/^\r\n/, '').replace(/\r\n$/, ''));
      walk(p.headers, p.body, out);
    }
    return;
  }
  const disposition = headers['content-disposition'] ?? '';
  const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? /name="?([^";]+)"?/i.exec(type)?.[1];
  if (filename || /^attachment/i.test(disposition)) {
    out.attachments.push({ filename: decodeWords(filename ?? ''), contentType: type.split(';')[0].trim().toLowerCase(), content: decodeBody(headers, body) });
  } else if (/^text\/plain/i.test(type) && !out.text) out.text = textOf(headers, body);
}

function parseMessage(raw: string) {
  const { headers, body } = splitHead(raw);
  const out = { text: '', attachments: [] as CapturedMail['attachments'] };
  walk(headers, body, out);
  return { headers, subject: decodeWords(headers.subject ?? ''), ...out };
}

function decodeQp(s: string) {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(s: string) {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
    );
}
