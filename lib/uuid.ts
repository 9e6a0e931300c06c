const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID in its text form (any case): checked before a value meets a uuid column, so a bad one is a not-found, not a database error. */
export const isUuid = (value: string): boolean => UUID.test(value);
