let counter = 0;
/** A short string unique within the test process, for names and e-mail addresses. */
export const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
