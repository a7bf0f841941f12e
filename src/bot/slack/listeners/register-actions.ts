/**
 * Buttons and forms of the registers: add/edit locations, register/edit/move/dispose assets,
 * add/edit licences, and paging through long lists. Every change goes through a domain command.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Ctx } from '../../../domain/context';
import { locationForm } from '../../../domain/forms/locations';
import { listLocations } from '../../../domain/locations/list-locations';
import { locationArchivedText } from '../../../domain/presenters/registers/locations';
import {
  type AssetInput,
  editAsset,
  getAssetDetail,
  moveAsset,
  registerAsset,
  setAssetStatus,
} from '../../../domain/registers/assets';
import {
  addLicence,
  editLicence,
  getLicenceView,
  type LicenceInput,
} from '../../../domain/registers/licences';
import { setLocationArchived } from '../../../domain/registers/locations';
import {
  ASSET_STATUS_LABELS,
  type AssetStatus,
  type AssetType,
  type LicenceType,
} from '../../../domain/registers/types';
import type { ButtonArgs, SlackDeps } from '../deps';
import { guard } from '../guard';
import { contextFor, slackWho } from '../identity';
import { ACTION, REGISTER_BLOCK as B, CALLBACK } from '../ids';
import type { StateReader } from '../view-state';
import { escClip } from '../views/format';
import {
  assetModalView,
  assetMoveModalView,
  assetStatusModalView,
  licenceModalView,
} from '../views/registers/register-modals.view';
import { mrkdwn } from '../views/render';
import { noticeView } from '../views/replies.view';
import {
  actionValue,
  answerStale,
  count,
  money,
  opener,
  registerRowMenu,
  registerSubmissions,
  reply,
  type Submission,
  savedAs,
} from './form-kit';
import { registerOfficeForm } from './office-forms';
import { assetReply, assetsReply, locationsReply } from './register-commands';

const _MenuValue = z.object({ op: z.enum(['edit', 'archive', 'restore']), id: z.string() });
const PageValue = z.object({
  kind: z.enum(['locations', 'assets']),
  page: z.number().int().min(1),
  query: z.string(),
});

function parseJson<T extends z.ZodType>(schema: T, raw: string): z.infer<T> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function assetInput(value: StateReader, cost: number | null): AssetInput {
  return {
    tag: value(B.tag) ?? '',
    type: (value(B.type) ?? '') as AssetType,
    make: value(B.make) ?? '',
    model: value(B.model) ?? '',
    serial: value(B.serial) ?? '',
    locationId: value(B.locationId) ?? null,
    supplier: value(B.supplier) ?? '',
    purchaseDate: value(B.purchaseDate) ?? null,
    costPence: cost,
    warrantyEnd: value(B.warrantyEnd) ?? null,
    status: (value(B.status) ?? 'in_use') as AssetStatus,
    notes: value(B.notes) ?? '',
  };
}

function licenceInput(value: StateReader, cost: number | null): LicenceInput {
  return {
    title: value(B.title) ?? '',
    publisher: value(B.publisher) ?? '',
    type: (value(B.type) ?? '') as LicenceType,
    quantity: count(value(B.quantity)),
    seatsInUse: count(value(B.seatsInUse)) ?? 0,
    startDate: value(B.startDate) ?? null,
    expiryDate: value(B.expiryDate) ?? null,
    supplier: value(B.supplier) ?? '',
    costPence: cost,
    keyReference: value(B.keyReference) ?? '',
    notes: value(B.notes) ?? '',
  };
}

const SUBMISSIONS: Submission[] = [
  {
    callbackId: CALLBACK.assetModal,
    run: async (ctx, id, value) => {
      const cost = money(value, B.costPence);
      if ('error' in cost)
        return {
          ok: false,
          error: { code: 'VALIDATION', message: cost.error, fields: { costPence: cost.error } },
        };
      const input = assetInput(value, cost.pence);
      const r = id ? await editAsset(ctx, { ...input, assetId: id }) : await registerAsset(ctx, input);
      return savedAs(r, (a) => `:white_check_mark: Asset *${escClip(a.tag, 64)}* saved.`);
    },
  },
  {
    callbackId: CALLBACK.assetMoveModal,
    run: async (ctx, id, value) =>
      savedAs(
        await moveAsset(ctx, { assetId: id ?? '', locationId: value(B.locationId) ?? null }),
        (a) => `:truck: *${escClip(a.tag, 64)}* moved.`,
      ),
  },
  {
    callbackId: CALLBACK.assetStatusModal,
    run: async (ctx, id, value) =>
      savedAs(
        await setAssetStatus(ctx, {
          assetId: id ?? '',
          status: (value(B.status) ?? '') as AssetStatus,
          note: value(B.note),
        }),
        (a) => `*${escClip(a.tag, 64)}* is now ${ASSET_STATUS_LABELS[a.status].toLowerCase()}.`,
      ),
  },
  {
    callbackId: CALLBACK.licenceModal,
    run: async (ctx, id, value) => {
      const cost = money(value, B.costPence);
      if ('error' in cost)
        return {
          ok: false,
          error: { code: 'VALIDATION', message: cost.error, fields: { costPence: cost.error } },
        };
      const input = licenceInput(value, cost.pence);
      const r = id ? await editLicence(ctx, { ...input, licenceId: id }) : await addLicence(ctx, input);
      return savedAs(r, (l) => `:page_facing_up: Licence *${escClip(l.title, 200)}* saved.`);
    },
  },
];

/** The form's location list, keeping the record's current location even if it has been archived. */
function withCurrent(list: Array<{ id: string; name: string }>, id: string | null, name: string | null) {
  return id && !list.some((l) => l.id === id)
    ? [...list, { id, name: `${name ?? 'Unknown'} (archived)` }]
    : list;
}

export function registerRegisterActions(app: App, deps: SlackDeps): void {
  const open = opener(app, deps);

  const places = async (ctx: Ctx) => listLocations(ctx);

  open(ACTION.assetAdd, 'register.manage', async (ctx) => assetModalView(undefined, await places(ctx)));
  open(ACTION.licenceAdd, 'register.manage', async () => licenceModalView(undefined));
  open(ACTION.assetView, 'register.view', (ctx, id) => assetReply(ctx, id));
  open(ACTION.assetEdit, 'register.manage', async (ctx, id) => {
    const found = await getAssetDetail(ctx, { ref: id });
    if (!found.ok) return noticeView(found.error.message);
    const { asset, locationName } = found.value;
    return assetModalView(asset, withCurrent(await places(ctx), asset.locationId, locationName));
  });
  open(ACTION.assetMove, 'asset.move', async (ctx, id) => {
    const found = await getAssetDetail(ctx, { ref: id });
    return found.ok
      ? assetMoveModalView(found.value.asset, await places(ctx))
      : noticeView(found.error.message);
  });
  open(ACTION.assetStatus, 'register.manage', async (ctx, id) => {
    const found = await getAssetDetail(ctx, { ref: id });
    return found.ok ? assetStatusModalView(found.value.asset) : noticeView(found.error.message);
  });
  open(ACTION.licenceEdit, 'register.manage', async (ctx, id) => {
    const found = await getLicenceView(ctx, { licenceId: id });
    return found.ok ? licenceModalView(found.value) : noticeView(found.error.message);
  });
  registerOfficeForm(app, deps, locationForm, CALLBACK.locationModal, [
    { actionId: ACTION.locationAdd, record: false },
    { actionId: ACTION.locationEdit, record: true },
  ]);
  for (const [actionId, archived] of [
    [ACTION.locationArchive, true],
    [ACTION.locationRestore, false],
  ] as const) {
    open(actionId, 'register.manage', async (ctx, id) => {
      const done = await setLocationArchived(ctx, { locationId: id, archived });
      if (!done.ok) return noticeView(done.error.message);
      return noticeView(mrkdwn(locationArchivedText(done.value)));
    });
  }
  registerRowMenu(app, deps);

  app.action(
    new RegExp(`^${ACTION.page}_(prev|next)$`),
    guard<ButtonArgs>(deps, async (args) => {
      await args.ack();
      const value = parseJson(PageValue, actionValue(args.body));
      if (!value) return answerStale(args);
      const ctx = await contextFor(deps, slackWho(args.body));
      const message =
        value.kind === 'locations'
          ? await locationsReply(ctx, value.page)
          : await assetsReply(ctx, value.query, value.page);
      await reply(args, message, true);
    }),
  );

  registerSubmissions(app, deps, SUBMISSIONS);
}
