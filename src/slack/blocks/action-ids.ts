/** The action_ids of our buttons; the interaction handlers match on these. */
export const RECHECK_ACTION_ID = 'mfa_recheck';
export const REQUEST_REMOVAL_ACTION_ID = 'mfa_request_removal';
export const APPROVE_REMOVAL_ACTION_ID = 'mfa_approve_removal';
export const DENY_REMOVAL_ACTION_ID = 'mfa_deny_removal';
