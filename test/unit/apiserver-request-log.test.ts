import assert from 'node:assert/strict';
import { RequestLog, type RequestLogEntry } from '../apiserver/request-log.js';

const entry = (n: number): RequestLogEntry => ({ method: 'GET', path: `/api/v1/namespaces/n${n}`, query: '', status: 200, time: `t${n}` });
const paths = (log: RequestLog) => log.list().map((e) => e.path.slice('/api/v1/namespaces/'.length));

describe('API test server: request log', () => {
  it('keeps every request, oldest first, until its limit', () => {
    const log = new RequestLog(3);
    log.add(entry(1));
    log.add(entry(2));
    assert.deepEqual(paths(log), ['n1', 'n2']);
  });

  it('past its limit, drops the oldest requests and still lists oldest first', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 8; n++) log.add(entry(n));
    assert.deepEqual(paths(log), ['n6', 'n7', 'n8']);
    log.add(entry(9));
    assert.deepEqual(paths(log), ['n7', 'n8', 'n9']);
  });

  it('starts over empty when cleared, full or not', () => {
    const log = new RequestLog(2);
    for (let n = 1; n <= 5; n++) log.add(entry(n));
    log.clear();
    assert.deepEqual(paths(log), []);
    log.add(entry(6));
    log.add(entry(7));
    log.add(entry(8));
    assert.deepEqual(paths(log), ['n7', 'n8']);
  });

  it('keeps nothing with a limit of 0', () => {
    const log = new RequestLog(0);
    log.add(entry(1));
    assert.deepEqual(paths(log), []);
  });
});
