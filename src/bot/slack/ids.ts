/** Every callback_id, action_id and block_id the Slack app uses, in one place. */

export const CALLBACK = {
  faultModal: 'spoc_fault_report',
  triageModal: 'spoc_incident_triage',
  resolveModal: 'spoc_incident_resolve',
  closeModal: 'spoc_incident_close',
  forwardModal: 'spoc_incident_forward',
  escalateModal: 'spoc_incident_escalate',
  providerUpdateModal: 'spoc_incident_provider_update',
  handBackModal: 'spoc_incident_hand_back',
  holdModal: 'spoc_incident_hold',
  noteModal: 'spoc_incident_note',
  replyModal: 'spoc_incident_reply',
  mergeModal: 'spoc_incident_merge',
  reportFromMessage: 'spoc_report_from_message',
  locationModal: 'spoc_location_save',
  assetModal: 'spoc_asset_save',
  assetMoveModal: 'spoc_asset_move',
  assetStatusModal: 'spoc_asset_status',
  licenceModal: 'spoc_licence_save',
  importModal: 'spoc_import_upload',
  importPreview: 'spoc_import_commit',
  renewModal: 'spoc_contract_renew',
  reassignModal: 'spoc_incident_reassign',
  providerModal: 'spoc_provider_save',
  contractModal: 'spoc_contract_save',
  paymentModal: 'spoc_payment_save',
  diaryModal: 'spoc_diary_save',
  workCreateModal: 'spoc_work_create',
  workEditModal: 'spoc_work_edit',
  workProgressModal: 'spoc_work_progress',
  workLinkModal: 'spoc_work_link',
  workResolveModal: 'spoc_work_resolve_incidents',
  /** The reporter's comment or photo link on their own incident. */
  commentModal: 'spoc_comment_save',
  /** The reporter's optional comment on their answer to the satisfaction question. */
  satisfactionComment: 'spoc_satisfaction_comment_save',
  settingsModal: 'spoc_settings_save',
  /** The fault form for a fault made from a chat message: its reporter adds the details. */
  faultDetails: 'spoc_fault_details',
  knownFixModal: 'spoc_known_fix_save',
} as const;

export const ACTION = {
  claim: 'spoc_incident_claim',
  triage: 'spoc_incident_triage_open',
  resolve: 'spoc_incident_resolve_open',
  close: 'spoc_incident_close_open',
  forward: 'spoc_incident_forward_open',
  escalate: 'spoc_incident_escalate_open',
  note: 'spoc_incident_note_open',
  reply: 'spoc_incident_reply_open',
  merge: 'spoc_incident_merge_open',
  hold: 'spoc_incident_hold_open',
  resume: 'spoc_incident_resume',
  providerUpdate: 'spoc_incident_provider_update_open',
  handBack: 'spoc_incident_hand_back_open',
  /** Open on the staff's App Home: the incident with its history, in a modal. */
  incidentOpen: 'spoc_incident_open',
  /** The card's overflow menu: each option's value is `<action id>|<incident id>`. */
  cardMore: 'spoc_incident_more',
  reminderChase: 'spoc_reminder_chase',
  /** A link button (mailto:) in a view: Slack still sends the click, which is only acked. */
  emailLink: 'spoc_email_link',
  reportFault: 'spoc_report_fault_open',
  /** Input elements: the action id inside each input block. */
  input: 'value',
  /** Type-ahead location select (options loaded as the person types). */
  locationSearch: 'spoc_location_search',
  /** The fault form's location select, which refreshes the asset list. */
  faultLocation: 'spoc_fault_location',
  /** "Me too" beside the fault form's "Already reported" warning: follow it instead of reporting. */
  faultMeToo: 'spoc_fault_me_too',
  locationAdd: 'spoc_location_add',
  locationMenu: 'spoc_location_menu',
  /** A list row's menu (overflow): each option's value is `<action id>|<the row's value>`. */
  rowMenu: 'spoc_row_menu',
  locationEdit: 'spoc_location_edit',
  locationArchive: 'spoc_location_archive',
  locationRestore: 'spoc_location_restore',
  assetAdd: 'spoc_asset_add',
  assetView: 'spoc_asset_view',
  assetEdit: 'spoc_asset_edit',
  assetMove: 'spoc_asset_move_open',
  assetStatus: 'spoc_asset_status_open',
  licenceAdd: 'spoc_licence_add',
  licenceEdit: 'spoc_licence_edit',
  page: 'spoc_page',
  reminderPaid: 'spoc_reminder_paid',
  reminderSnooze: 'spoc_reminder_snooze',
  reminderRenewed: 'spoc_reminder_renewed',
  reminderWillCancel: 'spoc_reminder_will_cancel',
  reminderReassign: 'spoc_reminder_reassign',
  providerAdd: 'spoc_provider_add',
  providerEdit: 'spoc_provider_edit',
  contractAdd: 'spoc_contract_add',
  contractEdit: 'spoc_contract_edit',
  paymentAdd: 'spoc_payment_add',
  paymentPaid: 'spoc_payment_paid',
  paymentCancel: 'spoc_payment_cancel',
  diaryAdd: 'spoc_diary_add',
  /** Paging through the provider, contract, payment and diary lists (`_prev` / `_next`). */
  supplyPage: 'spoc_supply_page',
  workNewChange: 'spoc_work_new_change',
  workNewProblem: 'spoc_work_new_problem',
  workView: 'spoc_work_view',
  workProgress: 'spoc_work_progress_open',
  workEdit: 'spoc_work_edit_open',
  workLink: 'spoc_work_link_open',
  workResolveLinked: 'spoc_work_resolve_open',
  /** Paging through `/spoc changes` (`_prev` / `_next`). */
  workPage: 'spoc_work_page',
  /** Paging through `/spoc incidents` (`_prev` / `_next`). */
  incidentsPage: 'spoc_incidents_page',
  /** "Open a problem" on a repeated-faults reminder. */
  problemSuggested: 'spoc_reminder_open_problem',
  /** The reporter's answer to "fixed?" (DM and App Home); the value is the incident id. */
  reporterFixed: 'spoc_reporter_fixed',
  reporterStillBroken: 'spoc_reporter_still_broken',
  /** Opens the comment form for the reporter's own open incident; the value is the incident id. */
  commentOpen: 'spoc_comment_open',
  /** The satisfaction question after Fixed (DM and App Home); the value is the incident id. */
  satisfactionUp: 'spoc_satisfaction_up',
  satisfactionDown: 'spoc_satisfaction_down',
  /** Opens the optional comment form on the reporter's answer; the value is the incident id. */
  satisfactionComment: 'spoc_satisfaction_comment_open',
  settingsEdit: 'spoc_settings_edit',
  /** "Add details" on a fault made from a chat message; the value is the incident id. */
  detailsOpen: 'spoc_fault_details_open',
  fixAdd: 'spoc_fix_add',
  fixEdit: 'spoc_fix_edit',
  fixRetire: 'spoc_fix_retire',
  fixRestore: 'spoc_fix_restore',
  /** Paging through `/spoc fixes` (`_prev` / `_next`). */
  fixesPage: 'spoc_fixes_page',
  /** The fault form's summary, which looks for known fixes as it is typed (when the school has any). */
  faultSummary: 'spoc_fault_summary',
  /** The fault form's device select, which looks for known fixes once chosen (when the school has any). */
  faultAsset: 'spoc_fault_asset',
  /** "That fixed it" on a known fix the fault form suggests; the value is the fix id. */
  fixWorked: 'spoc_fix_worked',
} as const;

export const REGISTER_BLOCK = {
  name: 'name',
  parentId: 'parentId',
  defaultImpact: 'defaultImpact',
  tag: 'tag',
  type: 'type',
  make: 'make',
  model: 'model',
  serial: 'serial',
  locationId: 'locationId',
  supplier: 'supplier',
  purchaseDate: 'purchaseDate',
  costPence: 'costPence',
  warrantyEnd: 'warrantyEnd',
  status: 'status',
  notes: 'notes',
  note: 'note',
  title: 'title',
  publisher: 'publisher',
  quantity: 'quantity',
  seatsInUse: 'seatsInUse',
  startDate: 'startDate',
  expiryDate: 'expiryDate',
  keyReference: 'keyReference',
  file: 'file',
  createLocations: 'createLocations',
  level: 'level',
  contactName: 'contactName',
  email: 'email',
  phone: 'phone',
  chatChannel: 'chatChannel',
  providerId: 'providerId',
  service: 'service',
  endDate: 'endDate',
  noticeDays: 'noticeDays',
  autoRenews: 'autoRenews',
  valuePence: 'valuePence',
  responseTargetHours: 'responseTargetHours',
  payee: 'payee',
  amountPence: 'amountPence',
  dueDate: 'dueDate',
  recurrence: 'recurrence',
  reference: 'reference',
  date: 'date',
  kind: 'kind',
  workItemId: 'workItemId',
  announceChannel: 'announceChannel',
} as const;

/** Input blocks of the change and problem forms, named after the commands' fields. */
export const WORK_BLOCK = {
  title: 'title',
  description: 'description',
  owner: 'owner',
  status: 'status',
  percentDone: 'percentDone',
  targetDate: 'targetDate',
  incidents: 'incidents',
  linkMode: 'linkMode',
  note: 'note',
  resolution: 'resolution',
} as const;

/** Input blocks of the fault form, named after the command's fields so errors map one to one. */
export const FAULT_BLOCK = {
  summary: 'summary',
  description: 'description',
  locationId: 'locationId',
  impact: 'impact',
  urgency: 'urgency',
  assetId: 'assetId',
  photos: 'photos',
} as const;

/** The fault form's suggested known fixes: one section each, `known_fix_<n>`. */
export const KNOWN_FIX_BLOCK_PREFIX = 'known_fix_';
/** The fault form's "Already reported" warning (a section with "Me too" beside it). */
export const ALREADY_REPORTED_BLOCK = 'already_reported';

export const TRIAGE_BLOCK = { impact: 'impact', urgency: 'urgency', category: 'category' } as const;
export const RESOLVE_BLOCK = {
  resolution: 'resolution',
  category: 'category',
  // "Save as a known fix", named after the resolve command's fields for it.
  saveFix: 'saveFix',
  fixTitle: 'fixTitle',
  fixSteps: 'fixSteps',
  fixScope: 'fixScope',
  fixKeywords: 'fixKeywords',
} as const;
export const CLOSE_BLOCK = { note: 'note' } as const;
export const FORWARD_BLOCK = { assignee: 'assignee', providerId: 'providerId' } as const;
export const ESCALATE_BLOCK = { providerId: 'providerId', providerRef: 'providerRef', note: 'note' } as const;
export const PROVIDER_UPDATE_BLOCK = { note: 'note', providerRef: 'providerRef' } as const;
export const HAND_BACK_BLOCK = { note: 'note' } as const;
export const HOLD_BLOCK = { reason: 'reason', detail: 'detail' } as const;
export const NOTE_BLOCK = { note: 'note', link: 'link' } as const;
/** The reply to the reporter: the same fields as a staff note. */
export const REPLY_BLOCK = NOTE_BLOCK;
export const MERGE_BLOCK = { into: 'into' } as const;

/** The reporter's comment form, named after commentOnIncident's fields. */
export const COMMENT_BLOCK = { note: 'note', link: 'link' } as const;
/** The comment on a satisfaction answer, named after commentOnSatisfaction's field. */
export const SATISFACTION_BLOCK = { comment: 'comment' } as const;
/** The settings form: block ids are the settings command's field keys (`P1_respond`…). */
export const SETTINGS_BLOCK = {
  dayStart: 'dayStart',
  dayEnd: 'dayEnd',
  P1_respond: 'P1_respond',
  P1_resolve: 'P1_resolve',
  P2_respond: 'P2_respond',
  P2_resolve: 'P2_resolve',
  P3_respond: 'P3_respond',
  P3_resolve: 'P3_resolve',
  P4_respond: 'P4_respond',
  P4_resolve: 'P4_resolve',
  paymentDueSoonDays: 'paymentDueSoonDays',
  contractNoticeDays: 'contractNoticeDays',
  contractEndDays: 'contractEndDays',
  licenceExpiryDays: 'licenceExpiryDays',
  warrantyDays: 'warrantyDays',
  ticketEmoji: 'ticketEmoji',
} as const;

/** Slack user mention; Slack renders it as the person's current display name. */
export function mention(slackUserId: string | null | undefined, fallback: string | null | undefined): string {
  return slackUserId ? `<@${slackUserId}>` : fallback || 'someone';
}
