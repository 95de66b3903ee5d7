import { customType } from 'drizzle-orm/pg-core';

/** Binary content (attachments, photos, generated files) as a Node Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
