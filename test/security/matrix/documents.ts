/** Role × route matrix: Governing documents, and their export kind. See test/security/matrix.ts. */
import { randomBytes } from 'node:crypto';
import { createFileStore } from '../../../src/server/lib/filestore.ts';
import { governingDocuments } from '../../../src/server/db/schema/index.ts';
import { all, ctx, fileUpload, ids, managers, only, signedIn, type MatrixTable } from '../matrix.ts';

export const MATRIX_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

/** A fresh governing document of the given organisation (default the executive board), optionally with its file. */
export async function freshDocument(key = 'ks', status: 'draft' | 'in_force' = 'in_force', withFile = false) {
  const file = withFile ? await createFileStore(ctx.config.FILES_DIR!).put(MATRIX_PDF) : null;
  const [row] = await ctx.database.db
    .insert(governingDocuments)
    .values({
      type: 'policy',
      title: `Matrisdokument ${randomBytes(3).toString('hex')}`,
      ownerOrganisationId: ids[key],
      status,
      ...(file ? { fileName: 'policy.pdf', fileContentType: 'application/pdf', fileSize: file.size, fileSha256: file.sha256, fileUploadedAt: new Date() } : {}),
    })
    .returning();
  return row;
}

/** Document managers of the executive board: documents.manage on it. */
export const ksDocumentManagers = only('admin', 'coordinator');

/** Readers of the executive board's drafts: documents.read on it. */
export const ksDraftReaders = only('admin', 'coordinator', 'reader');

export const documentsMatrix: MatrixTable = {
  // --- Governing documents: adopted ones are for every reader; drafts for readers of the owner; changes for its document managers ---
  'GET /api/documents': [{ name: 'the register (what each may see)', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/documents' }) }],
  'GET /api/documents/:id': [
    { name: 'a document in force', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument()).id}` }) },
    { name: "the executive board's draft", expect: ksDraftReaders, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument('ks', 'draft')).id}` }) },
  ],
  'POST /api/documents': [
    { name: "the executive board's document", expect: ksDocumentManagers, prepare: () => ({ method: 'POST', url: '/api/documents', payload: { type: 'policy', title: 'Matrispolicy', ownerOrganisationId: ids.ks } }) },
    { name: "Socialnämnden's document", expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'POST', url: '/api/documents', payload: { type: 'routine', title: 'Matrisrutin', ownerOrganisationId: ids.son } }) },
  ],
  'PATCH /api/documents/:id': [
    { name: "change the executive board's document", expect: ksDocumentManagers, prepare: async () => ({ method: 'PATCH', url: `/api/documents/${(await freshDocument()).id}`, payload: { version: 1, title: 'Ändrad' } }) },
  ],
  'POST /api/documents/:id/file': [
    { name: "file of the executive board's document", expect: ksDocumentManagers, prepare: async () => ({ method: 'POST', url: `/api/documents/${(await freshDocument()).id}/file`, ...fileUpload('policy.pdf', MATRIX_PDF) }) },
  ],
  'GET /api/documents/:id/file': [
    { name: 'file of a document in force', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument('ks', 'in_force', true)).id}/file` }) },
    { name: "file of the executive board's draft", expect: ksDraftReaders, prepare: async () => ({ method: 'GET', url: `/api/documents/${(await freshDocument('ks', 'draft', true)).id}/file` }) },
  ],
  'GET /api/public/documents': [{ name: 'public list of documents in force', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/public/documents' }) }],
  // Generated files of this module's kinds (each kind checks its own rights).
  'POST /api/exports': [
    { name: 'governing documents in force', expect: signedIn, prepare: () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'documents.in-force', format: 'pdf', params: {} } }) },
  ],
};
