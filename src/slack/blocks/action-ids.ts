/** The action_ids of our buttons; the interaction handlers match on these. */
export const RECHECK_ACTION_ID = 'mfa_recheck';
export const REQUEST_REMOVAL_ACTION_ID = 'mfa_request_removal';
export const APPROVE_REMOVAL_ACTION_ID = 'mfa_approve_removal';
export const DENY_REMOVAL_ACTION_ID = 'mfa_deny_removal';
/** Opens a modal with the AWS CLI steps for one user; the DM itself keeps the console steps. */
export const SHOW_STEPS_ACTION_ID = 'mfa_show_steps';
