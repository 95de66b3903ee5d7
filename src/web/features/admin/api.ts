import { auditList, auditVerify } from '../../../shared/schemas/audit.ts';
import { jobList, outboxList } from '../../../shared/schemas/admin.ts';
import { api } from '../../api/client.ts';

export const audit = {
  list: (q: { entityType?: string; action?: string; actorId?: string; from?: string; to?: string; limit: number; offset: number }) =>
    api.get('/api/audit', auditList, q),
  verify: () => api.get('/api/audit/verify', auditVerify),
};

export const admin = {
  outbox: (q: { limit: number; offset: number }) => api.get('/api/admin/outbox', outboxList, q),
  jobs: (q: { status?: string; limit: number; offset: number }) => api.get('/api/admin/jobs', jobList, q),
};

