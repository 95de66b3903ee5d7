/**
 * Limits on list and statistics input (issue #12, "Bad input"; docs/architecture.md). Kept apart from the
 * schemas so the web's pager can read them without the schema code.
 */

/** The deepest row a list pages to with `offset`: a page further in is refused with PAGE_TOO_DEEP. */
export const MAX_LIST_OFFSET = 10_000;
/** The longest period (from–to) a list, the map or the statistics take: PERIOD_TOO_LONG beyond. */
export const MAX_PERIOD_YEARS = 10;
