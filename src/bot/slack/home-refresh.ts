/**
 * Keeping the staff's App Homes current. A Slack App Home is a view SPOC publishes; Slack never
 * asks for it again on its own, so when something it shows changes (an incident's card is
 * updated, a reminder is posted) the homes of the school's staff who have opened theirs are
 * published again.
 *
 * Who has opened their home is kept in this process (`watch`, on `app_home_opened` and on a press
 * on the home), by school, with how to publish it again; the role is read afresh each time, so
 * only staff (technicians, office, admins) are kept current and someone made a teacher drops out.
 * A change (`changed`) is debounced per school, trailing: the first change waits `delayMs` (10 s),
 * later ones within it ride along, then each home is published once. Another process's watchers
 * are refreshed by that process when its dispatcher delivers the school's next change; a home
 * opened again is always published then and there.
 *
 * A publish failure is logged by the watcher (no token, no payload) and never reaches the caller:
 * a delivery that caused a refresh has already succeeded.
 */

/** Publishes the person's home again; false when they are no longer someone whose home is kept. */
export type HomePublisher = () => Promise<boolean>;

/** Homes kept per school, at most: the oldest watcher makes way. */
const MAX_PER_SCHOOL = 200;

export class HomeRefresher {
  private readonly watchers = new Map<string, Map<string, HomePublisher>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly delayMs = 10_000) {}

  /** The person (`slackUserId`, of `schoolId`) has their App Home open: keep it current. */
  watch(schoolId: string, slackUserId: string, publish: HomePublisher): void {
    const school = this.watchers.get(schoolId) ?? new Map<string, HomePublisher>();
    school.delete(slackUserId);
    school.set(slackUserId, publish);
    if (school.size > MAX_PER_SCHOOL) {
      const [oldest] = school.keys();
      if (oldest) school.delete(oldest);
    }
    this.watchers.set(schoolId, school);
  }

  /** Whether the person's home is being kept current (for tests and the playground). */
  watching(schoolId: string, slackUserId: string): boolean {
    return this.watchers.get(schoolId)?.has(slackUserId) ?? false;
  }

  /** Something the school's homes show changed: publish them again within `delayMs`, once. */
  changed(schoolId: string): void {
    if (this.timers.has(schoolId) || !this.watchers.get(schoolId)?.size) return;
    const timer = setTimeout(() => this.run(schoolId), this.delayMs);
    timer.unref?.();
    this.timers.set(schoolId, timer);
  }

  /** Runs every refresh waiting now, and waits for those under way (tests; stopping). */
  async flush(): Promise<void> {
    for (const [schoolId, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.run(schoolId);
    }
    await Promise.all([...this.running]);
  }

  /** Forgets every watcher and waiting refresh. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.watchers.clear();
  }

  private run(schoolId: string): void {
    this.timers.delete(schoolId);
    const school = this.watchers.get(schoolId);
    if (!school) return;
    const job = Promise.all(
      [...school].map(async ([userId, publish]) => {
        // A publisher logs its own failures; one that throws anyway is kept, never rethrown.
        const kept = await publish().catch(() => true);
        if (!kept && school.get(userId) === publish) school.delete(userId);
      }),
    ).then(() => undefined);
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
  }
}

/** This process's staff homes. */
export const homeRefresher = new HomeRefresher();
