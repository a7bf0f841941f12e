/**
 * The service's published hours, worded once: the SPOC channel's topic (Slack) and the line the
 * setup answer and the settings add, so the desk says when it is "reachable" and what happens to a
 * fault reported outside those hours.
 */
import { serviceHoursWords } from '../school-time';

/** Slack allows a channel topic of at most 250 characters. */
export const TOPIC_MAX = 250;

/**
 * The SPOC channel's topic: "ICT help: Mon–Fri 08:00–16:00 in term time · /fault to report".
 * `faultCommand` is the report command as the platform names it.
 */
export function channelTopic(hours: { dayStart: string; dayEnd: string }, faultCommand: string): string {
  return `ICT help: ${serviceHoursWords(hours)} · ${faultCommand} to report`.slice(0, TOPIC_MAX);
}

/** One sentence on the service's hours and what happens outside them. */
export function serviceHoursSentence(hours: { dayStart: string; dayEnd: string }): string {
  return `ICT help hours: ${serviceHoursWords(hours)}. A fault reported outside them is seen when the office next opens; a P1 goes to the person on call, if the settings name one.`;
}
