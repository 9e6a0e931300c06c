import "server-only";

/** Registers every queue's handler; each domain adds its own here. */
export function registerAllJobHandlers(): void {}
