/** Every callback_id, action_id and block_id the Slack app uses, in one place. */

export const CALLBACK = {
  faultModal: 'spoc_fault_report',
  triageModal: 'spoc_incident_triage',
  resolveModal: 'spoc_incident_resolve',
  closeModal: 'spoc_incident_close',
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
} as const;

export const ACTION = {
  claim: 'spoc_incident_claim',
  triage: 'spoc_incident_triage_open',
  resolve: 'spoc_incident_resolve_open',
  close: 'spoc_incident_close_open',
  reportFault: 'spoc_report_fault_open',
  /** Input elements: the action id inside each input block. */
  input: 'value',
  /** Type-ahead location select (options loaded as the person types). */
  locationSearch: 'spoc_location_search',
  /** The fault form's location select, which refreshes the asset list. */
  faultLocation: 'spoc_fault_location',
  locationAdd: 'spoc_location_add',
  locationMenu: 'spoc_location_menu',
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
} as const;

/** Input blocks of the fault form, named after the command's fields so errors map one to one. */
export const FAULT_BLOCK = {
  summary: 'summary',
  description: 'description',
  locationId: 'locationId',
  impact: 'impact',
  urgency: 'urgency',
  assetId: 'assetId',
} as const;

export const TRIAGE_BLOCK = { impact: 'impact', urgency: 'urgency', category: 'category' } as const;
export const RESOLVE_BLOCK = { resolution: 'resolution', category: 'category' } as const;
export const CLOSE_BLOCK = { note: 'note' } as const;

/** Slack user mention; Slack renders it as the person's current display name. */
export function mention(slackUserId: string | null | undefined, fallback: string | null | undefined): string {
  return slackUserId ? `<@${slackUserId}>` : fallback || 'someone';
}
