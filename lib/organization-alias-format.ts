/*
 * An organization's alias: the id it had in another audit-log service
 * (WorkOS's `org_01EHZNVPK3SFK441A1RGBFSHRT`), accepted wherever an
 * organization is named. Slugs hold no `_` and ids are UUIDs, so an alias is
 * never mistaken for either.
 */
const ORGANIZATION_ALIAS = /^org_[0-9A-Za-z]{1,64}$/;

export const ORGANIZATION_ALIAS_MESSAGE = "must be org_ followed by 1 to 64 letters and digits (a WorkOS organization id)";

export const isOrganizationAlias = (value: string): boolean => ORGANIZATION_ALIAS.test(value);
