/**
 * The one Drizzle schema, shared by Postgres (postgres.js) and embedded PGlite.
 * Every tenant row carries `school_id`; queries always filter on it.
 * Change it, then `npm run db:generate -- --name <what>` and commit the migration.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CATEGORIES, IMPACTS, PRIORITIES, URGENCIES } from '../domain/incidents/priority';
import { STATUSES } from '../domain/incidents/state-machine';
import {
  CONTRACT_STATUSES,
  DIARY_KINDS,
  PAYMENT_STATUSES,
  PROVIDER_LEVELS,
  RECURRENCES,
} from '../domain/registers/supply-types';
import { ASSET_STATUSES, ASSET_TYPES, LICENCE_TYPES } from '../domain/registers/types';
import { ROLES } from '../domain/roles';
import { WORK_ITEM_KINDS, WORK_ITEM_STATUSES } from '../domain/work-items/types';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// Enum values come from the domain, so the database and the rules can never disagree.
export const roleEnum = pgEnum('role', ROLES);
export const impactEnum = pgEnum('impact', IMPACTS);
export const urgencyEnum = pgEnum('urgency', URGENCIES);
export const priorityEnum = pgEnum('priority', PRIORITIES);
export const categoryEnum = pgEnum('category', CATEGORIES);
export const incidentStatusEnum = pgEnum('incident_status', STATUSES);
export const assetTypeEnum = pgEnum('asset_type', ASSET_TYPES);
export const assetStatusEnum = pgEnum('asset_status', ASSET_STATUSES);
export const licenceTypeEnum = pgEnum('licence_type', LICENCE_TYPES);
export const importStatusEnum = pgEnum('import_status', ['previewed', 'committed', 'discarded']);
export const providerLevelEnum = pgEnum('provider_level', PROVIDER_LEVELS);
export const recurrenceEnum = pgEnum('recurrence', RECURRENCES);
export const paymentStatusEnum = pgEnum('payment_status', PAYMENT_STATUSES);
export const contractStatusEnum = pgEnum('contract_status', CONTRACT_STATUSES);
export const diaryKindEnum = pgEnum('diary_kind', DIARY_KINDS);
export const supportLevelEnum = pgEnum('support_level', ['first', 'second']);
export const workItemKindEnum = pgEnum('work_item_kind', WORK_ITEM_KINDS);
export const workItemStatusEnum = pgEnum('work_item_status', WORK_ITEM_STATUSES);
export const outboxStatusEnum = pgEnum('outbox_status', ['pending', 'sent', 'dead']);
/** A school, or an authority (a trust, a local authority's ICT service): second-level support for its member schools. */
export const schoolKindEnum = pgEnum('school_kind', ['school', 'authority']);

export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Slack team (workspace) id, or enterprise id for an org-wide install. */
    slackTeamId: text('slack_team_id'),
    /**
     * The Enterprise Grid organisation the workspace belongs to, stored when a request from it is
     * first seen: its messages are sent with the organisation's install when it has none of its own.
     */
    slackEnterpriseId: text('slack_enterprise_id'),
    /**
     * When SPOC was uninstalled from the workspace, or its bot token revoked; null while installed.
     * Its messages wait (nothing is deleted) until it installs SPOC again.
     */
    slackUninstalledAt: ts('slack_uninstalled_at'),
    /** Microsoft Entra tenant of a Teams school. */
    teamsTenantId: text('teams_tenant_id'),
    /**
     * The school's Teams team (`channelData.team.id`): a school is a team in a tenant, so one
     * tenant (a trust) can hold several schools.
     */
    teamsTeamId: text('teams_team_id'),
    /** The school's SPOC channel: triage cards and reminders go there. */
    slackChannelId: text('slack_channel_id'),
    /**
     * The school's SPOC channel in Teams (`channelData.channel.id` of the channel where `spoc setup`
     * was said), for a Teams school.
     */
    teamsChannelId: text('teams_channel_id'),
    timezone: text('timezone').notNull().default('Europe/London'),
    /** School day, local wall-clock time: school time is these hours on school days. */
    dayStart: text('day_start').notNull().default('08:00'),
    dayEnd: text('day_end').notNull().default('16:00'),
    /** Per-school reminder lead times (days); anything unset takes the default. */
    reminderLeadTimes: jsonb('reminder_lead_times')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /**
     * Per-school SLA targets by priority, in school minutes ({ P1: { respondMinutes, resolveMinutes } });
     * anything unset takes the default.
     */
    slaTargets: jsonb('sla_targets').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** Next incident number; bumped under the row lock in the reporting transaction, so no gaps. */
    nextIncidentNumber: integer('next_incident_number').notNull().default(1),
    /** Next CHG-n and PRB-n numbers, bumped the same way. */
    nextChangeNumber: integer('next_change_number').notNull().default(1),
    nextProblemNumber: integer('next_problem_number').notNull().default(1),
    /**
     * When SPOC last asked Slack for the workspace's name (`team.info`), whatever it answered; null
     * until it has. Asked again when older than a day.
     */
    nameCheckedAt: ts('name_checked_at'),
    /** `authority`: the row is a support team's own workspace, whose staff see its member schools. */
    kind: schoolKindEnum('kind').notNull().default('school'),
    /**
     * The authority this school is a member of (one at most): its staff may read the school's
     * overview and work on what the school escalates to it (`src/domain/authority/readable.ts`).
     */
    authorityId: uuid('authority_id').references((): AnyPgColumn => schools.id),
    /**
     * The reaction that turns a message into an incident, as Slack names it without colons
     * (`ticket` is 🎫); `/spoc settings` changes it.
     */
    ticketEmoji: text('ticket_emoji').notNull().default('ticket'),
    /** Who is told at once of a P1 reported out of school time; null: nobody (it waits for the office). */
    onCallPersonId: uuid('on_call_person_id').references((): AnyPgColumn => people.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('schools_authority_idx').on(t.authorityId),
    uniqueIndex('schools_slack_team_uq').on(t.slackTeamId),
    index('schools_slack_enterprise_idx').on(t.slackEnterpriseId),
    uniqueIndex('schools_teams_team_uq').on(t.teamsTenantId, t.teamsTeamId),
  ],
);

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    slackUserId: text('slack_user_id'),
    teamsUserId: text('teams_user_id'),
    displayName: text('display_name').notNull(),
    role: roleEnum('role').notNull().default('teacher'),
    /**
     * When SPOC last asked Slack for the person's name (`users.info`), whatever it answered; null
     * until it has. Asked again when older than a day.
     */
    nameCheckedAt: ts('name_checked_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('people_slack_uq').on(t.schoolId, t.slackUserId),
    uniqueIndex('people_teams_uq').on(t.schoolId, t.teamsUserId),
  ],
);

export const locations = pgTable(
  'locations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    name: text('name').notNull(),
    /** Trimmed, lower-cased name: uniqueness is case-insensitive. */
    nameKey: text('name_key').notNull(),
    preset: boolean('preset').notNull().default(false),
    parentId: uuid('parent_id'),
    /** Used as the incident's impact when a fault is reported here (the ICT suite is suite-wide). */
    defaultImpact: impactEnum('default_impact'),
    archived: boolean('archived').notNull().default(false),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('locations_name_uq').on(t.schoolId, t.nameKey)],
);

const day = (name: string) => date(name, { mode: 'string' });

/** Postgres full-text search's document type (drizzle has no built-in for it). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const assets = pgTable(
  'assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    tag: text('tag').notNull(),
    /** Trimmed, lower-cased tag: unique per school, case-insensitive. */
    tagKey: text('tag_key').notNull(),
    type: assetTypeEnum('type').notNull(),
    make: text('make').notNull().default(''),
    model: text('model').notNull().default(''),
    serial: text('serial').notNull().default(''),
    locationId: uuid('location_id').references(() => locations.id),
    supplier: text('supplier').notNull().default(''),
    purchaseDate: day('purchase_date'),
    costPence: integer('cost_pence'),
    warrantyEnd: day('warranty_end'),
    status: assetStatusEnum('status').notNull().default('in_use'),
    notes: text('notes').notNull().default(''),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('assets_tag_uq').on(t.schoolId, t.tagKey),
    index('assets_location_idx').on(t.schoolId, t.locationId),
    // The reminder pass reads only warranties ending soon: the assets not disposed, by end date.
    index('assets_warranty_idx')
      .on(t.schoolId, t.warrantyEnd)
      .where(sql`${t.status} <> 'disposed' and ${t.warrantyEnd} is not null`),
  ],
);

/** Every change to an asset: who, what, when, from → to. */
export const assetEvents = pgTable(
  'asset_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => assets.id),
    actorId: uuid('actor_id').references(() => people.id),
    /** registered | edited | moved | status | disposed | imported */
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('asset_events_asset_idx').on(t.assetId, t.id)],
);

export const licences = pgTable(
  'licences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    title: text('title').notNull(),
    publisher: text('publisher').notNull().default(''),
    /** Lower-cased title + publisher: what makes a licence the same one on re-import. */
    licenceKey: text('licence_key').notNull(),
    type: licenceTypeEnum('type').notNull(),
    quantity: integer('quantity'),
    seatsInUse: integer('seats_in_use').notNull().default(0),
    startDate: day('start_date'),
    expiryDate: day('expiry_date'),
    supplier: text('supplier').notNull().default(''),
    costPence: integer('cost_pence'),
    /** Where the licence key is kept. Office/admin only, never logged. */
    keyReference: text('key_reference').notNull().default(''),
    notes: text('notes').notNull().default(''),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('licences_key_uq').on(t.schoolId, t.licenceKey)],
);

/** An uploaded CSV between its preview and its commit. */
export const importBatches = pgTable('import_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id),
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  /** The file's text, kept until the batch is committed or discarded. */
  content: text('content').notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => people.id),
  status: importStatusEnum('status').notNull().default('previewed'),
  summary: jsonb('summary').$type<Record<string, unknown>>(),
  createdAt: ts('created_at').notNull(),
  committedAt: ts('committed_at'),
});

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    /** Per-school number: the reference is `INC-<number>`. */
    number: integer('number').notNull(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => people.id),
    summary: text('summary').notNull(),
    description: text('description').notNull().default(''),
    locationId: uuid('location_id').references(() => locations.id),
    assetId: uuid('asset_id').references(() => assets.id),
    category: categoryEnum('category'),
    impact: impactEnum('impact').notNull(),
    urgency: urgencyEnum('urgency').notNull(),
    priority: priorityEnum('priority').notNull(),
    status: incidentStatusEnum('status').notNull().default('new'),
    assigneeId: uuid('assignee_id').references(() => people.id),
    /** Who has it: first-level support (a technician or first-level provider) or a second-level provider. */
    supportLevel: supportLevelEnum('support_level'),
    /** The provider working on it now (forwarded to first level, or escalated), and their reference. */
    providerId: uuid('provider_id').references(() => providers.id),
    providerRef: text('provider_ref'),
    /** SLA targets in school minutes, fixed from the school's settings when the priority was set. */
    slaRespondMinutes: integer('sla_respond_minutes'),
    slaResolveMinutes: integer('sla_resolve_minutes'),
    /** While on hold (waiting for parts or the user) the SLA clock is paused. */
    onHoldSince: ts('on_hold_since'),
    holdReason: text('hold_reason'),
    /** School minutes spent on hold so far: the SLA clock excludes them. */
    slaPausedMinutes: integer('sla_paused_minutes').notNull().default(0),
    resolution: text('resolution'),
    /** Idempotency key of the submission (e.g. the Slack view id): a double submit finds the first. */
    submissionKey: text('submission_key'),
    /** Where the SPOC-channel card lives once posted (channel id, message ts). */
    cardChannel: text('card_channel'),
    cardTs: text('card_ts'),
    createdAt: ts('created_at').notNull(),
    firstResponseAt: ts('first_response_at'),
    lastActivityAt: ts('last_activity_at').notNull(),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    /** A duplicate merged into another incident (closed, its followers moved there). */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => incidents.id),
    /**
     * A ticket made from a message by a reaction: the message's channel and ts (one incident a
     * message), and who reacted (the message's author is the reporter).
     */
    sourceChannel: text('source_channel'),
    sourceTs: text('source_ts'),
    reactedById: uuid('reacted_by_id').references(() => people.id),
  },
  (t) => [
    uniqueIndex('incidents_number_uq').on(t.schoolId, t.number),
    uniqueIndex('incidents_source_uq').on(t.schoolId, t.sourceChannel, t.sourceTs),
    uniqueIndex('incidents_submission_uq').on(t.schoolId, t.submissionKey),
    index('incidents_status_idx').on(t.schoolId, t.status),
    index('incidents_reporter_idx').on(t.schoolId, t.reporterId),
    // The open incidents (a few percent of them), which every reminder pass reads, without walking
    // the closed ones; and a school's incidents by when they were reported (the service report's
    // period, the repeated-faults window).
    index('incidents_open_idx').on(t.schoolId).where(sql`${t.status} not in ('resolved', 'closed')`),
    index('incidents_created_idx').on(t.schoolId, t.createdAt),
  ],
);

export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    actorId: uuid('actor_id').references(() => people.id),
    /** reported | triaged | claimed | resolved | closed | … */
    kind: text('kind').notNull(),
    fromStatus: incidentStatusEnum('from_status'),
    toStatus: incidentStatusEnum('to_status'),
    /** What changed, from → to, and any note. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.id)],
);

/**
 * Messages to deliver, written in the same transaction as the change that caused them.
 * Rows with the same `order_key` are delivered strictly in id order (a card before its thread).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    orderKey: text('order_key').notNull(),
    message: jsonb('message').$type<Record<string, unknown>>().notNull(),
    status: outboxStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    /**
     * A send of this message may have reached the platform without SPOC hearing back (the process
     * died, or the call timed out): before sending again, look for it there.
     */
    inDoubt: boolean('in_doubt').notNull().default(false),
    /**
     * The platform's id of the message this row was posted as, once it has been (a Teams
     * reminder's activity id; Slack's ts could be kept here too): a dialog opened from that
     * message does not name it, so it is found again from here to be replaced when dealt with.
     */
    postedId: text('posted_id'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    // Leasing walks the pending rows in order and asks whether an earlier one shares the order key:
    // partial indexes keep both lookups to the pending rows, however many have been sent, and keep
    // the plan cheap even before the table's statistics catch up with a burst.
    index('outbox_pending_idx').on(t.id).where(sql`${t.status} = 'pending'`),
    index('outbox_pending_order_idx').on(t.orderKey, t.id).where(sql`${t.status} = 'pending'`),
  ],
);

/** Slack OAuth installations (multi-workspace mode), keyed by team id or enterprise id. */
export const slackInstallations = pgTable('slack_installations', {
  key: text('key').primaryKey(),
  installation: jsonb('installation').$type<Record<string, unknown>>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** The school's own holidays (term dates), on top of weekends and bank holidays. */
export const schoolHolidays = pgTable(
  'school_holidays',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    startDate: day('start_date').notNull(),
    endDate: day('end_date').notNull(),
    name: text('name').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('school_holidays_uq').on(t.schoolId, t.startDate, t.endDate)],
);

export const providers = pgTable(
  'providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    level: providerLevelEnum('level').notNull(),
    contactName: text('contact_name').notNull().default(''),
    email: text('email').notNull().default(''),
    phone: text('phone').notNull().default(''),
    /** A chat channel shared with the provider (e.g. Slack Connect), for escalations. */
    chatChannel: text('chat_channel').notNull().default(''),
    notes: text('notes').notNull().default(''),
    /**
     * The school's authority, when this provider is it: made when the school joins the authority,
     * so an escalation to this provider is an escalation to the authority.
     */
    authoritySchoolId: uuid('authority_school_id').references(() => schools.id),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('providers_name_uq').on(t.schoolId, t.nameKey)],
);

export const contracts = pgTable(
  'contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    title: text('title').notNull(),
    /** Provider + title, lower-cased: what makes a contract the same one on re-import. */
    contractKey: text('contract_key').notNull(),
    service: text('service').notNull().default(''),
    startDate: day('start_date'),
    endDate: day('end_date'),
    noticeDays: integer('notice_days').notNull().default(0),
    autoRenews: boolean('auto_renews').notNull().default(false),
    valuePence: integer('value_pence'),
    /** The provider's response target for escalations, in school hours. */
    responseTargetHours: integer('response_target_hours'),
    status: contractStatusEnum('status').notNull().default('active'),
    notes: text('notes').notNull().default(''),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('contracts_key_uq').on(t.schoolId, t.contractKey),
    // The reminder pass reads the contracts not ended whose end (or notice) is near, by end date.
    index('contracts_open_end_idx').on(t.schoolId, t.endDate).where(sql`${t.status} <> 'ended'`),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    payee: text('payee').notNull(),
    providerId: uuid('provider_id').references(() => providers.id),
    contractId: uuid('contract_id').references(() => contracts.id),
    amountPence: integer('amount_pence').notNull(),
    dueDate: day('due_date').notNull(),
    recurrence: recurrenceEnum('recurrence').notNull().default('none'),
    status: paymentStatusEnum('status').notNull().default('scheduled'),
    paidDate: day('paid_date'),
    reference: text('reference').notNull().default(''),
    /** Payee + due date + reference, lower-cased: what makes a payment the same one on re-import. */
    paymentKey: text('payment_key').notNull(),
    notes: text('notes').notNull().default(''),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('payments_key_uq').on(t.schoolId, t.paymentKey),
    index('payments_due_idx').on(t.schoolId, t.status, t.dueDate),
  ],
);

export const diaryEntries = pgTable(
  'diary_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    date: day('date').notNull(),
    title: text('title').notNull(),
    kind: diaryKindEnum('kind').notNull().default('other'),
    notes: text('notes').notNull().default(''),
    assetId: uuid('asset_id').references(() => assets.id),
    /** A change this entry belongs to (planned downtime for an implementation). */
    workItemId: uuid('work_item_id').references(() => workItems.id),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('diary_date_idx').on(t.schoolId, t.date)],
);

/**
 * Each reminder occurrence, recorded once: the unique key makes "post each reminder once" hold
 * however many processes run the pass and however often it is re-run.
 */
export const sentReminders = pgTable(
  'sent_reminders',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    /** e.g. `payment.due_soon:<id>:2027-03-01` */
    key: text('key').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('sent_reminders_uq').on(t.schoolId, t.key)],
);

/**
 * A school's briefing for one school day: the one message a reminder pass posts in the SPOC
 * channel (the week's digest on its first school day, then what is due, grouped), each item with
 * buttons in its thread. Later passes that day add their items here and update that message in
 * place, so the channel gets at most one new message a day (a P1 SLA breach aside).
 */
export const briefings = pgTable(
  'briefings',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    /** The school day, in the school's time zone. */
    day: date('day', { mode: 'string' }).notNull(),
    /** The week's digest when this is its first school day (a `digest` reminder), else null. */
    digest: jsonb('digest').$type<Record<string, unknown>>(),
    /** The reminders it lists, in the order they came (reminders as the pass recorded them). */
    items: jsonb('items').$type<Array<Record<string, unknown>>>().notNull().default([]),
    /**
     * Where it was posted, once it has been: Slack's channel and ts; in Teams the thread's
     * conversation id and the message's activity id. Its items are posted in that thread.
     */
    channel: text('channel'),
    postedId: text('posted_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.day] })],
);

/**
 * The one status message a person has about an incident in their own chat with SPOC (the
 * reporter's): posted at the first step they are told of, then updated in place at each later
 * step, whose own line goes in its thread (Slack) or below it (Teams). Slack: the DM's channel id
 * and the message's ts; Teams: the personal chat's conversation id and the activity id.
 */
export const incidentStatusMessages = pgTable(
  'incident_status_messages',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    channel: text('channel').notNull(),
    postedId: text('posted_id').notNull(),
    /**
     * What it last showed of the fault (a digest of its status as rendered, without a press's
     * answer): a change to the incident that would show the same leaves it as it is.
     */
    shown: text('shown'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.incidentId, t.personId] })],
);

/**
 * Form submissions already recorded. Slack may deliver the same submission again (a retry, a
 * double click on Save, a replayed request); the first one claims its key in the same transaction
 * as everything the form changes, and a repeat finds it, changes nothing and is given `answer`.
 */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    /** Which form (the Slack callback id): one Slack view can carry two forms in turn. */
    kind: text('kind').notNull(),
    /** The platform's id of the submitted form (the Slack view id). */
    key: text('key').notNull(),
    personId: uuid('person_id').references(() => people.id),
    /** What the first submission was answered (e.g. the "Saved" view); null when the form just closed. */
    answer: jsonb('answer').$type<unknown>(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.kind, t.key] })],
);

/**
 * Teams: `spoc import <register>` said with no file attached; the register the person's next file
 * sent to SPOC is for (one a person, taken when the file comes).
 */
export const teamsPendingImports = pgTable('teams_pending_imports', {
  personId: uuid('person_id')
    .primaryKey()
    .references(() => people.id),
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id),
  kind: text('kind').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** "Snooze 7 days" on a reminder's subject (a payment, a contract…). */
export const reminderSnoozes = pgTable(
  'reminder_snoozes',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    subject: text('subject').notNull(),
    until: ts('until').notNull(),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('reminder_snoozes_uq').on(t.schoolId, t.subject)],
);

/**
 * Who changed a location or a licence, what and when (assets keep their own richer history in
 * asset_events). `subject` is `location:<id>` or `licence:<id>`.
 */
export const registerEvents = pgTable(
  'register_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    subject: text('subject').notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    /** added | edited | archived | restored | imported */
    kind: text('kind').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('register_events_subject_idx').on(t.schoolId, t.subject, t.id)],
);

/**
 * An incident handed to a second-level provider: their reference, the note sent, when their
 * response is due (the contract's response target, in school time) and what came back.
 */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    /** The contract whose response target applies, when the provider has one. */
    contractId: uuid('contract_id').references(() => contracts.id),
    providerRef: text('provider_ref').notNull().default(''),
    note: text('note').notNull().default(''),
    escalatedBy: uuid('escalated_by').references(() => people.id),
    escalatedAt: ts('escalated_at').notNull(),
    /** When the provider should have answered by; moved on each chase. Null: no target. */
    respondBy: ts('respond_by'),
    /** The provider's first update. */
    respondedAt: ts('responded_at'),
    /** Handed back to the school (fixed by the provider, or returned). */
    returnedAt: ts('returned_at'),
    lastChasedAt: ts('last_chased_at'),
    chaseCount: integer('chase_count').notNull().default(0),
  },
  (t) => [
    index('escalations_incident_idx').on(t.schoolId, t.incidentId),
    index('escalations_open_idx').on(t.schoolId, t.returnedAt),
  ],
);

/** Changes and problems (FITS change and problem management), tracked as work items. */
export const workItems = pgTable(
  'work_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    kind: workItemKindEnum('kind').notNull(),
    /** Per school and kind: the reference is `CHG-<number>` or `PRB-<number>`. */
    number: integer('number').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    ownerId: uuid('owner_id').references(() => people.id),
    status: workItemStatusEnum('status').notNull().default('proposed'),
    percentDone: integer('percent_done').notNull().default(0),
    targetDate: day('target_date'),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    uniqueIndex('work_items_number_uq').on(t.schoolId, t.kind, t.number),
    index('work_items_status_idx').on(t.schoolId, t.status),
  ],
);

/** Dated progress updates on a work item: a note, and any change of status or percent done. */
export const workItemUpdates = pgTable(
  'work_item_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    workItemId: uuid('work_item_id')
      .notNull()
      .references(() => workItems.id),
    actorId: uuid('actor_id').references(() => people.id),
    /** created | updated | progress | linked | unlinked | resolved_incidents */
    kind: text('kind').notNull(),
    note: text('note').notNull().default(''),
    /** What changed, from → to (status, percent, owner, target date, linked incident). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('work_item_updates_item_idx').on(t.workItemId, t.id)],
);

/** Incidents linked to a change or problem. */
export const workItemIncidents = pgTable(
  'work_item_incidents',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    workItemId: uuid('work_item_id')
      .notNull()
      .references(() => workItems.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    linkedBy: uuid('linked_by').references(() => people.id),
    linkedAt: ts('linked_at').notNull(),
  },
  (t) => [
    uniqueIndex('work_item_incidents_uq').on(t.workItemId, t.incidentId),
    index('work_item_incidents_incident_idx').on(t.schoolId, t.incidentId),
  ],
);

export const TEAMS_CONVERSATION_KINDS = ['personal', 'channel', 'groupChat'] as const;
export const teamsConversationKindEnum = pgEnum('teams_conversation_kind', TEAMS_CONVERSATION_KINDS);

/**
 * Where SPOC can speak in Teams: the conversation reference of every conversation the bot has
 * heard from (a person's personal chat, a team's channel, a group chat), kept up to date on each
 * incoming activity, so proactive messages go out after a restart and from any process.
 */
export const teamsConversations = pgTable(
  'teams_conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The school it belongs to, once known (a channel of a school's team; a personal chat in its tenant). */
    schoolId: uuid('school_id').references(() => schools.id),
    tenantId: text('tenant_id').notNull(),
    /** `channelData.team.id` for a channel (and a personal chat opened from a team, when Teams says). */
    teamId: text('team_id'),
    conversationId: text('conversation_id').notNull(),
    kind: teamsConversationKindEnum('kind').notNull(),
    /** A personal chat's person: their Entra object id and their Teams user id (`29:…`). */
    aadObjectId: text('aad_object_id'),
    userId: text('user_id'),
    /** A channel's name, as Teams last said it (`channelData.channel.name`; "General" for the team's own). */
    name: text('name'),
    /** `TurnContext.getConversationReference(activity)`, as given to `continueConversationAsync`. */
    reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
    /** False once the bot was uninstalled from it or removed (nothing is sent there then). */
    installed: boolean('installed').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('teams_conversations_conversation_uq').on(t.conversationId),
    index('teams_conversations_person_idx').on(t.tenantId, t.aadObjectId),
    index('teams_conversations_school_idx').on(t.schoolId),
  ],
);

/**
 * The school's own knowledge base: a fix that worked, saved when resolving (or added by the
 * office), suggested to a teacher while they report. Matched on its asset, then its location with
 * its asset type, then its words (`search`, Postgres full-text search in the `english` configuration).
 */
export const knownFixes = pgTable(
  'known_fixes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    title: text('title').notNull(),
    steps: text('steps').notNull(),
    locationId: uuid('location_id').references(() => locations.id),
    assetType: assetTypeEnum('asset_type'),
    assetId: uuid('asset_id').references(() => assets.id),
    /** Extra words to match on, as the office typed them. */
    keywords: text('keywords').notNull().default(''),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', title || ' ' || steps || ' ' || keywords)`),
    /** The incident it was saved from, if any. */
    incidentId: uuid('incident_id').references(() => incidents.id),
    createdById: uuid('created_by_id').references(() => people.id),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /** Retired fixes are never suggested again; their uses still count in reports. */
    retiredAt: ts('retired_at'),
  },
  (t) => [
    index('known_fixes_school_idx').on(t.schoolId).where(sql`${t.retiredAt} is null`),
    index('known_fixes_search_idx').using('gin', t.search),
  ],
);

/**
 * A known fix used: `deflected` (a teacher pressed "That fixed it" and reported nothing) or
 * `resolved` (an incident resolved with it). The service report counts them.
 */
export const knownFixUses = pgTable(
  'known_fix_uses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    fixId: uuid('fix_id')
      .notNull()
      .references(() => knownFixes.id),
    personId: uuid('person_id').references(() => people.id),
    kind: text('kind').$type<'deflected' | 'resolved'>().notNull(),
    incidentId: uuid('incident_id').references(() => incidents.id),
    /** Idempotency: the form (view id) a deflection came from, so a double press counts once. */
    key: text('key'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('known_fix_uses_school_idx').on(t.schoolId, t.createdAt),
    uniqueIndex('known_fix_uses_key_uq').on(t.schoolId, t.key),
  ],
);

/** People who said "Me too" on an incident (or whose duplicate was merged into it): told when it is fixed. */
export const incidentFollowers = pgTable(
  'incident_followers',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.incidentId, t.personId] }),
    index('incident_followers_person_idx').on(t.schoolId, t.personId),
  ],
);

/**
 * Photos of a fault (up to three, images only, 10 MB each): Slack's file id, and a copy of the
 * bytes — under SPOC_DATA_DIR (`storedPath`) or in `data` for the playground and tests.
 */
export const incidentPhotos = pgTable(
  'incident_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    slackFileId: text('slack_file_id'),
    name: text('name').notNull(),
    mimetype: text('mimetype').notNull(),
    bytes: integer('bytes').notNull(),
    storedPath: text('stored_path'),
    data: customType<{ data: Buffer }>({ dataType: () => 'bytea' })('data'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('incident_photos_incident_idx').on(t.schoolId, t.incidentId),
    uniqueIndex('incident_photos_file_uq').on(t.schoolId, t.incidentId, t.slackFileId),
  ],
);

/**
 * The reporter's 👍 / 👎 when they pressed Fixed, asked once per incident. `assigneeId` is who
 * had it then: the office sees satisfaction per technician; a technician never sees one rating.
 */
export const incidentRatings = pgTable(
  'incident_ratings',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    rating: text('rating').$type<'up' | 'down'>().notNull(),
    comment: text('comment').notNull().default(''),
    assigneeId: uuid('assignee_id').references(() => people.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.incidentId] }),
    index('incident_ratings_school_idx').on(t.schoolId, t.createdAt),
  ],
);
