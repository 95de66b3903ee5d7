import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fastifyMultipart, type FastifyMultipartOptions } from '@fastify/multipart';
import { AppError } from './errors.ts';
import { zipEntries, zipRead } from './zip.ts';

/**
 * What a file really is, from its bytes, never from its name or the client's content type.
 * 'office-macro': a Word or Excel file with macros (refused everywhere, with its own message).
 */
export type SniffedKind = 'pdf' | 'zip' | 'xlsx' | 'docx' | 'office-macro' | 'png' | 'jpeg' | 'gif' | 'webp' | 'csv' | 'unknown';

/** The content type Trygg serves a file of each kind with (never the client's claim). */
export const CONTENT_TYPE_OF: Record<SniffedKind, string> = {
  pdf: 'application/pdf',
  zip: 'application/zip',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'office-macro': 'application/octet-stream',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  csv: 'text/csv; charset=utf-8',
  unknown: 'application/octet-stream',
};

/** Content types of macro-enabled Office parts (.docm, .dotm, .xlsm, .xltm, .xlam), VBA projects and Excel 4 macro sheets. */
const MACRO_CONTENT_TYPE = /macroEnabled|vbaProject|ms-excel\.(?:intl)?macrosheet/i;
const MACRO_PART = /(?:^|\/)vbaProject\.bin$|^xl\/macrosheets\//i;

/**
 * A ZIP archive as an Office document: DOCX needs [Content_Types].xml and word/document.xml, XLSX
 * [Content_Types].xml and xl/workbook.xml (from the archive's directory, not from stray bytes); a VBA
 * project, macro sheets or a macro-enabled content type make it 'office-macro'; anything else is a 'zip'.
 */
function officeKind(data: Buffer): SniffedKind {
  const entries = zipEntries(data);
  if (!entries) return 'zip';
  const byName = new Map(entries.map((e) => [e.name.replace(/\\/g, '/').replace(/^\//, ''), e]));
  if ([...byName.keys()].some((n) => MACRO_PART.test(n))) return 'office-macro';
  const types = byName.get('[Content_Types].xml');
  if (!types) return 'zip';
  const xml = zipRead(data, types, 1024 * 1024)?.toString('utf8');
  if (xml === undefined) return 'zip';
  if (MACRO_CONTENT_TYPE.test(xml)) return 'office-macro';
  if (byName.has('word/document.xml')) return 'docx';
  if (byName.has('xl/workbook.xml')) return 'xlsx';
  return 'zip';
}

export function sniff(data: Buffer): SniffedKind {
  const head = data.subarray(0, 12);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0x89 && head.subarray(1, 4).toString('latin1') === 'PNG') return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return officeKind(data);
  // Text: valid UTF-8 without NUL or other control characters than tab and line breaks.
  const text = data.toString('utf8');
  if (!text.includes('\uFFFD') && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return 'csv';
  return 'unknown';
}

/** Refuses a file whose kind is not among `accept`: macro-enabled Office files with their own message. */
export function checkKind(kind: SniffedKind, accept: readonly SniffedKind[]) {
  if (kind === 'office-macro') throw new AppError('FILE_MACRO_NOT_ALLOWED', [{ path: 'file', message: 'FILE_MACRO_NOT_ALLOWED' }]);
  if (!accept.includes(kind)) throw new AppError('FILE_TYPE_NOT_ALLOWED', [{ path: 'file', message: 'FILE_TYPE_NOT_ALLOWED' }]);
}

/**
 * Reads the single file of a multipart request into memory, within `maxBytes`, and checks that its
 * content is one of the accepted kinds.
 */
export async function readUpload(req: FastifyRequest, opts: { maxBytes: number; accept: SniffedKind[] }) {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  let data: Buffer;
  try {
    part = await req.file({ limits: { fileSize: opts.maxBytes, files: 1 } });
    if (!part) throw new AppError('FILE_REQUIRED', [{ path: 'file', message: 'FILE_REQUIRED' }]);
    data = await part.toBuffer();
  } catch (err) {
    // A multipart body that cannot be read (wrong boundary, cut off) is bad input, not a server error.
    if (err instanceof AppError || (err as { statusCode?: number }).statusCode) throw err;
    throw new AppError('FILE_REQUIRED', [{ path: 'file', message: 'FILE_REQUIRED' }]);
  }
  if (part.file.truncated) throw new AppError('BODY_TOO_LARGE');
  if (data.length === 0) throw new AppError('FILE_REQUIRED', [{ path: 'file', message: 'FILE_REQUIRED' }]);
  const kind = sniff(data);
  checkKind(kind, opts.accept);
  return { filename: part.filename, data, kind };
}

/** Disk mode's request methods: Trygg never writes an upload to a temporary file (readUpload reads it into memory). */
const DISK_MODE = new Set(['saveRequestFiles', 'cleanRequestFiles']);

/**
 * @fastify/multipart in stream mode only (`req.file()`, `req.parts()`), on the root instance.
 *
 * The plugin adds two hooks to every request of the app, uploads or not: an async onRequest hook that puts a
 * 'close' listener on the response and an async onResponse hook, both there to delete the temporary files of disk
 * mode (`saveRequestFiles`). Trygg does not use disk mode, so those two hooks only cost each request two promises
 * and a listener (issue #12 item 2). Here the plugin is registered through a view of the app that leaves out its
 * onRequest and onResponse hooks, and disk mode's methods refuse to run, so that no temporary file can be left
 * behind. Everything else (the multipart content-type parser, `isMultipart`, `file`, `parts`) is the plugin's own.
 * The test (uploads.test.ts) checks that the two hooks are the only ones left out.
 */
export async function registerUploads(app: FastifyInstance, options: FastifyMultipartOptions) {
  const leftOut: string[] = [];
  const view = new Proxy(app, {
    get(target, prop) {
      if (prop === 'addHook')
        return (name: string, hook: unknown) => {
          if (name === 'onRequest' || name === 'onResponse') leftOut.push(name);
          else target.addHook(name as 'preValidation', hook as never);
          return view;
        };
      if (prop === 'decorateRequest')
        return (name: string, value: unknown, deps?: string[]) =>
          target.decorateRequest(name, DISK_MODE.has(name) ? diskModeRefused : value, deps);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await new Promise<void>((resolve, reject) => fastifyMultipart(view, options, (err?: Error) => (err ? reject(err) : resolve())));
  return leftOut;
}

function diskModeRefused(): never {
  throw new Error('Uploads are read into memory (readUpload); disk mode (saveRequestFiles) is not used in Trygg');
}
