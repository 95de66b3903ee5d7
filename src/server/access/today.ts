/** Today's date (YYYY-MM-DD) in Europe/Stockholm. */
export const todayIn = (at: Date = new Date()) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(at);
