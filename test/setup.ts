import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
