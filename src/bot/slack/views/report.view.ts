/** The service report as a private Block Kit reply, rendered from the domain's presentation. */
import { presentServiceReport } from '../../../domain/presenters/service-report';
import type { ServiceReport } from '../../../domain/reports/service-report';
import type { SlackMessage } from './incident-card.view';
import { renderMessage } from './render';

export function serviceReportView(r: ServiceReport): SlackMessage {
  return renderMessage(presentServiceReport(r), r.timezone);
}
