/** ny, under handläggning, åtgärdad, avslutad. UI names: incident.status.<id>. A module of its own: the web's router needs it on first load, without the incident schemas. */
export const INCIDENT_STATUSES = ['new', 'in_progress', 'resolved', 'closed'] as const;
