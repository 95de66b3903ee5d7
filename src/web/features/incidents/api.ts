import type { z } from 'zod';
import { okResponse } from '../../../shared/schemas/common.ts';
import {
  area as areaSchema,
  areaList,
  category as incCategory,
  categoryList,
  createIncident,
  createTask,
  incident as incidentSchema,
  incidentDetail,
  incidentList,
  incidentPeople,
  linkTargetList,
  mapResult,
  mapSettings,
  myIncidentTasks,
  photo as incPhoto,
  policeImportResult,
  statsResult,
  stopClock,
  saveWorkEnvironment,
  task as incTask,
  typeMappingList,
  type saveTypeMappings,
  updateIncident,
  updateTask,
  type INCIDENT_STATUSES,
} from '../../../shared/schemas/incidents.ts';
import {
  crimeStatImportResult,
  crimeStatList,
  findingOptions,
  type saveFindings,
  type submitLagesbildReport,
  createLagesbildReport,
  lagesbildReport,
  lagesbildReportList,
  lagesbildVersion,
  lagesbildVersionList,
  saveWeekNote,
  updateLagesbildReport,
  weekNote,
  weeklyView,
} from '../../../shared/schemas/lagesbild.ts';
import { api, request, upload } from '../../api/client.ts';

export type CategoryT = z.infer<typeof incCategory>;
export type IncidentT = z.infer<typeof incidentSchema>;
export type IncidentDetailT = z.infer<typeof incidentDetail>;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentInput = z.input<typeof createIncident>;
export type IncidentUpdate = z.input<typeof updateIncident>;

export const incidentsApi = {
  categories: () => api.get('/api/incident-categories', categoryList),
  /** Police event type → category (and "not an event"); saving needs incidents.configure. */
  policeMappings: () => api.get('/api/police-type-mappings', typeMappingList),
  savePoliceMappings: (items: z.input<typeof saveTypeMappings>['items']) => api.put('/api/police-type-mappings', typeMappingList, { items }),
  list: (q: { status?: string; categoryId?: string; organisationId?: string; from?: string; to?: string; actionId?: string; caseId?: string; limit?: number; offset?: number }) =>
    api.get('/api/incidents', incidentList, q),
  get: (id: string) => api.get(`/api/incidents/${id}`, incidentDetail),
  create: (body: IncidentInput) => api.post('/api/incidents', incidentDetail, body),
  update: (id: string, body: IncidentUpdate) => api.patch(`/api/incidents/${id}`, incidentDetail, body),
  comment: (id: string, text: string) => api.post(`/api/incidents/${id}/comments`, incidentDetail, { text }),
  strike: (id: string, entryId: number, reason: string) => api.post(`/api/incidents/${id}/timeline/${entryId}/strike`, incidentDetail, { reason }),
  addTask: (id: string, body: z.input<typeof createTask>) => api.post(`/api/incidents/${id}/tasks`, incTask, body),
  updateTask: (taskId: string, body: z.input<typeof updateTask>) => api.patch(`/api/incident-tasks/${taskId}`, incTask, body),
  handlers: (id: string) => api.get(`/api/incidents/${id}/handlers`, incidentPeople),
  myTasks: () => api.get('/api/incident-tasks/mine', myIncidentTasks),
  /** Actions and cases (both kinds). */
  linkTargets: (q: string) => api.get('/api/incident-link-targets', linkTargetList, { q, limit: 20 }),
  addLink: (id: string, kind: 'action' | 'case', targetId: string) => api.post(`/api/incidents/${id}/links`, incidentDetail, { kind, targetId }),
  removeLink: (id: string, linkId: string) => api.delete(`/api/incidents/${id}/links/${linkId}`, incidentDetail),
  saveWorkEnvironment: (id: string, body: z.input<typeof saveWorkEnvironment>) => api.put(`/api/incidents/${id}/work-environment`, incidentDetail, body),
  stopClock: (id: string, clockId: string, body: z.input<typeof stopClock>) =>
    api.post(`/api/incidents/${id}/clocks/${clockId}/stop`, incidentDetail, body),
  addPhoto: (id: string, file: File) => upload(`/api/incidents/${id}/photos`, incPhoto, file, file.name),
  photoUrl: (id: string, photoId: string) => `/api/incidents/${id}/photos/${photoId}`,
};

// --- Lägesbild: the weekly view (EST) and the Lag 2023:196 report (issue #6 point 6) ---
export type WeeklyViewT = z.infer<typeof weeklyView>;
export type LagesbildReportDetailT = z.infer<typeof lagesbildReport>;
export type LagesbildVersionT = z.infer<typeof lagesbildVersion>;
export const lagesbildApi = {
  week: (q: { week?: string; compare?: number }) => api.get('/api/lagesbild/weeks', weeklyView, q),
  saveNote: (week: string, body: z.input<typeof saveWeekNote>) => api.put(`/api/lagesbild/weeks/${week}/note`, weekNote, body),
  reports: () => api.get('/api/lagesbild/reports', lagesbildReportList),
  report: (id: string) => api.get(`/api/lagesbild/reports/${id}`, lagesbildReport),
  create: (body: z.input<typeof createLagesbildReport>) => api.post('/api/lagesbild/reports', lagesbildReport, body),
  update: (id: string, body: z.input<typeof updateLagesbildReport>) =>
    api.patch(`/api/lagesbild/reports/${id}`, lagesbildReport, body),
  submit: (id: string, body: z.input<typeof submitLagesbildReport>) => api.post(`/api/lagesbild/reports/${id}/submit`, lagesbildReport, body),
  withdraw: (id: string, version: number) => api.post(`/api/lagesbild/reports/${id}/withdraw`, lagesbildReport, { version }),
  saveFindings: (id: string, body: z.input<typeof saveFindings>) => api.put(`/api/lagesbild/reports/${id}/findings`, lagesbildReport, body),
  findingOptions: () => api.get('/api/lagesbild/findings', findingOptions),
  crimeStatistics: () => api.get('/api/lagesbild/crime-statistics', crimeStatList),
  importCrimeStatistics: (file: File, kind: 'reported' | 'survey', source?: string) =>
    upload('/api/lagesbild/crime-statistics/import', crimeStatImportResult, file, file.name, { kind, dryRun: 'false', source }),
  newVersion: (id: string, version: number) => api.post(`/api/lagesbild/reports/${id}/new-version`, lagesbildReport, { version }),
  versions: (id: string) => api.get(`/api/lagesbild/reports/${id}/versions`, lagesbildVersionList),
  version: (id: string, version: number) => api.get(`/api/lagesbild/reports/${id}/versions/${version}`, lagesbildVersion),
};

// --- Lägesbild: map, statistics, areas, police events (issue #6) ---

export type MapResultT = z.infer<typeof mapResult>;
export type MapSettingsT = z.infer<typeof mapSettings>;
export type StatsT = z.infer<typeof statsResult>;
export type AreaT = z.infer<typeof areaSchema>;
export type PoliceImportT = z.infer<typeof policeImportResult>;
export interface MapFilter {
  categoryId?: string;
  organisationId?: string;
  areaId?: string;
  status?: string;
  from?: string;
  to?: string;
}

export const lagesbildMapApi = {
  settings: () => api.get('/api/incident-map/settings', mapSettings),
  map: (q: MapFilter & { bbox: string; zoom: number; source: 'incidents' | 'police' }, signal?: AbortSignal) => api.get('/api/incident-map', mapResult, { ...q }, signal),
  stats: (q: MapFilter & { from: string; to: string }) => api.get('/api/incident-statistics', statsResult, { ...q }),
  areas: () => api.get('/api/incident-areas', areaList),
  createArea: (body: { name: string; geometry: unknown }) => api.post('/api/incident-areas', areaSchema, body),
  deleteArea: (id: string, version: number) => request('DELETE', `/api/incident-areas/${id}`, okResponse, { query: { version } }),
  importPolice: (file: File) => upload('/api/police-events/import', policeImportResult, file, file.name),
};

