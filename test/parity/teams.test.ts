/** The core loop on Teams, over Bot Framework activities to the real adapter. */
import { coreLoop } from './core-loop';
import { teamsDriver } from './teams-driver';

coreLoop(teamsDriver);
